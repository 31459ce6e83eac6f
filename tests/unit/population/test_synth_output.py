"""The generator's output: reproducible, linked, within its window, exact money, labelled."""

from __future__ import annotations

import json
from decimal import Decimal
from pathlib import Path

import numpy as np
import pyarrow as pa
import pyarrow.compute as pc
import pyarrow.parquet as pq
import pytest

from onebudget.population import schema
from onebudget.population.synth.generate import SynthConfig, SynthData, generate
from onebudget.population.synth.writer import write

ROOT = Path(__file__).resolve().parents[3]


@pytest.fixture(scope="module")
def data() -> SynthData:
    return generate(SynthConfig(persons=10_000, seed=42))


def files(folder: Path) -> dict[str, bytes]:
    return {
        str(p.relative_to(folder)): p.read_bytes() for p in sorted(folder.rglob("*")) if p.is_file()
    }


def test_same_seed_gives_byte_identical_files(tmp_path: Path) -> None:
    config = SynthConfig(persons=3_000, seed=9)
    write(generate(config), tmp_path / "a")
    write(generate(config), tmp_path / "b")
    first, second = files(tmp_path / "a"), files(tmp_path / "b")
    assert first == second
    assert {"persons.parquet", "asc_cld.parquet", "ledgers/icb_gl_QZZ.xlsx"} <= set(first)


def test_different_seeds_give_different_data(tmp_path: Path) -> None:
    write(generate(SynthConfig(persons=3_000, seed=9)), tmp_path / "a")
    write(generate(SynthConfig(persons=3_000, seed=10)), tmp_path / "b")
    first, second = files(tmp_path / "a"), files(tmp_path / "b")
    different = [
        name for name in first if name.endswith(".parquet") and first[name] != second[name]
    ]
    assert len(different) == len(schema.TABLES)


def test_tables_follow_the_schema(data: SynthData) -> None:
    assert [t.name for t in schema.TABLES] == list(data.tables)
    for table in schema.TABLES:
        assert data.tables[table.name].schema.equals(table.arrow_schema()), table.name


def test_every_event_belongs_to_a_known_person(data: SynthData) -> None:
    people = data.tables["persons"].column("person_id")
    assert pc.count_distinct(people).as_py() == len(people)
    for name in (
        "apc_spells",
        "ae_attendances",
        "op_appointments",
        "community_contacts",
        "asc_cld",
    ):
        found = pc.is_in(data.tables[name].column("person_id"), value_set=people)
        assert pc.all(found).as_py(), name


def test_no_nhs_number_is_stored(data: SynthData) -> None:
    for table in data.tables.values():
        assert not any("nhs" in name.lower() for name in table.column_names)
    ids = data.tables["persons"].column("person_id")
    assert pc.all(pc.starts_with(ids, "SYN")).as_py()


def _dates(table: pa.Table, name: str) -> np.ndarray:
    return np.array(table.column(name).to_numpy(zero_copy_only=False), dtype="M8[D]")


def test_hospital_events_fall_inside_the_window_and_life(data: SynthData) -> None:
    spells = data.tables["apc_spells"]
    admitted, discharged = _dates(spells, "admidate"), _dates(spells, "disdate")
    assert admitted.min() >= np.datetime64("2023-01-01")
    assert admitted.max() < np.datetime64("2026-01-01")
    assert (discharged >= admitted).all()
    assert (spells.column("speldur").to_numpy() == (discharged - admitted).astype(int)).all()
    persons = data.tables["persons"]
    index = pc.index_in(spells.column("person_id"), persons.column("person_id")).to_numpy()
    death = _dates(persons, "date_of_death")[index]
    assert (np.isnat(death) | (admitted <= death)).all()
    died = spells.column("disdest").to_numpy(zero_copy_only=False) == "79"
    assert (discharged[died] == death[died]).all()


def test_money_is_exact_pounds_and_pence(data: SynthData) -> None:
    for name in ("apc_spells", "ae_attendances", "op_appointments", "community_contacts"):
        cost = data.tables[name].column("cost")
        assert cost.type == schema.MONEY
        assert set(cost.unique().to_pylist()) <= {
            Decimal(v)
            for v in (
                "5134.00",
                "792.00",
                "6215.00",
                "1031.00",
                "273.00",
                "198.00",
                "129.00",
                "0.00",
                "86.00",
            )
        }, name
    weekly = data.tables["asc_cld"].column("Weekly_Cost").drop_null().to_pylist()
    assert weekly
    assert all(v == v.quantize(Decimal("0.01")) for v in weekly)


def test_files_are_labelled_synthetic(tmp_path: Path) -> None:
    written = write(generate(SynthConfig(persons=1_000, seed=1)), tmp_path, finance=False)
    manifest = json.loads((tmp_path / "manifest.json").read_text())
    assert manifest["synthetic"] is True
    assert manifest["rows"]["persons"] == pq.read_table(tmp_path / "persons.parquet").num_rows
    assert set(manifest["files"]) == {
        str(p.relative_to(tmp_path)) for p in written if p.name != "manifest.json"
    }
    assert "SYNTHETIC DATA" in (tmp_path / "README.md").read_text()


def test_the_data_dictionary_in_docs_is_current() -> None:
    from onebudget.population.synth.writer import data_dictionary

    documented = (ROOT / "docs" / "data-dictionary.md").read_text()
    assert documented.strip() == data_dictionary().strip(), (
        "docs/data-dictionary.md is stale: run "
        "`onebudget data-dictionary --out docs/data-dictionary.md`"
    )
