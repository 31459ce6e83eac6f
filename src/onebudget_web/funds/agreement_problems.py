"""The library's problems with a form's agreement, each put beside the field it concerns in
plain English; a problem that concerns no field goes in the summary (``SUMMARY``) as the
library words it.

``onebudget.funds.validation`` is the one judge of an agreement: the form's data is
checked exactly as an uploaded file is. A field the form could not read at all already
has its problem, so the library's word on it is left out, and empty names stand in for
the check so that a missing name does not hide the problems behind it.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from datetime import date
from decimal import Decimal
from typing import Any

from pydantic import ValidationError

from onebudget.funds.agreement import Agreement
from onebudget.funds.validation import check
from onebudget.io.problems import Problem, validation_problems
from onebudget.periods import year_label
from onebudget_web.funds.agreement_build import Built, add
from onebudget_web.funds.agreement_forms import amount_field, reserve_field, row_field, share_field

SUMMARY = ""  # problems that concern no one field
Placed = tuple[str, str]  # (field name, or SUMMARY; the message)
TOP = {
    "id": "reference",
    "name": "name",
    "financial_year": "financial_year",
    "host": "host",
    "pool_manager": "pool_manager",
    "partners": "partners",
    "cascade": "cascade",
}
# The library's rule (its start) -> the message beside the field; {label}: the scheme's
# name, {value}: the value found
WORDS = {
    "the host is one of the partners": "Choose a host from the partners in the fund",
    "List should have at least 2": "Choose at least two partners for the fund",
    "an id starts with": (
        "Enter a reference that starts with a letter or digit and has at most 60 letters, "
        "digits, spaces or - _ . /, like S75-FERN-2026"
    ),
    "a code has no colon": (
        "Enter a scheme code of letters and digits, like BCF01: a colon, or a word the ledger "
        "uses for its accounts, cannot be used"
    ),
    "each scheme code appears once": (
        "Scheme code {value} is used for two schemes: give each scheme its own code"
    ),
    "a pooled scheme has contributions": (
        "Enter at least one partner's contribution to {label}, like £250,000"
    ),
    "a pooled scheme keeps contributions": "At least one partner must keep contributing to {label}",
    "fixed shares add up to 100": (
        "The fixed shares of an overspend on {label} must add up to 100%: they add up to {sum}%"
    ),
    "a percentage from 0 to 100": "Enter a share from 0 to 100%, like 50",
    "risk share names partners": (
        "The overspend clause of {label} names {value}, which is not a partner in the fund: "
        "choose another rule"
    ),
    "agreed on or before it takes effect": (
        "The variation must be agreed on or before the date it takes effect"
    ),
}
NOTICE = re.compile(r"a (reduction|withdrawal) needs (\d+) months' notice; (-?\d+) given")


def validate(built: Built, names: dict[str, str]) -> Agreement | None:
    """The agreement the library makes of the form's data (None if it refuses it), with
    every problem added to ``built.errors``: use it only if there are none."""
    read = dict(built.errors)
    try:
        agreement = Agreement.model_validate(_stand_ins(built.data))
        problems = check(agreement)
    except ValidationError as error:
        agreement, problems = None, validation_problems(error)
    for problem in problems:
        name, message = place(problem, built, names)
        if name == SUMMARY or name not in read:
            add(built.errors, name, message)
    return None if problems else agreement


def _stand_ins(data: dict[str, Any]) -> dict[str, Any]:
    """The data with a stand-in for each required name left empty (its problem is beside
    its field already), so that the library checks everything else."""
    found = dict(data)
    for name in ("name", "pool_manager"):
        found[name] = found.get(name) or "-"
    if found.get("financial_year") is None:
        found["financial_year"] = date.today().year
    found["schemes"] = [s | {"name": s["name"] or "-"} for s in found.get("schemes", [])]
    return found


def place(problem: Problem, built: Built, names: dict[str, str]) -> Placed:
    """The field a problem concerns and what to say beside it."""
    head, _, rest = problem.path.partition(".")
    if head == "schemes":
        return _scheme_problem(problem, rest, built, names)
    if head == "variations":
        return _variation_problem(problem, rest, built, names)
    if head == "risk_reserve" and rest:
        return reserve_field(rest), f"{names.get(rest, rest)}'s risk reserve: {problem.rule}"
    if head in TOP:
        return TOP[head], _words(problem) or f"{problem.path}: {problem.rule}"
    return SUMMARY, str(problem)


def _words(problem: Problem, **more: Any) -> str | None:
    for start, words in WORDS.items():
        if problem.rule.startswith(start):
            return words.format(value=problem.value, **more)
    return None


def _scheme_problem(problem: Problem, rest: str, built: Built, names: dict[str, str]) -> Placed:
    if not rest:  # a code used twice, or not usable: beside the last row with it
        rows = [r for n, r in enumerate(built.rows) if _code(built, n) == problem.value]
        message = _words(problem) or str(problem)
        return (row_field(rows[-1], "code"), message) if rows else (SUMMARY, message)
    index, _, part = rest.partition(".")
    n = int(index) if index.isdigit() else len(built.rows)
    if n >= len(built.rows):
        return SUMMARY, str(problem)
    row, scheme = built.rows[n], built.data["schemes"][n]
    label = scheme.get("name") or scheme.get("code") or "the scheme"
    name = _scheme_field(row, part, built)
    shares = problem.value if isinstance(problem.value, dict) else {}
    total = sum((Decimal(v) for v in shares.values() if isinstance(v, int | Decimal)), Decimal(0))
    found = _words(problem, label=label, sum=f"{total.normalize():f}")
    return (name, found or f"{label}: {problem.rule}") if name else (SUMMARY, str(problem))


def _scheme_field(row: int, part: str, built: Built) -> str | None:
    """The field of a scheme's row a path within the scheme concerns."""
    first = built.data["partners"][0]["code"] if built.data.get("partners") else ""
    parts = part.split(".")
    if parts == ["contributions"]:  # none at all: beside one the form could not read, if any
        codes = [p["code"] for p in built.data.get("partners", [])]
        unread = [amount_field(row, p) for p in codes if amount_field(row, p) in built.errors]
        return unread[0] if unread else amount_field(row, first)
    choose: dict[str, Callable[[], str]] = {
        "code": lambda: row_field(row, "code"),
        "name": lambda: row_field(row, "name"),
        "contributions": lambda: amount_field(row, parts[1]),
        "underspend": lambda: row_field(row, "underspend"),
    }
    if parts[0] == "overspend" and parts[1:2] == ["shares"]:
        return share_field(row, parts[2] if len(parts) > 2 else first)
    if parts[0] == "overspend":
        return row_field(row, "overspend")
    return choose[parts[0]]() if parts[0] in choose else None


