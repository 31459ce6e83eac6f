"""Charts of the spend (Altair, rendered to SVG): each service's money, and each financial
year's, stacked by partner, each with a summary in words."""

from __future__ import annotations

from collections.abc import Sequence
from decimal import Decimal
from typing import Any

import altair as alt

from onebudget.chart_store import kept
from onebudget.charting import (
    HEIGHT,
    NHS_BLUE,
    NHS_DARK_GREY,
    NHS_WARM_YELLOW,
    WIDTH,
    money_scale,
    svg,
)
from onebudget.figures import pounds_short


@kept
def spend_svg(title: str, rows: Sequence[dict[str, Any]]) -> str | None:
    """``rows``: service_name, partner, amount (pounds). None if there is nothing to show."""
    rows = [r for r in rows if r["amount"]]
    totals = _totals(rows, "service_name")
    if not totals:
        return None
    values, unit = _scaled(rows, "service_name", "service", totals)
    chart = (
        alt.Chart(alt.Data(values=values))
        .mark_bar()
        .encode(
            y=alt.Y("service:N", sort="-x", title=None),
            x=alt.X("sum(amount):Q", title=unit),
            color=alt.Color(
                "partner:N", scale=alt.Scale(range=[NHS_BLUE, NHS_WARM_YELLOW, NHS_DARK_GREY])
            ),
            tooltip=["service:N", "partner:N", alt.Tooltip("shown:N", title="amount")],
        )
        .properties(title=title, width=WIDTH)
    )
    return svg(chart, _summary(title, totals))


def _totals(rows: Sequence[dict[str, Any]], key: str) -> dict[str, Decimal]:
    """Each bar's total (the rows' amounts summed by ``key``), in the rows' order."""
    totals: dict[str, Decimal] = {}
    for r in rows:
        totals[r[key]] = totals.get(r[key], Decimal(0)) + r["amount"]
    return totals


def _scaled(
    rows: Sequence[dict[str, Any]], key: str, field: str, totals: dict[str, Decimal]
) -> tuple[list[dict[str, Any]], str]:
    """The chart's values, in the one unit that suits the largest bar, and that unit."""
    divisor, unit = money_scale(float(max(totals.values(), key=abs)))
    values = [
        {
            field: r[key],
            "partner": r["partner"],
            "amount": float(r["amount"]) / divisor,
            "shown": pounds_short(r["amount"]),
        }
        for r in rows
    ]
    return values, unit


def _summary(title: str, totals: dict[str, Decimal]) -> str:
    ranked = sorted(totals.items(), key=lambda kv: -kv[1])
    largest = "; ".join(f"{name} {pounds_short(amount)}" for name, amount in ranked[:3])
    return (
        f"{title}: a bar for each of {len(ranked)} services, stacked by partner. "
        f"Largest: {largest}. The table gives every figure."
    )


@kept
def years_svg(title: str, rows: Sequence[dict[str, Any]]) -> str | None:
    """``rows``: year (as written, "2024/25"), partner, amount (pounds), years in order. A bar
    for each year, stacked by partner; None if there is nothing to show."""
    totals = _totals(rows, "year")
    if not any(totals.values()):
        return None
    values, unit = _scaled(rows, "year", "year", totals)
    chart = (
        alt.Chart(alt.Data(values=values))
        .mark_bar()
        .encode(
            x=alt.X(
                "year:N", sort=list(totals), title="Financial year", axis=alt.Axis(labelAngle=0)
            ),
            y=alt.Y("sum(amount):Q", title=unit),
            color=alt.Color(
                "partner:N",
                scale=alt.Scale(range=[NHS_BLUE, NHS_WARM_YELLOW, NHS_DARK_GREY]),
                legend=alt.Legend(
                    title="Partner", orient="bottom", direction="vertical", labelLimit=0
                ),
            ),
            tooltip=["year:N", "partner:N", alt.Tooltip("shown:N", title="amount")],
        )
        .properties(title=title, width=WIDTH, height=HEIGHT * 3 // 4)
    )
    each = "; ".join(f"{year} {pounds_short(amount)}" for year, amount in totals.items())
    years = list(totals)
    summary = (
        f"{title}: a bar for each of {len(years)} financial years from {years[0]} to "
        f"{years[-1]}, stacked by partner. {each}. The table gives every figure."
    )
    return svg(chart, summary)
