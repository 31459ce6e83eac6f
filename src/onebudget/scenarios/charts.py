"""Charts of a scenario, drawn as ``onebudget.charting`` draws every chart: its net saving
by year as a fan (the runs' 10th to 90th percentile, the median, the deterministic run),
a tornado of the figures that matter most, and the efficient frontier of budget against
value with the chosen portfolio marked.

Why here: the scenario pages and reports need the same three pictures, printable and with a
text alternative, and an engine draws its own charts (none imports another's). Amounts stay
Decimal (exact pence) up to the drawing: only the marks' positions are floats, on an axis
in pounds, thousands, millions or billions (``charting.money_scale``). Each summary gives
money in words ("£1.2 million", "−£12,300": a true minus, joined to its figure).

Nothing to draw (no years, no bars, no points) is not an error: each function then returns
a small SVG holding the title and "Nothing to draw", its summary saying the same, so that a
page can show it where the chart would be.
"""

from __future__ import annotations

from collections.abc import Sequence
from decimal import ROUND_HALF_UP, Decimal
from typing import Any, Literal

import altair as alt

from onebudget.charting import (
    HEIGHT,
    NHS_BLUE,
    NHS_DARK_GREY,
    NHS_RED,
    NHS_WARM_YELLOW,
    WIDTH,
    money_scale,
    svg,
)
from onebudget.figures import MINUS, pounds, whole_pounds

BAND, MEDIAN, DETERMINISTIC = "10th to 90th percentile", "Median", "Deterministic run"
AT_LOW, AT_HIGH = "Parameter at its low value", "Parameter at its high value"
MOST_BARS = 12  # a tornado shows the widest swings; the rest matter less than these
LABEL_ROOM = 330  # pixels for a tornado's parameter names (longer ones end in "…")
BAND_LEGEND_X = 300  # pixels from the left: the band's legend, clear of the lines'
DASH = [6, 4]  # the deterministic run's line: 6 pixels drawn, 4 left
_KEYS = ("p10", "median", "p90", "deterministic")
_WORDS = ((Decimal(10) ** 9, "billion", 2), (Decimal(10) ** 6, "million", 1))

Bar = tuple[str, Decimal, Decimal]  # parameter, result at its low value, result at its high
Point = tuple[Decimal, Decimal]  # budget a year, value


def money_words(amount: Decimal) -> str:
    """Money as a summary says it: £1.2 million, £2.35 billion, −£12,300, £412.50, £0."""
    for size, word, places in _WORDS:
        if abs(amount) >= size:
            scaled = (abs(amount) / size).quantize(Decimal(1).scaleb(-places), ROUND_HALF_UP)
            return f"{MINUS if amount < 0 else ''}£{scaled:,} {word}"
    whole = abs(amount) >= 1000 or amount == amount.to_integral_value()
    return whole_pounds(amount) if whole else pounds(amount)


def _scaled(amounts: Sequence[Decimal]) -> tuple[float, str]:
    """The divisor and title of a money axis that suits the largest of ``amounts``."""
    return money_scale(float(max((abs(a) for a in amounts), default=Decimal(0))))


def _nothing(title: str, what: str) -> str:
    """A small chart that says there is nothing to draw, and why."""
    words = f"Nothing to draw: {what}."
    chart = (
        alt.Chart(alt.Data(values=[{"words": words}]))
        .mark_text(color=NHS_DARK_GREY, fontSize=13)
        .encode(text="words:N")
        .properties(title=title, width=WIDTH, height=40)
    )
    return svg(chart, f"{title}: nothing to draw ({what}).")


# The fan chart: net saving (or any money) by year over the runs


