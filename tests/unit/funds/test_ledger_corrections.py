"""The library's correction rules: a reversal is the exact negation, a reversed key is
posted again as its next revision (dated in an open month), and a period is a real month
of the financial year."""

from __future__ import annotations

from datetime import date
from decimal import Decimal

from onebudget.funds.ledger import (
    Ledger,
    Posting,
    Transaction,
    as_revision,
    reversal_of,
    revision,
    revision_key,
)
from onebudget.funds.months import correction_day, period_problem, year_periods

D = Decimal
END = date(2026, 4, 1)
SPEND = Transaction(
    "actual:BCF01:2025-06",
    date(2025, 6, 30),
    "Actual spend, BCF01, June 2025",
    (Posting("BCF01:expenditure", D("120.50")), Posting("bank", D("-120.50"))),
)


def test_a_reversal_is_the_exact_negation_pointing_at_its_original() -> None:
    undo = reversal_of(SPEND, key="r1", on=date(2026, 1, 31))
    assert undo.reverses == SPEND.key
    assert undo.postings == (
        Posting("BCF01:expenditure", D("-120.50")),
        Posting("bank", D("120.50")),
    )
    assert undo.description == f"Reversal of {SPEND.key}: {SPEND.description}"
    books = Ledger()
    assert books.post(SPEND) == []
    assert books.post(undo) == []
    assert books.balances() == {}
    again = Ledger()
    again.post(SPEND)
    assert again.reverse(SPEND.key, on=undo.on, new_key="r1") == []
    assert again.get("r1") == undo  # the ledger's own reverse builds the same transaction


def test_revision_keys_round_trip() -> None:
    assert revision("actual:BCF01:2025-06") == ("actual:BCF01:2025-06", 1)
    assert revision_key("actual:BCF01:2025-06", 1) == "actual:BCF01:2025-06"
    assert revision(revision_key("actual:BCF01:2025-06", 3)) == ("actual:BCF01:2025-06", 3)
    assert revision("odd#key#x") == ("odd#key#x", 1)


def test_a_corrected_figure_takes_the_next_revision_once_the_last_is_reversed() -> None:
    corrected = Transaction(
        SPEND.key,
        SPEND.on,
        SPEND.description,
        (Posting("BCF01:expenditure", D("99.00")), Posting("bank", D("-99.00"))),
    )
    assert as_revision(corrected, [], set(), closed=set(), end=END) == corrected
    # the posted figure stands: the same key and date, so the ledger compares the content
    standing = as_revision(corrected, [SPEND], set(), closed={"2025-06"}, end=END)
    assert (standing.key, standing.on) == (SPEND.key, SPEND.on)
    # reversed: the next revision, in the first open month after June
    closed = {"2025-06", "2025-07"}
    second = as_revision(corrected, [SPEND], {SPEND.key}, closed=closed, end=END)
    assert second.key == "actual:BCF01:2025-06#2"
    assert second.on == date(2025, 8, 31)
    assert second.postings == corrected.postings
    # and once #2 is posted, it is the one compared against
    later = as_revision(corrected, [SPEND, second], {SPEND.key}, closed=closed, end=END)
    assert (later.key, later.on) == (second.key, second.on)
    third = as_revision(corrected, [SPEND, second], {SPEND.key, second.key}, closed=set(), end=END)
    assert third.key == "actual:BCF01:2025-06#3"
    assert third.on == SPEND.on  # June is open again in this ledger: its own day


def test_a_correction_goes_in_its_own_month_if_open_else_the_next_open_one() -> None:
    assert correction_day(date(2026, 2, 10), set(), END) == date(2026, 2, 10)
    closed = set(year_periods(2025)[:9])  # April to December
    assert correction_day(date(2025, 6, 30), closed, END) == date(2026, 1, 31)
    assert correction_day(date(2025, 11, 15), {"2025-11", "2025-12", "2026-01"}, END) == date(
        2026, 2, 28
    )
    assert correction_day(date(2026, 3, 31), {"2026-03"}, END) is None
    assert correction_day(date(2025, 4, 30), set(year_periods(2025)), END) is None


def test_a_period_is_a_month_of_the_year_written_yyyy_mm() -> None:
    assert year_periods(2025)[0] == "2025-04"
    assert year_periods(2025)[-1] == "2026-03"
    assert len(year_periods(2025)) == 12
    for good in ("2025-04", "2025-12", "2026-01", "2026-03"):
        assert period_problem(good, 2025) is None
    for bad in ("not-a-month", "2026-13", "2026-00", "2026-1", " 2026-01", "2026-01\n", ""):
        assert period_problem(bad, 2025) == "Enter the month as YYYY-MM, for example 2026-01"
    long = "2" * 5000
    message = period_problem(long, 2025)
    assert message is not None
    assert long[:20] not in message  # never repeated back
    outside = period_problem("2026-04", 2025)
    assert outside == "2026-04 is not a month of this year: choose April 2025 to March 2026"
    assert period_problem("2025-03", 2025) is not None
