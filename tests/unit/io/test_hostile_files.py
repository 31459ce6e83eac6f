"""Hostile spreadsheets are refused before a parser reads them; exports cannot run formulas."""

import zipfile
from decimal import Decimal
from pathlib import Path

import pytest
import yaml
from python_calamine import CalamineWorkbook

from onebudget.funds.agreement import AgreementError
from onebudget.funds.validation import load_agreement
from onebudget.io import tables, yamlio
from onebudget.io.excel import write_sheets
from onebudget.io.tables import TableError, read_table


def workbook(path: Path) -> Path:
    return write_sheets(path, {"Sheet1": [{"a": "x", "b": Decimal("1.00")}]})


def test_a_good_workbook_reads(tmp_path: Path) -> None:
    table = read_table(workbook(tmp_path / "ok.xlsx"))
    assert table.header == ("a", "b")


def test_a_workbook_that_declares_entities_is_refused(tmp_path: Path) -> None:
    good = workbook(tmp_path / "good.xlsx")
    evil = tmp_path / "evil.xlsx"
    with zipfile.ZipFile(good) as src, zipfile.ZipFile(evil, "w") as dst:
        for item in src.infolist():
            data = src.read(item)
            if item.filename == "xl/worksheets/sheet1.xml":
                doctype = b'<!DOCTYPE x [<!ENTITY e SYSTEM "file:///etc/passwd">]>'
                data = data.replace(b"?>", b"?>" + doctype, 1)
            dst.writestr(item, data)
    with pytest.raises(TableError, match="declares XML entities"):
        read_table(evil)


def test_a_zip_bomb_is_refused(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(tables, "MAX_UNPACKED", 1024 * 1024)
    bomb = tmp_path / "bomb.xlsx"
    with zipfile.ZipFile(bomb, "w", compression=zipfile.ZIP_DEFLATED) as z:
        z.writestr("xl/worksheets/sheet1.xml", b"0" * (4 * 1024 * 1024))
    assert bomb.stat().st_size < 50_000
    with pytest.raises(TableError, match="unpacks to 4 MB"):
        read_table(bomb)


@pytest.mark.parametrize(("name", "content"), [("x.xlsx", b"a,b\n1,2\n"), ("x.pdf", b"%PDF")])
def test_the_wrong_kind_of_file_is_refused(tmp_path: Path, name: str, content: bytes) -> None:
    path = tmp_path / name
    path.write_bytes(content)
    with pytest.raises(TableError):
        read_table(path)


def test_an_oversize_file_is_refused(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(tables, "MAX_BYTES", 10)
    path = tmp_path / "big.csv"
    path.write_text("a,b\n1,2\n3,4\n")
    with pytest.raises(TableError, match="larger than"):
        read_table(path)


@pytest.mark.parametrize("text", ["=1+1", "+SUM(A1)", "-2+3", "@cmd", "\tx", "\rx"])
def test_exported_text_that_looks_like_a_formula_is_neutralised(tmp_path: Path, text: str) -> None:
    path = write_sheets(tmp_path / "out.xlsx", {"S": [{"text": text}]})
    (_, (cell,)) = CalamineWorkbook.from_path(str(path)).get_sheet_by_name("S").to_python()
    assert cell == "'" + text


def test_yaml_aliases_are_refused_before_they_can_expand() -> None:
    """A "billion laughs": nine lines that would expand to 10^9 items if aliases were followed."""
    lines = ["a0: &a0 [x, x, x, x, x, x, x, x, x, x]"]
    lines += [f"a{i}: &a{i} [{', '.join([f'*a{i - 1}'] * 10)}]" for i in range(1, 9)]
    bomb = "\n".join(lines) + "\n"
    with pytest.raises(yaml.YAMLError, match="aliases"):
        yamlio.load(bomb)
    with pytest.raises(AgreementError, match="aliases"):
        load_agreement(bomb)
    assert yamlio.load("a: [1, 2]\nb: 1.10\n") == {"a": [1, 2], "b": Decimal("1.10")}
