"""A chart of need indices: each place's nine indices against its ICB (= 1), Altair to SVG."""

from __future__ import annotations

from collections.abc import Mapping
from decimal import Decimal

import altair as alt

from onebudget.chart_store import kept
from onebudget.charting import NHS_BLUE, NHS_DARK_GREY, NHS_WARM_YELLOW, WIDTH, svg

_PALETTE = [NHS_BLUE, NHS_WARM_YELLOW, NHS_DARK_GREY, "#007f3b", "#330072", "#ae2573"]


@kept
def indices_svg(title: str, columns: Mapping[str, Mapping[str, Decimal]]) -> str | None:
    """``columns``: place -> index -> value relative to the ICB. None if there is no place."""
    values = [
        {"place": place, "index": index, "value": float(value)}
        for place, indices in columns.items()
        for index, value in indices.items()
    ]
    if not values:
        return None
    order = list(next(iter(columns.values())))
    points = (
        alt.Chart(alt.Data(values=values))
        .mark_point(filled=True, size=80)
        .encode(
            y=alt.Y("index:N", sort=order, title=None),
            x=alt.X("value:Q", title="index (ICB = 1)", scale=alt.Scale(zero=False)),
            color=alt.Color("place:N", scale=alt.Scale(range=_PALETTE)),
            tooltip=["place:N", "index:N", alt.Tooltip("value:Q", format=".3f")],
        )
    )
    icb = (
        alt.Chart(alt.Data(values=[{"value": 1.0}]))
        .mark_rule(color=NHS_DARK_GREY)
        .encode(x="value:Q")
    )
    chart = alt.layer(icb, points).properties(title=title, width=WIDTH)
    return svg(chart, _summary(title, columns))


def _summary(title: str, columns: Mapping[str, Mapping[str, Decimal]]) -> str:
    """The highest and lowest index of all the places, in words."""
    found = [(v, place, index) for place, row in columns.items() for index, v in row.items()]
    high, low = max(found), min(found)
    return (
        f"{title}: {len(columns)} place{'' if len(columns) == 1 else 's'}, each index against "
        f"its ICB (1). Highest: {high[1]}, {high[2]}, {high[0]:.3f}. "
        f"Lowest: {low[1]}, {low[2]}, {low[0]:.3f}. The table gives every index."
    )
