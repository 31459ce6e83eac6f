"""Synthetic finance extracts for one place: two general ledgers and a pooled fund's actuals.

Later engines import general ledgers and must find each pound of health and care spend once.
So the ICB's Section 75 contributions to the council-hosted pooled fund, and the council's
recharges to the ICB, appear in both ledgers under a shared reference, to the penny, and the
pooled fund's NHS contributions add up to the ICB's Section 75 lines month by month.

Money is scaled from national per-head figures for 2024/25 (adult social care about £470 a
head, ICB allocation about £1,900, Better Care Fund NHS minimum about £97), grown 4% a year.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from decimal import Decimal
from pathlib import Path

import numpy as np

from onebudget.money import ZERO, D, allocate, from_pence
from onebudget.population.reference import england_population
from onebudget.population.synth import ledger_layouts as lay
from onebudget.population.synth.agreements import write_agreements
from onebudget.population.synth.ledger_layouts import CostCentre, FinanceMonth, LedgerLine

ENGLAND_PERSONS = int(england_population().sum())  # ONS mid-2023
ENGLAND_65_PLUS = int(england_population()[65:].sum())
BASE_YEAR = 2024  # the financial year the per-head rates describe
GROWTH = Decimal("1.04")
NHS_SHARE_OF_JOINT_PACKAGES = 45  # percent of jointly funded packages the ICB refunds
COUNCIL, ICB, POOL = 1, 2, 3  # random streams, so each part is stable whatever else changes


@dataclass(frozen=True, slots=True)
class FinancePlace:
    name: str
    council_code: str
    council_name: str
    icb_code: str
    icb_name: str
    population: int
    persons_65_plus: int

    def __post_init__(self) -> None:
        if self.population <= 0 or not 0 <= self.persons_65_plus <= self.population:
            raise ValueError("a place needs people, and no more aged 65+ than in all")


def write_finance_extracts(
    out_dir: Path, place: FinancePlace, *, first_year: int, last_year: int, seed: int
) -> list[Path]:
    """Write the council's and the ICB's general-ledger extracts and the pooled fund's monthly
    actuals under out_dir; return the paths written (sorted)."""
    years = financial_years(first_year, last_year)
    pooled = _pooled_fund(place, years, seed)
    council = _operating_lines(lay.COUNCIL_CENTRES, place, years, [seed, COUNCIL])
    council += _scheme_spend(place, pooled, pooled=True)
    icb = _operating_lines(lay.ICB_CENTRES, place, years, [seed, ICB])
    icb += _scheme_spend(place, pooled, pooled=False)
    for to_council, to_icb in _s75_pairs(place, pooled) + _recharge_pairs(place, council):
        council.append(to_council)
        icb.append(to_icb)
    ledgers = out_dir / "ledgers"
    paths = [
        lay.write_council_csv(ledgers / f"council_gl_{place.council_code}.csv", council),
        _write_icb(ledgers / f"icb_gl_{place.icb_code}.xlsx", icb, place, years),
        lay.write_pooled_csv(out_dir / "pooled_fund" / "monthly_actuals.csv", pooled),
        *write_agreements(out_dir / "pooled_fund", place, pooled),
        _write_readme(ledgers / "README.md", place),
    ]
    return sorted(paths)


def financial_years(first_year: int, last_year: int) -> dict[int, list[FinanceMonth]]:
    """The whole April-to-March years starting in first_year..last_year, by starting year."""
    if first_year > last_year:
        raise ValueError(f"first year {first_year} is after last year {last_year}")
    return {
        fy: [FinanceMonth(fy, period) for period in range(1, 13)]
        for fy in range(first_year, last_year + 1)
    }


def _annual_pence(
    rng: np.random.Generator, per_head: int, older: bool, place: FinancePlace, year: int
) -> int:
    """A year's money for a line: per head of its population, grown, and wobbled by ±2%."""
    heads = place.population
    if older:  # people aged 65+, weighted so England's share of them gives the national rate
        heads = place.persons_65_plus * ENGLAND_PERSONS // ENGLAND_65_PLUS
    wobble = int(rng.integers(9_800, 10_201))
    grown = Decimal(per_head * 100 * heads * wobble) / 10_000 * GROWTH ** (year - BASE_YEAR)
    return int(grown)


