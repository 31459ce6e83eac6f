"""Loading an agreement: structure by pydantic, then the rules an agreement must keep.

Every problem is collected (path in the file, value, rule) before anything is returned, so a
pool manager fixes a file once rather than once per error.
"""

from __future__ import annotations

import calendar
from collections import Counter
from datetime import date
from decimal import Decimal
from pathlib import Path
from typing import Any

from pydantic import ValidationError

from onebudget.funds import riskshare as rs
from onebudget.funds.accounts import CODE_RULE, code_is_usable
from onebudget.funds.agreement import (
    Agreement,
    AgreementError,
    parse_rule,
    parse_underspend,
)
from onebudget.io import yamlio
from onebudget.io.problems import Problem, ProblemsError, validation_problems
from onebudget.money import LARGEST_WHOLE, PENNY, ZERO

WHOLE_RULE = (
    f"the fund adds up to at most £{LARGEST_WHOLE:,} (half of what OneBudget holds, so "
    "that a variance can be held too)"
)


def load_agreement(text: str, *, source: str = "agreement.yaml") -> Agreement:
    """The agreement in ``text``, or ``AgreementError`` with every problem in the file."""
    try:
        agreement = Agreement.model_validate(yamlio.load(text, source=source))
    except ProblemsError as error:
        raise AgreementError(source, error.problems) from None
    except ValidationError as error:
        raise AgreementError(source, validation_problems(error)) from None
    problems = check(agreement)
    if problems:
        raise AgreementError(source, problems)
    return agreement


def read_agreement(path: Path) -> Agreement:
    text = yamlio.read_text(path, AgreementError)
    return load_agreement(text, source=str(path))


def dump_agreement(agreement: Agreement) -> str:
    return yamlio.dump(agreement.model_dump(mode="python", exclude_defaults=False))


def months_between(first: date, later: date) -> int:
    """Whole calendar months from one date to a later one."""
    months = (later.year - first.year) * 12 + later.month - first.month
    return months - (1 if later.day < first.day else 0)


