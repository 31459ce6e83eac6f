"""A seeded-defect corpus: every import rule broken once in every layout we ship, each
detected with its file, row, column and value, and nothing loaded.

Layouts: the synthetic council's CSV (one signed amount, dd/mm/yyyy dates) and the Westvale
export (title rows, debit and credit columns, yyyymm periods). Each defect is seeded into a
different row of one copy of the ledger, so one run must report every one of them.
"""

from __future__ import annotations

import csv
import shutil
from pathlib import Path

import pytest
from typer.testing import CliRunner

from onebudget.cli.main import app
from onebudget.spend.mapping import EXAMPLES, LedgerFileError, read_ledger, read_mapping

runner = CliRunner()
MAPPINGS = Path(str(EXAMPLES))

# rule -> (column role, a value that breaks it)
DEFECTS = {
    "amount is a number": ("amount", "twelve pounds"),
    "amount is whole pence": ("amount", "10.005"),
    "month is a date in the layout's form": ("month", "31/13/2025"),
    "cost centre is given": ("cost_centre", ""),
    "account is given": ("account", ""),
}


@pytest.fixture(scope="module")
def council(tmp_path_factory: pytest.TempPathFactory) -> Path:
    out = tmp_path_factory.mktemp("synth") / "place"
    args = ["synth", "--persons", "1500", "--seed", "9", "--out", str(out)]
    assert runner.invoke(app, args).exit_code == 0
    return out / "ledgers"


def layouts(council: Path) -> list[tuple[Path, Path]]:
    return [
        (council, MAPPINGS / "E06099001.yaml"),
        (MAPPINGS / "westvale", MAPPINGS / "westvale" / "E06099002.yaml"),
    ]


def seed(folder: Path, mapping_path: Path, into: Path) -> dict[str, tuple[int, str, str]]:
    """Copy the ledger with one defect per rule; return rule -> (row, column, value)."""
    mapping = read_mapping(mapping_path)
    source = folder / mapping.file
    with source.open(newline="", encoding="utf-8") as handle:
        rows = list(csv.reader(handle))
    header_at = (mapping.header_row or 1) - 1
    header = rows[header_at]
    columns = {**mapping.columns, "month": mapping.month_column}
    seeded = {}
    for offset, (rule, (role, value)) in enumerate(DEFECTS.items(), start=1):
        name = columns.get(role) or columns["debit"]  # a debit/credit layout's amount
        index = header_at + offset
        rows[index][header.index(name)] = value
        seeded[rule] = (index + 1, name, value)
    into.mkdir(parents=True, exist_ok=True)
    with (into / mapping.file).open("w", newline="", encoding="utf-8") as handle:
        csv.writer(handle).writerows(rows)
    return seeded


@pytest.mark.parametrize("layout", [0, 1], ids=["council-csv", "westvale-debit-credit"])
def test_every_seeded_defect_is_found_and_nothing_is_loaded(
    council: Path, tmp_path: Path, layout: int
) -> None:
    folder, mapping_path = layouts(council)[layout]
    seeded = seed(folder, mapping_path, tmp_path / "ledgers")
    with pytest.raises(LedgerFileError) as caught:
        read_ledger(tmp_path / "ledgers", read_mapping(mapping_path))
    found = {(p.row, p.column, p.value) for p in caught.value.problems}
    for rule, where in seeded.items():
        assert where in found, f"{rule} not detected at {where}"
    mappings = tmp_path / "mappings"
    mappings.mkdir()
    shutil.copy(mapping_path, mappings)
    out = tmp_path / "spend.xlsx"
    args = [
        "spend",
        "--ledgers",
        str(tmp_path / "ledgers"),
        "--mapping",
        str(mappings),
        "--out",
        str(out),
    ]
    result = runner.invoke(app, args)
    assert result.exit_code == 2
    assert not out.exists()
