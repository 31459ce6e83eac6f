"""The period the synthetic data covers: whole calendar years, and who is alive when."""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass
from typing import TYPE_CHECKING

import numpy as np
import numpy.typing as npt

if TYPE_CHECKING:
    from onebudget.population.synth.people import People


@dataclass(frozen=True)
class Window:
    first_year: int
    last_year: int

    def __post_init__(self) -> None:
        if not 2000 <= self.first_year <= self.last_year <= 2100:
            raise ValueError(f"years {self.first_year}-{self.last_year}: give e.g. 2023-2025")

    @property
    def start(self) -> np.datetime64:
        return np.datetime64(f"{self.first_year}-01-01", "D")

    @property
    def end(self) -> np.datetime64:
        """The day after the window's last day."""
        return np.datetime64(f"{self.last_year + 1}-01-01", "D")

    @property
    def days(self) -> int:
        return int((self.end - self.start).astype(np.int64))

    def years(self) -> Iterator[tuple[np.datetime64, np.datetime64]]:
        for year in range(self.first_year, self.last_year + 1):
            yield np.datetime64(f"{year}-01-01", "D"), np.datetime64(f"{year + 1}-01-01", "D")

    @staticmethod
    def exposure(
        people: People, year_start: np.datetime64, year_end: np.datetime64
    ) -> tuple[npt.NDArray[np.datetime64], npt.NDArray[np.int64]]:
        """Each person's first day at risk in the year and number of days at risk."""
        start = np.maximum(people.dob, year_start)
        alive_until = np.where(np.isnat(people.dod), year_end, people.dod)
        end = np.minimum(alive_until, year_end)
        return start, np.clip((end - start).astype(np.int64), 0, None)
