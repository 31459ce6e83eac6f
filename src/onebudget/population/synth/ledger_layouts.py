"""What the synthetic finance extracts hold and how each is laid out on disk.

The council's ledger, the ICB's ledger and the pooled fund's return deliberately use three
different layouts (a local-authority CSV, an NHS-style workbook with title rows, a tidy
monitoring return), because the import engines must cope with exactly that variety.
"""

from __future__ import annotations

import calendar
import csv
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import datetime
from decimal import Decimal
from pathlib import Path

import xlsxwriter

from onebudget.periods import month_start, year_label

MONTHS = ("Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec")


@dataclass(frozen=True, slots=True, order=True)
class FinanceMonth:
    """A month of an April-to-March financial year; period 1 is April, period 12 March."""

    financial_year: int  # the calendar year the financial year starts in
    period: int

    @property
    def year(self) -> int:
        return month_start(self.financial_year, self.period).year

    @property
    def month(self) -> int:
        return month_start(self.financial_year, self.period).month

    @property
    def label(self) -> str:
        return year_label(self.financial_year)

    @property
    def iso(self) -> str:
        return f"{self.year}-{self.month:02d}"

    @property
    def short(self) -> str:  # "Apr-24", as NHS ledgers label months (not locale-dependent)
        return f"{MONTHS[self.month - 1]}-{self.year % 100:02d}"

    @property
    def long(self) -> str:
        return f"{MONTHS[self.month - 1]} {self.year}"

    def working_days(self) -> list[int]:
        length = calendar.monthrange(self.year, self.month)[1]
        days = range(1, length + 1)
        return [d for d in days if calendar.weekday(self.year, self.month, d) < 5]


@dataclass(frozen=True, slots=True)
class Account:
    code: str
    name: str


@dataclass(frozen=True, slots=True)
class CostCentre:
    """A cost centre and its main account; ``per_head`` is pounds a year in the base year."""

    code: str
    name: str
    account: Account
    per_head: int = 0
    older_people: bool = False  # scales with people aged 65+ rather than everyone
    counterparties: tuple[str, ...] = ()  # "{place}" is replaced by the place's name
    income_percent: int = 0  # client contributions, as a share of gross spend


@dataclass(frozen=True, slots=True)
class Scheme:
    """A Better Care Fund scheme; ``spend_percent`` is its expected outturn against budget."""

    code: str
    name: str
    scheme_type: str  # BCF planning template scheme types
    pooled: bool
    nhs_funded: bool
    per_head: int
    spend_percent: int
    provider: str
    older_people: bool = False
    winter: bool = False


@dataclass(frozen=True, slots=True)
class CrossCharge:
    """Money that leaves one partner's ledger and lands in the other's under one reference."""

    prefix: str
    council_centre: CostCentre
    council_account: Account
    icb_centre: CostCentre
    icb_account: Account
    description: str


@dataclass(frozen=True, slots=True)
class LedgerLine:
    month: FinanceMonth
    day: int
    centre: CostCentre
    account: Account
    description: str
    amount: Decimal  # positive = expenditure (debit), negative = income (credit)
    counterparty: str
    reference: str = ""  # shared across both ledgers for Section 75 flows and recharges


@dataclass(frozen=True, slots=True)
class SchemeMonth:
    month: FinanceMonth
    scheme: Scheme
    partner_code: str
    annual_budget: Decimal
    contribution: Decimal  # paid into the pool this month by the funding partner
    budget: Decimal
    actual: Decimal
    forecast_outturn: Decimal


