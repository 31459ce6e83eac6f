"""Spec: the worked plan goes out to its workbook and comes back the same plan; a broken
workbook gives every problem at its sheet, row and column; and ``bcf check`` on the workbook
reports the same problems as on the YAML, at cells in place of lines."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

from typer.testing import CliRunner

from onebudget.bcf.plan import dump_plan, load_plan, read_plan
from onebudget.bcf.workbook import plan_to_workbook, sheets
from onebudget.bcf.workbook_cells import CellProblem
from onebudget.bcf.workbook_read import plan_from_workbook
from onebudget.cli.main import app
from onebudget.io import yamlio
from onebudget.io.excel import workbook_bytes

HERE = Path(__file__).parent
WORKED = HERE / "westvale-2025-26.yaml"
runner = CliRunner()


def test_the_worked_plan_round_trips_through_its_workbook(tmp_path: Path) -> None:
    plan, _ = read_plan(WORKED)
    out = tmp_path / "westvale.xlsx"
    out.write_bytes(plan_to_workbook(plan))
    read = plan_from_workbook(out)
    assert read.problems == ()
    assert read.plan == plan
    assert read.plan is not None
    assert dump_plan(read.plan) == dump_plan(plan)
    assert plan_from_workbook(plan_to_workbook(plan)).plan == plan  # from bytes too


def test_text_that_looks_like_a_formula_or_starts_with_an_apostrophe_round_trips() -> None:
    data = yamlio.load(WORKED.read_text(encoding="utf-8"))
    data["schemes"][0]["name"] = "=SUM(A1:A2)"
    data["schemes"][1]["name"] = "'quoted"
    data["schemes"][2]["provider"] = "-minus"
    data["narrative"] = {"Overview": " two lines\nand a trailing space ", "Risks": ""}
    data["metrics"]["discharge_delays"] = {"Q1": "1.80", "Q3": "0.000001"}
    plan = load_plan(yamlio.dump(data))
    read = plan_from_workbook(plan_to_workbook(plan))
    assert read.plan == plan
    assert read.plan is not None
    assert dump_plan(read.plan) == dump_plan(plan)


def broken() -> bytes:
    """The worked plan's workbook with a sheet renamed, a bad money cell, an unknown column,
    a required cell left blank and a commissioner that is not a choice."""
    plan, _ = read_plan(WORKED)
    book: dict[str, Any] = sheets(plan)
    book["Schemes"] = book.pop("Narrative")  # wrong sheet
    book["Income"][1]["Amount (£)"] = "5,000,000.005"  # row 3: fraction of a penny
    book["Expenditure"] = [{**row, "Colour": "blue"} for row in book["Expenditure"]]
    book["Expenditure"][2]["Provider"] = None  # row 4: required
    book["Expenditure"][4]["Commissioner"] = "District"  # row 6
    return workbook_bytes(book)


def test_a_broken_workbook_gives_every_problem_at_its_cell() -> None:
    read = plan_from_workbook(broken(), source="broken.xlsx")
    assert read.plan is None
    found = {
        (p.sheet, p.row, p.column, p.path) for p in read.problems if isinstance(p, CellProblem)
    }
    assert len(found) == len(read.problems)
    assert found == {
        ("Schemes", None, None, "(workbook)"),
        ("Narrative", None, None, "(workbook)"),
        ("Expenditure", 1, "N", "(workbook)"),
        ("Income", 3, "Amount (£)", "allocations.la_better_care_grant"),
        ("Expenditure", 4, "Provider", "schemes.2.provider"),
        ("Expenditure", 6, "Commissioner", "schemes.4.commissioner"),
    }
    by_path = {p.path: p for p in read.problems}
    assert by_path["allocations.la_better_care_grant"].value == "5,000,000.005"
    assert "whole pence" in by_path["allocations.la_better_care_grant"].rule
    assert by_path["schemes.4.commissioner"].rule == "Council, ICB or Joint"
    unknown = next(p for p in read.problems if getattr(p, "column", "") == "N")
    assert unknown.value == "Colour"
    assert "not a column of Expenditure" in unknown.rule


def test_a_file_that_is_not_a_workbook_is_a_problem_not_a_traceback() -> None:
    read = plan_from_workbook(b"not a zip", source="plan.xlsx")
    assert read.plan is None
    assert [p.rule for p in read.problems] == ["not an XLSX workbook"]


def test_bcf_check_gives_the_same_problems_for_the_workbook_as_for_the_yaml(
    tmp_path: Path,
) -> None:
    data = yamlio.load(WORKED.read_text(encoding="utf-8"))
    data["schemes"][3]["spend"] = "4876543.21"  # the grant 123,456.79 short
    data["conditions"]["NC2"]["confirmed"] = False
    yaml_file = tmp_path / "plan.yaml"
    yaml_file.write_text(yamlio.dump(data), encoding="utf-8")
    xlsx_file = tmp_path / "plan.xlsx"
    assert (
        runner.invoke(app, ["bcf", "export", str(yaml_file), "--out", str(xlsx_file)]).exit_code
        == 0
    )
    from_yaml = _problems(yaml_file)
    from_xlsx = _problems(xlsx_file)
    same = ("path", "value", "rule", "shortfall")
    assert [{k: p[k] for k in same} for p in from_xlsx] == [
        {k: p[k] for k in same} for p in from_yaml
    ]
    assert all(p["line"] for p in from_yaml if not p["path"].startswith("(framework"))
    grant = next(p for p in from_xlsx if p["path"] == "allocations.la_better_care_grant")
    assert (grant["sheet"], grant["row"], grant["column"]) == ("Income", 3, "Amount (£)")
    assert grant["shortfall"] == "123456.79"
    nc2 = next(p for p in from_xlsx if p["path"] == "conditions.NC2")
    assert (nc2["sheet"], nc2["row"]) == ("National conditions", 3)


def _problems(plan: Path) -> list[dict[str, Any]]:
    result = runner.invoke(app, ["bcf", "check", str(plan), "--json"])
    assert result.exit_code == 2, result.output
    problems: list[dict[str, Any]] = json.loads(result.stdout)["problems"]
    return problems


def test_import_writes_the_plan_and_refuses_a_broken_workbook(tmp_path: Path) -> None:
    book = tmp_path / "plan.xlsx"
    assert runner.invoke(app, ["bcf", "export", str(WORKED), "--out", str(book)]).exit_code == 0
    out = tmp_path / "plan.yaml"
    result = runner.invoke(app, ["bcf", "import", str(book), "--out", str(out)])
    assert result.exit_code == 0, result.output
    assert load_plan(out.read_text(encoding="utf-8")) == read_plan(WORKED)[0]
    bad = tmp_path / "broken.xlsx"
    bad.write_bytes(broken())
    refused = runner.invoke(app, ["bcf", "import", str(bad), "--out", str(tmp_path / "no.yaml")])
    assert refused.exit_code == 2
    assert "sheet Income, row 3, column Amount (£)" in refused.output
    assert not (tmp_path / "no.yaml").exists()


def test_export_refuses_text_a_cell_cannot_hold(tmp_path: Path) -> None:
    data = yamlio.load(WORKED.read_text(encoding="utf-8"))
    data["narrative"]["Overview"] = "x" * 32_768
    plan = tmp_path / "long.yaml"
    plan.write_text(yamlio.dump(data), encoding="utf-8")
    out = tmp_path / "long.xlsx"
    result = runner.invoke(app, ["bcf", "export", str(plan), "--out", str(out)])
    assert result.exit_code == 2
    assert "narrative.Overview" in result.output
    assert "32,767" in result.output
    assert not out.exists()
