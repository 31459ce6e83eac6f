"""The spend page a financial year at a time: the year shown and why, every figure of that
year only (page and workbook), the years side by side with partners' names, and what each
"per head" divides by. Expected figures are summed here from the ledgers by their months,
not by the code under test."""

from __future__ import annotations

from datetime import date
from decimal import Decimal
from html import unescape
from io import BytesIO
from pathlib import Path

import pytest
from python_calamine import CalamineWorkbook

from onebudget.figures import count, pounds
from onebudget.io.tables import read_table
from onebudget.money import ZERO
from onebudget.spend.engine import identify
from onebudget.spend.mapping import EXAMPLES, ledger_lines, read_mapping
from onebudget_web.accounts.models import User
from onebudget_web.demo.loader import load_demo_spend
from onebudget_web.spend import pages, selectors
from tests.web.conftest import demo_dataset_from

COUNCIL, ICB = "E06099001", "QZZ"
NAMES = {COUNCIL: "Fernmouth Council", ICB: "NHS Fernmouth and Westvale Integrated Care Board"}


@pytest.fixture
def spend_place(db, demo_folders, monkeypatch: pytest.MonkeyPatch):
    """The demo place's two ledgers (April 2023 to March 2026), seen on 2 December 2026:
    2026/27 has no lines, so the latest year, 2025/26, is shown by default."""
    dataset = demo_dataset_from(demo_folders(2000))
    assert load_demo_spend(dataset) == 2
    monkeypatch.setattr(pages, "today", lambda: date(2026, 12, 2))
    return dataset


def mapped_by_partner(folder: Path, first: str, last: str) -> dict[str, Decimal]:
    """Money mapped to services in the months ``first`` to ``last`` (yyyy-mm), by partner,
    from the ledgers' lines filtered here by month."""
    lines, rules = [], {}
    for code in (COUNCIL, ICB):
        mapping = read_mapping(Path(str(EXAMPLES)) / f"{code}.yaml")
        table = read_table(
            folder / "ledgers" / mapping.file, sheet=mapping.sheet, header_row=mapping.header_row
        )
        lines += ledger_lines(table, mapping)
        rules[code] = mapping.rules
    view = identify([x for x in lines if first <= x.month <= last], rules)
    found = dict.fromkeys((COUNCIL, ICB), ZERO)
    for (_, partner, _), amount in view.totals.items():
        found[partner] += amount
    return found


def page(client, url: str = "/places/fernmouth/spend/") -> str:
    client.force_login(User.objects.get(username="viewer"))
    response = client.get(url)
    assert response.status_code == 200
    return str(response.content.decode())


def test_the_latest_year_is_shown_by_default_and_says_so(client, spend_place) -> None:
    text = page(client)
    assert "Showing 2025/26, the latest year in the ledgers." in text
    assert "It runs from 1 April 2025 to 31 March 2026." in text
    assert "<h1>Spend on health and care, 2025/26</h1>" in text
    for heading in ("By service", "Per head", "Pooled, aligned and in view"):
        assert f"<h2>{heading}, 2025/26</h2>" in text
    assert "<h2>Reconciliation to each ledger, 2025/26</h2>" in text
    year = mapped_by_partner(Path(spend_place.path), "2025-04", "2026-03")
    every = mapped_by_partner(Path(spend_place.path), "2023-04", "2026-03")
    assert f"Total mapped spend in 2025/26: <strong>{pounds(sum(year.values()))}</strong>" in text
    assert pounds(sum(every.values())) not in text  # every year added together: no period
    assert text.count('<td class="nhsuk-table__cell">yes</td>') == 2
    assert '<option value="2025" selected>2025/26</option>' in text
    assert "?format=xlsx&amp;year=2025" in text


def test_the_current_year_is_shown_when_the_ledgers_have_it(client, spend_place, monkeypatch):
    monkeypatch.setattr(pages, "today", lambda: date(2025, 3, 31))  # still 2024/25
    text = page(client)
    assert "Showing 2024/25, the current financial year." in text
    year = mapped_by_partner(Path(spend_place.path), "2024-04", "2025-03")
    assert f"Total mapped spend in 2024/25: <strong>{pounds(sum(year.values()))}</strong>" in text


@pytest.mark.parametrize("asked", ["2023", "2023/24", "2023-24"])
def test_a_year_chosen_is_shown_with_its_own_figures(client, spend_place, asked: str) -> None:
    text = page(client, f"/places/fernmouth/spend/?year={asked}")
    assert "Showing 2023/24, the year chosen." in text
    assert "<h2>By service, 2023/24</h2>" in text
    year = mapped_by_partner(Path(spend_place.path), "2023-04", "2024-03")
    assert f"Total mapped spend in 2023/24: <strong>{pounds(sum(year.values()))}</strong>" in text
    assert text.count('<td class="nhsuk-table__cell">yes</td>') == 2
    assert "nhsuk-error-message" not in text