def fan_svg(
    title: str,
    years: Sequence[str],
    p10: Sequence[Decimal],
    median: Sequence[Decimal],
    p90: Sequence[Decimal],
    deterministic: Sequence[Decimal],
) -> str:
    """A fan over the financial years, in the order given: the runs' 10th to 90th
    percentile shaded, the median a solid line, the deterministic run a dashed one, and a
    rule at zero when the values cross it. No years: a chart saying there is nothing to
    draw. Raises ValueError when the series and ``years`` differ in length."""
    series = (p10, median, p90, deterministic)
    if any(len(s) != len(years) for s in series):
        raise ValueError(f"{title}: each series needs a value for each of {len(years)} years")
    if not years:
        return _nothing(title, "no years")
    amounts = [a for s in series for a in s]
    divisor, unit = _scaled(amounts)
    rows = [
        {"year": year} | {k: float(a) / divisor for k, a in zip(_KEYS, each, strict=True)}
        for year, *each in zip(years, *series, strict=True)
    ]
    layers = _fan_layers(rows, list(years), unit)
    if min(amounts) < 0 < max(amounts):
        layers.append(_zero_rule())
    chart = alt.layer(*layers).properties(title=title, width=WIDTH, height=HEIGHT)
    chart = chart.resolve_legend(fill="independent")
    return svg(chart, _fan_summary(title, years, p10, median, p90, deterministic))


def _fan_layers(rows: list[dict[str, Any]], years: list[str], unit: str) -> list[Any]:
    """The band, then the median and the deterministic run (a legend names each)."""
    x = alt.X("year:O", sort=years, title="Financial year", axis=alt.Axis(labelAngle=0))
    base = alt.Chart(alt.Data(values=rows)).encode(x=x)
    return [_band(base, len(rows), unit), *_lines(base)]


def _band(base: alt.Chart, years: int, unit: str) -> alt.Chart:
    """The 10th to 90th percentile, shaded (for a single year, a bar: an area needs two)."""
    # placed beside the lines' legend, not after it: the renderer measures "Deterministic
    # run" narrower than it draws it, and two bottom legends then overlap
    legend = alt.Legend(
        title=None, orient="none", legendX=BAND_LEGEND_X, legendY=HEIGHT + 50, labelLimit=0,
        symbolType="square",
    )  # fmt: skip
    fill = alt.Fill("series:N", scale=alt.Scale(domain=[BAND], range=[NHS_BLUE]), legend=legend)
    band = base.properties(name="band").transform_calculate(series=f"'{BAND}'")
    shaded = band.mark_bar(width=48, opacity=0.25) if years == 1 else band.mark_area(opacity=0.25)
    drawn: alt.Chart = shaded.encode(y=alt.Y("p10:Q", title=unit), y2="p90:Q", fill=fill)
    return drawn


def _lines(base: alt.Chart) -> list[alt.Chart]:
    """The median, solid, and the deterministic run, dashed: one legend names both."""
    legend = alt.Legend(title=None, orient="bottom", labelLimit=0, symbolType="stroke")
    colour = alt.Scale(domain=[MEDIAN, DETERMINISTIC], range=[NHS_BLUE, NHS_DARK_GREY])
    dashes = alt.Scale(domain=[MEDIAN, DETERMINISTIC], range=[[1, 0], DASH])
    encoding = {
        "color": alt.Color("series:N", scale=colour, legend=legend),
        "strokeDash": alt.StrokeDash("series:N", scale=dashes, legend=legend),
    }
    return [
        base.properties(name=key)
        .transform_calculate(series=f"'{words}'")
        .mark_line(point=True, strokeWidth=2.5)
        .encode(y=f"{key}:Q", **encoding)
        for key, words in (("median", MEDIAN), ("deterministic", DETERMINISTIC))
    ]


def _zero_rule() -> alt.Chart:
    zero = alt.Chart(alt.Data(values=[{"zero": 0.0}]), name="zero")
    rule: alt.Chart = zero.mark_rule(color=NHS_DARK_GREY).encode(y="zero:Q")
    return rule


def _fan_summary(
    title: str,
    years: Sequence[str],
    p10: Sequence[Decimal],
    median: Sequence[Decimal],
    p90: Sequence[Decimal],
    deterministic: Sequence[Decimal],
) -> str:
    """The last year's median, its 10th to 90th percentile and the deterministic run."""
    span = years[0] if len(years) == 1 else f"{years[0]} to {years[-1]}"
    last = "" if len(years) == 1 else f" in {years[-1]}"
    low, high = money_words(p10[-1]), money_words(p90[-1])
    runs = f"80% of runs at {low}" if low == high else f"80% of runs between {low} and {high}"
    return (
        f"{title}, {span}: median {money_words(median[-1])}{last}, {runs}; "
        f"the deterministic run {money_words(deterministic[-1])}."
    )


