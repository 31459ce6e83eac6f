"""Where a Better Care Fund plan version stands: draft, agreed by each partner's finance lead,
signed off by the Health and Wellbeing Board, assured.

The rules of moving a version on live here once; the service records each step (who, when,
for which partner) and asks these functions whether the next may be taken. A version's steps
belong to it alone: a new version starts as a draft, so a plan changed after sign-off is
agreed and signed off again (and varies the pooled fund only then). A plan with problems
(other than figures missing from the definitions) cannot be agreed.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date
from enum import StrEnum


class Step(StrEnum):
    AGREED = "agreed"  # by one partner's finance lead
    SIGNED_OFF = "signed_off"  # by the Health and Wellbeing Board
    ASSURED = "assured"  # by NHS England's assurance


class Stage(StrEnum):
    DRAFT = "draft"
    AGREED = "agreed"  # by every partner
    SIGNED_OFF = "signed off"
    ASSURED = "assured"

    @property
    def label(self) -> str:
        return self.value.capitalize()


@dataclass(frozen=True)
class Taken:
    """A step taken on a version; ``partner`` is the agreeing partner's code."""

    step: Step
    partner: str | None = None


def agreed_by(steps: Sequence[Taken]) -> set[str]:
    return {t.partner for t in steps if t.step is Step.AGREED and t.partner}


def stage(partners: Sequence[str], steps: Sequence[Taken]) -> Stage:
    """The furthest stage the version has reached."""
    taken = {t.step for t in steps}
    if Step.ASSURED in taken:
        return Stage.ASSURED
    if Step.SIGNED_OFF in taken:
        return Stage.SIGNED_OFF
    if set(partners) <= agreed_by(steps):
        return Stage.AGREED
    return Stage.DRAFT


def is_read_only(partners: Sequence[str], steps: Sequence[Taken]) -> bool:
    """A signed-off version is never changed: a change is a new version."""
    return stage(partners, steps) in (Stage.SIGNED_OFF, Stage.ASSURED)


def may_agree(
    partners: Sequence[str], steps: Sequence[Taken], partner: str, problems: int
) -> list[str]:
    """Why ``partner`` may not agree the version now (empty: it may)."""
    if partner not in partners:
        return [f"{partner} is not a partner of this plan: the council and the ICB agree it"]
    if stage(partners, steps) is not Stage.DRAFT:
        return ["This version has already been agreed by every partner"]
    if partner in agreed_by(steps):
        return [f"{partner} has already agreed this version"]
    if problems:
        return [f"The plan has {problems} problem{'s' * (problems != 1)} to put right first"]
    return []


def may_sign_off(
    partners: Sequence[str], steps: Sequence[Taken], decided_on: date, today: date
) -> list[str]:
    """Why the board's sign-off may not be recorded now (empty: it may)."""
    found = stage(partners, steps)
    if found is Stage.DRAFT:
        waiting = sorted(set(partners) - agreed_by(steps))
        waiting_for = ", ".join(waiting)
        return [f"Every partner's finance lead agrees the plan first (waiting: {waiting_for})"]
    if found is not Stage.AGREED:
        return ["This version has already been signed off"]
    return _not_future(decided_on, today, "The board's decision")


def may_assure(
    partners: Sequence[str], steps: Sequence[Taken], assured_on: date, today: date
) -> list[str]:
    """Why assurance may not be recorded now (empty: it may)."""
    found = stage(partners, steps)
    if found is Stage.ASSURED:
        return ["This version has already been assured"]
    if found is not Stage.SIGNED_OFF:
        return ["The Health and Wellbeing Board signs the plan off before it is assured"]
    return _not_future(assured_on, today, "The assurance")


def _not_future(day: date, today: date, what: str) -> list[str]:
    if day > today:
        return [f"{what} cannot be dated in the future ({day:%-d %B %Y})"]
    return []