@pytest.mark.parametrize(
    ("asked", "said"),
    [
        ("2019", "The ledgers have no lines in 2019/20: choose another year"),
        ("last+year", "Choose a financial year from the list"),
        ("2025/27", "Choose a financial year from the list"),
    ],
)
def test_a_year_that_cannot_be_shown_is_named_beside_the_field(
    client, spend_place, asked: str, said: str
) -> None:
    text = page(client, f"/places/fernmouth/spend/?year={asked}")
    assert f'<a href="#year">{said}</a>' in text  # the summary, linked to the field
    assert f'id="year-error"><span class="nhsuk-u-visually-hidden">Error:</span> {said}' in text
    assert "Showing 2025/26, the latest year in the ledgers." in text


def test_the_years_are_side_by_side_by_partner_name(client, spend_place) -> None:
    text = page(client)
    trend = text[text.index('id="trend"') : text.index("</table>", text.index('id="trend"'))]
    assert all(name in trend for name in NAMES.values())
    assert COUNCIL not in trend
    assert ICB not in trend
    folder = Path(spend_place.path)
    for label, first, last in (
        ("2023/24", "2023-04", "2024-03"),
        ("2024/25", "2024-04", "2025-03"),
        ("2025/26", "2025-04", "2026-03"),
    ):
        year = mapped_by_partner(folder, first, last)
        row = trend[trend.index(label) : trend.index("</tr>", trend.index(label))]
        assert pounds(year[COUNCIL]) in row, label
        assert pounds(year[ICB]) in row, label
        assert pounds(sum(year.values())) in row, label
    assert "<strong>2025/26</strong> (shown above)" in trend
    assert '<a href="?year=2023">2023/24</a>' in trend
    assert "3 financial years from 2023/24 to 2025/26" in text  # the chart's words


def test_each_per_head_figure_says_what_it_divides_by(client, spend_place) -> None:
    text = unescape(page(client, "/places/fernmouth/spend/?year=2024"))
    year = mapped_by_partner(Path(spend_place.path), "2024-04", "2025-03")
    total = sum(year.values())
    each = (total / 2000).quantize(Decimal("0.01"))
    assert f"<strong>{pounds(each)} a head</strong> in 2024/25: {pounds(total)}" in text
    assert (
        "<strong>Per head</strong> here is Fernmouth's part of the money mapped to services in "
        f"2024/25, divided by {count(2000)} people in the linked data"
    ) in text
    assert "counted on 1 January 2023, when the data start" in text
    assert "Per head (÷ 2,000 people)" in text  # the service table's column


def test_the_workbook_is_the_year_chosen_and_says_so(client, spend_place) -> None:
    client.force_login(User.objects.get(username="finance"))
    response = client.get("/places/fernmouth/spend/?format=xlsx&year=2023")
    assert "fernmouth-spend-2023-24.xlsx" in response["Content-Disposition"]
    book = CalamineWorkbook.from_filelike(BytesIO(response.content))
    assert book.sheet_names[0] == "About"
    assert book.sheet_names[-1] == "Spend for place"
    about = dict(book.get_sheet_by_name("About").to_python()[1:])
    assert about["Financial year"] == "2023/24"
    assert "divided by 2,000 people" in about["per_head (Spend for place)"]
    services = book.get_sheet_by_name("Spend by service").to_python()
    amount = services[0].index("amount")
    got = sum(Decimal(str(r[amount])) for r in services[1:])
    year = mapped_by_partner(Path(spend_place.path), "2023-04", "2024-03")
    assert abs(got - sum(year.values())) < Decimal("0.01") * len(services)  # floats in a sheet
    unmapped = book.get_sheet_by_name("Unmapped lines").to_python()
    if len(unmapped) > 1:
        month = unmapped[0].index("month")
        assert all("2023-04" <= r[month] <= "2024-03" for r in unmapped[1:])


def test_the_ledgers_are_read_once_whatever_the_year(client, spend_place, monkeypatch) -> None:
    page(client)
    read: list[object] = []
    original = selectors.read_table
    monkeypatch.setattr(
        selectors, "read_table", lambda *a, **k: read.append(a) or original(*a, **k)
    )
    for year in ("2023", "2024", "2025", ""):
        page(client, f"/places/fernmouth/spend/?year={year}")
    assert read == []
