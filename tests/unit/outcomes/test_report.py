"""The outcomes report of a place: the figures and charts the service's pages show."""

from pathlib import Path

import pytest
from typer.testing import CliRunner

from onebudget.cli.main import app
from onebudget.outcomes.report import PlaceOutcomes


@pytest.fixture(scope="module")
def report(tmp_path_factory: pytest.TempPathFactory) -> PlaceOutcomes:
    """A place of 40,000 people: five GP practices, enough for a funnel plot."""
    out = tmp_path_factory.mktemp("synth") / "place"
    args = ["synth", "--persons", "40000", "--seed", "3", "--out", str(out), "--no-finance"]
    result = CliRunner().invoke(app, args)
    assert result.exit_code == 0, result.output
    return PlaceOutcomes(Path(out))


def test_a_rate_has_a_trend_and_a_funnel_of_its_practices(report: PlaceOutcomes) -> None:
    detail = report.detail("non-elective-admissions")
    assert len(detail.practices) == 5
    assert detail.trend is not None
    assert detail.trend.startswith("<svg")
    assert detail.funnel is not None
    assert detail.funnel.startswith("<svg")
    assert "99.8%" in detail.funnel


def test_cost_per_head_has_practices_but_no_funnel(report: PlaceOutcomes) -> None:
    detail = report.detail("whole-person-cost")
    assert detail.funnel is None
    assert len(detail.practices) == 5
    latest = detail.summary.latest
    assert latest is not None
    assert latest["value"] > 0
    assert latest["lower"] is None
    assert detail.summary.direction == "not judged"


def test_local_authority_breakdown_is_the_place_itself(report: PlaceOutcomes) -> None:
    from onebudget.outcomes.compute import compute
    from onebudget.outcomes.definitions import indicators

    rows = compute(indicators()["falls-65-plus"], report.engine, report.years, ["local_authority"])
    assert {r["local_authority"] for r in rows.rows} == {"E06099001"}
