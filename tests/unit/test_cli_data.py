import io
import json
from datetime import date
from pathlib import Path
from typing import Any

import pyarrow.parquet as pq
import pytest
from rich.console import Console
from typer.testing import CliRunner

from onebudget.cli import data as cli_data
from onebudget.cli.main import app
from onebudget.population.extract import CheckReport, Finding
from tests.spec.outcomes.conftest import make_tables

runner = CliRunner()


@pytest.fixture(autouse=True)
def wide_report(monkeypatch: pytest.MonkeyPatch) -> None:
    """The report is a wide table. Rich fixes a console's width when it is made if COLUMNS
    is set then (as in a pytest-xdist worker), so the width is set on the console itself."""
    monkeypatch.setattr(cli_data.console, "width", 200)


PEOPLE = [{"person_id": "p1"}, {"person_id": "p2", "date_of_death": date(2024, 6, 1)}]
SERVICE = {
    "person_id": "p1",
    "Client_Type": "Service user",
    "Event_Type": "Service",
    "Primary_Support_Reason": "Learning disability support",
}

SPELL = {"person_id": "p1", "admimeth": "21"}  # an emergency admission, its codes all listed
APC_CHECKS = {
    "sus-code",
    "code-form",
    "coding-gap",
    "undated-procedure",
    "date-without-procedure",
    "procedure-outside-spell",
    "discharge-death",
    "unfinished-discharge",
    "open-after-death",
    "transfer-out-unlinked",
    "transfer-in-unlinked",
}


def said(result) -> str:  # type: ignore[no-untyped-def]
    """The output as one line: Rich wraps long messages."""
    return " ".join(result.output.split())


def folder(path: Path, **rows: Any) -> Path:
    path.mkdir()
    rows = {"asc_cld": [SERVICE], **rows}
    for name, table in make_tables(persons=PEOPLE, **rows).items():
        pq.write_table(table, path / f"{name}.parquet")
    return path


def check(*args: str) -> Any:
    return runner.invoke(app, ["data", "check", *args])


def test_a_clean_folder_passes(tmp_path: Path) -> None:
    result = check("--data", str(folder(tmp_path / "place")))
    assert result.exit_code == 0, result.output
    assert "Checked 6 tables, 3 rows: no problems or notes." in said(result)


def test_notes_alone_pass(tmp_path: Path) -> None:
    result = check("--data", str(folder(tmp_path / "place", asc_cld=[{**SERVICE, "Gender": "X"}])))
    assert result.exit_code == 0, result.output
    assert "0 problems, 1 note" in said(result)
    assert "Gender" in said(result)


def test_a_problem_fails_and_is_named(tmp_path: Path) -> None:
    spell = {**SPELL, "person_id": "p2", "admidate": date(2024, 6, 3), "disdate": date(2024, 6, 4)}
    result = check("--data", str(folder(tmp_path / "place", apc_spells=[spell])))
    assert result.exit_code == 1, result.output
    shown = said(result)
    assert "starts-after-death" in shown
    assert "p2 · 1 · 2024-06-03 · 2024-06-01" in shown
    assert "1 problem, 0 notes" in shown


def test_the_report_as_json_and_the_release_checked(tmp_path: Path) -> None:
    carer = {**SERVICE, "Client_Type": "Unpaid carer"}  # Release 2 only
    data = str(folder(tmp_path / "place", asc_cld=[carer]))
    result = check("--data", data, "--json")
    assert result.exit_code == 0, result.output
    assert json.loads(result.stdout)["findings"] == []
    result = check("--data", data, "--json", "--cld-release", "1")
    assert result.exit_code == 1, result.output
    report = json.loads(result.stdout)
    assert (report["cld_release"], report["problems"]) == (1, 1)
    assert report["findings"][0]["examples"][0]["Client_Type"] == "Unpaid carer"
    assert check("--data", data, "--cld-release", "3").exit_code == 2


def test_a_missing_folder_or_file_is_a_clean_error(tmp_path: Path) -> None:
    result = check("--data", str(tmp_path / "nowhere"))
    assert result.exit_code == 2
    assert "nowhere: no such folder" in said(result)
    data = folder(tmp_path / "place")
    (data / "ae_attendances.parquet").unlink()
    result = check("--data", str(data))
    assert result.exit_code == 2
    assert "no ae_attendances.parquet" in said(result)
    assert "Traceback" not in result.output


def test_a_corrupt_file_or_wrong_columns_is_a_clean_error(tmp_path: Path) -> None:
    data = folder(tmp_path / "place")
    (data / "op_appointments.parquet").write_bytes(b"not parquet")
    result = check("--data", str(data))
    assert result.exit_code == 2
    assert "op_appointments.parquet: not a readable Parquet file" in said(result)
    data = folder(tmp_path / "other")
    spells = pq.read_table(data / "apc_spells.parquet").drop_columns(["disdate"])
    pq.write_table(spells.rename_columns({"admidate": "ADMIDATE"}), data / "apc_spells.parquet")
    result = check("--data", str(data))
    assert result.exit_code == 2
    assert "apc_spells.parquet: no column admidate, disdate (found ADMIDATE for admidate" in said(
        result
    )


def test_admitted_care_checks_are_in_the_json_report(tmp_path: Path) -> None:
    day = date(2024, 1, 2)
    spells = [
        {**SPELL, "admidate": day, "disdate": day, "admimeth": "2E", "diag_4_03": "J18.0",
         "opertn_4_01": "W401", "opdate_02": date(2024, 1, 9), "dismeth": "4", "disdest": "51"},
        {**SPELL, "person_id": "p2", "admidate": day, "disdate": None, "speldur": None,
         "admisorc": "51", "opertn_4_01": "W402", "opdate_01": date(2023, 12, 1)},
    ]  # fmt: skip
    result = check("--data", str(folder(tmp_path / "place", apc_spells=spells)), "--json")
    assert result.exit_code == 1, result.output
    findings = json.loads(result.stdout)["findings"]
    assert {f["check"] for f in findings if f["table"] == "apc_spells"} == APC_CHECKS
    coded = next(f for f in findings if f["check"] == "code-form")
    assert coded["examples"] == [
        {"person_id": "p1", "spell_id": 1, "admidate": "2024-01-02", "disdate": "2024-01-02",
         "field": "diag_4_03", "value": "J18.0"}
    ]  # fmt: skip


@pytest.mark.parametrize("width", [80, 60])
def test_a_count_is_never_cut_in_a_narrow_terminal(
    monkeypatch: pytest.MonkeyPatch, width: int
) -> None:
    example = (("person_id", "p1"), ("spell_id", 12), ("opdate_01", date(2023, 12, 1)))
    finding = Finding(
        check="procedure-outside-spell",
        table="apc_spells",
        rule="a procedure is dated within its spell",
        severity="problem",
        count=1_234_567,
        examples=(example,),
        unit="people",
    )
    report = CheckReport(findings=(finding,), rows=(("apc_spells", 2_000_000),), cld_release=2)
    console = Console(file=io.StringIO(), width=width, color_system=None)
    monkeypatch.setattr(cli_data, "console", console)
    cli_data._print(report)
    assert isinstance(console.file, io.StringIO)
    shown = console.file.getvalue()
    assert "1,234,567 people" in shown  # on one line
    assert "…" not in shown
    cells = [line.split("│") for line in shown.splitlines() if line.startswith("│")]
    check, table = ("".join(row[i].strip() for row in cells) for i in (1, 2))
    assert check == "problemprocedure-outside-spell"  # folded onto more lines at worst
    assert table == "apc_spells"
    assert max(len(line) for line in shown.splitlines()) <= width
