"""A modelled contract as people see it: tables (for the terminal and a workbook), JSON-ready
data (amounts as text, "1234.56"), and a chart drawn as ``onebudget.charting`` draws every
chart: payments by scenario for each provider, and for a distribution the commissioners'
outlay over the runs, binned, with its 10th, 50th and 90th percentiles.

Amounts stay Decimal in every table and in the data; only the chart's bar lengths are
floats (an axis in pounds, thousands or millions: ``charting.money_scale``).
"""

# mypy: disallow-untyped-calls=False
# (Altair's constructors are untyped, as for the other chart modules in pyproject.toml)

from __future__ import annotations

from decimal import Decimal
from html import escape
from typing import Any

import altair as alt
import numpy as np
import vl_convert

from onebudget.charting import HEIGHT, NHS_BLUE, NHS_DARK_GREY, NHS_RED, WIDTH, money_scale, svg
from onebudget.contracts.modelling import Drawn, Modelled, Paid
from onebudget.figures import number, pounds, pounds_short

OUTLAY = "commissioners"
STATISTICS = (
    ("least", "least"),
    ("p10", "10th percentile"),
    ("p50", "median (50th)"),
    ("p90", "90th percentile"),
    ("most", "most"),
)
PALETTE = (NHS_BLUE, "#41b6e6", "#007f3b", "#ffb81c", "#330072", "#ae2573")  # NHS.UK colours


def scenario_rows(modelled: Modelled) -> list[dict[str, Any]]:
    """A row per named scenario: its cost basis, each provider's payment, the outlay."""
    return [_row(modelled, "scenario", p.scenario, p) for p in modelled.scenarios]


def run_rows(modelled: Modelled) -> list[dict[str, Any]]:
    runs = modelled.drawn.runs if modelled.drawn else ()
    return [_row(modelled, "run", n, p) for n, p in enumerate(runs, start=1)]


def _row(modelled: Modelled, key: str, name: object, paid: Paid) -> dict[str, Any]:
    payments = dict(zip(_codes(modelled), paid.payments, strict=True))
    return {key: name, "cost": paid.cost, **payments, OUTLAY: paid.outlay}


def distribution_rows(modelled: Modelled) -> list[dict[str, Any]]:
    """A row per statistic (least, percentiles by nearest rank, most) of the drawn runs."""
    drawn = modelled.drawn
    if drawn is None:
        return []
    codes = [p.code for p in modelled.providers]
    return [
        {"statistic": words}
        | {c: getattr(s, name) for c, s in zip(codes, drawn.payments, strict=True)}
        | {OUTLAY: getattr(drawn.outlay, name)}
        for name, words in STATISTICS
    ]


def findings(modelled: Modelled) -> list[dict[str, Any]]:
    """The exposure and who bears the risk, as (measure, value, about) rows."""
    e, r = modelled.exposure, modelled.risk
    rows: list[dict[str, Any]] = [
        {"measure": "exposure: the most paid", "value": e.most, "about": e.most_in},
        {"measure": "the least paid", "value": e.least, "about": e.least_in},
        {"measure": "range", "value": e.range, "about": "the most less the least"},
        {"measure": "cost basis", "value": None, "about": r.basis},
    ]
    if r.commissioners is None:
        return [*rows, {"measure": "who bears the risk", "value": None, "about": r.note}]
    swing = f"from {r.low} to {r.high}"
    rows += [
        {"measure": "swing in cost", "value": r.cost_swing, "about": swing},
        {"measure": "swing in the outlay", "value": r.outlay_swing, "about": swing},
        {"measure": "commissioners bear (%)", "value": r.commissioners, "about": ""},
        {"measure": "providers bear (%)", "value": r.providers, "about": r.note},
    ]
    shares = zip(modelled.providers, r.by_provider, strict=False)
    return rows + [
        {"measure": f"{p.code} bears (%)", "value": share, "about": p.name}
        for p, share in shares
        if share is not None and len(modelled.providers) > 1
    ]


def sheets(modelled: Modelled) -> dict[str, list[dict[str, Any]]]:
    found = {"Scenarios": scenario_rows(modelled), "Exposure and risk": findings(modelled)}
    if modelled.drawn is not None:
        found |= {"Distribution": distribution_rows(modelled), "Runs": run_rows(modelled)}
    return found


def _text(value: Any) -> Any:
    """Amounts as text in pounds and pence (percentages to a hundredth, likewise)."""
    if isinstance(value, Decimal):
        return f"{value:.2f}"
    if isinstance(value, dict):
        return {k: _text(v) for k, v in value.items()}
    if isinstance(value, list):
        return [_text(v) for v in value]
    return value