def notice_ends(given_on: date, months: int) -> date:
    """The first day ``months`` whole months after ``given_on`` (by ``months_between``): the
    earliest a change agreed that day may take effect under a notice of that length."""
    total = given_on.year * 12 + given_on.month - 1 + months
    year, month = divmod(total, 12)
    if given_on.day <= calendar.monthrange(year, month + 1)[1]:
        return date(year, month + 1, given_on.day)
    return date(year + (month + 1) // 12, (month + 1) % 12 + 1, 1)  # no such day: the 1st after


def check(a: Agreement) -> list[Problem]:
    problems: list[Problem] = []
    partners = set(a.partner_codes)

    def need(ok: bool, path: str, value: Any, rule: str) -> None:
        if not ok:
            problems.append(Problem(path=path, value=value, rule=rule))

    def money(value: Decimal, path: str) -> None:
        need(value == value.quantize(PENNY), path, value, "money has at most two decimal places")

    for code, n in Counter(a.partner_codes).items():
        need(n == 1, "partners", code, "each partner appears once")
        need(code_is_usable(code), "partners", code, CODE_RULE)
    need(a.host in partners, "host", a.host, "the host is one of the partners")
    for code, n in Counter(s.code for s in a.schemes).items():
        need(n == 1, "schemes", code, "each scheme code appears once")
        need(code_is_usable(code), "schemes", code, CODE_RULE)
    for partner, amount in a.risk_reserve.items():
        need(partner in partners, f"risk_reserve.{partner}", partner, "a partner of the agreement")
        need(amount >= 0, f"risk_reserve.{partner}", amount, "a risk reserve is 0 or more")
        money(amount, f"risk_reserve.{partner}")
    whole = sum((abs(v) for s in a.schemes for v in s.contributions.values()), ZERO)
    whole += sum((abs(v.change) for v in a.variations), ZERO)
    whole += sum((abs(v) for v in a.risk_reserve.values()), ZERO)
    need(whole <= LARGEST_WHOLE, "schemes", whole, WHOLE_RULE)
    for i in range(len(a.schemes)):
        _check_scheme(a, i, need, money)
    for i, v in enumerate(a.variations):
        _check_variation(a, i, v, need, money)
    for i, c in enumerate(a.charge_backs):
        path = f"charge_backs.{i}"
        known = {s.code: s for s in a.schemes}
        need(
            c.scheme in known and known[c.scheme].budget == "aligned",
            f"{path}.scheme",
            c.scheme,
            "an aligned scheme of the agreement",
        )
        need(c.spender in partners, f"{path}.spender", c.spender, "a partner of the agreement")
        need(
            c.payer in partners and c.payer != c.spender,
            f"{path}.payer",
            c.payer,
            "another partner of the agreement",
        )
    return problems


def _check_scheme(a: Agreement, i: int, need: Any, money: Any) -> None:
    scheme = a.schemes[i]
    path = f"schemes.{i}"
    partners = set(a.partner_codes)
    for partner, amount in scheme.contributions.items():
        need(
            partner in partners,
            f"{path}.contributions.{partner}",
            partner,
            "a partner of the agreement",
        )
        need(
            amount >= 0, f"{path}.contributions.{partner}", amount, "a contribution is not negative"
        )
        money(amount, f"{path}.contributions.{partner}")
    if scheme.budget == "pooled":
        total = sum(scheme.contributions.values(), ZERO)
        need(total > 0, f"{path}.contributions", total, "a pooled scheme has contributions")
        after = sum(a.contributions(scheme.code).values(), ZERO)
        need(
            total <= 0 or after > 0,
            f"{path}.contributions",
            after,
            "a pooled scheme keeps contributions after its variations: no rule can share "
            "a scheme every partner has withdrawn from",
        )
    _check_rules(scheme, path, partners, need)
    if scheme.profile != "even":
        weights = scheme.profile
        need(
            len(weights) == 12 and all(w >= 0 for w in weights) and sum(weights) > 0,
            f"{path}.profile",
            weights,
            "twelve monthly weights, none negative, not all zero",
        )


def _check_rules(scheme: Any, path: str, partners: set[str], need: Any) -> None:
    """The risk-share clauses parse, name partners of the agreement, and fit the budget."""
    rule_problems: list[Problem] = []
    rule = parse_rule(scheme.overspend, f"{path}.overspend", rule_problems)
    parse_underspend(scheme.underspend, f"{path}.underspend", rule_problems)
    for p in rule_problems:
        need(False, p.path, p.value, p.rule)
    for name in _named_partners(rule):
        need(
            name in partners or name == rs.JOINT,
            f"{path}.overspend",
            name,
            "risk share names partners of the agreement",
        )
    if scheme.budget == "aligned":
        need(
            isinstance(rule, rs.Own),
            f"{path}.overspend",
            scheme.overspend,
            "an aligned budget's variance is each partner's own (rule: own)",
        )
    elif isinstance(rule, rs.Own):
        need(False, f"{path}.overspend", scheme.overspend, "rule own is for aligned budgets")


def _named_partners(rule: rs.Rule) -> list[str]:
    if isinstance(rule, rs.Fixed):
        return list(rule.percentages)
    if isinstance(rule, rs.Capped):
        return [*rule.caps, rule.excess_to, *_named_partners(rule.rule)]
    if isinstance(rule, rs.Tiered):
        return [rule.partner, *_named_partners(rule.then)]
    return []


def _check_variation(a: Agreement, i: int, v: Any, need: Any, money: Any) -> None:
    path = f"variations.{i}"
    codes = {s.code for s in a.schemes}
    need(v.scheme in codes, f"{path}.scheme", v.scheme, "a scheme of the agreement")
    need(v.partner in a.partner_codes, f"{path}.partner", v.partner, "a partner of the agreement")
    need(
        a.start <= v.effective < a.end,
        f"{path}.effective",
        v.effective,
        f"within the financial year {a.start} to {a.end}",
    )
    need(
        v.agreed_on <= v.effective,
        f"{path}.agreed_on",
        v.agreed_on,
        "agreed on or before it takes effect",
    )
    money(v.change, f"{path}.change")
    if v.scheme not in codes:
        return
    before = a.scheme(v.scheme).contributions.get(v.partner, ZERO) + sum(
        (w.change for w in a.variations[:i] if (w.scheme, w.partner) == (v.scheme, v.partner)), ZERO
    )
    after = before + v.change
    need(after >= 0, f"{path}.change", v.change, f"leaves a negative contribution ({after})")
    if v.change < 0:
        withdrawal = after == 0
        months = a.notice.withdrawal_months if withdrawal else a.notice.reduction_months
        kind = "withdrawal" if withdrawal else "reduction"
        given = months_between(v.agreed_on, v.effective)
        need(
            given >= months,
            f"{path}.agreed_on",
            v.agreed_on,
            f"a {kind} needs {months} months' notice; {given} given",
        )
