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

from onebudget.outcomes.calendar import Period
from onebudget.outcomes.engines.duckdb import DuckDBEngine
from onebudget.outcomes.model import Measure as IndicatorMeasure
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
        self._engine: DuckDBEngine | None = None

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

    def indicator_per_person(self, measure: IndicatorMeasure) -> np.ndarray:
        """A shipped indicator's numerator or denominator in year one, for each person: the
        DuckDB engine evaluates it as it does for a report, broken down by ``person_id`` (a
        persons column, as the breakdowns are), so its sampling error can be estimated."""
        self._engine = self._engine or DuckDBEngine(self.data.tables)
        period = Period.calendar_year(self.data.config.first_year)
        found = self._engine.evaluate(measure, [period], ["person_id"])
        ids = pa.array([key[1] for key in found], type=self.ids.type)
        counts = np.zeros(len(self.dob))
        np.add.at(counts, np.asarray(pc.index_in(ids, self.ids)), list(found.values()))
        return counts

    def emergency_readmissions(self, first: int, last: int) -> tuple[np.ndarray, np.ndarray]:
        """Per person: emergency stays (continuous inpatient spells begun by an emergency
        admission) ending alive in year one, and those followed by an emergency admission of
        the person (not a transfer) from ``first`` to ``last`` days after the discharge."""
        table = self.data.tables["apc_spells"]
        method = self.column("apc_spells", "admimeth").astype(str)
        opening = pc.index_in(table.column("cips_id"), table.column("spell_id")).to_numpy()
        who = self.person_index("apc_spells").astype(np.int64)
        admitted = _days(self.column("apc_spells", "cips_admidate"))
        discharged = self.column("apc_spells", "cips_disdate")
        emergency = np.char.startswith(method, "2")
        stays = self.column("apc_spells", "cips_last") & emergency[opening]
        stays &= (self.column("apc_spells", "disdest") != "79") & (discharged >= self.start)
        stays &= discharged < self.end
        starts = self.column("apc_spells", "cips_first") & emergency
        keys = np.sort(who[starts] * 100_000 + admitted[starts])
        day = _days(discharged[stays])
        after = np.maximum(day + first, admitted[stays] + 1)  # never the stay itself
        low = np.searchsorted(keys, who[stays] * 100_000 + after, side="left")
        high = np.searchsorted(keys, who[stays] * 100_000 + day + last, side="right")
        n = len(self.dob)
        followed = np.bincount(who[stays][high > low], minlength=n)
        return followed, np.bincount(who[stays], minlength=n)


def _days(dates: np.ndarray) -> np.ndarray:
    """Days since 1970 (dates of 2000-2100 are under 100,000, the key's spacing)."""
    return np.asarray(dates.astype("M8[D]").astype(np.int64))


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
