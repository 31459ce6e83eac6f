"""A Section 75 agreement as data: partners, host, schemes, contributions, variations.

Agreements are written and exchanged as YAML (``load_agreement``/``dump_agreement``) and
validated on load: every problem is collected with its place in the file, the value and
the rule it breaks, and nothing is returned unless all is well. The risk-share clauses
are parsed into the rule objects of ``riskshare``.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from datetime import date
from decimal import Decimal
from typing import Annotated, Any, Literal

from pydantic import AfterValidator, BaseModel, ConfigDict, Field, StringConstraints

from onebudget.funds import riskshare as rs
from onebudget.io.problems import Problem, ProblemsError
from onebudget.money import ZERO, Money, MoneyError, exact

CAP = "an amount in pounds (e.g. 250000.00), contribution, or {percent: 10[, of: fund]}"
AMOUNT = "an amount in pounds"
SIX_PLACES = Decimal("0.000001")


class AgreementError(ProblemsError):
    """Problems in a Section 75 agreement."""


class _Strict(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)


def _printable(text: str) -> str:
    if not text.isprintable():
        raise ValueError("text without control characters (tabs, new lines, NUL)")
    return text


# A name as people read it: printable, 1 to 300 characters (the service's longest name)
Name = Annotated[str, StringConstraints(min_length=1, max_length=300), AfterValidator(_printable)]
# An agreement's id names its fund in the service's addresses: it starts with a letter or
# digit (so it gives a fund code) and holds at most 60 of them and - _ . / or spaces
_ID = re.compile(r"[A-Za-z0-9][A-Za-z0-9 ._/-]{0,59}", re.ASCII)


def _agreement_id(text: str) -> str:
    if not _ID.fullmatch(text):
        raise ValueError(
            "an id starts with a letter or digit and has at most 60 letters, digits, spaces "
            "or - _ . /, e.g. S75-FERN-2025"
        )
    return text


AgreementId = Annotated[str, AfterValidator(_agreement_id)]


class Partner(_Strict):
    code: str
    name: Name


class Scheme(_Strict):
    code: str
    name: Name
    budget: Literal["pooled", "aligned"] = "pooled"
    contributions: dict[str, Money]
    overspend: dict[str, Any] = Field(default_factory=lambda: {"rule": "pro_rata"})
    underspend: dict[str, Any] = Field(default_factory=lambda: {"treatment": "return"})
    profile: Literal["even"] | list[Decimal] = "even"


class Variation(_Strict):
    id: str
    effective: date
    scheme: str
    partner: str
    change: Money
    agreed_by: list[str] = Field(min_length=1)
    agreed_on: date
    reason: str = ""


class Notice(_Strict):
    withdrawal_months: int = Field(default=12, ge=0)
    reduction_months: int = Field(default=3, ge=0)


class ChargeBack(_Strict):
    """An aligned scheme where ``spender`` spends and bills ``payer`` ``percent`` of it."""

    scheme: str
    spender: str
    payer: str
    percent: Decimal = Field(gt=0, le=100)


class Agreement(_Strict):
    id: AgreementId
    name: Name
    financial_year: int = Field(ge=2000, le=2100)
    host: str
    pool_manager: Name
    partners: list[Partner] = Field(min_length=2)
    delegated_functions: list[str] = Field(default_factory=list)
    instalments: Literal["monthly", "quarterly", "annual"] = "monthly"
    notice: Notice = Notice()
    risk_reserve: dict[str, Money] = Field(default_factory=dict)
    cascade: bool = False
    schemes: list[Scheme] = Field(min_length=1)
    variations: list[Variation] = Field(default_factory=list)
    charge_backs: list[ChargeBack] = Field(default_factory=list)

    @property
    def start(self) -> date:
        return date(self.financial_year, 4, 1)

    @property
    def end(self) -> date:
        """The day after the year ends."""
        return date(self.financial_year + 1, 4, 1)

    @property
    def partner_codes(self) -> list[str]:
        return [p.code for p in self.partners]

    def scheme(self, code: str) -> Scheme:
        return next(s for s in self.schemes if s.code == code)

    def contributions(self, scheme: str) -> dict[str, Decimal]:
        """Each partner's contribution to a scheme for the year, with every variation."""
        found = dict(self.scheme(scheme).contributions)
        for v in self.variations:
            if v.scheme == scheme:
                found[v.partner] = found.get(v.partner, ZERO) + v.change
        return found

    def fund_contributions(self) -> dict[str, Decimal]:
        """Each partner's contributions to all the pooled schemes, with every variation."""
        total: dict[str, Decimal] = {}
        for s in self.schemes:
            for partner, amount in (
                self.contributions(s.code).items() if s.budget == "pooled" else ()
            ):
                total[partner] = total.get(partner, ZERO) + amount
        return total

    def terms(self, scheme: str, own: Mapping[str, Decimal] | None = None) -> rs.Terms:
        return rs.Terms(
            self.contributions(scheme), self.host, dict(own or {}), self.fund_contributions()
        )

    def overspend_rule(self, scheme: str) -> rs.Rule:
        return parse_rule(self.scheme(scheme).overspend, "overspend", [])

    def underspend_rule(self, scheme: str) -> rs.UnderspendRule:
        return parse_underspend(self.scheme(scheme).underspend, "underspend", [])