def _code(built: Built, n: int) -> Any:
    return built.data["schemes"][n].get("code")


def _variation_problem(problem: Problem, rest: str, built: Built, names: dict[str, str]) -> Placed:
    """A new variation's problem: beside its dates, or the contribution it changes."""
    index, _, part = rest.partition(".")
    where = built.varied.get(int(index)) if index.isdigit() else None
    if where is None:
        return SUMMARY, str(problem)
    row, partner = where
    n = built.rows.index(row)
    label = built.data["schemes"][n]["name"]
    notice = NOTICE.match(problem.rule)
    if notice:
        kind, needed, given = notice.groups()
        doing = "Withdrawing" if kind == "withdrawal" else "Reducing"
        return amount_field(row, partner), (
            f"{doing} {names.get(partner, partner)}'s contribution to {label} needs {needed} "
            f"months' notice: agreed {given} month{'' if given == '1' else 's'} before it "
            "takes effect"
        )
    if part == "effective":
        year = built.data["financial_year"]
        return "effective", (
            f"The new contributions must take effect within {year_label(year)}, "
            f"from 1 April {year} to 31 March {year + 1}"
        )
    fields = {"agreed_on": "agreed_on", "agreed_by": "agreed_by", "reason": "reason"}
    name = fields.get(part, amount_field(row, partner))
    return name, _words(problem) or f"{label}: {problem.rule}"