# The tornado: which parameters move the result most


def tornado_svg(title: str, central: Decimal, bars: Sequence[Bar]) -> str:
    """A bar for each parameter, ``(name, result at its low value, result at its high)``,
    from the lower result to the higher around a rule at the ``central`` result: each side
    coloured by the setting that gives it. The widest swing on top, whatever the order given
    (equal swings keep it); the widest ``MOST_BARS`` only. No bars: a chart saying there is
    nothing to draw."""
    if not bars:
        return _nothing(title, "no parameters")
    shown = _widest(bars)
    divisor, unit = _scaled([central, *(a for _, low, high in shown for a in (low, high))])
    rows = [row for bar in shown for row in _sides(bar, central, divisor)]
    names = [name for name, _, _ in shown]
    chart = alt.layer(*_tornado_layers(rows, names, float(central) / divisor, unit))
    heading = alt.TitleParams(
        title, subtitle=[f"Vertical line: the central result, {money_words(central)}"]
    )
    chart = chart.properties(title=heading, width=WIDTH - LABEL_ROOM // 2, height=alt.Step(26))
    return svg(chart, _tornado_summary(title, central, shown, len(bars)))


def _widest(bars: Sequence[Bar]) -> list[Bar]:
    """The bars with the widest swings, widest first (a stable sort: ties keep their order)."""
    return sorted(bars, key=lambda bar: -abs(bar[2] - bar[1]))[:MOST_BARS]


def _sides(bar: Bar, central: Decimal, divisor: float) -> list[dict[str, Any]]:
    """A bar's two sides, each from the central result (or the bar's nearer end, when both
    results lie to one side of it) to the result at a setting."""
    name, low, high = bar
    anchor = min(max(central, min(low, high)), max(low, high))
    return [
        {
            "name": name,
            "setting": setting,
            "from": float(anchor) / divisor,
            "to": float(end) / divisor,
        }
        for setting, end in ((AT_LOW, low), (AT_HIGH, high))
    ]


def _tornado_layers(
    rows: list[dict[str, Any]], names: list[str], central: float, unit: str
) -> list[Any]:
    """The sides, a tick at each end (so that a side of no length still shows), the rule."""
    # room kept for the names whatever their measured width: the renderer draws them wider
    # than it measures them, and a long one would otherwise run off the left edge
    axis = alt.Axis(labelLimit=LABEL_ROOM, minExtent=LABEL_ROOM + 70)
    y = alt.Y("name:N", sort=names, title=None, axis=axis)
    scale = alt.Scale(domain=[AT_LOW, AT_HIGH], range=[NHS_BLUE, NHS_WARM_YELLOW])
    legend = alt.Legend(
        title=None, orient="bottom", labelLimit=0, symbolType="square", columnPadding=40
    )  # the padding: the renderer draws labels wider than it measures them
    colour = alt.Color("setting:N", scale=scale, legend=legend)
    x = alt.X("from:Q", title=unit, scale=alt.Scale(zero=False))
    base = alt.Chart(alt.Data(values=rows)).encode(y=y, color=colour)
    sides = base.mark_bar(size=18).encode(x=x, x2="to:Q")
    ends = base.mark_tick(size=18, thickness=3, opacity=1).encode(x="to:Q")
    rule = alt.Chart(alt.Data(values=[{"central": central}])).mark_rule(
        color=NHS_DARK_GREY, strokeWidth=2
    )
    return [sides, ends, rule.encode(x="central:Q")]


def _tornado_summary(title: str, central: Decimal, shown: Sequence[Bar], given: int) -> str:
    name, low, high = shown[0]
    """The central result, and the parameter with the widest swing and its range."""
    name, low, high = shown[0]
    if given == 1:
        drawn, widest = "one parameter", f"{name}"
    else:
        many = f"the {len(shown)} widest of {given}" if given > len(shown) else f"{given}"
        drawn, widest = f"{many} parameters, the widest swing first", f"The widest: {name}"
    return (
        f"{title}: {drawn}, around a central result of {money_words(central)}. {widest}, "
        f"from {money_words(low)} at its low value to {money_words(high)} at its high value, "
        f"a swing of {money_words(abs(high - low))}."
    )


# The efficient frontier: the most value each budget buys


def frontier_svg(
    title: str, points: Sequence[Point], chosen: Point | None, unit: str | None = None
) -> str:
    """The efficient frontier, ``(budget a year, value)`` joined in budget order, and the
    ``chosen`` portfolio (if any) marked and labelled. The value is money, or a count of
    ``unit`` ("bed days avoided") where one is given. No points: a chart saying there is
    nothing to draw (even with a chosen portfolio: it belongs on the frontier)."""
    if not points:
        return _nothing(title, "no portfolios")
    ordered = sorted(points)
    every = [*ordered, *([] if chosen is None else [chosen])]
    x_divisor, x_unit = _scaled([p[0] for p in every])
    y_divisor, y_unit = _scaled([p[1] for p in every]) if unit is None else (1.0, unit)

    def at(point: Point) -> dict[str, float]:
        return {"budget": float(point[0]) / x_divisor, "value": float(point[1]) / y_divisor}

    rows = [at(point) | {"n": n} for n, point in enumerate(ordered)]
    x = alt.X("budget:Q", title=f"Budget a year, {x_unit}")
    y = alt.Y("value:Q", title=f"Value, {y_unit}")
    line = alt.Chart(alt.Data(values=rows), name="frontier").mark_line(color=NHS_BLUE, point=True)
    layers = [line.encode(x=x, y=y, order="n:Q")]
    if chosen is not None:
        middle = (rows[0]["budget"] + rows[-1]["budget"]) / 2
        layers += _chosen_layers(at(chosen), right=at(chosen)["budget"] > middle)
    chart = alt.layer(*layers).properties(title=title, width=WIDTH, height=HEIGHT)
    return svg(chart, _frontier_summary(title, ordered, chosen, unit))


def _chosen_layers(at: dict[str, float], right: bool) -> list[alt.Chart]:
    """The chosen portfolio: a larger red diamond, labelled (to its left, if it is right of
    the middle, so that the label stays inside the chart)."""
    data = alt.Data(values=[at | {"label": "Chosen portfolio"}])
    mark = alt.Chart(data, name="chosen").mark_point(
        shape="diamond", size=260, filled=True, color=NHS_RED, opacity=1
    )
    align: Literal["left", "right"] = "right" if right else "left"
    label = alt.Chart(data, name="chosen_label").mark_text(
        align=align, dx=-14 if right else 14, dy=-10, fontWeight="bold", color=NHS_RED
    )
    position = {"x": "budget:Q", "y": "value:Q"}
    return [mark.encode(**position), label.encode(text="label:N", **position)]


def _value_words(value: Decimal, unit: str | None) -> str:
    return money_words(value) if unit is None else f"{round(value):,} {unit}"


def _frontier_summary(
    title: str, ordered: Sequence[Point], chosen: Point | None, unit: str | None = None
) -> str:
    """What the smallest and the largest budget buy, and the chosen portfolio."""
    (low, low_value), (high, high_value) = ordered[0], ordered[-1]
    worded = _value_words
    if low == high:
        many = "one portfolio" if len(ordered) == 1 else f"{len(ordered)} portfolios, the best"
        buys = f"a budget of {money_words(high)} a year buys a value of {worded(high_value, unit)}"
        words = f"{many}: {buys}"
    else:
        words = (
            f"{len(ordered)} portfolios, budgets from {money_words(low)} to "
            f"{money_words(high)} a year: the largest budget buys a value of "
            f"{worded(high_value, unit)}, the smallest {worded(low_value, unit)}"
        )
    if chosen is None:
        return f"{title}: {words}. No portfolio is chosen."
    budget, value = money_words(chosen[0]), worded(chosen[1], unit)
    return f"{title}: {words}. Chosen portfolio: {budget} a year for a value of {value}."
