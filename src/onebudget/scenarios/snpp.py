"""Reading an ONS subnational population projection (SNPP) that the user supplies, in place
of the cohort-component projection: ONS's includes migration, ours does not.

The file is a CSV or XLSX table as ONS publishes its "persons by single year of age" tables
(2018-based and 2022-based): columns ``AREA_CODE``, ``AREA_NAME``, ``COMPONENT``, ``SEX``,
``AGE_GROUP``, then one column a year (``2018``, ``2019``, ...). Header case and spaces do not
matter (``Area code`` is ``AREA_CODE``); ``AREA_NAME`` and ``COMPONENT`` may be absent, and
other columns are ignored. Only the area's rows are read; of those, rows whose ``COMPONENT``
is not ``Population``, whose ``SEX`` is ``persons`` and whose ``AGE_GROUP`` is ``All ages``
are totals or other components and are left out. ``SEX`` is ``females``/``males`` (or
``female``/``male``, or ONS's codes 2 and 1); ``AGE_GROUP`` is ``0`` to ``89`` and ``90 and
over`` (or ``90+``). ONS publishes a file for each sex: ``parse_snpp_tables`` reads several
together, as one.

ONS's ``90 and over`` is spread over ages 90..100 as England's mid-2023 persons of that sex
are (``population.reference.england_population``, as the synthetic data does), so the 85+
band holds exactly the file's persons; only single years above 89 are modelled.

Every problem is named with file, row, column, value and rule, and nothing is returned
unless the whole file is good. A file that is not a table at all raises ``TableError``.
"""

from __future__ import annotations

import csv
import io
import itertools
import math
import re
from collections.abc import Collection, Sequence
from pathlib import Path

import numpy as np

from onebudget.io.problems import ImportProblem
from onebudget.io.tables import RawTable, read_table
from onebudget.population.reference import england_population
from onebudget.scenarios.projection import FEMALE, MALE, SHAPE, Projection

REQUIRED = ("AREA_CODE", "SEX", "AGE_GROUP")
SEXES_WRITTEN = {"females": FEMALE, "female": FEMALE, "2": FEMALE}
SEXES_WRITTEN |= {"males": MALE, "male": MALE, "1": MALE}
TOTAL_SEXES = frozenset({"persons", "all persons", "all"})
OLDEST, OLDEST_WRITTEN = 90, frozenset({"90 and over", "90+"})
SEX_RULE = "females, males, 2 (female) or 1 (male); persons rows are left out"
AGE_RULE = "a whole age 0 to 89, or 90 and over"
COUNT_RULE = "a number of persons, not negative"
YEAR_HEADER = re.compile(r"\d{4}")
# (sex, age): ((file, row), counts by year)
Found = dict[tuple[int, int], tuple[tuple[str, int], list[float]]]


class SnppError(ValueError):
    """The file broke a rule; ``problems`` names every one."""

    def __init__(self, problems: list[ImportProblem]) -> None:
        self.problems = problems
        super().__init__("\n".join(str(p) for p in problems))


def read_snpp(path: Path, area_code: str) -> Projection:
    """The area's persons by year, sex and single year of age from an ONS SNPP file."""
    return parse_snpp(read_table(path), area_code)


def parse_snpp(table: RawTable, area_code: str) -> Projection:
    """The area's projection from one table holding both sexes."""
    return parse_snpp_tables([table], area_code)


def parse_snpp_tables(tables: Sequence[RawTable], area_code: str) -> Projection:
    """The area's projection from one or more tables (ONS publishes a file for each sex):
    every row is named by its own file, the years are the same in each, and each sex and age
    is given once over them all."""
    problems: list[ImportProblem] = []
    found: Found = {}
    years: list[int] = []  # the first good table's
    any_rows = False
    for table in tables:
        read, table_problems = _read_table(table, area_code, found, years)
        problems += table_problems
        any_rows = any_rows or read
    names = ", ".join(t.source for t in tables)
    if years:
        problems += _missing(names, area_code, found, any_rows=any_rows)
    if problems:
        raise SnppError(problems)
    persons = np.zeros((len(years), *SHAPE))
    spread = england_population()[OLDEST:].T / england_population()[OLDEST:].sum(axis=0)[:, None]
    for (sex, age), (_, counts) in found.items():
        if age == OLDEST:
            persons[:, sex, OLDEST:] = np.outer(counts, spread[sex])
        else:
            persons[:, sex, age] = counts
    source = f"ONS subnational population projection {names}, area {area_code}"
    return Projection(years[0], persons, source)


def _read_table(
    table: RawTable, area: str, found: Found, years: list[int]
) -> tuple[bool, list[ImportProblem]]:
    """The table's rows for the area into ``found``; whether it had any, and its problems.
    ``years`` is set from the first good table; another with other years is a problem."""
    columns = _columns(table)
    try:
        at = _year_columns(table, columns)
    except SnppError as error:
        return False, error.problems
    written = [int(table.header[i]) for i in at]
    if years and written != years:
        rule = f"the same years as the first file: {years[0]} to {years[-1]}"
        return False, [
            ImportProblem(table.source, 1, "(years)", f"{written[0]}-{written[-1]}", rule)
        ]
    years[:] = written
    problems: list[ImportProblem] = []
    rows = [(line, cells) for line, cells in table.rows if _is_area(cells, columns, area)]
    for line, cells in rows:
        _read_row(table.source, line, cells, table.header, columns, at, found, problems)
    return bool(rows), problems