C, A = CostCentre, Account
CARE_HOMES = ("Harbourside Care Ltd", "Oakleigh Residential Homes Ltd", "Meadowbank Healthcare Ltd")
HOME_CARE = ("Brightwater Home Care Ltd", "Kindly Home Support CIC", "Northgate Domiciliary Ltd")
PAYROLL = ("Payroll",)
CLIENT_INCOME = A("9110", "Client Contributions - Charging Income")
COUNCIL_CENTRES = (
    C("ASC110", "Residential Care - Older People 65+", A("5410", "Residential Care - Independent"),
      66, True, CARE_HOMES, 30),
    C("ASC120", "Nursing Care - Older People 65+", A("5420", "Nursing Care - Independent"),
      38, True, (*CARE_HOMES[1:], "St Aidan's Nursing Home Ltd"), 22),
    C("ASC130", "Home Care", A("5430", "Domiciliary Care - Independent"), 55, False, HOME_CARE, 12),
    C("ASC140", "Supported Living", A("5440", "Supported Living - Independent"), 72, False,
      ("Pathways Supported Living Ltd", "{place} Independent Living Trust"), 5),
    C("ASC150", "Direct Payments", A("5450", "Direct Payments to Service Users"), 40, False,
      ("Direct payment recipients (various)",)),
    C("ASC160", "Reablement Service", A("1010", "Salaries - Basic Pay"), 12, False, PAYROLL),
    C("ASC170", "Assessment and Care Management", A("1010", "Salaries - Basic Pay"), 40, False,
      PAYROLL),
    C("ASC180", "Jointly Funded Care Packages", A("5460", "Care Packages - Jointly Funded"), 20,
      False, ("Meadowbank Healthcare Ltd", "Pathways Supported Living Ltd")),
    C("PH300", "Public Health - Commissioned Services", A("5510", "Contracted Services"), 63,
      False, ("{place} Sexual Health Service", "Renew Drug and Alcohol Service CIC",
              "{place} Community Health Services NHS Trust")),
)  # fmt: skip
NHS_TRUST = A("521120", "Healthcare Purchased - NHS Trusts")
LA_PURCHASE = A("521310", "Healthcare Purchased - Local Authorities")
ICB_CENTRES = (
    C("601100", "Acute Services", A("521110", "Healthcare Purchased - NHS Foundation Trusts"), 880,
      False, ("{place} Hospitals NHS Foundation Trust", "Regional Specialist Hospitals NHS FT")),
    C("601200", "Community Health Services", NHS_TRUST, 150, False,
      ("{place} Community Health Services NHS Trust",)),
    C("601300", "Mental Health Services", NHS_TRUST, 220, False,
      ("{place} and District Mental Health NHS Trust",)),
    C("601400", "Continuing Healthcare", A("521210", "Healthcare Purchased - Independent Sector"),
      95, True, CARE_HOMES),
    C("601500", "Prescribing", A("521410", "Prescribing - Primary Care"), 185, False,
      ("NHS Business Services Authority",)),
    C("601600", "Primary Care - Delegated GP Services", A("521510", "Primary Care - GMS/PMS/APMS"),
      175, False, ("{place} Central PCN", "{place} North PCN", "{place} Coastal PCN")),
    C("601700", "Ambulance and NHS 111", NHS_TRUST, 70, False,
      ("Regional Ambulance Service NHS Trust",)),
    C("609100", "ICB Running Costs", A("511010", "Staff Costs - Salaries"), 18, False, PAYROLL),
)  # fmt: skip
COUNCIL_POOL = C(
    "BCF900", "Better Care Fund Pooled Budget (S75)", A("5470", "BCF Scheme Expenditure")
)
ICB_ALIGNED = C("608200", "Better Care Fund - Aligned Services", NHS_TRUST)
S75 = CrossCharge(
    "S75", COUNCIL_POOL, A("9310", "Income - NHS Section 75 Contributions"),
    C("608100", "Better Care Fund - Section 75 Pooled Budget", LA_PURCHASE), LA_PURCHASE,
    "Section 75 pooled fund contribution",
)  # fmt: skip
RECHARGE = CrossCharge(
    "RCH", COUNCIL_CENTRES[7], A("9320", "Income - Recharges to NHS Bodies"),
    ICB_CENTRES[3], LA_PURCHASE, "NHS share of jointly funded care packages",
)  # fmt: skip
S = Scheme
SCHEMES = (  # the six NHS-funded schemes add up to the NHS minimum contribution (~£97 a head)
    S("BCF01", "Reablement and Intermediate Care at Home", "Home-based intermediate care services",
      True, True, 22, 100, "{place} Council Reablement Service"),
    S("BCF02", "Home Care Capacity", "Home care or domiciliary care", True, True, 24, 101,
      HOME_CARE[0]),
    S("BCF03", "Care Home Placements", "Residential placements", True, True, 14, 109, CARE_HOMES[0],
      older_people=True),
    S("BCF04", "Carers Support", "Carers services", True, True, 5, 98, "{place} Carers Together"),
    S("BCF05", "Urgent Community Response", "Urgent community response", False, True, 18, 100,
      "{place} Community Health Services NHS Trust", winter=True),
    S("BCF06", "Hospital Discharge Support",
      "High impact change model for managing transfer of care", False, True, 14, 100,
      "{place} Community Health Services NHS Trust", winter=True),
    S("BCF07", "Disabled Facilities Grant", "DFG related schemes", True, False, 12, 78,
      "{place} Home Improvement Agency"),
    S("BCF08", "Social Care Market Sustainability (iBCF)", "Workforce recruitment and retention",
      True, False, 37, 100, HOME_CARE[1]),
    S("BCF09", "Local Authority Discharge Fund", "Bed based intermediate care services", True,
      False, 9, 103, CARE_HOMES[1], winter=True),
)  # fmt: skip
COUNCIL_COLUMNS = (
    "Financial Year", "Period", "Posting Date", "Cost Centre", "Cost Centre Name",
    "Subjective Code", "Subjective Name", "Description", "Amount", "Supplier/Customer",
    "Document Number",
)  # fmt: skip
ICB_COLUMNS = (
    "Entity", "Cost Centre", "Cost Centre Description", "Account", "Account Description",
    "Month", "Actual (£)", "Counterparty", "Reference",
)  # fmt: skip
POOLED_COLUMNS = (
    "financial_year", "period", "month", "scheme_code", "scheme_name", "scheme_type",
    "pooled_or_aligned", "partner_code", "annual_budget", "contribution", "budget", "actual",
    "forecast_outturn",
)  # fmt: skip


