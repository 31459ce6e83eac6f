"""Alliance contracts: the members share the gain or the pain against one alliance budget.

The gain (actual cost below the budget) or the loss (above it) is shared by each member's
stated percentage, which may differ for gain and for pain, as alliance agreements' "risk
and reward" schedules do (NHS England's alliance contract guidance leaves the shares to the
alliance). A commissioner that itself shares in gain and pain is listed as a member. Each
member may have a cap in pounds on its gain and on its loss. What a capped member would have
had over its cap is either shared among the uncapped members pro rata to their shares,
again until no one is over a cap ("redistribute"), or retained (a gain) or borne (a loss)
by the commissioner ("commissioner"); when every member with a share is capped, the rest
stays with the commissioner either way (our own rule: no one else has agreed to bear it).
Every split goes through ``money.allocate``, so the members' shares and what the commissioner
retains add up exactly to the gain or loss.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from decimal import Decimal
from typing import Literal

from onebudget.contracts.model import Step, figure, pounds
from onebudget.io.problems import Problem
from onebudget.money import ZERO, MoneyError, allocate, exact

Excess = Literal["redistribute", "commissioner"]
HUNDRED = Decimal(100)


@dataclass(frozen=True)
class Member:
    code: str
    gain_percent: Decimal
    pain_percent: Decimal | None = None  # the gain share, unless stated
    max_gain: Decimal | None = None  # pounds
    max_loss: Decimal | None = None  # pounds, written as a positive amount

    @property
    def pain(self) -> Decimal:
        return self.gain_percent if self.pain_percent is None else self.pain_percent


@dataclass(frozen=True)
class AllianceTerms:
    budget: Decimal
    members: tuple[Member, ...]
    excess: Excess = "redistribute"


@dataclass(frozen=True)
class Share:
    code: str
    amount: Decimal  # above zero a gain paid to the member, below zero a loss it bears
    capped: bool


@dataclass(frozen=True)
class AllianceResult:
    variance: Decimal  # budget less actual cost: a gain above zero, a loss below
    shares: tuple[Share, ...]
    commissioner: Decimal  # retained (a gain) or borne (a loss) by the commissioner
    steps: tuple[Step, ...]  # adding up to the variance


def settle(
    terms: AllianceTerms, actual_cost: Decimal
) -> tuple[AllianceResult | None, list[Problem]]:
    """Each member's share of the gain or loss against the budget; or None and the problems."""
    found = problems(terms, actual_cost)
    if found:
        return None, found
    variance = terms.budget - actual_cost
    gain = variance >= 0
    weights = {m.code: m.gain_percent if gain else m.pain for m in terms.members}
    caps = {m.code: m.max_gain if gain else m.max_loss for m in terms.members}
    parts, capped, rest = _capped(abs(variance), weights, caps, terms.excess == "redistribute")

    def signed(part: Decimal) -> Decimal:
        return part if gain else -part  # -Decimal("0.00") is 0.00: no "-£0.00" lines

    shares = tuple(Share(m.code, signed(parts[m.code]), m.code in capped) for m in terms.members)
    steps = [_member_step(s, weights[s.code], caps[s.code], variance, terms) for s in shares]
    if rest:
        steps.append(_commissioner_step(signed(rest), variance, terms.excess))
    return AllianceResult(variance, shares, signed(rest), tuple(steps)), []


def _capped(
    amount: Decimal,
    weights: Mapping[str, Decimal],
    caps: Mapping[str, Decimal | None],
    redistribute: bool,
) -> tuple[dict[str, Decimal], set[str], Decimal]:
    """``amount`` (0 or more) split pro rata to ``weights``, no one over its cap: the parts,
    who was capped, and what is left over (for the commissioner)."""
    fixed: dict[str, Decimal] = {code: ZERO for code, w in weights.items() if w == 0}
    sharing = [code for code, w in weights.items() if w > 0]
    capped: set[str] = set()
    while sharing:
        parts = dict(zip(sharing, allocate(amount, [weights[c] for c in sharing]), strict=True))
        limits = {c: cap for c in sharing if (cap := caps[c]) is not None and parts[c] > cap}
        if not limits:
            return fixed | parts, capped, ZERO
        if not redistribute:
            excess = sum((parts[c] - limits[c] for c in limits), ZERO)
            return fixed | parts | limits, set(limits), excess
        fixed |= limits
        capped |= set(limits)
        amount -= sum(limits.values(), ZERO)
        sharing = [c for c in sharing if c not in limits]
    return fixed, capped, amount