def _profile(rng: np.random.Generator, winter: bool = False) -> list[int]:
    """Monthly weights: about even with noise, heavier November to March for winter schemes."""
    season = np.array([100 + (12 if winter and period >= 8 else 0) for period in range(1, 13)])
    noise = rng.normal(1.0, 0.04, 12).clip(0.85, 1.15)
    return [int(weight) for weight in np.rint(season * noise * 100)]


def _operating_lines(
    centres: tuple[CostCentre, ...],
    place: FinancePlace,
    years: dict[int, list[FinanceMonth]],
    stream: list[int],
) -> list[LedgerLine]:
    """Each cost centre's monthly spend, split across its counterparties."""
    lines: list[LedgerLine] = []
    for year, months in years.items():
        for index, centre in enumerate(centres):
            rng = np.random.default_rng([*stream, year, index])
            annual = _annual_pence(rng, centre.per_head, centre.older_people, place, year)
            monthly = allocate(from_pence(annual), _profile(rng))
            shares = [int(s) for s in rng.integers(40, 100, len(centre.counterparties))]
            for month, gross in zip(months, monthly, strict=True):
                lines += _centre_month(rng, place, month, centre, gross, shares)
    return lines


def _centre_month(
    rng: np.random.Generator,
    place: FinancePlace,
    month: FinanceMonth,
    centre: CostCentre,
    gross: Decimal,
    shares: list[int],
) -> list[LedgerLine]:
    """One month of a cost centre: a line a counterparty, then any client contributions."""
    days = month.working_days()
    names = [name.format(place=place.name) for name in centre.counterparties]
    text = f"{centre.name} - {month.long}"
    lines = [
        LedgerLine(month, days[rng.integers(len(days))], centre, centre.account, text, part, name)
        for name, part in zip(names, allocate(gross, shares), strict=True)
    ]
    if centre.income_percent:
        paid = allocate(gross, [centre.income_percent, 100 - centre.income_percent])[0]
        text = f"Client contributions - {month.long}"
        income = LedgerLine(
            month, days[-1], centre, lay.CLIENT_INCOME, text, -paid, "Various service users"
        )
        lines.append(income)
    return lines


def _pooled_fund(
    place: FinancePlace, years: dict[int, list[FinanceMonth]], seed: int
) -> list[lay.SchemeMonth]:
    """Each scheme's budget, contributions, actuals and forecast outturn, month by month."""
    rows: list[lay.SchemeMonth] = []
    for year, months in years.items():
        for index, scheme in enumerate(lay.SCHEMES):
            rng = np.random.default_rng([seed, POOL, year, index])
            annual = _annual_pence(rng, scheme.per_head, scheme.older_people, place, year)
            budgets = allocate(from_pence(annual), _profile(rng, scheme.winter))
            outturn = annual * scheme.spend_percent * int(rng.integers(990, 1011)) // 100_000
            actuals = allocate(from_pence(outturn), _profile(rng, scheme.winter))
            paid = allocate(from_pence(annual), [1] * 12) if scheme.pooled else [ZERO] * 12
            partner = place.icb_code if scheme.nhs_funded else place.council_code
            forecasts = _forecasts(budgets, actuals)
            rows += [
                lay.SchemeMonth(month, scheme, partner, from_pence(annual), *money)
                for month, *money in zip(months, paid, budgets, actuals, forecasts, strict=True)
            ]
    return rows


def _forecasts(budgets: list[Decimal], actuals: list[Decimal]) -> list[Decimal]:
    """Forecast outturn at each month: spend so far, plus the rest of the budget at the run rate."""
    forecasts = []
    for period in range(1, 13):
        spent, planned = sum(actuals[:period], ZERO), sum(budgets[:period], ZERO)
        rate = spent / planned if planned else Decimal(1)
        forecasts.append(D(spent + sum(budgets[period:], ZERO) * rate))
    return forecasts


def _scheme_spend(
    place: FinancePlace, rows: list[lay.SchemeMonth], *, pooled: bool
) -> list[LedgerLine]:
    """Pooled schemes are spent through the council's pool; aligned ones stay with the ICB."""
    centre = lay.COUNCIL_POOL if pooled else lay.ICB_ALIGNED
    return [
        LedgerLine(
            r.month,
            r.month.working_days()[-1],
            centre,
            centre.account,
            f"{r.scheme.code} {r.scheme.name} - {r.month.long}",
            r.actual,
            r.scheme.provider.format(place=place.name),
        )
        for r in rows
        if r.scheme.pooled is pooled
    ]