def _in_ledger_order(lines: Iterable[LedgerLine]) -> list[LedgerLine]:
    """Period, then cost centre, then account, as finance systems export; zero lines dropped."""
    kept = [line for line in lines if line.amount]
    return sorted(kept, key=lambda x: (x.month, x.centre.code, x.account.code, x.day))


def write_council_csv(path: Path, lines: Iterable[LedgerLine]) -> Path:
    path.parent.mkdir(parents=True, exist_ok=True)
    with path.open("w", newline="", encoding="utf-8") as handle:
        out = csv.writer(handle, lineterminator="\n")
        out.writerow(COUNCIL_COLUMNS)
        for number, x in enumerate(_in_ledger_order(lines), start=4_100_001):
            m = x.month
            document = x.reference or f"{'AR' if x.amount < 0 else 'AP'}{number}"
            when = f"{x.day:02d}/{m.month:02d}/{m.year}"
            out.writerow((m.label, m.period, when, x.centre.code, x.centre.name, x.account.code,
                          x.account.name, x.description, f"{x.amount:.2f}", x.counterparty,
                          document))  # fmt: skip
    return path


def write_icb_workbook(
    path: Path, lines: Iterable[LedgerLine], entity: str, titles: Sequence[str], made: datetime
) -> Path:
    """An NHS-style extract: title rows, a blank row, then the header and one row a line."""
    path.parent.mkdir(parents=True, exist_ok=True)
    book = xlsxwriter.Workbook(str(path))
    book.set_properties({"title": titles[0], "author": "OneBudget", "created": made})
    sheet = book.add_worksheet("GL Extract")
    bold, money = book.add_format({"bold": True}), book.add_format({"num_format": "#,##0.00"})
    for row, title in enumerate(titles):
        sheet.write_string(row, 0, title, bold)
    header = len(titles) + 1
    sheet.write_row(header, 0, ICB_COLUMNS, bold)
    row = header
    for row, x in enumerate(_in_ledger_order(lines), start=header + 1):
        centre, account = x.centre, x.account
        sheet.write_row(row, 0, (entity, centre.code, centre.name, account.code, account.name))
        sheet.write_string(row, 5, x.month.short)
        sheet.write(row, 6, x.amount, money)  # a Decimal, written exactly (":.16G")
        sheet.write_row(row, 7, (x.counterparty, x.reference or f"INV{row:08d}"))
    sheet.freeze_panes(header + 1, 0)
    sheet.autofilter(header, 0, row, len(ICB_COLUMNS) - 1)
    sheet.set_column(0, len(ICB_COLUMNS) - 1, 18)
    book.close()
    return path


def write_pooled_csv(path: Path, rows: Iterable[SchemeMonth]) -> Path:
    path.parent.mkdir(parents=True, exist_ok=True)
    with path.open("w", newline="", encoding="utf-8") as handle:
        out = csv.writer(handle, lineterminator="\n")
        out.writerow(POOLED_COLUMNS)
        for r in rows:
            kind = "pooled" if r.scheme.pooled else "aligned"
            money = (r.annual_budget, r.contribution, r.budget, r.actual, r.forecast_outturn)
            head = (r.month.label, r.month.period, r.month.iso, r.scheme.code, r.scheme.name)
            tail = (r.scheme.scheme_type, kind, r.partner_code)
            out.writerow((*head, *tail, *(f"{m:.2f}" for m in money)))
    return path
