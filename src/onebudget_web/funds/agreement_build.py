"""The agreement data a form makes: the same data an agreement file holds, for the
library to validate and the actions to store as YAML.

What cannot be read at all (an amount that is not money, a date that is not a date, a
required field left empty) is a problem beside its field here, in plain English; the rest
is left to ``onebudget.funds.validation``, whose problems ``agreement_problems`` maps back
to the fields. A variation's new contributions become ``Variation`` records (the library's
``steps_to``), so the instalments already posted stay as they are.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from datetime import date, datetime
from decimal import Decimal, InvalidOperation
from typing import Any

from onebudget.funds.agreement import Agreement
from onebudget.funds.variation import steps_to, variation_ids
from onebudget.money import FRACTION_OF_A_PENNY, ZERO, MoneyError, exact
from onebudget_web.funds.agreement_forms import (
    KEPT,
    OVERSPEND,
    UNDERSPEND,
    Form,
    Row,
    amount_field,
    reserve_field,
    row_field,
    share_field,
)

Errors = dict[str, list[str]]
NOTE_LIMIT = 300  # what a version's note holds
DATE_FORMATS = ("%Y-%m-%d", "%d/%m/%Y", "%d %B %Y", "%d %b %Y")


@dataclass
class Built:
    """The agreement's data; problems by field; how many contributions a variation
    changes; the form row of each of its schemes; and for each new variation (by its index
    in ``variations``) its row and partner."""

    data: dict[str, Any]
    errors: Errors = field(default_factory=dict)
    steps: int = 0  # contributions a variation changes
    rows: list[int] = field(default_factory=list)
    varied: dict[int, tuple[int, str]] = field(default_factory=dict)


def add(errors: Errors, name: str, message: str) -> None:
    found = errors.setdefault(name, [])
    if message not in found:
        found.append(message)


def build_new(form: Form, base: Agreement | None, names: dict[str, str]) -> Built:
    """A new fund's agreement: the form over ``base`` (last year's, moved on) or nothing."""
    built = Built(base.model_dump(mode="python") if base else {})
    year = _year(form.year, built.errors)
    reference = form.reference.strip() or f"S75-{form.host}-{year or ''}"
    built.data |= {
        "id": reference,
        "name": _required(form.name, "name", "Enter the fund's name", built.errors),
        "financial_year": year,
        "host": form.host,
        "partners": [{"code": p, "name": names[p]} for p in form.partners],
        "variations": [],
    }
    if not form.host:
        add(built.errors, "host", "Choose the host partner")
    base_schemes = {s["code"]: s for s in built.data.get("schemes", [])}
    _common(form, built, names)
    built.data["schemes"] = _schemes(form, built, base_schemes, names, {})
    return built


def build_variation(form: Form, current: Agreement, names: dict[str, str]) -> Built:
    """The agreement as varied: the fund's fields as they were, the form's over them, and
    each changed contribution of an agreed scheme as a variation."""
    built = Built(current.model_dump(mode="python"))
    base_schemes = {s["code"]: s for s in built.data["schemes"]}
    targets: dict[str, dict[str, Decimal]] = {}
    _common(form, built, names)
    built.data["schemes"] = _schemes(form, built, base_schemes, names, targets)
    reason = _required(form.reason, "reason", "Enter the reason for the variation", built.errors)
    if len(reason) > NOTE_LIMIT:
        add(built.errors, "reason", f"The reason must be {NOTE_LIMIT} characters or fewer")
    steps = steps_to(current, targets)
    built.steps = len(steps)
    if steps:
        _variations(form, built, current, steps, reason)
    return built


def _common(form: Form, built: Built, names: dict[str, str]) -> None:
    """The fields a new fund and a variation share: pool manager, cascade, risk reserve."""
    manager = "Enter the pool manager: the post that manages the fund"
    reserve = {}
    for p in form.partners:
        what = f"{names[p]}'s risk reserve"
        found = money(form.reserve.get(p, ""), reserve_field(p), what, built.errors)
        if found:
            reserve[p] = found
    built.data |= {
        "pool_manager": _required(form.pool_manager, "pool_manager", manager, built.errors),
        "cascade": form.cascade,
        "risk_reserve": reserve,
    }


def _schemes(
    form: Form,
    built: Built,
    base: dict[str, dict[str, Any]],
    names: dict[str, str],
    targets: dict[str, dict[str, Decimal]],
) -> list[dict[str, Any]]:
    """Every row that is not blank, as a scheme; an agreed row's contributions go to
    ``targets`` (to be reached by variations), a new row's into the scheme."""
    schemes = []
    for i, row in enumerate(form.rows):
        if row.blank():
            continue
        scheme = _scheme(i, row, base.get(row.code.strip()), names, built.errors)
        amounts = _amounts(i, row, form.partners, scheme["name"] or "this scheme", names, built)
        if row.agreed:
            targets[row.code] = amounts
        else:
            scheme["contributions"] = {p: v for p, v in amounts.items() if v}
        schemes.append(scheme)
        built.rows.append(i)
    return schemes


def _scheme(
    i: int, row: Row, base: dict[str, Any] | None, names: dict[str, str], errors: Errors
) -> dict[str, Any]:
    code, name = row.code.strip(), row.name.strip()
    if not code:
        add(errors, row_field(i, "code"), f"Enter a code for {name or 'the scheme'}, like BCF01")
    if not name:
        add(errors, row_field(i, "name"), f"Enter the name of scheme {code}".rstrip())
    label = name or code or "the scheme"
    overspend, budget = _overspend(i, row, base, label, names, errors)
    scheme = dict(base or {"profile": "even"})
    scheme |= {"code": code, "name": name, "budget": budget, "overspend": overspend}
    scheme["underspend"] = _underspend(i, row, base, label, errors)
    scheme.setdefault("contributions", {})
    return scheme