def _member_step(
    share: Share, percent: Decimal, cap: Decimal | None, variance: Decimal, terms: AllianceTerms
) -> Step:
    kind = "gain" if variance >= 0 else "loss"
    inputs = {
        f"the alliance's {kind}": pounds(abs(variance)),
        f"share of the {kind}": f"{figure(percent)}%",
    }
    if cap is not None:
        inputs[f"cap on its {kind}"] = pounds(cap)
    if share.capped:
        rule = "its share would be over its cap, so it has the cap"
        where = (
            "the other members pro rata to their shares"
            if terms.excess == "redistribute"
            else "the commissioner"
        )
        rule += f"; the excess goes to {where}"
    elif terms.excess == "redistribute":
        rule = f"its share of the {kind} (with any capped member's excess, pro rata), "
        rule += "split to the penny"
    else:
        rule = f"its share of the {kind}, split to the penny"
    return Step(f"member {share.code}", inputs, rule, share.amount)


def _commissioner_step(amount: Decimal, variance: Decimal, excess: Excess) -> Step:
    kind = "gain" if variance >= 0 else "loss"
    why = (
        "the capped members' excess"
        if excess == "commissioner"
        else "what no member under its cap is left to take"
    )
    rule = f"{why}, {'retained' if variance >= 0 else 'borne'} by the commissioner"
    return Step("commissioner", {f"the alliance's {kind}": pounds(abs(variance))}, rule, amount)


def problems(terms: AllianceTerms, actual_cost: Decimal) -> list[Problem]:
    """Everything that prevents ``settle``, each with its path, value and rule."""
    found = _pence("budget", terms.budget) + _pence("actual_cost", actual_cost)
    if not terms.members:
        found.append(Problem(path="members", value=None, rule="at least one member"))
    for n, member in enumerate(terms.members):
        found += _member_problems(f"members.{n}", member)
    codes = [m.code for m in terms.members]
    found += [
        Problem(path="members", value=code, rule="each member named once")
        for code in sorted({c for c in codes if codes.count(c) > 1})
    ]
    if terms.members and not found:
        found += _sum_problems(terms.members)
    return found


def _member_problems(path: str, member: Member) -> list[Problem]:
    found = _percent(f"{path}.gain_percent", member.gain_percent)
    if member.pain_percent is not None:
        found += _percent(f"{path}.pain_percent", member.pain_percent)
    for name, cap in (("max_gain", member.max_gain), ("max_loss", member.max_loss)):
        found += [] if cap is None else _pence(f"{path}.{name}", cap)
    return found


def _sum_problems(members: tuple[Member, ...]) -> list[Problem]:
    """The shares of each are the whole of it: 100%, no more and no less."""
    found = []
    for name, total in (
        ("gain_percent", sum((m.gain_percent for m in members), ZERO)),
        ("pain_percent", sum((m.pain for m in members), ZERO)),
    ):
        if total != HUNDRED:
            found.append(
                Problem(path=f"members.*.{name}", value=total, rule="shares adding up to 100")
            )
    return found


def _pence(path: str, value: Decimal) -> list[Problem]:
    try:
        exact(value)
    except MoneyError as error:
        return [Problem(path=path, value=value, rule=error.rule)]
    return [Problem(path=path, value=value, rule="an amount of 0 or more")] if value < 0 else []


def _percent(path: str, value: Decimal) -> list[Problem]:
    if isinstance(value, Decimal) and value.is_finite() and 0 <= value <= HUNDRED:
        return []
    return [Problem(path=path, value=value, rule="a percentage from 0 to 100")]
