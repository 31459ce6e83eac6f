"""Charts for indicators: a monthly series with statistical process control, and a funnel
plot of GP practices (drawn as ``onebudget.charting`` draws every chart)."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from typing import Any

import altair as alt
import numpy as np
import numpy.typing as npt

from onebudget.charting import HEIGHT, NHS_BLUE, NHS_DARK_GREY, NHS_RED, NHS_WARM_YELLOW, WIDTH, svg
from onebudget.outcomes import stats
from onebudget.outcomes.spc import xmr

Limits = Callable[[npt.NDArray[np.float64], float], tuple[Any, Any]]


def trend_svg(title: str, unit: str, points: Sequence[tuple[str, float | None]]) -> str | None:
    """A monthly series with its XmR mean and limits; signals in red. None if too short.

    A point whose value is None is suppressed: it is drawn as a hollow grey mark on the
    axis and named in the subtitle, never left out (a gap would read as a real series).
    Disclosure control has suppressed every month of 0 to 7 in such a series, so the marks
    do not show which months held the events.
    """
    shown = [(label, value) for label, value in points if value is not None]
    hidden = [{"period": label, "value": 0.0} for label, value in points if value is None]
    if len(shown) < 2:
        return None
    chart_data = xmr([v for _, v in shown])
    rows = [
        {
            "period": label,
            "value": value,
            "signal": bool(chart_data.signals[i]),
            "mean": chart_data.mean,
            "upper": chart_data.upper_limit,
            "lower": max(chart_data.lower_limit, 0.0),
        }
        for i, (label, value) in enumerate(shown)
    ]
    order = [label for label, _ in points]
    x = alt.X("period:O", title=None, sort=order)
    base = alt.Chart(alt.Data(values=rows)).encode(x=x)
    line = base.mark_line(color=NHS_BLUE, point=True).encode(y=alt.Y("value:Q", title=unit))
    flagged = (
        base.transform_filter("datum.signal")
        .mark_point(color=NHS_RED, size=70, filled=True)
        .encode(y="value:Q")
    )
    rules = [
        base.mark_line(color=NHS_DARK_GREY, strokeDash=dash).encode(y=f"{column}:Q")
        for column, dash in (("mean", [1, 0]), ("upper", [4, 3]), ("lower", [4, 3]))
    ]
    layers = [line, flagged, *rules]
    subtitle = []
    if hidden:
        marks = alt.Chart(alt.Data(values=hidden)).mark_point(
            color=NHS_DARK_GREY, shape="diamond", size=60, filled=False
        )
        layers.append(marks.encode(x=x, y="value:Q"))
        subtitle = [f"Hollow grey diamonds: {len(hidden)} months suppressed ([c], 0 to 7)"]
    heading = alt.TitleParams(text=title, subtitle=subtitle)
    chart = alt.layer(*layers).properties(title=heading, width=WIDTH, height=HEIGHT)
    return svg(chart, _trend_summary(title, unit, shown, chart_data, len(hidden)))


def _trend_summary(
    title: str, unit: str, shown: Sequence[tuple[str, float]], limits: Any, suppressed: int
) -> str:
    first, last = shown[0], shown[-1]
    signals = int(sum(bool(s) for s in limits.signals))
    words = [
        f"{title}, {unit}: {len(shown)} months from {first[0]} to {last[0]}",
        f"latest {last[1]:,.1f}, mean {limits.mean:,.1f}",
        f"{signals} point{'' if signals == 1 else 's'} outside the process limits",
    ]
    if suppressed:
        words.append(f"{suppressed} month{'' if suppressed == 1 else 's'} suppressed")
    return "; ".join(words) + "."


def funnel_svg(
    title: str,
    unit: str,
    units: Sequence[dict[str, Any]],
    target: float,
    kind: str,
    multiplier: float,
) -> str | None:
    """Each unit's value against its denominator, with 95% and 99.8% limits around target."""
    shown = [u for u in units if u["value"] is not None and u["denominator"]]
    if len(shown) < 3:
        return None
    sizes = np.linspace(
        max(min(u["denominator"] for u in shown) * 0.8, 1),
        max(u["denominator"] for u in shown) * 1.1,
        60,
    )
    per_unit = target / multiplier
    band = stats.funnel_limits_proportion if kind == "proportion" else stats.funnel_limits_rate

    def at(denominators: npt.NDArray[np.float64], confidence: float) -> tuple[Any, Any]:
        """The limits at these denominators, on the indicator's scale."""
        low, high = band(per_unit, denominators, confidence)
        return np.asarray(low) * multiplier, np.asarray(high) * multiplier

    limits = []
    for confidence in (0.95, 0.998):
        low, high = at(sizes, confidence)
        limits += [
            {"n": float(n), "limit": float(v), "band": f"{confidence:.1%}"}
            for n, v in zip(
                np.concatenate([sizes, sizes]), np.concatenate([low, high]), strict=True
            )
        ]
    dots = (
        alt.Chart(alt.Data(values=shown))
        .mark_circle(color=NHS_BLUE, size=60)
        .encode(
            x=alt.X("denominator:Q", title="denominator"),
            y=alt.Y("value:Q", title=unit),
            tooltip=["unit:N", "value:Q", "denominator:Q"],
        )
    )
    lines = (
        alt.Chart(alt.Data(values=limits))
        .mark_point(size=4, filled=True)
        .encode(
            x="n:Q",
            y="limit:Q",
            color=alt.Color(
                "band:N", title="control limit", scale=alt.Scale(range=[NHS_WARM_YELLOW, NHS_RED])
            ),
        )
    )
    centre = (
        alt.Chart(alt.Data(values=[{"target": target}]))
        .mark_rule(color=NHS_DARK_GREY)
        .encode(y="target:Q")
    )
    chart = alt.layer(lines, centre, dots).properties(title=title, width=WIDTH, height=HEIGHT)
    return svg(chart, _funnel_summary(title, unit, shown, target, at))


def _funnel_summary(
    title: str, unit: str, shown: Sequence[dict[str, Any]], target: float, limits: Limits
) -> str:
    """How many units lie outside the 99.8% limits at their own denominators."""
    low, high = limits(np.array([float(u["denominator"]) for u in shown]), 0.998)
    values = np.array([float(u["value"]) for u in shown])
    above, below = int((values > high).sum()), int((values < low).sum())
    return (
        f"{title}, {unit}: {len(shown)} practices against the place's value of {target:,.1f}; "
        f"{above} above and {below} below the 99.8% control limits."
    )
