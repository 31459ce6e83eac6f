"""A broken ONS subnational population projection (a CSV or XLSX table with cells changed,
columns or rows dropped, added or shuffled, or bytes that are no table at all) is read or
refused with named problems (``SnppError``, each with file, row, column, value and rule; or
``TableError``), never another exception; whatever is read is persons, finite and not
negative; and the area's rows kept with a saved scenario read back to the same projection."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from onebudget.io.tables import TableError, read_table
from onebudget.scenarios.projection import Projection
from onebudget.scenarios.snpp import SnppError, area_rows, parse_snpp
from tests.property.test_cli_fuzz import table_file
from tests.property.test_yaml_fuzz import FUZZ

HEADER = ["AREA_CODE", "AREA_NAME", "COMPONENT", "SEX", "AGE_GROUP", "2024", "2025", "2026"]
AGES = [str(a) for a in range(90)] + ["90 and over"]
ROWS = [
    [area, "Somewhere", "Population", sex, age, *(str(100 + a + y) for y in range(3))]
    for area in ("E06000001", "E06000002")
    for sex in ("females", "males")
    for a, age in enumerate(AGES)
]
ROWS.insert(5, ["E06000001", "Somewhere", "Population", "persons", "All ages", "1", "2", "3"])


def read(folder: Path, name: str, content: bytes) -> Projection | None:
    path = folder / name
    path.write_bytes(content)
    try:
        return parse_snpp(read_table(path), "E06000001")
    except SnppError as error:
        refused: SnppError | None = error
    except TableError:
        return None
    assert refused is not None
    assert refused.problems
    assert all(p.file == name and p.row >= 1 and p.rule for p in refused.problems)
    return None


def test_the_good_table_is_read(tmp_path: Path) -> None:
    found = read(tmp_path, "snpp.csv", table_bytes())
    assert found is not None
    assert found.start_year == 2024
    assert found.persons[0, :, :90].sum() == 2 * sum(100 + a for a in range(90))


def test_the_area_rows_are_its_header_and_its_rows_only(tmp_path: Path) -> None:
    path = tmp_path / "snpp.csv"
    path.write_bytes(table_bytes())
    kept = area_rows([read_table(path)], " e06000001 ").splitlines()
    assert kept[0] == "AREA_CODE,SEX,AGE_GROUP,2024,2025,2026"
    assert len(kept) == 1 + 2 * 91  # the header, two sexes' ages (not the persons total)
    assert kept[1] == "E06000001,females,0,100,101,102"


def table_bytes() -> bytes:
    text = "\n".join(",".join(row) for row in [HEADER, *ROWS]) + "\n"
    return text.encode()


@settings(FUZZ, max_examples=40)
@given(kind=st.sampled_from(["csv", "xlsx"]), data=st.data())
def test_a_broken_projection_is_read_or_named(
    tmp_path_factory: pytest.TempPathFactory, kind: str, data: st.DataObject
) -> None:
    folder = tmp_path_factory.mktemp("snpp")
    content = data.draw(table_file(HEADER, ROWS, kind))
    found = read(folder, f"snpp.{kind}", content)
    if found is None:
        return
    assert np.isfinite(found.persons).all()
    assert (found.persons >= 0).all()
    kept = folder / "kept.csv"
    kept.write_text(area_rows([read_table(folder / f"snpp.{kind}")], "e06000001"))
    again = parse_snpp(read_table(kept), "E06000001")
    assert again.start_year == found.start_year
    assert np.array_equal(again.persons, found.persons)