def area_rows(tables: Sequence[RawTable], area_code: str) -> str:
    """The rows ``parse_snpp_tables`` reads for the area, as one CSV (``AREA_CODE``, ``SEX``,
    ``AGE_GROUP``, a column a year): small enough to keep with a saved scenario (ONS's
    files for England are tens of megabytes) and read again to the same projection. Only for
    tables it has read."""
    header: list[str] = []
    kept: list[list[str]] = []
    for table in tables:
        columns = _columns(table)
        at = _year_columns(table, columns)
        header = ["AREA_CODE", "SEX", "AGE_GROUP", *(table.header[i] for i in at)]
        kept += [
            [cells[columns[c]] for c in REQUIRED] + [cells[i] for i in at]
            for _, cells in table.rows
            if _is_area(cells, columns, area_code)
        ]
    written = io.StringIO()
    csv.writer(written, lineterminator="\n").writerows([header, *kept])
    return written.getvalue()


def _columns(table: RawTable) -> dict[str, int]:
    return {re.sub(r"\s+", "_", h.strip().upper()): i for i, h in enumerate(table.header)}


def _year_columns(table: RawTable, columns: dict[str, int]) -> list[int]:
    """The year columns' indexes, in order, once the header is known to be good."""
    problems = []
    missing = [c for c in REQUIRED if c not in columns]
    if missing:
        rule = f"the header must name {', '.join(REQUIRED)} and one column a year"
        problems.append(ImportProblem(table.source, 1, ", ".join(missing), "", rule))
    years = sorted((int(h), i) for h, i in columns.items() if YEAR_HEADER.fullmatch(h))
    if not years:
        rule = "one column a year (2018, 2019, ...) after AGE_GROUP"
        problems.append(ImportProblem(table.source, 1, "(years)", "", rule))
    for (before, _), (year, i) in itertools.pairwise(years):
        if year != before + 1:
            rule = f"the years follow on, one a column: {before + 1} is missing"
            problems.append(ImportProblem(table.source, 1, table.header[i], str(year), rule))
    if problems:
        raise SnppError(problems)
    return [i for _, i in years]


def _is_area(cells: tuple[str, ...], columns: dict[str, int], area: str) -> bool:
    """Whether a row is the area's persons of one sex and age (not a total or a component)."""
    if cells[columns["AREA_CODE"]].upper() != area.strip().upper():
        return False
    if "COMPONENT" in columns and cells[columns["COMPONENT"]].lower() != "population":
        return False
    total_age = cells[columns["AGE_GROUP"]].lower() == "all ages"
    return not total_age and cells[columns["SEX"]].lower() not in TOTAL_SEXES


def _read_row(
    source: str,
    line: int,
    cells: tuple[str, ...],
    header: tuple[str, ...],
    columns: dict[str, int],
    years: list[int],
    found: Found,
    problems: list[ImportProblem],
) -> None:
    sex_text, age_text = cells[columns["SEX"]], cells[columns["AGE_GROUP"]]
    sex, age = SEXES_WRITTEN.get(sex_text.lower()), _age(age_text)
    if sex is None:
        problems.append(ImportProblem(source, line, "SEX", sex_text, SEX_RULE))
    if age is None:
        problems.append(ImportProblem(source, line, "AGE_GROUP", age_text, AGE_RULE))
    counts = [_count(source, line, header[i], cells[i], problems) for i in years]
    if sex is None or age is None:
        return
    if (sex, age) in found:
        (file, row), _ = found[sex, age]
        where = f"row {row}" if file == source else f"{file}, row {row}"
        rule = f"one row for each sex and age; {where} has this one"
        problems.append(ImportProblem(source, line, "AGE_GROUP", age_text, rule))
    found[sex, age] = ((source, line), [c or 0.0 for c in counts])


def _age(text: str) -> int | None:
    written = " ".join(text.lower().split())
    if written in OLDEST_WRITTEN:
        return OLDEST
    return int(written) if written.isdigit() and int(written) < OLDEST else None


def _count(
    source: str, line: int, column: str, text: str, problems: list[ImportProblem]
) -> float | None:
    try:
        count = float(text.replace(",", ""))
    except ValueError:
        count = math.nan
    if math.isfinite(count) and count >= 0:
        return count
    problems.append(ImportProblem(source, line, column, text, COUNT_RULE))
    return None


def _missing(
    source: str, area: str, found: Collection[tuple[int, int]], *, any_rows: bool
) -> list[ImportProblem]:
    """Each sex with ages the file leaves out for the area (a whole-file problem: row 1)."""
    if not any_rows:
        rule = "rows for the area, by sex (females, males) and age (0 to 89, 90 and over)"
        return [ImportProblem(source, 1, "AREA_CODE", area, rule)]
    problems = []
    for name, sex in (("females", FEMALE), ("males", MALE)):
        ages = [a for a in range(OLDEST + 1) if (sex, a) not in found]
        if ages:
            rule = f"no {name} of these ages for area {area}: each age 0 to 89 and 90 and over"
            problems.append(ImportProblem(source, 1, "AGE_GROUP", _ranges(ages), rule))
    return problems


def _ranges(ages: list[int]) -> str:
    """``[0, 1, 2, 7, 90]`` as ``0-2, 7, 90 and over``."""
    runs: list[list[int]] = []
    for age in ages:
        if runs and age == runs[-1][-1] + 1:
            runs[-1].append(age)
        else:
            runs.append([age])
    words = [_written(r[0]) if len(r) == 1 else f"{r[0]}-{_written(r[-1])}" for r in runs]
    return ", ".join(words)


def _written(age: int) -> str:
    return f"{age} and over" if age == OLDEST else str(age)
