"""Spec: need indices identical to NHS England's place-based allocation tool.

The published check (the shared data's README): NHS West Yorkshire ICB (QWO), the place of
practices B85005, B85022, B85061 and B85026, 2025/26, indices rounded half up to 3 d.p.
Then every ICB in every year against an independent computation in exact fractions, read
straight from the files with no code from the library.
"""

from __future__ import annotations

import csv
from decimal import ROUND_HALF_UP, Decimal
from fractions import Fraction
from importlib import resources

import pytest
from typer.testing import CliRunner

from onebudget.allocation.indices import UnknownAreaError, icb_indices, place_indices
from onebudget.allocation.populations import YEARS, YearError
from onebudget.cli.main import app

PLACE = ["B85005", "B85022", "B85061", "B85026"]
PUBLISHED_PLACE = {
    "Overall core": "0.946",
    "G&A": "1.092",
    "Community": "1.082",
    "Mental health": "0.659",
    "Maternity": "0.667",
    "Prescribing": "1.087",
    "Health inequalities": "0.547",
    "Primary medical care": "0.904",
    "Primary medical care need": "0.985",
}


@pytest.mark.parametrize("whole_people", [False, True])
def test_the_published_west_yorkshire_check(whole_people: bool) -> None:
    assert icb_indices("2025/26", "QWO", whole_people=whole_people)["Overall core"] == Decimal(
        "1.017"
    )
    got = place_indices("2025/26", "QWO", PLACE, whole_people=whole_people)
    assert {k: str(v) for k, v in got.items()} == PUBLISHED_PLACE


def test_an_answer_kept_for_the_next_caller_is_not_changed_by_this_one() -> None:
    """Indices are worked out once per process; each caller gets a copy to change."""
    first = place_indices("2025/26", "QWO", PLACE)
    first["Overall core"] = Decimal(0)
    icb = icb_indices("2025/26", "QWO")
    icb.clear()
    assert str(place_indices("2025/26", "QWO", tuple(PLACE))["Overall core"]) == "0.946"
    assert icb_indices("2025/26", "QWO")["Overall core"] == Decimal("1.017")


def test_the_cli_prints_one_row_per_index() -> None:
    place = "Name=" + ",".join(PLACE)
    result = CliRunner().invoke(
        app, ["allocate", "indices", "--year", "2025/26", "--icb", "QWO", "--place", place]
    )
    assert result.exit_code == 0, result.output
    lines = result.output.strip().splitlines()
    assert lines[0] == "index,icb,place"
    assert "Overall core,1.017,0.946" in lines
    assert len(lines) == 10


def test_unknown_years_icbs_and_practices_are_named() -> None:
    with pytest.raises(YearError, match="2021/22"):
        icb_indices("2021/22", "QWO")
    with pytest.raises(UnknownAreaError, match="QXX"):
        icb_indices("2025/26", "QXX")
    with pytest.raises(UnknownAreaError, match="A81001"):
        place_indices("2025/26", "QWO", ["B85005", "A81001"])


# An independent computation: headings found by meaning, exact fractions, round half up.
COLUMNS = {
    "G&A": "G&A WP", "Community": "CS WP", "Mental health": "MH WP", "Maternity": "Mat WP",
    "Prescribing": "Prescr WP", "Health inequalities": "Health Ineq WP",
    "Overall core": "Final WP", "Primary medical care": "Final PMC WP",
    "Primary medical care need": "Primary Medical Care WP",
}  # fmt: skip


def independent(year: str) -> dict[str, dict[str, str]]:
    name = f"gp_practice_weighted_populations_{year.replace('/', '_')}.csv"
    text = (resources.files("onebudget") / "data" / name).read_text(encoding="utf-8-sig")
    rows = list(csv.DictReader(text.splitlines()))
    icb_col = "ICB" if "ICB" in rows[0] else "ICS22"
    pop_col = "Population" if "Population" in rows[0] else "pop 2022/23"
    sums: dict[str, dict[str, Fraction]] = {}
    for r in rows:
        for group in (r[icb_col], "England"):
            s = sums.setdefault(group, {c: Fraction(0) for c in [pop_col, *COLUMNS.values()]})
            for c in s:
                s[c] += Fraction(r[c] or "0")
    england = sums.pop("England")
    out = {}
    for icb, s in sums.items():
        out[icb] = {}
        for index, column in COLUMNS.items():
            ratio = (s[column] / s[pop_col]) / (england[column] / england[pop_col])
            exact = Decimal(ratio.numerator) / Decimal(ratio.denominator)
            out[icb][index] = str(exact.quantize(Decimal("0.001"), ROUND_HALF_UP))
    return out


@pytest.mark.parametrize("year", YEARS)
def test_every_icb_in_every_year_matches_an_independent_computation(year: str) -> None:
    expected = independent(year)
    assert len(expected) == 42
    for icb, indices in expected.items():
        assert {k: str(v) for k, v in icb_indices(year, icb).items()} == indices, icb
