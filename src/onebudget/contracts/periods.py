"""A contract's payment periods: quarters and months of the April-to-March financial year.

Written one way everywhere: ``2025-Q1`` is the financial year 2025/26's first quarter (April
to June 2025) and ``2026-01`` is January 2026, the tenth month of 2025/26. A period knows its
place in its year (``number`` of ``per_year``), which is what every split of a year's money
over its periods needs.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date
from typing import Literal

from onebudget.io.problems import Problem, ProblemsError
from onebudget.periods import month_end, month_start, period_of

Frequency = Literal["quarterly", "monthly"]
PER_YEAR: dict[Frequency, int] = {"quarterly": 4, "monthly": 12}
WRITTEN = "a period written 2025-Q1 (April to June 2025) or 2025-04 (a month)"
_QUARTER = re.compile(r"(\d{4})-Q([1-4])", re.ASCII)
_MONTH = re.compile(r"(\d{4})-(0[1-9]|1[0-2])", re.ASCII)


@dataclass(frozen=True, order=True)
class Period:
    """Period ``number`` (1 to ``per_year``) of the financial year starting April ``year``."""

    year: int
    per_year: int
    number: int

    @property
    def frequency(self) -> Frequency:
        return "quarterly" if self.per_year == 4 else "monthly"

    @property
    def months(self) -> int:
        return 12 // self.per_year

    @property
    def start(self) -> date:
        return month_start(self.year, (self.number - 1) * self.months + 1)

    @property
    def end(self) -> date:
        """The period's last day."""
        return month_end(self.year, self.number * self.months)

    @property
    def label(self) -> str:
        if self.per_year == 4:
            return f"{self.year}-Q{self.number}"
        return f"{self.start.year}-{self.start.month:02d}"

    def __str__(self) -> str:
        return self.label


def parse_period(text: str) -> Period | None:
    """``2025-Q1`` or ``2025-04`` as a period; None for anything else."""
    quarter = _QUARTER.fullmatch(text.strip())
    if quarter and 2000 <= int(quarter[1]) <= 2100:
        return Period(int(quarter[1]), 4, int(quarter[2]))
    month = _MONTH.fullmatch(text.strip())
    if month and 2000 <= int(month[1]) <= 2100:
        year, number = int(month[1]), int(month[2])
        return Period(year if number >= 4 else year - 1, 12, period_of(number))
    return None


class PeriodError(ProblemsError):
    """A period that is not written as one."""


def read_period(text: str, source: str = "period") -> Period:
    """The period ``text`` names, or ``PeriodError`` saying how one is written: the one
    reader of a period a person types (the CLI's ``--period``, the service's form)."""
    found = parse_period(text)
    if found is None:
        raise PeriodError(source, [Problem(path="period", value=text, rule=WRITTEN)])
    return found


def year_of_periods(year: int, frequency: Frequency) -> list[Period]:
    """Every period of a financial year, in order."""
    per_year = PER_YEAR[frequency]
    return [Period(year, per_year, n) for n in range(1, per_year + 1)]
