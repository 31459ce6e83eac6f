"""Spec: a BCF plan's metrics against the place's linked data. A metric linked to an
indicator takes, quarter by quarter, the value the outcomes engine publishes for it (on the
in-memory reference, DuckDB and, under ``make test-spark``, Spark: the same figures); a
metric without data takes the value entered, marked entered; on track follows polarity.

The place is a small synthetic one (3,000 people) over 2025 and 2026, so the BCF year
2025/26 (April 2025 to March 2026) lies wholly inside its data.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import date
from decimal import Decimal
from typing import Any

import pyarrow as pa
import pytest

from onebudget.bcf import framework as fw
from onebudget.bcf.metrics import MetricsReport, metric_actuals, quarters
from onebudget.bcf.plan import Plan, read_plan
from onebudget.io import yamlio
from onebudget.outcomes.calendar import Period
from onebudget.outcomes.compute import compute
from onebudget.outcomes.definitions import indicators
from onebudget.outcomes.engines import Engine
from onebudget.population.synth.generate import SynthConfig, generate
from tests.spec.bcf.test_plan_checks import WORKED
from tests.spec.outcomes.conftest import ENGINES, PARAMS, make_tables

YEAR = fw.framework("2025/26")
PLAN, _ = read_plan(WORKED)
QUARTERS = [Period.financial_quarter(2025, q) for q in (1, 2, 3, 4)]
LINKED = {m.id: m.indicator for m in YEAR.metrics.items or () if m.indicator}


@pytest.fixture(scope="module")
def place() -> dict[str, pa.Table]:
    return generate(SynthConfig(persons=3000, seed=2025, first_year=2025, last_year=2026)).tables


@pytest.fixture(params=PARAMS)
def engine(request: pytest.FixtureRequest, place: dict[str, pa.Table]) -> Engine:
    build: Callable[[dict[str, pa.Table]], Engine] = ENGINES[request.param]
    return build(place)


def published(engine: Engine, periods: list[Period] = QUARTERS) -> dict[str, Any]:
    """Each linked indicator for the place's quarters, as the outcomes engine publishes it."""
    return {i: compute(indicators()[i], engine, periods).rows for i in LINKED.values()}


def exact(value: float | None) -> Decimal | None:
    return None if value is None else Decimal(str(value))


def test_quarters_are_the_outcome_engine_periods() -> None:
    found = [(q.quarter, q.label, q.start, q.end) for q in quarters("2025/26")]
    built = [(f"Q{i + 1}", p.label, p.start, p.end) for i, p in enumerate(QUARTERS)]
    assert found == built
    assert found[0][2:] == (date(2025, 4, 1), date(2025, 7, 1))
    assert found[3][2:] == (date(2026, 1, 1), date(2026, 4, 1))


def test_each_metric_actual_is_the_indicator_value_on_every_engine(engine: Engine) -> None:
    results = published(engine)
    report = metric_actuals(PLAN, YEAR, results)
    assert [m.metric for m in report.metrics] == list(LINKED)
    checked = 0
    for metric in report.metrics:
        rows = {r["period"]: r for r in results[LINKED[metric.metric]]}
        for q, period in zip(metric.quarters, QUARTERS, strict=True):
            row = rows[period.label]
            assert q.source == "from data"
            assert (q.actual, q.lower, q.upper) == tuple(map(exact, _figures(row)))
            withheld = row["numerator"] is None or row["denominator"] is None
            assert q.suppressed == (row["value"] is None and withheld)
            assert q.planned == PLAN.metrics[metric.metric][q.quarter]
            checked += q.actual is not None
    assert checked >= 8, "too few published figures for the comparison to mean anything"
    assert not [p for p in report.problems if "no linked data" in p.rule]


def _figures(row: dict[str, Any]) -> tuple[Any, Any, Any]:
    return row["value"], row["lower"], row["upper"]


def test_the_engines_give_the_same_metrics(place: dict[str, pa.Table], engine: Engine) -> None:
    """Every engine's figures are the in-memory reference's, to the published digit."""
    reference = ENGINES["memory"](place)
    expected = metric_actuals(PLAN, YEAR, published(reference))
    assert metric_actuals(PLAN, YEAR, published(engine)) == expected


def test_on_track_follows_the_indicator_polarity(place: dict[str, pa.Table]) -> None:
    """All three metrics are lower-is-better: a quarter planned just above its actual is on
    track, one planned just below is not; a quarter with nothing published has no verdict."""
    results = published(ENGINES["duckdb"](place))
    first = metric_actuals(PLAN, YEAR, results)
    delays = next(m for m in first.metrics if m.metric == "discharge_delays")
    q1, q2 = delays.quarters[:2]
    assert q1.actual is not None
    assert q2.actual is not None
    step = Decimal("0.1")
    plan = replan(discharge_delays={"Q1": q1.actual + step, "Q2": q2.actual - step})
    second = metric_actuals(plan, YEAR, results)
    verdicts = [q.on_track for q in _metric(second, "discharge_delays").quarters[:2]]
    assert verdicts == [True, False]
    assert all(q.on_track is None for m in second.metrics for q in m.quarters if q.actual is None)


