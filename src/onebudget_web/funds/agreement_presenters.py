"""Plain data for the agreement form's templates: each field with its label, value and
the problems beside it, the error summary in the order of the page, and the changes a
variation makes in words and pounds."""

from __future__ import annotations

from decimal import Decimal
from typing import Any

from onebudget.funds.agreement import parse_rule, parse_underspend
from onebudget.funds.variation import Changes, SchemeChange
from onebudget.periods import year_label
from onebudget_web.core.error_summary import Problem, problem, problems
from onebudget_web.funds.agreement_build import Errors
from onebudget_web.funds.agreement_forms import (
    KEPT,
    OVERSPEND,
    UNDERSPEND,
    Form,
    Row,
    amount_field,
    key,
    overspend_choice,
    reserve_field,
    row_field,
    share_field,
    underspend_choice,
)
from onebudget_web.funds.agreement_problems import SUMMARY
from onebudget_web.funds.presenters import rule_in_words, underspend_in_words

Field = dict[str, Any]


class Page:
    """The fields of one form as they are laid out, and the summary of their problems in
    the same order (problems that concern no field first)."""

    def __init__(self, errors: Errors) -> None:
        self.errors = errors
        self.order: list[str] = []

    def field(self, name: str, label: str, value: Any = "", **more: Any) -> Field:
        self.order.append(name)
        return {"name": name, "id": name, "label": label, "value": value, **more} | {
            "errors": self.errors.get(name, [])
        }

    def summary(self) -> list[Problem]:
        found = [problem(m) for m in self.errors.get(SUMMARY, [])]
        found += problems({name: self.errors.get(name, []) for name in self.order})
        left = set(self.errors) - {SUMMARY, *self.order}  # never lose one
        found += [problem(m) for n in sorted(left) for m in self.errors[n]]
        return found


def choices(options: list[tuple[str, str]], chosen: str) -> list[dict[str, Any]]:
    return [{"value": v, "text": t, "selected": v == chosen} for v, t in options]


def form_fields(
    form: Form,
    errors: Errors,
    *,
    names: dict[str, str],
    kept: dict[str, tuple[str, str]],
    years: list[int] | None = None,
    hosts: list[tuple[str, str]] | None = None,
) -> dict[str, Any]:
    """The form as fields. ``names``: partner names by code (the place's for a new fund,
    in its order); ``kept``: by scheme code, its clauses in words when the form has no
    choice for them; ``years``, ``hosts``: a new fund's choices (None for a variation)."""
    page = Page(errors)
    top: dict[str, Any] = {}
    if years is not None and hosts is not None:
        top |= _about(page, form, names, years, hosts)
    top["pool_manager"] = page.field(
        "pool_manager",
        "Pool manager",
        form.pool_manager,
        hint="The post that manages the fund day to day, like Head of Integrated Commissioning",
    )
    top["cascade"] = page.field("cascade", "Overspend cascade", checked=form.cascade)
    top["reserve"] = [
        page.field(reserve_field(p), f"{names[p]}", form.reserve.get(p, ""), money=True)
        for p in form.partners
    ]
    top["rows"] = [_row(page, i, row, form, names, kept) for i, row in enumerate(form.rows)]
    top |= _variation(page, form) if years is None else {}
    return top | {"summary": page.summary(), "row_count": len(form.rows)}


def _about(
    page: Page, form: Form, names: dict[str, str], years: list[int], hosts: list[tuple[str, str]]
) -> dict[str, Any]:
    """A new fund's own fields: name, year, partners, host and reference."""
    partners = [
        {"code": c, "name": n, "checked": c in form.partners, "id": f"partner-{key(c)}"}
        for c, n in names.items()
    ]
    if partners:
        partners[0]["id"] = "partners"  # where the summary's link lands
    return {
        "name": page.field("name", "Name of the fund", form.name),
        "reference": page.field(
            "reference",
            "Reference (optional)",
            form.reference,
            hint="It names the fund in its web address. Leave it empty for S75, the host's "
            "code and the year, like S75-E06099001-2026.",
        ),
        "financial_year": page.field(
            "financial_year",
            "Financial year",
            options=choices([(str(y), year_label(y)) for y in years], form.year),
        ),
        "partners": page.field("partners", "Partners in the fund", options=partners),
        "host": page.field("host", "Host partner", options=choices(hosts, form.host)),
    }


