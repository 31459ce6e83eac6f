"""Measuring a generated place the way the published figures are measured (year one).

Every measure is a ratio of per-person totals, ``sum(y) / sum(x)``, so its sampling error
is the ratio estimator's: ``sqrt(sum((y - R x)^2)) / sum(x)``, which allows for one person
having many events.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import pyarrow as pa
import pyarrow.compute as pc

from onebudget.population.synth.generate import SynthData

YEAR_DAYS = 365.25


@dataclass(frozen=True)
class Measure:
    value: float
    standard_error: float
    numerator: float


def ratio(y: np.ndarray, x: np.ndarray) -> Measure:
    y, x = np.asarray(y, dtype=float), np.asarray(x, dtype=float)
    r = y.sum() / x.sum()
    return Measure(float(r), float(np.sqrt(((y - r * x) ** 2).sum()) / x.sum()), float(y.sum()))


class YearOne:
    """People and events of a generated place in the first year of its window."""

    def __init__(self, data: SynthData) -> None:
        self.data = data
        year = data.config.first_year
        self.start, self.end = np.datetime64(f"{year}-01-01"), np.datetime64(f"{year + 1}-01-01")
        persons = data.tables["persons"]
        self.ids = persons.column("person_id")
        self.dob = persons.column("date_of_birth").to_numpy().astype("M8[D]")
        dod = persons.column("date_of_death").to_numpy(zero_copy_only=False)
        self.dod = np.array(dod, dtype="M8[D]")
        self.age = (self.start - self.dob).astype(np.int64) * 4 // 1461
        self.at_start = self.dob < self.start
        first = np.maximum(self.dob, self.start)
        last = np.where(np.isnat(self.dod), self.end, np.minimum(self.dod, self.end))
        self.years = np.clip((last - first).astype(np.int64), 0, None) / YEAR_DAYS
        self.persons = persons

    def column(self, table: str, name: str) -> np.ndarray:
        values = self.data.tables[table].column(name)
        if pa.types.is_date(values.type):
            return np.array(values.to_numpy(zero_copy_only=False), dtype="M8[D]")
        return np.asarray(values.to_numpy(zero_copy_only=False))

    def text(self, table: str, name: str) -> np.ndarray:
        """A text column as strings, '' where empty."""
        return np.array(self.data.tables[table].column(name).fill_null("").to_pylist(), dtype=str)

    def person_index(self, table: str) -> np.ndarray:
        return np.asarray(pc.index_in(self.data.tables[table].column("person_id"), self.ids))

    def per_person(
        self,
        table: str,
        date_column: str,
        mask: np.ndarray | None = None,
    ) -> np.ndarray:
        """Events in year one per person (optionally only rows where ``mask``)."""
        when = self.column(table, date_column)
        keep = (when >= self.start) & (when < self.end)
        if mask is not None:
            keep &= mask
        return np.bincount(self.person_index(table)[keep], minlength=len(self.dob))

    def in_ages(self, low: int, high: int) -> np.ndarray:
        return (self.age >= low) & (self.age <= high) & self.at_start


def starts(values: np.ndarray, prefixes: tuple[str, ...]) -> np.ndarray:
    """Which values start with one of the prefixes."""
    return np.array([str(v).startswith(prefixes) for v in values], dtype=bool)


class Cld:
    """The CLD table of a generated place as arrays, one entry per row, with each row's
    person as an index into the persons table."""

    def __init__(self, year: YearOne) -> None:
        self.year = year
        table = year.data.tables["asc_cld"]
        self.rows = table.num_rows
        self.person = year.person_index("asc_cld")
        self.start = year.column("asc_cld", "Event_Start_Date")
        self.end = year.column("asc_cld", "Event_End_Date")
        self.text = {
            name: np.array(table.column(name).fill_null("").to_pylist(), dtype=str)
            for name in table.column_names
            if pa.types.is_string(table.column(name).type)
        }

    def __getitem__(self, name: str) -> np.ndarray:
        return self.text[name]

    def users(self) -> np.ndarray:
        return self["Client_Type"] == "Service user"

    def services(self, *types: str) -> np.ndarray:
        """Service user service rows whose service type starts with one of ``types``."""
        kind = np.zeros(self.rows, dtype=bool)
        for t in types:
            kind |= np.char.startswith(self["Service_Type"], t)
        return (self["Event_Type"] == "Service") & self.users() & kind

    def open_on(self, day: np.datetime64) -> np.ndarray:
        return (self.start <= day) & (np.isnat(self.end) | (self.end >= day))

    def ages_on(self, day: np.datetime64) -> np.ndarray:
        """Each row's person's age on ``day``, the ASCOF way: whole years from the first of
        the birth month (DHSC has only the year and month of birth)."""
        born = self.year.dob[self.person].astype("M8[M]").astype("M8[D]")
        return (day - born).astype(np.int64) * 4 // 1461
