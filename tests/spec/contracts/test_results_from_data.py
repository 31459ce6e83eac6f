"""Spec (issue 17, item 2): an outcome-based contract's indicator results come from the
outcomes engine, with their intervals and disclosure control. For the period paid, each
indicator the contract names takes the value and 95% interval the engine publishes for the
financial quarter (on the in-memory reference and DuckDB: the same figures); a withheld
(suppressed) result, a period outside the data and a result given twice are each named,
never paid on.

The place is a small synthetic one (3,000 people) over 2025 and 2026: its emergency
admissions of people aged 65 and over are published each quarter, its falls are not (a small
count, suppressed).
"""

from __future__ import annotations

from datetime import date
from decimal import Decimal
from importlib import resources
from typing import Any

import pyarrow as pa
import pytest

from onebudget.cli.contract_data import outcome_period, with_results
from onebudget.contracts.inputs import Inputs
from onebudget.contracts.load import load_contract
from onebudget.contracts.model import Contract
from onebudget.contracts.periods import Period, parse_period
from onebudget.contracts.statement import pay
from onebudget.io import yamlio
from onebudget.outcomes.compute import compute
from onebudget.outcomes.definitions import indicators
from onebudget.outcomes.engines import Engine
from onebudget.population.synth.generate import SynthConfig, generate
from tests.spec.outcomes.conftest import ENGINES, PARAMS

EXAMPLE = resources.files("onebudget") / "definitions" / "contracts" / "examples"
SPAN = (date(2025, 1, 1), date(2027, 1, 1))
Q1 = parse_period("2025-Q1")
COST = Inputs(actual_cost={"C-FERN-2025-OUTCOME": Decimal("120000.00")})


def contract(only: str | None = None) -> Contract:
    """The example outcome-based contract, or only its indicator ``only``."""
    data: dict[str, Any] = yamlio.load(
        EXAMPLE.joinpath("outcome_based.yaml").read_text(encoding="utf-8")
    )
    if only is not None:
        data["mechanism"]["indicators"] = [
            i for i in data["mechanism"]["indicators"] if i["indicator"] == only
        ]
    return load_contract(yamlio.dump(data))


@pytest.fixture(scope="module")
def place() -> dict[str, pa.Table]:
    return generate(SynthConfig(persons=3000, seed=2025, first_year=2025, last_year=2026)).tables


@pytest.fixture(params=PARAMS)
def engine(request: pytest.FixtureRequest, place: dict[str, pa.Table]) -> Engine:
    return ENGINES[request.param](place)


def published(engine: Engine, code: str, period: Period) -> dict[str, Any]:
    when = outcome_period(period)
    (row,) = compute(indicators()[code], engine, [when]).rows
    return dict(row)


def test_the_period_is_the_engines_financial_quarter_or_month() -> None:
    assert outcome_period(Q1).label == "2025/26 Q1"
    assert (outcome_period(Q1).start, outcome_period(Q1).end) == (
        date(2025, 4, 1),
        date(2025, 7, 1),
    )
    month = outcome_period(parse_period("2026-01"))
    assert (month.start, month.end) == (date(2026, 1, 1), date(2026, 2, 1))


def test_each_result_is_the_published_value_and_interval(engine: Engine) -> None:
    code = "emergency-admissions-65-plus"
    row = published(engine, code, Q1)
    assert row["value"] is not None
    figures, problems = with_results(contract(code), Q1, COST, engine, SPAN)
    assert problems == []
    six = Decimal("0.000001")
    assert figures.result[code] == Decimal(str(row["value"])).quantize(six)
    assert figures.lower[code] == Decimal(str(row["lower"])).quantize(six)
    assert figures.upper[code] == Decimal(str(row["upper"])).quantize(six)
    assert figures.actual_cost == COST.actual_cost  # the file's figures kept
    step = next(s for s in pay(contract(code), Q1, figures).steps if code in s.what)
    assert step.inputs["result"] == f"{figures.result[code]:,}".rstrip("0").rstrip(".")


def test_a_suppressed_result_is_named_and_not_paid_on(engine: Engine) -> None:
    assert published(engine, "falls-65-plus", Q1)["value"] is None
    _, problems = with_results(contract(), Q1, COST, engine, SPAN)
    assert [(p.path, p.rule.split(":")[0]) for p in problems] == [
        ("data.falls-65-plus.2025-Q1", "withheld by disclosure control (a small count)")
    ]


def test_a_period_outside_the_data_and_a_result_given_twice_are_named(engine: Engine) -> None:
    code = "emergency-admissions-65-plus"
    _, outside = with_results(contract(code), Q1, COST, engine, (date(2024, 1, 1), Q1.start))
    assert [(p.path, p.value) for p in outside] == [("period", "2025-Q1")]
    assert "1 January 2024 to 31 March 2025" in outside[0].rule
    twice = Inputs(result={code: Decimal(1900)})
    _, problems = with_results(contract(code), Q1, twice, engine, SPAN)
    assert [p.path for p in problems] == [f"inputs.result.{code}"]
