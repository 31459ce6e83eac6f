"""``onebudget bcf check``: every problem, exit 0 with none and 2 with any, JSON on request,
and a clear error (never a traceback) for a file that cannot be read."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from typer.testing import CliRunner

from onebudget.cli import bcf as cli_bcf
from onebudget.cli.main import app
from onebudget.io import yamlio
from tests.spec.bcf.test_plan_checks import COMPLETE

runner = CliRunner()
WORKED = Path(__file__).parents[1] / "spec" / "bcf" / "westvale-2025-26.yaml"


def write(tmp_path: Path, change: object = None) -> Path:
    data = yamlio.load(WORKED.read_text(encoding="utf-8"))
    if callable(change):
        change(data)
    out = tmp_path / "plan.yaml"
    out.write_text(yamlio.dump(data), encoding="utf-8")
    return out


def test_help_says_xlsx_comes_later() -> None:
    result = runner.invoke(app, ["bcf", "check", "--help"])
    assert result.exit_code == 0
    assert "XLSX" in result.output


def test_the_shipped_2025_26_framework_gaps_are_problems_with_exit_2() -> None:
    result = runner.invoke(app, ["bcf", "check", str(WORKED), "--json"])
    assert result.exit_code == 2, result.output
    found = json.loads(result.stdout)
    assert found["file"] == str(WORKED)
    assert [p["path"] for p in found["problems"]] == [
        "(framework bcf-2025-26).out_of_hospital",
        "(framework bcf-2025-26).national_conditions",
        "(framework bcf-2025-26).scheme_types",
    ]
    assert set(found["problems"][0]) == {"path", "line", "value", "rule", "shortfall"}


def test_a_shortfall_is_shown_in_pounds_on_its_line(tmp_path: Path) -> None:
    def change(d: dict) -> None:
        d["schemes"][3]["spend"] = "4876543.21"

    plan = write(tmp_path, change)
    result = runner.invoke(app, ["bcf", "check", str(plan), "--json"])
    assert result.exit_code == 2
    stream = next(
        p for p in json.loads(result.stdout)["problems"] if p["path"].startswith("allocations")
    )
    assert stream["shortfall"] == "123456.79"
    lines = plan.read_text(encoding="utf-8").splitlines()
    assert lines[stream["line"] - 1].strip().startswith("la_better_care_grant:")
    table = runner.invoke(app, ["bcf", "check", str(plan)], terminal_width=200)
    assert "123,456.79" in table.output


def test_a_plan_without_problems_exits_0(monkeypatch: pytest.MonkeyPatch) -> None:
    # The shipped 2025/26 lacks figures, so no plan passes it yet: check the clean path
    # against the spec tests' year with the gaps filled by test-only values
    monkeypatch.setattr(cli_bcf, "framework", lambda year: COMPLETE)
    result = runner.invoke(app, ["bcf", "check", str(WORKED), "--json"])
    assert result.exit_code == 0, result.output
    assert json.loads(result.stdout)["problems"] == []
    assert runner.invoke(app, ["bcf", "check", str(WORKED)]).exit_code == 0


def test_an_unreadable_file_is_a_clear_error(tmp_path: Path) -> None:
    missing = runner.invoke(app, ["bcf", "check", str(tmp_path / "nope.yaml")])
    assert missing.exit_code == 2
    assert "cannot be read" in missing.output
    assert "Traceback" not in missing.output
    binary = tmp_path / "plan.yaml"
    binary.write_bytes(b"\xff\xfe\x00bad")
    result = runner.invoke(app, ["bcf", "check", str(binary)])
    assert result.exit_code == 2
    assert "not UTF-8" in result.output
    broken = tmp_path / "broken.yaml"
    broken.write_text("hwb: [unclosed\n", encoding="utf-8")
    assert runner.invoke(app, ["bcf", "check", str(broken)]).exit_code == 2
