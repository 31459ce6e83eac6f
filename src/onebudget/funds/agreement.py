"""A Section 75 agreement as data: partners, host, schemes, contributions, variations.

Agreements are written and exchanged as YAML (``load_agreement``/``dump_agreement``) and
validated on load: every problem is collected with its place in the file, the value and
the rule it breaks, and nothing is returned unless all is well. The risk-share clauses
are parsed into the rule objects of ``riskshare``.
"""

from __future__ import annotations

from collections.abc import Mapping
from datetime import date
from decimal import Decimal
from typing import Any, Literal

from pydantic import BaseModel, ConfigDict, Field

from onebudget.funds import riskshare as rs
from onebudget.io.problems import Problem, ProblemsError
from onebudget.money import ZERO, Money, MoneyError, amount

CAP = "an amount in pounds (e.g. 250000.00) or contribution"


class AgreementError(ProblemsError):
    """Problems in a Section 75 agreement."""


class _Strict(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)


class Partner(_Strict):
    code: str
    name: str


class Scheme(_Strict):
    code: str
    name: str
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
    id: str
    name: str
    financial_year: int = Field(ge=2000, le=2100)
    host: str
    pool_manager: str
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

    def terms(self, scheme: str, own: Mapping[str, Decimal] | None = None) -> rs.Terms:
        return rs.Terms(self.contributions(scheme), self.host, dict(own or {}))

    def overspend_rule(self, scheme: str) -> rs.Rule:
        return parse_rule(self.scheme(scheme).overspend, "overspend", [])

    def underspend_rule(self, scheme: str) -> rs.UnderspendRule:
        return parse_underspend(self.scheme(scheme).underspend, "underspend", [])


def parse_rule(spec: Any, path: str, problems: list[Problem]) -> rs.Rule:
    """A risk-share clause: ``{rule: pro_rata | fixed | host | own | capped | tiered, ...}``.
    A value that is not a number or an amount (``fifty``, ``10%``) is a problem at its path."""
    kind = spec.get("rule") if isinstance(spec, dict) else None
    if kind == "pro_rata":
        return rs.ProRata()
    if kind == "host":
        return rs.HostBears()
    if kind == "own":
        return rs.Own()
    if kind == "fixed" and isinstance(spec.get("shares"), dict):
        return _fixed(spec["shares"], f"{path}.shares", problems)
    if kind == "capped" and isinstance(spec.get("caps"), dict):
        caps = {
            str(k): v if v == "contribution" else _money(v, f"{path}.caps.{k}", problems, CAP)
            for k, v in spec["caps"].items()
        }
        inner = parse_rule(spec.get("of", {"rule": "pro_rata"}), f"{path}.of", problems)
        return rs.Capped(inner, caps, str(spec.get("excess_to", rs.JOINT)))
    if kind == "tiered" and "first" in spec:
        first = _money(spec["first"], f"{path}.first", problems, "an amount in pounds")
        then = parse_rule(spec.get("then", {"rule": "pro_rata"}), f"{path}.then", problems)
        return rs.Tiered(first, str(spec.get("partner")), then)
    rule = "a rule is pro_rata, fixed (shares), host, own, capped (caps) or tiered (first, partner)"
    problems.append(Problem(path=path, value=spec, rule=rule))
    return rs.ProRata()


def _fixed(given: dict[Any, Any], path: str, problems: list[Problem]) -> rs.Fixed:
    before = len(problems)
    shares = {str(k): _percent(v, f"{path}.{k}", problems) for k, v in given.items()}
    if len(problems) == before and sum(shares.values(), ZERO) != 100:
        problems.append(Problem(path=path, value=given, rule="fixed shares add up to 100"))
    return rs.Fixed(shares)


def _percent(value: Any, path: str, problems: list[Problem]) -> Decimal:
    """A percentage from 0 to 100, written as a number (``50``, ``33.33``)."""
    if isinstance(value, int | Decimal) and not isinstance(value, bool):
        found = Decimal(value)
        if found.is_finite() and 0 <= found <= 100:
            return found
    problems.append(Problem(path=path, value=value, rule="a percentage from 0 to 100, e.g. 50"))
    return ZERO


def _money(value: Any, path: str, problems: list[Problem], rule: str) -> Decimal:
    try:
        return amount(value)
    except MoneyError as error:
        problems.append(Problem(path=path, value=value, rule=f"{rule}: {error.rule}"))
        return ZERO


def parse_underspend(spec: Any, path: str, problems: list[Problem]) -> rs.UnderspendRule:
    """``{treatment: return [, rule: ...]}``, ``{treatment: carry_forward}`` or ``retain``."""
    kind = spec.get("treatment") if isinstance(spec, dict) else None
    if kind == "return":
        return rs.Return(
            parse_rule(spec.get("rule", {"rule": "pro_rata"}), f"{path}.rule", problems)
        )
    if kind == "carry_forward":
        return rs.CarryForward()
    if kind == "retain":
        return rs.Retain()
    problems.append(
        Problem(path=path, value=spec, rule="treatment is return, carry_forward or retain")
    )
    return rs.Return()