def _overspend(
    i: int, row: Row, base: dict[str, Any] | None, label: str, names: dict[str, str], errors: Errors
) -> tuple[dict[str, Any], str]:
    """The overspend clause and the budget it implies (``own``: an aligned budget)."""
    if row.overspend == KEPT and base is not None:
        return base["overspend"], base["budget"]
    if row.overspend == "fixed":
        shares = {}
        for p, text in row.shares.items():
            found = _percent(text, share_field(i, p), f"{names[p]}'s share of {label}", errors)
            if found is not None:
                shares[p] = found
        return {"rule": "fixed", "shares": shares}, "pooled"
    clause = OVERSPEND.get(row.overspend, ("", None))[1]
    if clause is None:
        add(errors, row_field(i, "overspend"), f"Choose how an overspend on {label} is shared")
        return {"rule": "pro_rata"}, "pooled"
    return dict(clause), "aligned" if row.overspend == "own" else "pooled"


def _underspend(
    i: int, row: Row, base: dict[str, Any] | None, label: str, errors: Errors
) -> dict[str, Any]:
    if row.underspend == KEPT and base is not None:
        return dict(base["underspend"])
    clause = UNDERSPEND.get(row.underspend, ("", None))[1]
    if clause is None:
        add(errors, row_field(i, "underspend"), f"Choose what happens to an underspend on {label}")
        return {"treatment": "return"}
    return dict(clause)


def _amounts(
    i: int, row: Row, partners: list[str], label: str, names: dict[str, str], built: Built
) -> dict[str, Decimal]:
    """Each partner's contribution as typed: left empty, none (nothing, for an agreed
    scheme: the partner withdraws); not money, left out with its problem."""
    found = {}
    for p in partners:
        name = amount_field(i, p)
        amount = money(
            row.amounts.get(p, ""), name, f"{names[p]}'s contribution to {label}", built.errors
        )
        if amount is not None or (row.agreed and name not in built.errors):
            found[p] = amount if amount is not None else ZERO
    return found


def money(text: str, name: str, what: str, errors: Errors) -> Decimal | None:
    """An amount typed as "£1,234.50" (by ``onebudget.money``), or None: empty, or a
    problem beside the field. ``what``: "NHS Fernmouth ICB's contribution to Home care"."""
    if not text.strip():
        return None
    try:
        found = exact(text.strip())
    except MoneyError as error:
        if error.rule == FRACTION_OF_A_PENNY:
            add(errors, name, f"Enter {what} in whole pence, like £250,000.50")
        else:
            add(errors, name, f"Enter {what} as an amount in pounds, like £250,000")
        return None
    if found < 0:
        add(errors, name, f"{what[0].upper()}{what[1:]} cannot be less than £0")
        return None
    return found


def _percent(text: str, name: str, what: str, errors: Errors) -> Decimal | None:
    if not text.strip():
        return None
    try:
        found = Decimal(text.strip().removesuffix("%").strip())
    except InvalidOperation:
        found = Decimal("NaN")
    if not found.is_finite():
        add(errors, name, f"Enter {what} as a percentage, like 50")
        return None
    return found


def _year(text: str, errors: Errors) -> int | None:
    if text.strip().isdigit():
        return int(text)
    add(errors, "financial_year", "Choose the financial year")
    return None


def _required(text: str, name: str, message: str, errors: Errors) -> str:
    if not text.strip():
        add(errors, name, message)
    return text.strip()


def parse_date(text: str) -> date | None:
    """A date as people type it: 2026-01-01, 01/01/2026, 1 January 2026 or 1 Jan 2026."""
    cleaned = re.sub(r"\s+", " ", text.strip())
    for written in DATE_FORMATS:
        try:
            return datetime.strptime(cleaned, written).date()
        except ValueError:
            continue
    return None


EXAMPLE_DATE = "like 1 January 2026"
DETAILS = {
    "effective": f"Enter the date the new contributions take effect, {EXAMPLE_DATE}",
    "agreed_on": f"Enter the date the variation was agreed, {EXAMPLE_DATE}",
    "agreed_by": "Enter who agreed the variation, like ICB Chief Finance Officer",
}


def _details(form: Form, errors: Errors) -> dict[str, Any] | None:
    """When the new contributions take effect, when and by whom they were agreed; None,
    with a problem beside each field missing, unless all three are given."""
    found: dict[str, Any] = {
        "effective": parse_date(form.effective),
        "agreed_on": parse_date(form.agreed_on),
        "agreed_by": [n.strip() for n in re.split(r"[,;\n]", form.agreed_by) if n.strip()],
    }
    for name, value in found.items():
        if not value:
            add(errors, name, DETAILS[name])
    return found if all(found.values()) else None


def _variations(
    form: Form, built: Built, current: Agreement, steps: list[Any], reason: str
) -> None:
    """Each step as a variation from the date it takes effect, agreed by the people named."""
    details = _details(form, built.errors)
    if details is None:
        return
    rows = {built.data["schemes"][n]["code"]: r for n, r in enumerate(built.rows)}
    first = len(built.data["variations"])
    ids = variation_ids(current, len(steps))
    for n, (step, id_) in enumerate(zip(steps, ids, strict=True)):
        change = {"scheme": step.scheme, "partner": step.partner, "change": step.change}
        built.data["variations"].append({"id": id_, **change, **details, "reason": reason})
        built.varied[first + n] = (rows[step.scheme], step.partner)
