"""A chart of the spend: each service's money, stacked by partner (Altair, rendered to SVG)."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

import altair as alt

from onebudget.charting import NHS_BLUE, NHS_DARK_GREY, NHS_WARM_YELLOW, WIDTH, svg


def spend_svg(title: str, rows: Sequence[dict[str, Any]]) -> str | None:
    """``rows``: service_name, partner, amount (pounds). None if there is nothing to show."""
    values = [
        {"service": r["service_name"], "partner": r["partner"], "amount": float(r["amount"])}
        for r in rows
        if r["amount"]
    ]
    if not values:
        return None
    chart = (
        alt.Chart(alt.Data(values=values))
        .mark_bar()
        .encode(
            y=alt.Y("service:N", sort="-x", title=None),
            x=alt.X("sum(amount):Q", title="pounds"),
            color=alt.Color(
                "partner:N", scale=alt.Scale(range=[NHS_BLUE, NHS_WARM_YELLOW, NHS_DARK_GREY])
            ),
            tooltip=["service:N", "partner:N", "sum(amount):Q"],
        )
        .properties(title=title, width=WIDTH)
    )
    return svg(chart)
