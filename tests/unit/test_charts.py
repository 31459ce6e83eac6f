"""Every chart is an image named by a summary in words, and money axes count in units that
keep their labels short."""

from __future__ import annotations

import re
from decimal import Decimal
from html import unescape

from onebudget.allocation.charts import indices_svg
from onebudget.charting import money_scale
from onebudget.outcomes.charts import funnel_svg, trend_svg
from onebudget.spend.charts import spend_svg


def named(svg: str | None) -> str:
    assert svg is not None
    opening = svg[: svg.index(">") + 1]
    assert 'role="img"' in opening
    label = re.search(r'aria-label="([^"]*)"', opening)
    assert label is not None
    assert f"<title>{label.group(1)}</title>" in svg
    return unescape(label.group(1))


def test_a_spend_chart_names_its_largest_services_and_counts_in_millions() -> None:
    rows = [
        {
            "service_name": "Acute care",
            "partner": "NHS Fernmouth ICB",
            "amount": Decimal("428838016.00"),
        },
        {
            "service_name": "Acute care",
            "partner": "Fernmouth Council",
            "amount": Decimal("1000000.00"),
        },
        {
            "service_name": "Home care",
            "partner": "Fernmouth Council",
            "amount": Decimal("12345678.90"),
        },
    ]
    svg = spend_svg("Spend by service, Fernmouth", rows)
    summary = named(svg)
    assert "2 services" in summary
    assert "Acute care £429.8m; Home care £12.3m" in summary
    assert "£ million" in svg  # the axis title
    assert "pounds" not in svg


def test_a_trend_says_how_many_months_were_suppressed_and_how_many_signal() -> None:
    values = [10.0, 14.0, 10.0, 14.0, 60.0, 10.0, 14.0, 10.0, 14.0]
    points: list[tuple[str, float | None]] = [
        (f"2025-{m:02d}", v) for m, v in zip(range(4, 13), values, strict=True)
    ]
    points += [("2026-01", None), ("2026-02", 12.0)]
    summary = named(trend_svg("Falls", "per 100,000", points))
    assert "10 months from 2025-04 to 2026-02" in summary
    assert "latest 12.0" in summary
    assert "1 month suppressed" in summary
    assert "1 point outside the process limits" in summary


def test_a_funnel_counts_the_practices_outside_its_outer_limits() -> None:
    units = [{"unit": f"P{i}", "value": 50.0, "denominator": 400} for i in range(5)]
    units += [{"unit": "HIGH", "value": 95.0, "denominator": 400}]
    summary = named(funnel_svg("Discharges", "percent", units, 50.0, "proportion", 100))
    assert "6 practices against the place's value of 50.0" in summary
    assert "1 above and 0 below the 99.8% control limits" in summary


def test_an_index_chart_names_the_highest_and_lowest() -> None:
    columns = {"North": {"Acute": Decimal("1.2"), "Mental health": Decimal("0.9")}}
    summary = named(indices_svg("Need indices", columns))
    assert "Highest: North, Acute, 1.200" in summary
    assert "Lowest: North, Mental health, 0.900" in summary


def test_money_axes_count_in_the_unit_of_their_largest_figure() -> None:
    assert money_scale(1_791_334_096.64) == (1e9, "£ billion")
    assert money_scale(-2_500_000) == (1e6, "£ million")
    assert money_scale(999.0) == (1.0, "£")