Pair = tuple[LedgerLine, LedgerLine]


def _pair(
    place: FinancePlace, charge: lay.CrossCharge, month: FinanceMonth, amount: Decimal
) -> Pair:
    """The council's income line and the ICB's matching expenditure line, one reference."""
    reference, day = f"{charge.prefix}-{month.iso}", month.working_days()[0]
    text = f"{charge.description} - {month.long}"
    return (
        LedgerLine(
            month,
            day,
            charge.council_centre,
            charge.council_account,
            text,
            -amount,
            place.icb_name,
            reference,
        ),
        LedgerLine(
            month,
            day,
            charge.icb_centre,
            charge.icb_account,
            text,
            amount,
            place.council_name,
            reference,
        ),
    )


def _s75_pairs(place: FinancePlace, rows: list[lay.SchemeMonth]) -> list[Pair]:
    """The ICB pays its pooled contributions to the host council in monthly instalments."""
    due: dict[FinanceMonth, Decimal] = {}
    for row in rows:
        if row.scheme.nhs_funded:
            due[row.month] = due.get(row.month, ZERO) + row.contribution
    return [_pair(place, lay.S75, month, amount) for month, amount in due.items()]


def _recharge_pairs(place: FinancePlace, council: list[LedgerLine]) -> list[Pair]:
    """The council recharges the ICB its share of each month's jointly funded packages."""
    gross: dict[FinanceMonth, Decimal] = {}
    for line in council:
        if line.centre == lay.RECHARGE.council_centre and line.amount > 0:
            gross[line.month] = gross.get(line.month, ZERO) + line.amount
    share = [NHS_SHARE_OF_JOINT_PACKAGES, 100 - NHS_SHARE_OF_JOINT_PACKAGES]
    return [_pair(place, lay.RECHARGE, m, allocate(g, share)[0]) for m, g in gross.items()]


def _write_icb(
    path: Path, lines: list[LedgerLine], place: FinancePlace, years: dict[int, list[FinanceMonth]]
) -> Path:
    """The ICB's workbook, its title rows and created date fixed by the years extracted."""
    first, last = min(years), max(years)
    made = datetime(last + 1, 4, 15, 9, 0, 0)  # a fortnight after the last year ends
    titles = (
        f"{place.icb_name} ({place.icb_code})",
        f"General Ledger Extract - Actuals - M01 {first}/{(first + 1) % 100:02d} to "
        f"M12 {last}/{(last + 1) % 100:02d}",
        f"Run date {made:%d/%m/%Y} - values in pounds sterling",
    )
    return lay.write_icb_workbook(path, lines, place.icb_code, titles, made)


def _write_readme(path: Path, place: FinancePlace) -> Path:
    layouts = (lay.COUNCIL_COLUMNS, lay.ICB_COLUMNS, lay.POOLED_COLUMNS)
    cols, icb, pool = (", ".join(f"`{name}`" for name in layout) for layout in layouts)
    text = README.format(p=place, cols=cols, icb=icb, pool=pool)
    path.write_text(text, encoding="utf-8")
    return path


README = """# Synthetic finance extracts for {p.name}

Generated by `onebudget.population.synth.ledgers`: synthetic, not real accounts.

`council_gl_{p.council_code}.csv` is {p.council_name}'s general ledger, one row a posting,
in a local-authority layout. Amounts are pounds to two decimals, positive for expenditure and
negative for income; posting dates are dd/mm/yyyy; periods run 1 (April) to 12 (March).
Columns: {cols}.

`icb_gl_{p.icb_code}.xlsx` is {p.icb_name}'s general ledger, sheet `GL Extract`: three
title rows and a blank row above the header. Months read `Apr-24`; debits are positive.
Columns: {icb}.

`../pooled_fund/monthly_actuals.csv` is the Better Care Fund pooled fund's monitoring return,
one row a financial year, month and scheme. `contribution` is what the funding partner paid
into the pool that month; the forecast outturn is for the whole year, made that month.
Columns: {pool}.

Section 75 contributions (references `S75-yyyy-mm`) and recharges for jointly funded care
packages (`RCH-yyyy-mm`) appear in both ledgers with the same amount and reference: as
expenditure in the ICB's ledger and as income in the council's. Eliminate them once.
"""