RULE_KEYS = {
    "pro_rata": {"basis"},
    "host": set(),
    "own": set(),
    "fixed": {"shares"},
    "capped": {"caps", "of", "excess_to"},
    "tiered": {"first", "partner", "then"},
}
RULES = "a rule is pro_rata, fixed (shares), host, own, capped (caps) or tiered (first, partner)"
BASIS = "scheme (the default) or fund (each partner's contributions to the whole fund)"
NOT_NESTED = "rule own (each partner's own variance) is for an aligned budget, never within a rule"


def parse_rule(spec: Any, path: str, problems: list[Problem], *, top: bool = True) -> rs.Rule:
    """A risk-share clause: ``{rule: pro_rata | fixed | host | own | capped | tiered, ...}``.
    Every value is checked here (type, range, whole pence), so a clause that loads is one
    that settles: ``fifty``, ``10%``, a negative or fractional ``first`` are problems at
    their path, and so is an unknown key (``excess-to`` for ``excess_to``)."""
    kind = spec.get("rule") if isinstance(spec, dict) else None
    if not isinstance(kind, str) or kind not in RULE_KEYS or _fixed_without_shares(spec):
        problems.append(Problem(path=path, value=spec, rule=RULES))
        return rs.ProRata()
    unknown = sorted(str(k) for k in set(spec) - RULE_KEYS[kind] - {"rule"})
    if unknown:
        allowed = ", ".join(sorted(RULE_KEYS[kind])) or "no other keys"
        problems.append(Problem(path=path, value=unknown, rule=f"{kind} takes {allowed}"))
    if kind == "own" and not top:
        problems.append(Problem(path=path, value=spec, rule=NOT_NESTED))
    return _RULES[kind](spec, path, problems)


def _fixed_without_shares(spec: dict[str, Any]) -> bool:
    return spec["rule"] == "fixed" and not isinstance(spec.get("shares"), dict)


def _pro_rata(spec: dict[str, Any], path: str, problems: list[Problem]) -> rs.Rule:
    return rs.ProRata(_basis(spec.get("basis", "scheme"), f"{path}.basis", problems))


def _capped(spec: dict[str, Any], path: str, problems: list[Problem]) -> rs.Rule:
    given = spec.get("caps")
    if not isinstance(given, dict) or not given:
        problems.append(Problem(path=f"{path}.caps", value=given, rule="caps by partner"))
        given = {}
    caps = {str(k): _cap(v, f"{path}.caps.{k}", problems) for k, v in given.items()}
    inner = parse_rule(spec.get("of", {"rule": "pro_rata"}), f"{path}.of", problems, top=False)
    return rs.Capped(inner, caps, str(spec.get("excess_to", rs.JOINT)))


def _tiered(spec: dict[str, Any], path: str, problems: list[Problem]) -> rs.Rule:
    if "first" not in spec or "partner" not in spec:
        problems.append(Problem(path=path, value=spec, rule="tiered needs first and partner"))
    first = _pounds(spec.get("first", 0), f"{path}.first", problems, AMOUNT)
    then = parse_rule(spec.get("then", {"rule": "pro_rata"}), f"{path}.then", problems, top=False)
    return rs.Tiered(first, str(spec.get("partner")), then)