def _row(
    page: Page, i: int, row: Row, form: Form, names: dict[str, str], kept: dict[str, Any]
) -> dict[str, Any]:
    errors = page.errors
    label = row.name.strip() or row.code.strip() or f"scheme {i + 1}"
    over_options, under_options = _clause_options(kept.get(row.code, ("", "")))
    return {
        "index": i,
        "legend": f"Scheme {i + 1}" + (f": {row.name}" if row.agreed else ""),
        "agreed": row.agreed,
        "label": label,
        "fixed": row.overspend == "fixed"
        or any(errors.get(share_field(i, p)) for p in form.partners),
        "code": page.field(row_field(i, "code"), "Scheme code", row.code, hint="Like BCF01"),
        "name": page.field(row_field(i, "name"), "Scheme name", row.name),
        "amounts": [
            page.field(amount_field(i, p), f"{names[p]}", row.amounts.get(p, ""), money=True)
            for p in form.partners
        ],
        "overspend": page.field(
            row_field(i, "overspend"),
            f"Who bears an overspend on {label}",
            options=choices(over_options, row.overspend or "pro_rata"),
        ),
        "shares": [
            page.field(share_field(i, p), f"{names[p]}", row.shares.get(p, ""), decimal=True)
            for p in form.partners
        ],
        "underspend": page.field(
            row_field(i, "underspend"),
            f"What happens to an underspend on {label}",
            options=choices(under_options, row.underspend or "return"),
        ),
    }


def _clause_options(kept: tuple[str, str]) -> tuple[list[Any], list[Any]]:
    """The overspend and underspend choices, with "As agreed" for a clause kept."""
    over, under = kept
    over_options = [(k, w) for k, (w, _) in OVERSPEND.items()]
    under_options = [(k, w) for k, (w, _) in UNDERSPEND.items()]
    if over:
        over_options.append((KEPT, f"As agreed: {over}"))
    if under:
        under_options.append((KEPT, f"As agreed: {under}"))
    return over_options, under_options


def _variation(page: Page, form: Form) -> dict[str, Any]:
    example = "For example, 1 January 2026 or 01/01/2026"
    return {
        "reason": page.field("reason", "Reason for the variation", form.reason),
        "effective": page.field(
            "effective", "New contributions take effect on", form.effective, hint=example
        ),
        "agreed_by": page.field(
            "agreed_by",
            "Agreed by",
            form.agreed_by,
            hint="The people who agreed it for each partner, separated by commas",
        ),
        "agreed_on": page.field("agreed_on", "Agreed on", form.agreed_on, hint=example),
    }


def kept_clauses(schemes: list[Any], names: dict[str, str]) -> dict[str, tuple[str, str]]:
    """By scheme code, in words, each clause the form has no choice for ("" for one it
    has): offered as "As agreed", so that a clause the form cannot write is kept."""
    found = {}
    for s in schemes:
        over = under = ""
        if overspend_choice(s.overspend) == KEPT:
            over = rule_in_words(parse_rule(s.overspend, "", []), names)
        if underspend_choice(s.underspend) == KEPT:
            under = underspend_in_words(parse_underspend(s.underspend, "", []), names)
        found[s.code] = (over, under)
    return found


def changes_in_words(changes: Changes, names: dict[str, str]) -> dict[str, Any]:
    """What a variation changes, scheme by scheme, each amount before and after in pounds."""
    return {
        "schemes": [_scheme_change(s, names) for s in changes.schemes],
        "reserve": [_amount(a.partner, a.before, a.after, names) for a in changes.risk_reserve],
        "fields": [
            (FIELD_NAMES.get(f.field, f.field), _value(f.before), _value(f.after))
            for f in changes.fields
        ],
    }


FIELD_NAMES = {
    "name": "Name",
    "pool_manager": "Pool manager",
    "cascade": "Overspend cascade",
    "instalments": "Instalments",
    "notice": "Notice",
    "delegated_functions": "Delegated functions",
    "charge_backs": "Charge-backs",
    "variations": "Variations recorded",
}
STATUS = {"added": "New scheme", "removed": "Removed", "changed": "Changed"}


def _scheme_change(change: SchemeChange, names: dict[str, str]) -> dict[str, Any]:
    clauses = [
        (c, _clause(c, before, names), _clause(c, after, names))
        for c, before, after in change.clauses
    ]
    return {
        "title": f"{change.name} ({change.code})",
        "status": STATUS[change.kind],
        "renamed_from": change.renamed_from,
        "lines": [_amount(a.partner, a.before, a.after, names) for a in change.contributions],
        "total": _amount("", change.total_before, change.total_after, names),
        "clauses": [(c.capitalize(), b, a) for c, b, a in clauses],
    }


def _amount(partner: str, before: Decimal, after: Decimal, names: dict[str, str]) -> dict[str, Any]:
    return {
        "partner": names.get(partner, partner),
        "before": before,
        "after": after,
        "change": after - before,
    }


def _clause(kind: str, value: Any, names: dict[str, str]) -> str:
    if kind == "overspend":
        return rule_in_words(parse_rule(value, "", []), names)
    if kind == "underspend":
        return underspend_in_words(parse_underspend(value, "", []), names)
    if kind == "profile":
        return "even" if value == "even" else "by monthly weights"
    return str(value)


def _value(value: Any) -> str:
    if isinstance(value, bool):
        return "Yes" if value else "No"
    if isinstance(value, list):
        return f"{len(value)}"
    if hasattr(value, "withdrawal_months"):
        return f"{value.reduction_months} months to reduce, {value.withdrawal_months} to withdraw"
    return str(value)
