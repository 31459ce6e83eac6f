"""The GP-practice weighted populations of one allocation year, whatever the year's column
names, as exact Decimals (the published files carry about ten significant figures)."""

from __future__ import annotations

import csv
from dataclasses import dataclass
from decimal import Decimal
from functools import cache
from importlib import resources

YEARS = ("2022/23", "2023/24", "2024/25", "2025/26")
# The nine indices, in the national tool's order, and the column each is computed from
INDICES: dict[str, str] = {
    "G&A": "G&A WP",
    "Community": "CS WP",
    "Mental health": "MH WP",
    "Maternity": "Mat WP",
    "Prescribing": "Prescr WP",
    "Health inequalities": "Health Ineq WP",
    "Overall core": "Final WP",
    "Primary medical care": "Final PMC WP",
    "Primary medical care need": "Primary Medical Care WP",
}
# Each field's heading in the years that name it differently
HEADINGS = {
    "icb": ("ICB", "ICS22"),
    "icb_name": ("ICBname", "ICS22name"),
    "lad": ("LAD", "LAD21"),
    "lad_name": ("LTLA", "LTLA21"),
    "population": ("Population", "pop 2022/23"),
}


class YearError(ValueError):
    pass


@dataclass(frozen=True)
class PracticeNeed:
    code: str
    name: str
    icb: str
    icb_name: str
    lad: str
    lad_name: str
    latitude: float | None
    longitude: float | None
    population: Decimal
    weighted: tuple[Decimal, ...]  # in the order of INDICES


def _field(row: dict[str, str], name: str) -> str:
    for heading in HEADINGS[name]:
        if heading in row:
            return row[heading]
    raise YearError(f"no column for {name}: looked for {HEADINGS[name]}")


def _amount(text: str) -> Decimal:
    """A weighted population; 2022/23 leaves a few tiny practices' maternity blank: none."""
    return Decimal(text) if text.strip() else Decimal(0)


def _coordinate(text: str) -> float | None:
    try:
        return float(text)
    except ValueError:
        return None


def unknown_icb(year: str) -> str:
    """What is wrong with an ICB code no practice of the year is in, and a code that would do."""
    code, name = min((p.icb, p.icb_name) for p in practices(year))
    return f"no ICB has this code in {year} (expected an ICB code, like {code} for {name})"


@cache
def practices(year: str) -> tuple[PracticeNeed, ...]:
    if year not in YEARS:
        raise YearError(f"{year!r} is not an allocation year (expected one of {', '.join(YEARS)})")
    name = f"gp_practice_weighted_populations_{year.replace('/', '_')}.csv"
    text = (resources.files("onebudget") / "data" / name).read_text(encoding="utf-8-sig")
    rows = csv.DictReader(text.splitlines())
    return tuple(
        PracticeNeed(
            code=r["Practice_Code"],
            name=r["GP_Practice_Name"],
            icb=_field(r, "icb"),
            icb_name=_field(r, "icb_name"),
            lad=_field(r, "lad"),
            lad_name=_field(r, "lad_name"),
            latitude=_coordinate(r["Latitude"]),
            longitude=_coordinate(r["Longitude"]),
            population=Decimal(_field(r, "population")),
            weighted=tuple(_amount(r[column]) for column in INDICES.values()),
        )
        for r in rows
    )
