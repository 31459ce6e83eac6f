"""Synthetic finance extracts: reproducible, whole financial years, and flows that reconcile.

The Section 75 contributions and recharges must match to the penny across the two ledgers,
and the pooled fund's NHS contributions must equal the ICB's Section 75 lines, because later
engines eliminate exactly those flows so no pound is counted twice.
"""

from __future__ import annotations

import csv
import dataclasses
import re
import zipfile
from collections import defaultdict
from decimal import Decimal
from pathlib import Path

import pytest
from python_calamine import CalamineWorkbook

from onebudget.money import D
from onebudget.population.synth.ledgers import FinancePlace, write_finance_extracts

PLACE = FinancePlace(
    name="Fernmouth",
    council_code="E06099001",
    council_name="Fernmouth Council",
    icb_code="QZZ",
    icb_name="NHS Fernmouth and Westvale Integrated Care Board",
    population=260_000,
    persons_65_plus=52_000,
)
YEARS = {"first_year": 2023, "last_year": 2025}
TWO_DECIMALS = re.compile(r"-?\d+\.\d{2}")
FILES = [
    "ledgers/README.md",
    "ledgers/council_gl_E06099001.csv",
    "ledgers/icb_gl_QZZ.xlsx",
    "pooled_fund/agreement_2023-24.yaml",
    "pooled_fund/agreement_2024-25.yaml",
    "pooled_fund/agreement_2025-26.yaml",
    "pooled_fund/monthly_actuals.csv",
]


def _write(out: Path, place: FinancePlace = PLACE, seed: int = 7, **years: int) -> list[Path]:
    return write_finance_extracts(out, place, seed=seed, **(years or YEARS))


@pytest.fixture(scope="module")
def out(tmp_path_factory: pytest.TempPathFactory) -> Path:
    root = tmp_path_factory.mktemp("finance")
    _write(root)
    return root


def _csv(path: Path) -> list[dict[str, str]]:
    with path.open(encoding="utf-8", newline="") as handle:
        return list(csv.DictReader(handle))


def _council(out: Path) -> list[dict[str, str]]:
    return _csv(out / "ledgers/council_gl_E06099001.csv")


def _pooled(out: Path) -> list[dict[str, str]]:
    return _csv(out / "pooled_fund/monthly_actuals.csv")


def _icb(out: Path) -> list[dict[str, object]]:
    """The ICB workbook's rows below its header, skipping the title rows above it."""
    sheet = CalamineWorkbook.from_path(out / "ledgers/icb_gl_QZZ.xlsx").get_sheet_by_name(
        "GL Extract"
    )
    rows = sheet.to_python()
    header = next(i for i, row in enumerate(rows) if row[0] == "Entity")
    assert header > 0, "real NHS exports have title rows above the header"
    return [dict(zip(rows[header], row, strict=True)) for row in rows[header + 1 :]]


def _pounds(value: object) -> Decimal:
    assert isinstance(value, float)
    pence = value * 100
    assert abs(pence - round(pence)) < 1e-6, f"{value} is not a whole number of pence"
    return D(f"{value:.2f}")


def _shared(rows: list[dict[str, str]], column: str, prefix: str) -> dict[str, Decimal]:
    return {r[column]: D(r["Amount"]) for r in rows if r[column].startswith(prefix)}


def test_writes_the_three_extracts_and_a_readme(tmp_path: Path) -> None:
    paths = _write(tmp_path)
    assert paths == sorted(paths)
    assert [p.relative_to(tmp_path).as_posix() for p in paths] == FILES
    assert "S75-yyyy-mm" in (tmp_path / "ledgers/README.md").read_text(encoding="utf-8")


def test_same_seed_gives_identical_bytes(out: Path, tmp_path: Path) -> None:
    _write(tmp_path)
    for name in FILES:
        assert (tmp_path / name).read_bytes() == (out / name).read_bytes(), name
    with zipfile.ZipFile(out / "ledgers/icb_gl_QZZ.xlsx") as book:
        assert {entry.date_time for entry in book.infolist()} == {(1980, 1, 31, 0, 0, 0)}
        assert b"2026-04-15T09:00:00Z" in book.read("docProps/core.xml")


def test_different_seeds_give_different_money(out: Path, tmp_path: Path) -> None:
    _write(tmp_path, seed=8)
    for name in FILES[1:]:
        assert (tmp_path / name).read_bytes() != (out / name).read_bytes(), name


def test_whole_financial_years_april_to_march(out: Path) -> None:
    labels = {"2023/24", "2024/25", "2025/26"}
    council, pooled = _council(out), _pooled(out)
    assert {r["Financial Year"] for r in council} == labels == {r["financial_year"] for r in pooled}
    assert {r["Period"] for r in council} == {str(p) for p in range(1, 13)}
    first = next(r for r in pooled if r["period"] == "1")
    assert (first["financial_year"], first["month"]) == ("2023/24", "2023-04")
    assert pooled[-1]["month"] == "2026-03"
    for row in council:  # posting date inside the period's month
        _, month, year = row["Posting Date"].split("/")
        fy, period = int(row["Financial Year"][:4]), int(row["Period"])
        assert (int(month), int(year)) == ((period + 2) % 12 + 1, fy + (period > 9))
    months = [row["Month"] for row in _icb(out)]
    assert (months[0], months[-1], len(set(months))) == ("Apr-23", "Mar-26", 36)
    with pytest.raises(ValueError, match="after"):
        _write(out / "never", first_year=2025, last_year=2023)