def as_data(modelled: Modelled) -> dict[str, Any]:
    """The model as JSON-ready data: amounts and percentages as text, payments by provider."""
    drawn, risk, e = modelled.drawn, modelled.risk, modelled.exposure
    data: dict[str, Any] = {
        "contract": modelled.contract,
        "contract_name": modelled.contract_name,
        "kind": modelled.kind,
        "period": modelled.period,
        "providers": [{"code": p.code, "name": p.name} for p in modelled.providers],
        "scenarios": [_paid(modelled, p) for p in modelled.scenarios],
        "distribution": None,
        "exposure": {"most": e.most, "most_in": e.most_in, "least": e.least}
        | {"least_in": e.least_in, "range": e.range},
        "risk": {
            "basis": risk.basis,
            "low": risk.low,
            "high": risk.high,
            "cost_swing": risk.cost_swing,
            "outlay_swing": risk.outlay_swing,
            "commissioners_percent": risk.commissioners,
            "providers_percent": risk.providers,
            "by_provider": dict(zip(_codes(modelled), risk.by_provider, strict=False)),
            "note": risk.note,
        },
    }
    if drawn is not None:
        statistics = {}
        for name, _ in STATISTICS:
            each = [getattr(s, name) for s in drawn.payments]
            payments = dict(zip(_codes(modelled), each, strict=True))
            statistics[name] = {"payments": payments, OUTLAY: getattr(drawn.outlay, name)}
        data["distribution"] = {"base": drawn.base, "runs": len(drawn.runs), "seed": drawn.seed}
        data["distribution"] |= {"percentiles": "nearest rank", "statistics": statistics}
    found: dict[str, Any] = _text(data)
    return found


def _codes(modelled: Modelled) -> list[str]:
    return [p.code for p in modelled.providers]


def _paid(modelled: Modelled, paid: Paid) -> dict[str, Any]:
    payments = dict(zip(_codes(modelled), paid.payments, strict=True))
    return {"name": paid.scenario, "cost": paid.cost, "payments": payments, OUTLAY: paid.outlay}


def words(modelled: Modelled) -> list[str]:
    """The exposure and who bears the risk, in a sentence each."""
    e, r = modelled.exposure, modelled.risk
    found = [
        f"Exposure: the commissioners pay at most {pounds(e.most)} ({e.most_in}) and at least "
        f"{pounds(e.least)} ({e.least_in}), a range of {pounds(e.range)}."
    ]
    if modelled.drawn is not None:
        d = modelled.drawn
        found.append(
            f"Drawn: {len(d.runs):,} runs from {d.base}, seed {d.seed}; percentiles by nearest "
            "rank (each is one run's amount)."
        )
    if r.commissioners is None or r.cost_swing is None or r.outlay_swing is None:
        return [*found, f"Who bears the risk: {r.note} (the cost basis: {r.basis})."]
    parts = [
        f"{p.code} {number(share, 2)}%"
        for p, share in zip(modelled.providers, r.by_provider, strict=False)
        if share is not None and len(modelled.providers) > 1
    ]
    each = f" ({', '.join(parts)})" if parts else ""
    note = f"; {r.note}" if r.note else ""
    return [
        *found,
        f"Who bears the risk: from {r.low} to {r.high} the cost of delivery ({r.basis}) "
        f"changes by {pounds(r.cost_swing)} and the commissioners' outlay by "
        f"{pounds(r.outlay_swing)}: "
        f"the commissioners bear {number(r.commissioners, 2)}% of the swing, the providers "
        f"{number(r.providers, 2)}%{each}{note}.",
    ]


def chart(modelled: Modelled) -> alt.TopLevelMixin:
    """Payments by scenario, a bar per provider (and the commissioners' outlay, where it is
    not one provider's payment); under them, for a distribution, the outlay's histogram."""
    amounts = [a for p in modelled.scenarios for a in (*p.payments, p.outlay)]
    if modelled.drawn is not None:
        amounts += [modelled.drawn.outlay.least, modelled.drawn.outlay.most]
    divisor, unit = money_scale(float(max((abs(a) for a in amounts), default=Decimal(0))))
    title = f"{modelled.contract_name} ({modelled.contract}), {modelled.period}"
    bars = _by_scenario(modelled, divisor, unit)
    if modelled.drawn is None:
        return bars.properties(title=title, width=WIDTH, height=HEIGHT)
    histogram = _histogram(modelled.drawn, divisor, unit)
    return alt.vconcat(bars.properties(width=WIDTH, height=HEIGHT), histogram).properties(
        title=title
    )


