"""``onebudget bcf return``: the worked plan's return from its fund's actuals (table, JSON and
workbook), and every problem in a bad input named with its file and place, exit 2, never a
traceback and nothing written."""

from __future__ import annotations

import json
from pathlib import Path

from typer.testing import CliRunner

from onebudget.bcf.framework import framework
from onebudget.bcf.plan import read_plan
from onebudget.bcf.to_fund import build_agreement
from onebudget.cli.main import app
from onebudget.figures import MINUS
from onebudget.io import yamlio

runner = CliRunner()
WORKED = Path(__file__).parents[1] / "spec" / "bcf" / "westvale-2025-26.yaml"
ACTUALS = """scheme_code,month,actual
BCF-S01,2025-04,100000.00
BCF-S01,2025-07,200000.50
BCF-S02,2025-05,50000.25
"""
METRICS = """metrics:
  discharge_delays:
    Q1: {actual: 1.9, source: from data, on_track: false, challenges: Winter beds}
    Q2: {actual: 1.6, on_track: true, achievements: Fewer delays}
"""


def fund(tmp_path: Path, extra: bool = False) -> list[str]:
    """The worked plan's agreement (as ``bcf fund`` builds it) and its actuals, as options."""
    built = build_agreement(
        read_plan(WORKED)[0], framework("2025/26"), host="E10099001", pool_manager="Head"
    )
    assert built.agreement is not None
    data = built.agreement
    if extra:
        data["schemes"].append({"code": "BCF-X1", "name": "Winter pressures",
                                "contributions": {"QZZ": "1000.00"}})  # fmt: skip
    agreement, actuals = tmp_path / "agreement.yaml", tmp_path / "actuals.csv"
    agreement.write_text(yamlio.dump(data), encoding="utf-8")
    more = "BCF-X1,2025-08,75.00\n" if extra else ""
    actuals.write_text(ACTUALS + more, encoding="utf-8")
    return ["--agreement", str(agreement), "--actuals", str(actuals)]


def test_a_quarter_2_return_as_json_and_a_workbook(tmp_path: Path) -> None:
    metrics, out = tmp_path / "metrics.yaml", tmp_path / "return.xlsx"
    metrics.write_text(METRICS, encoding="utf-8")
    args = ["bcf", "return", str(WORKED), "--quarter", "Q2", *fund(tmp_path)]
    result = runner.invoke(app, [*args, "--metrics", str(metrics), "--out", str(out), "--json"])
    assert result.exit_code == 0, result.output
    found = json.loads(result.stdout)
    assert found["return"] == "Quarter 2 2025/26"
    s01 = found["schemes"][0]
    assert s01["quarters"] == {"Q1": "100000.00", "Q2": "200000.50"}
    assert (s01["to_date"], s01["variance"]) == ("300000.50", "-3855999.50")
    assert found["schemes"][2]["to_date"] == "0.00"  # a scheme with no spend shows £0.00
    assert found["total"]["to_date"] == "350000.75"
    delays = [m for m in found["metrics"] if m["metric"] == "discharge_delays"]
    assert [(m["quarter"], m["actual"], m["source"]) for m in delays] == [
        ("Q1", "1.9", "from data"),
        ("Q2", "1.6", "entered"),
    ]
    assert out.read_bytes()[:2] == b"PK"
    assert f"{out}: the return written." in result.stderr


def test_the_return_as_tables_on_the_terminal(tmp_path: Path) -> None:
    args = ["bcf", "return", str(WORKED), "--quarter", "year-end", *fund(tmp_path)]
    result = runner.invoke(app, args, terminal_width=200)
    assert result.exit_code == 0, result.output
    assert "Westvale: Year end 2025/26" in result.stdout
    assert f"to date £350,000.75, variance {MINUS}£16,399,999.25" in result.stdout
    assert "NC3 confirmed" in result.stdout


def test_a_bad_metrics_file_names_every_problem_and_writes_nothing(tmp_path: Path) -> None:
    metrics, out = tmp_path / "metrics.yaml", tmp_path / "return.xlsx"
    metrics.write_text(
        "metrics:\n"
        "  discharge_delays:\n"
        "    Q1: {actual: -1, source: guessed}\n"
        "    Q3: {actual: 1.5}\n"
        "  made_up:\n"
        "    Q1: {actual: 2, colour: red}\n",
        encoding="utf-8",
    )
    args = ["bcf", "return", str(WORKED), "--quarter", "Q2", *fund(tmp_path)]
    result = runner.invoke(app, [*args, "--metrics", str(metrics), "--out", str(out)])
    assert result.exit_code == 2
    lines = result.stderr.splitlines()
    expected = [
        "line 3, metrics.discharge_delays.Q1.actual: -1: Input should be greater than or equal",
        "line 3, metrics.discharge_delays.Q1.source: 'guessed': Input should be 'from data' or",
        "line 6, metrics.made_up.Q1.colour: 'red': Extra inputs are not permitted",
        "line 4, metrics.discharge_delays.Q3: 'Q3': after the return's quarter",
        "line 6, metrics.made_up: 'made_up': not a metric of the year or the plan",
    ]
    assert len(lines) == len(expected)
    for line, words in zip(lines, expected, strict=True):
        assert line.startswith(f"{metrics}: {words}")
    assert "Traceback" not in result.output
    assert not out.exists()


def test_metrics_that_are_not_yaml_or_not_there_are_named(tmp_path: Path) -> None:
    broken = tmp_path / "broken.yaml"
    broken.write_text("metrics: [unclosed\n", encoding="utf-8")
    args = ["bcf", "return", str(WORKED), "--quarter", "Q1", *fund(tmp_path)]
    for path, words in ((broken, str(broken)), (tmp_path / "nope.yaml", "cannot be read")):
        result = runner.invoke(app, [*args, "--metrics", str(path), "--json"])
        assert result.exit_code == 2
        assert words in result.stderr
        assert json.loads(result.stdout)["problems"][0]["file"] == str(path)
        assert "Traceback" not in result.output


def test_spend_on_a_fund_scheme_not_in_the_plan_is_refused_by_name(tmp_path: Path) -> None:
    args = ["bcf", "return", str(WORKED), "--quarter", "Q2", *fund(tmp_path, extra=True)]
    result = runner.invoke(app, args)
    assert result.exit_code == 2
    assert "scheme_code BCF-X1: £75.00 spent to date on Winter pressures" in result.stderr