_RULES = {
    "pro_rata": _pro_rata,
    "host": lambda spec, path, problems: rs.HostBears(),
    "own": lambda spec, path, problems: rs.Own(),
    "fixed": lambda spec, path, problems: _fixed(spec["shares"], f"{path}.shares", problems),
    "capped": _capped,
    "tiered": _tiered,
}


def _basis(value: Any, path: str, problems: list[Problem]) -> rs.Basis:
    if value in ("scheme", "fund"):
        return value  # type: ignore[no-any-return]
    problems.append(Problem(path=path, value=value, rule=BASIS))
    return "scheme"


def _cap(value: Any, path: str, problems: list[Problem]) -> rs.Cap:
    """``contribution``, an amount in pounds, or ``{percent: 10[, of: scheme | fund]}``."""
    if value == "contribution":
        return "contribution"
    if isinstance(value, dict):
        extra = sorted(str(k) for k in set(value) - {"percent", "of"})
        if extra or "percent" not in value:
            problems.append(Problem(path=path, value=value, rule=CAP))
        percent = _percent(value.get("percent"), f"{path}.percent", problems, top=None)
        return rs.PercentCap(percent, _basis(value.get("of", "scheme"), f"{path}.of", problems))
    return _pounds(value, path, problems, CAP)


def _fixed(given: dict[Any, Any], path: str, problems: list[Problem]) -> rs.Fixed:
    before = len(problems)
    shares = {str(k): _percent(v, f"{path}.{k}", problems) for k, v in given.items()}
    if len(problems) == before and sum(shares.values(), ZERO) != 100:
        problems.append(Problem(path=path, value=given, rule="fixed shares add up to 100"))
    return rs.Fixed(shares)


def _percent(
    value: Any, path: str, problems: list[Problem], top: Decimal | None = Decimal(100)
) -> Decimal:
    """A percentage from 0 (to 100 unless ``top`` is None), written as a number (``50``,
    ``33.33``), with no more than six decimal places."""
    if isinstance(value, int | Decimal) and not isinstance(value, bool):
        found = Decimal(value)
        ceiling = top if top is not None else Decimal(10**6)
        # bounded before quantize, which would fail on 1e400
        if found.is_finite() and 0 <= found <= ceiling and found == found.quantize(SIX_PLACES):
            return found
    upper = f"from 0 to {top}" if top is not None else "of 0 or more"
    problems.append(Problem(path=path, value=value, rule=f"a percentage {upper}, e.g. 50"))
    return ZERO


def _pounds(value: Any, path: str, problems: list[Problem], rule: str) -> Decimal:
    """An amount of 0 or more in whole pence, by the money constructor."""
    try:
        found = exact(value)
    except MoneyError as error:
        problems.append(Problem(path=path, value=value, rule=f"{rule}: {error.rule}"))
        return ZERO
    if found < 0:
        problems.append(Problem(path=path, value=value, rule=f"{rule}: 0 or more"))
        return ZERO
    return found


def parse_underspend(spec: Any, path: str, problems: list[Problem]) -> rs.UnderspendRule:
    """``{treatment: return [, rule: ...]}``, ``{treatment: carry_forward}`` or ``retain``."""
    kind = spec.get("treatment") if isinstance(spec, dict) else None
    takes = {
        "return": {"treatment", "rule"},
        "carry_forward": {"treatment"},
        "retain": {"treatment"},
    }
    if isinstance(kind, str) and kind in takes and set(spec) - takes[kind]:
        unknown = sorted(str(k) for k in set(spec) - takes[kind])
        problems.append(Problem(path=path, value=unknown, rule=f"unknown keys for {kind}"))
    if kind == "return":
        rule = spec.get("rule", {"rule": "pro_rata"})
        return rs.Return(parse_rule(rule, f"{path}.rule", problems, top=False))
    if kind == "carry_forward":
        return rs.CarryForward()
    if kind == "retain":
        return rs.Retain()
    problems.append(
        Problem(path=path, value=spec, rule="treatment is return, carry_forward or retain")
    )
    return rs.Return()