def _by_scenario(modelled: Modelled, divisor: float, unit: str) -> alt.Chart:
    names = [f"{p.name} ({p.code})" for p in modelled.providers]
    palette = [PALETTE[n % len(PALETTE)] for n in range(len(names))]
    rows = [
        (p.scenario, n, a)
        for p in modelled.scenarios
        for n, a in zip(names, p.payments, strict=True)
    ]
    if len(names) > 1 or modelled.kind == "alliance":
        names, palette = [*names, "the commissioners' outlay"], [*palette, NHS_DARK_GREY]
        rows += [(p.scenario, names[-1], p.outlay) for p in modelled.scenarios]
    values = [
        {"scenario": s, "paid to": n, "amount": float(a) / divisor, "shown": pounds_short(a)}
        for s, n, a in rows
    ]
    order = [p.scenario for p in modelled.scenarios]
    bars: alt.Chart = (
        alt.Chart(alt.Data(values=values), title="Payments by scenario")
        .mark_bar()
        .encode(
            x=alt.X("scenario:N", sort=order, title=None, axis=alt.Axis(labelAngle=0)),
            xOffset=alt.XOffset("paid to:N", sort=names),
            y=alt.Y("amount:Q", title=unit),
            color=alt.Color(
                "paid to:N",
                scale=alt.Scale(domain=names, range=palette),
                legend=alt.Legend(title=None, orient="top", direction="vertical", labelLimit=0),
            ),
            tooltip=["scenario:N", "paid to:N", alt.Tooltip("shown:N", title="amount")],
        )
    )
    return bars


def _histogram(drawn: Drawn, divisor: float, unit: str) -> alt.LayerChart | alt.FacetChart:
    """The outlay over the runs in at most 30 bins (counted here: the chart holds the bins,
    not every run), with rules at its 10th, 50th and 90th percentiles."""
    outlays = np.array([float(r.outlay) / divisor for r in drawn.runs])
    low, high, bins = float(outlays.min()), float(outlays.max()), 30
    if low == high:  # every run the same: one narrow bar around it
        low, high, bins = low - (abs(low) / 2000 or 0.5), high + (abs(high) / 2000 or 0.5), 1
    counts, edges = np.histogram(outlays, bins=bins, range=(low, high))
    bars = [
        {"from": float(lo), "to": float(hi), "runs": int(n), "none": 0}
        for lo, hi, n in zip(edges[:-1], edges[1:], counts, strict=True)
    ]
    marks = [
        {"percentile": words, "amount": float(getattr(drawn.outlay, name)) / divisor}
        for name, words in STATISTICS[1:4]
    ]
    title = f"The commissioners' outlay over {len(drawn.runs):,} drawn runs"
    histogram = (
        alt.Chart(alt.Data(values=bars))
        .mark_bar(color=NHS_BLUE)
        .encode(
            x=alt.X("from:Q", title=unit, scale=alt.Scale(zero=False)),
            x2="to:Q",
            y=alt.Y("runs:Q", title="runs"),
            y2="none:Q",
            tooltip=["from:Q", "to:Q", "runs:Q"],
        )
    )
    rules = (
        alt.Chart(alt.Data(values=marks))
        .mark_rule(color=NHS_RED, strokeDash=[4, 3])
        .encode(x="amount:Q", tooltip=["percentile:N"])
    )
    return alt.layer(histogram, rules, title=title, width=WIDTH, height=HEIGHT * 3 // 4)


def summary(modelled: Modelled) -> str:
    """The chart's text alternative: what it shows, in words."""
    each = "; ".join(f"{p.scenario} {pounds_short(p.outlay)}" for p in modelled.scenarios)
    e = modelled.exposure
    words = [
        f"Payments under {modelled.contract_name} in {modelled.period}, by scenario: the "
        f"commissioners pay {each}",
        f"the most {pounds_short(e.most)} ({e.most_in}), a range of {pounds_short(e.range)}",
    ]
    if modelled.drawn is not None:
        o = modelled.drawn.outlay
        words.append(
            f"over {len(modelled.drawn.runs):,} drawn runs the outlay's 10th to 90th "
            f"percentile is {pounds_short(o.p10)} to {pounds_short(o.p90)}"
        )
    return "; ".join(words) + "."


def chart_svg(modelled: Modelled) -> str:
    return svg(chart(modelled), summary(modelled))


def chart_png(modelled: Modelled) -> bytes:
    return bytes(vl_convert.vegalite_to_png(chart(modelled).to_dict(), scale=2))


def chart_html(modelled: Modelled) -> str:
    """A page holding the SVG: no JavaScript, nothing fetched from elsewhere."""
    title = escape(f"{modelled.contract_name} ({modelled.contract}), {modelled.period}")
    return (
        f'<!doctype html>\n<html lang="en"><head><meta charset="utf-8"><title>{title}</title>'
        f"</head><body><h1>{title}</h1>\n{chart_svg(modelled)}\n"
        f"<p>{escape(summary(modelled))}</p></body></html>\n"
    )
