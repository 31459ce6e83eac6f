from pathlib import Path

import pyarrow.parquet as pq
import pytest
import typer
from typer.testing import CliRunner

from onebudget.cli.main import app
from onebudget.cli.synth import parse_years

runner = CliRunner()


def said(result) -> str:  # type: ignore[no-untyped-def]
    """The output as one line: Rich wraps long messages."""
    return " ".join(result.output.split())


def test_synth_writes_a_place(tmp_path: Path) -> None:
    out = tmp_path / "place"
    result = runner.invoke(
        app,
        [
            "synth",
            "--persons",
            "2000",
            "--seed",
            "3",
            "--out",
            str(out),
            "--years",
            "2024-2025",
            "--no-finance",
        ],
    )
    assert result.exit_code == 0, result.output
    assert "synthetic" in result.output
    admitted = pq.read_table(out / "apc_spells.parquet").column("admidate").to_pylist()
    assert min(admitted).year == 2024
    assert not (out / "ledgers").exists()


def test_synth_refuses_a_folder_with_files(tmp_path: Path) -> None:
    (tmp_path / "keep.txt").write_text("mine")
    result = runner.invoke(app, ["synth", "--persons", "10", "--seed", "1", "--out", str(tmp_path)])
    assert result.exit_code == 2
    assert "the folder is not empty" in said(result)
    assert (tmp_path / "keep.txt").read_text() == "mine"


def test_synth_explains_a_bad_council_code(tmp_path: Path) -> None:
    result = runner.invoke(
        app,
        ["synth", "--persons", "10", "--seed", "1", "--out", str(tmp_path / "x"), "--like", "E99"],
    )
    assert result.exit_code == 2
    assert "'E99': not a lower-tier or unitary council" in said(result)


def test_synth_explains_bad_years(tmp_path: Path) -> None:
    result = runner.invoke(
        app,
        [
            "synth",
            "--persons",
            "10",
            "--seed",
            "1",
            "--out",
            str(tmp_path / "x"),
            "--years",
            "2025-2023",
        ],
    )
    assert result.exit_code == 2
    assert "first before last" in said(result)


def test_a_very_small_place_works(tmp_path: Path) -> None:
    """A place with no falls at all once crashed on an empty array (IndexError)."""
    out = tmp_path / "tiny"
    result = runner.invoke(app, ["synth", "--persons", "3", "--seed", "1", "--out", str(out)])
    assert result.exit_code == 0, result.output
    assert pq.read_table(out / "persons.parquet").num_rows >= 3


def test_a_folder_named_like_markup_is_named_as_it_is(tmp_path: Path) -> None:
    out = tmp_path / "[red]place"
    out.mkdir()
    (out / "keep.txt").write_text("mine")
    result = runner.invoke(app, ["synth", "--persons", "10", "--seed", "1", "--out", str(out)])
    assert result.exit_code == 2
    assert f"{out}: the folder is not empty; choose another or --overwrite" in result.output


@pytest.mark.parametrize(
    ("years", "expected"),
    [
        ("2025-2023", "'2025-2023': 2025 is after 2023 (expected first before last)"),
        ("1999", "'1999': outside 2000-2100 (expected years from 2000 to 2100)"),
        ("next year", "'next year' is not a year (expected 2024, say, or 2023-2025)"),
    ],
)
def test_bad_years_say_what_is_wrong_with_them(years: str, expected: str) -> None:
    with pytest.raises(typer.BadParameter) as caught:
        parse_years(years)
    assert str(caught.value) == expected
