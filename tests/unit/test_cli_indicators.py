import csv
import sys
from pathlib import Path

import pyarrow.csv as pcsv
import pytest
from click.testing import Result
from python_calamine import CalamineWorkbook
from typer.testing import CliRunner

from onebudget.cli.main import app
from onebudget.outcomes.definitions import indicators

runner = CliRunner()


def said(result: Result) -> str:
    """The output as one line: Rich wraps a long message in a box, "│" either side."""
    return " ".join(word for word in result.output.split() if word != "│")


@pytest.fixture(scope="module")
def data(tmp_path_factory: pytest.TempPathFactory) -> Path:
    out = tmp_path_factory.mktemp("synth") / "place"
    result = runner.invoke(
        app, ["synth", "--persons", "5000", "--seed", "8", "--out", str(out), "--no-finance"]
    )
    assert result.exit_code == 0, result.output
    return out


def test_indicators_to_csv_with_breakdowns(data: Path, tmp_path: Path) -> None:
    out = tmp_path / "ind.csv"
    result = runner.invoke(
        app,
        ["indicators", "--data", str(data), "--out", str(out), "--by", "sex", "--years", "2024"],
    )
    assert result.exit_code == 0, result.output
    with out.open(newline="") as file:
        rows = list(csv.DictReader(file))
    assert {r["period"] for r in rows} == {"2024"}
    assert len({r["indicator"] for r in rows}) == len(indicators())
    counted = {i for i, ind in indicators().items() if ind.spec.method != "mean"}
    counts = [r["numerator"] for r in rows if r["indicator"] in counted]
    assert "[c]" in counts  # a suppressed count says so, as the pages do; never an empty cell
    assert all(c == "[c]" or c == "0" or (int(c) >= 10 and int(c) % 5 == 0) for c in counts)
    suppressed = [r for r in rows if r["numerator"] == "[c]"]
    assert all(r["value"] == r["lower"] == r["upper"] == "[c]" for r in suppressed)
    assert all(int(r["denominator"]) % 5 == 0 for r in rows if r["denominator"] != "[c]")
    costs = [r for r in rows if r["indicator"] == "whole-person-cost"]
    assert {r["sex"] for r in costs} == {"female", "male"}
    assert all(float(r["value"]) > 0 and r["lower"] == "" for r in costs)  # no interval


def test_indicators_to_excel(data: Path, tmp_path: Path) -> None:
    out = tmp_path / "ind.xlsx"
    result = runner.invoke(
        app,
        [
            "indicators",
            "--data",
            str(data),
            "--out",
            str(out),
            "--only",
            "falls-65-plus",
            "--engine",
            "memory",
        ],
    )
    assert result.exit_code == 0, result.output
    rows = CalamineWorkbook.from_path(str(out)).get_sheet_by_name("Indicators").to_python()
    assert rows[0][:3] == ["indicator", "name", "period"]
    assert {r[0] for r in rows[1:]} == {"falls-65-plus"}


def test_unknown_indicators_and_engines_are_explained(data: Path, tmp_path: Path) -> None:
    result = runner.invoke(
        app,
        ["indicators", "--data", str(data), "--out", str(tmp_path / "x.csv"), "--only", "nonsense"],
    )
    assert result.exit_code == 2
    assert "nonsense" in result.output
    result = runner.invoke(
        app,
        ["indicators", "--data", str(data), "--out", str(tmp_path / "x.csv"), "--engine", "oracle"],
    )
    assert result.exit_code == 2
    assert "'oracle' is not an engine (expected duckdb, spark or memory)" in said(result)


def test_segments_to_csv(data: Path, tmp_path: Path) -> None:
    out = tmp_path / "segments.csv"
    result = runner.invoke(
        app, ["segments", "--data", str(data), "--out", str(out), "--years", "2024"]
    )
    assert result.exit_code == 0, result.output
    with out.open(newline="") as file:
        rows = list(csv.DictReader(file))
    assert [r["segment"] for r in rows][-1] == "Total"
    assert len(rows) == 9