def test_without_linked_data_the_entered_actuals_are_used_and_marked() -> None:
    """No indicator results at all: discharge delays entered for Q1 and Q2 (planned 1.8 and
    1.7 days) are shown as entered and judged by the indicator's polarity (lower is
    better); a quarter with nothing entered has no actual and is named as a problem."""
    entered = {"discharge_delays": {"Q1": Decimal("1.5"), "Q2": Decimal("2.0")}}
    report = metric_actuals(PLAN, YEAR, {}, entered)
    delays = _metric(report, "discharge_delays")
    assert [(q.actual, q.source, q.on_track) for q in delays.quarters] == [
        (Decimal("1.5"), "entered", True),
        (Decimal("2.0"), "entered", False),
        (None, "entered", None),
        (None, "entered", None),
    ]
    missing = {p.path for p in report.problems}
    assert "metrics.discharge_delays.Q3" in missing
    assert "metrics.emergency_admissions_65_plus.Q1" in missing
    assert "metrics.discharge_delays.Q1" not in missing


def test_a_metric_without_an_indicator_is_entered() -> None:
    """Unlinked, a metric is entered even when its indicator's data are there; with no
    indicator it has no polarity, so no verdict."""
    items = tuple(
        m.model_copy(update={"indicator": None}) if m.id == "discharge_delays" else m
        for m in YEAR.metrics.items or ()
    )
    unlinked = YEAR.model_copy(update={"metrics": YEAR.metrics.model_copy(update={"items": items})})
    computed = [{"period": "2025/26 Q1", "value": 9.9, "lower": 8.0, "upper": 12.0}]
    entered = {"discharge_delays": {"Q1": Decimal("1.2")}}
    report = metric_actuals(PLAN, unlinked, {"discharge-delay": computed}, entered)
    q1 = _metric(report, "discharge_delays").quarters[0]
    assert (q1.actual, q1.source, q1.lower, q1.on_track) == (Decimal("1.2"), "entered", None, None)


def test_a_suppressed_quarter_is_from_data_without_a_value(engine_for_small: Engine) -> None:
    """Two discharges in Q1 are too few to publish: the metric says so rather than falling
    back to a figure entered by hand."""
    rows = compute(indicators()["discharge-delay"], engine_for_small, QUARTERS[:1]).rows
    entered = {"discharge_delays": {"Q1": Decimal("1.0")}}
    report = metric_actuals(PLAN, YEAR, {"discharge-delay": rows}, entered)
    q1 = _metric(report, "discharge_delays").quarters[0]
    assert (q1.source, q1.suppressed, q1.actual, q1.on_track) == ("from data", True, None, None)


@pytest.fixture(params=PARAMS)
def engine_for_small(request: pytest.FixtureRequest) -> Engine:
    tables = make_tables(
        persons=[{"person_id": "a"}],
        apc_spells=[
            {"person_id": "a", "admidate": date(2025, 4, 1), "disdate": date(2025, 4, 9),
             "disreadydate": date(2025, 4, 5)},
            {"person_id": "a", "admidate": date(2025, 5, 1), "disdate": date(2025, 5, 4),
             "disreadydate": date(2025, 5, 4)},
        ],
    )  # fmt: skip
    build: Callable[[dict[str, pa.Table]], Engine] = ENGINES[request.param]
    return build(tables)


def test_problems_are_data_not_exceptions() -> None:
    report = metric_actuals(PLAN, fw.framework("2026/27"), {})
    assert (report.metrics, [p.path for p in report.problems]) == ((), ["year"])
    entered = {"falls": {"Q1": Decimal(1)}, "discharge_delays": {"Q5": 1, "Q1": "about 2"}}
    unknown = metric_actuals(PLAN, YEAR, {}, entered)
    paths = {p.path for p in unknown.problems}
    assert {"entered.falls", "entered.discharge_delays.Q5", "entered.discharge_delays.Q1"} <= paths
    delays = _metric(unknown, "discharge_delays").quarters[0]
    assert (delays.actual, delays.source) == (None, "entered")


def test_a_framework_metric_must_name_a_shipped_indicator() -> None:
    data = yamlio.load(yamlio.dump(YEAR.model_dump(mode="python")))
    data["metrics"]["items"][1]["indicator"] = "discharge-delays-typo"
    with pytest.raises(fw.FrameworkError) as raised:
        fw.parse_framework(yamlio.dump(data), source="broken.yaml")
    (problem,) = raised.value.problems
    assert problem.path == "metrics.items.1.indicator"
    assert "no indicator definition 'discharge-delays-typo'" in problem.rule


def replan(**metrics: dict[str, Decimal]) -> Plan:
    return PLAN.model_copy(update={"metrics": {**PLAN.metrics, **metrics}})


def _metric(report: MetricsReport, metric: str):  # type: ignore[no-untyped-def]
    return next(m for m in report.metrics if m.metric == metric)
