"""``onebudget contract pay --data DIR``: an outcome-based contract's results read from a
place's linked data by the outcomes engine; what cannot be paid on (a suppressed result, a
period the data do not cover) is named, exit 2, and no statement is printed."""

from __future__ import annotations

from importlib import resources
from pathlib import Path

import pytest
from typer.testing import CliRunner

from onebudget.cli.main import app

runner = CliRunner()
OUTCOME = str(resources.files("onebudget") / "definitions/contracts/examples/outcome_based.yaml")


@pytest.fixture(scope="module")
def data(tmp_path_factory: pytest.TempPathFactory) -> Path:
    out = tmp_path_factory.mktemp("synth") / "place"
    made = runner.invoke(
        app,
        ["synth", "--persons", "2000", "--seed", "3", "--out", str(out), "--no-finance",
         "--years", "2024-2025"],
    )  # fmt: skip
    assert made.exit_code == 0, made.output
    return out


def pay(period: str, *more: str) -> list[str]:
    return ["contract", "pay", "--contract", OUTCOME, "--period", period, *more]


def test_a_suppressed_result_or_a_period_outside_the_data_is_named(data: Path) -> None:
    found = runner.invoke(app, pay("2025-Q1", "--data", str(data), "--json"))
    assert found.exit_code == 2
    assert "data.falls-65-plus.2025-Q1: withheld by disclosure control" in found.stderr
    assert found.stdout == ""
    outside = runner.invoke(app, pay("2025-Q4", "--data", str(data)))
    assert outside.exit_code == 2
    assert "a period the data cover: they run from 1 January 2024 to 31 December 2025" in (
        outside.stderr
    )


def test_the_figures_come_from_a_file_the_data_or_both() -> None:
    neither = runner.invoke(app, pay("2025-Q1"))
    assert neither.exit_code == 2
    assert "give the period's figures (--inputs), its data (--data) or both" in neither.stderr