def test_amounts_are_pounds_and_pence(out: Path) -> None:
    assert all(TWO_DECIMALS.fullmatch(r["Amount"]) for r in _council(out))
    money = ("annual_budget", "contribution", "budget", "actual", "forecast_outturn")
    assert all(TWO_DECIMALS.fullmatch(r[c]) for r in _pooled(out) for c in money)
    for row in _icb(out):
        _pounds(row["Actual (£)"])  # asserts a float that is a whole number of pence


def test_s75_and_recharges_match_to_the_penny(out: Path) -> None:
    council, icb = _council(out), _icb(out)
    for prefix in ("S75-", "RCH-"):
        mine = _shared(council, "Document Number", prefix)
        theirs = {str(r["Reference"]): _pounds(r["Actual (£)"]) for r in icb}
        theirs = {ref: amount for ref, amount in theirs.items() if ref.startswith(prefix)}
        assert len(mine) == 36
        assert mine == {ref: -amount for ref, amount in theirs.items()}
        assert all(amount > 0 for amount in theirs.values())
    s75 = [r for r in council if r["Document Number"] == "S75-2024-05"]
    assert [(r["Period"], r["Supplier/Customer"]) for r in s75] == [("2", PLACE.icb_name)]
    icb_s75 = [r for r in icb if r["Reference"] == "S75-2024-05"]
    assert [(r["Month"], r["Counterparty"]) for r in icb_s75] == [("May-24", PLACE.council_name)]


def test_pooled_nhs_contributions_equal_icb_s75_lines(out: Path) -> None:
    paid: dict[str, Decimal] = defaultdict(Decimal)
    for row in _pooled(out):
        if row["partner_code"] == PLACE.icb_code:
            paid[f"S75-{row['month']}"] += D(row["contribution"])
    s75 = {r["Reference"]: _pounds(r["Actual (£)"]) for r in _icb(out)}
    assert paid == {ref: amount for ref, amount in s75.items() if str(ref).startswith("S75-")}


def test_one_scheme_overspends_and_another_underspends(out: Path) -> None:
    outturn: dict[tuple[str, str], Decimal] = defaultdict(Decimal)
    budget: dict[tuple[str, str], Decimal] = {}
    for row in _pooled(out):
        key = (row["financial_year"], row["scheme_code"])
        outturn[key] += D(row["actual"])
        budget[key] = D(row["annual_budget"])
        if row["period"] == "12":
            assert D(row["forecast_outturn"]) == outturn[key]
    for year in ("2023/24", "2024/25", "2025/26"):
        assert outturn[year, "BCF03"] > budget[year, "BCF03"] * Decimal("1.04")
        assert outturn[year, "BCF07"] < budget[year, "BCF07"] * Decimal("0.9")


def _spend_per_head(out: Path, place: FinancePlace) -> tuple[Decimal, Decimal]:
    council = sum((D(r["Amount"]) for r in _council(out) if r["Amount"][0] != "-"), Decimal())
    icb = sum((_pounds(r["Actual (£)"]) for r in _icb(out)), Decimal())
    return council / place.population, icb / place.population


def test_money_is_plausible_and_scales_with_population(tmp_path: Path) -> None:
    double = dataclasses.replace(PLACE, population=520_000, persons_65_plus=104_000)
    _write(tmp_path / "one", first_year=2024, last_year=2024)
    _write(tmp_path / "two", double, first_year=2024, last_year=2024)
    council, icb = _spend_per_head(tmp_path / "one", PLACE)
    assert Decimal(450) < council < Decimal(700)  # social care, public health and the pool
    assert Decimal(1_800) < icb < Decimal(2_050)  # about £1,900 a head
    council_2, icb_2 = _spend_per_head(tmp_path / "two", double)
    assert abs(council_2 / council - 1) < Decimal("0.1")
    assert abs(icb_2 / icb - 1) < Decimal("0.1")


def test_the_agreement_validates_and_settles_its_own_monitoring_return(out: Path) -> None:
    from onebudget.funds.actuals import read_actuals
    from onebudget.funds.monitoring import year_end_outturn
    from onebudget.funds.settlement import settle
    from onebudget.funds.validation import read_agreement

    agreement = read_agreement(out / "pooled_fund/agreement_2024-25.yaml")
    read = read_actuals(out / "pooled_fund/monthly_actuals.csv", agreement)
    figures = read.figures
    assert read.left_out
    assert all(p.rule.endswith("left out") for p in read.left_out)
    assert len(figures) == 12 * len(agreement.schemes)
    result = settle(agreement, year_end_outturn(agreement, figures))
    assert {s.scheme for s in result.schemes} | {a.scheme for a in result.aligned} == {
        s.code for s in agreement.schemes
    }
