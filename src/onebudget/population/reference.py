"""Real reference data shipped with the library: population, deprivation, GP practices."""

from __future__ import annotations

import csv
from dataclasses import dataclass
from functools import cache
from importlib import resources

import numpy as np
import numpy.typing as npt

MAX_AGE = 100  # single years 0..100; ONS's "90+" is spread over 90..100
_OLDEST_DECAY = 0.72  # share surviving from one year of age to the next above 90 (modelled)


def _data_rows(name: str) -> list[dict[str, str]]:
    text = (resources.files("onebudget") / "data" / name).read_text(encoding="utf-8-sig")
    return list(csv.DictReader(text.splitlines()))


@cache
def england_population() -> npt.NDArray[np.float64]:
    """England mid-2023 persons by age 0..100 (rows) and sex (columns: female, male)."""
    counts = np.zeros((MAX_AGE + 1, 2))
    spread = _OLDEST_DECAY ** np.arange(MAX_AGE - 89)
    spread /= spread.sum()
    for row in _data_rows("ons_mid2023_england_single_year_of_age.csv"):
        sex = 0 if row["sex"] == "females" else 1
        if row["age"] == "90+":
            counts[90:, sex] = int(row["count"]) * spread
        else:
            counts[int(row["age"]), sex] = int(row["count"])
    return counts


@dataclass(frozen=True)
class LsoaDeprivation:
    codes: npt.NDArray[np.str_]
    deciles: npt.NDArray[np.int8]
    scores: npt.NDArray[np.float64]


@cache
def lsoa_deprivation() -> LsoaDeprivation:
    rows = _data_rows("imd2025_lsoa21.csv")
    return LsoaDeprivation(
        codes=np.array([r["lsoa21_code"] for r in rows]),
        deciles=np.array([int(r["imd_decile"]) for r in rows], dtype=np.int8),
        scores=np.array([float(r["imd_score"]) for r in rows]),
    )


@dataclass(frozen=True)
class CouncilProfile:
    code: str
    name: str
    imd_average_score: float
    share_in_most_deprived_decile: float


@cache
def council_profiles() -> dict[str, CouncilProfile]:
    return {
        r["ltla24_code"]: CouncilProfile(
            r["ltla24_code"],
            r["ltla24_name"],
            float(r["imd_average_score"]),
            float(r["imd_proportion_most_deprived_10pc"]),
        )
        for r in _data_rows("imd2025_ltla24.csv")
    }


@dataclass(frozen=True)
class Practice:
    code: str
    name: str
    icb_code: str
    population: float


@cache
def practices_by_council() -> dict[str, tuple[Practice, ...]]:
    """GP practices (2025/26 weighted-population file) grouped by local authority district."""
    grouped: dict[str, list[Practice]] = {}
    for r in _data_rows("gp_practice_weighted_populations_2025_26.csv"):
        practice = Practice(
            r["Practice_Code"], r["GP_Practice_Name"], r["ICB"], float(r["Population"])
        )
        grouped.setdefault(r["LAD"], []).append(practice)
    return {lad: tuple(sorted(ps, key=lambda p: p.code)) for lad, ps in grouped.items()}