@pytest.mark.parametrize(
    ("period", "labels"),
    [
        ("financial-year", {"2023/24", "2024/25"}),
        ("quarter", {"2024 Q1", "2024 Q2", "2024 Q3", "2024 Q4"}),
    ],
)
def test_indicators_by_other_periods(
    data: Path, tmp_path: Path, period: str, labels: set[str]
) -> None:
    out = tmp_path / "ind.csv"
    years = "2023-2024" if period == "financial-year" else "2024"
    result = runner.invoke(
        app,
        [
            "indicators",
            "--data",
            str(data),
            "--out",
            str(out),
            "--only",
            "non-elective-admissions",
            "--period",
            period,
            "--years",
            years,
        ],
    )
    assert result.exit_code == 0, result.output
    found = {str(v) for v in pcsv.read_csv(out).column("period").to_pylist()}
    assert found == labels


def test_a_release_1_extract_gives_the_same_indicators(data: Path, tmp_path: Path) -> None:
    import shutil

    import pyarrow.parquet as pq

    from tests.unit.population.test_release_forward import backward

    old = tmp_path / "release-1"
    shutil.copytree(data, old)
    pq.write_table(backward(pq.read_table(old / "asc_cld.parquet")), old / "asc_cld.parquet")
    outputs = []
    for folder, release in ((data, "2"), (old, "1")):
        out = tmp_path / f"r{release}.csv"
        args = ["indicators", "--data", str(folder), "--out", str(out), "--cld-release", release]
        result = runner.invoke(app, args)
        assert result.exit_code == 0, result.output
        outputs.append(out.read_text())
    assert outputs[0] == outputs[1]
    assert "short-term-no-further-request" in outputs[0]


SPARK_HINT = "The Spark engine needs the spark extra: pip install 'onebudget[spark]'"


@pytest.mark.parametrize("module", ["sqlglot", "pyspark"])
def test_the_spark_engine_without_its_extra_says_how_to_install_it(
    data: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch, module: str
) -> None:
    monkeypatch.setitem(sys.modules, module, None)  # `import sqlglot` raises ImportError
    out = tmp_path / "x.csv"
    args = ["indicators", "--data", str(data), "--out", str(out), "--engine", "spark"]
    result = runner.invoke(app, args)
    assert result.exit_code == 2
    assert isinstance(result.exception, SystemExit)
    assert result.output.splitlines() == [SPARK_HINT]  # before the data is read; no traceback
    assert not out.exists()


def test_a_spark_engine_that_cannot_be_imported_says_how_to_install_it(
    data: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The extra's modules are there, but the engine's own import fails as it is loaded."""
    monkeypatch.setitem(sys.modules, "onebudget.outcomes.engines.spark", None)
    args = ["indicators", "--data", str(data), "--out", str(tmp_path / "x.csv")]
    result = runner.invoke(app, [*args, "--engine", "spark", "--only", "falls-65-plus"])
    assert result.exit_code == 2
    assert isinstance(result.exception, SystemExit)
    assert result.output.splitlines()[-1] == SPARK_HINT
    assert "Traceback" not in result.output


def test_a_bad_output_format_or_period_says_what_was_given_and_what_is_expected(
    data: Path, tmp_path: Path
) -> None:
    base = ["indicators", "--data", str(data)]
    result = runner.invoke(app, [*base, "--out", str(tmp_path / "x.json")])
    assert result.exit_code == 2
    assert "'.json' is not an output format (expected one of .csv, .xlsx, .parquet)" in said(result)
    result = runner.invoke(app, [*base, "--out", str(tmp_path / "x.csv"), "--period", "week"])
    assert result.exit_code == 2
    assert "'week' is not a kind of period (expected one of calendar-year," in said(result)
