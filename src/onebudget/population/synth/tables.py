"""Turn the generator's arrays into Arrow tables that follow ``population.schema`` exactly."""

from __future__ import annotations

from decimal import Decimal
from typing import Any

import numpy as np
import numpy.typing as npt
import pyarrow as pa
import pyarrow.compute as pc

from onebudget.population import schema
from onebudget.population.cips import with_cips
from onebudget.population.synth.ambulatory import Activity
from onebudget.population.synth.cells import FRAILTY_GRADES
from onebudget.population.synth.cld import TEXT_COLUMNS
from onebudget.population.synth.coding import TRANSFER_IN, Coding
from onebudget.population.synth.hospital import Spells
from onebudget.population.synth.people import People
from onebudget.population.synth.place import SynthPlace

CENT = pa.scalar(Decimal("0.01"), pa.decimal128(3, 2))


def money(pence: npt.NDArray[np.int64], missing: npt.NDArray[np.bool_] | None = None) -> pa.Array:
    """Exact pounds from whole pence (no floating point on the way)."""
    exact = pc.multiply(pa.array(pence).cast(pa.decimal128(19, 0)), CENT)
    mask = None if missing is None else pa.array(missing)
    return pc.if_else(mask, None, exact) if mask is not None else exact


def dates(values: npt.NDArray[np.datetime64]) -> pa.Array:
    return pa.array(values, type=pa.date32(), from_pandas=True)


def text(values: np.ndarray, *, blank_is_null: bool = False) -> pa.Array:
    array = pa.array(values.astype(str))
    return pc.if_else(pc.equal(array, ""), None, array) if blank_is_null else array


def build(table: schema.Table, columns: dict[str, Any]) -> pa.Table:
    """An Arrow table with the schema's columns, types and order, or a clear error."""
    missing = [c.name for c in table.columns if c.name not in columns]
    if missing:
        raise KeyError(f"{table.name}: no values for {missing}")
    arrays = [
        pa.array(columns[c.name]).cast(c.type)
        if not isinstance(columns[c.name], pa.Array)
        else columns[c.name].cast(c.type)
        for c in table.columns
    ]
    return pa.Table.from_arrays(arrays, schema=table.arrow_schema())


def pseudonyms(n: int, rng: np.random.Generator) -> pa.Array:
    """Unique random pseudonyms: 'SYN' and 18 digits, unrelated to row order."""
    while True:
        values = rng.integers(10**17, 10**18, size=n, dtype=np.int64)
        if len(np.unique(values)) == n:
            break
    return pc.binary_join_element_wise("SYN", pc.cast(pa.array(values), pa.string()), "")


def persons_table(people: People, place: SynthPlace, ids: pa.Array) -> pa.Table:
    columns: dict[str, Any] = {
        "person_id": ids,
        "sex": people.sex,
        "date_of_birth": dates(people.dob),
        "date_of_death": dates(people.dod),
        "lsoa21": place.lsoa_codes[people.lsoa],
        "local_authority": np.full(len(people.sex), place.council_code),
        "gp_practice_code": np.array(place.practice_codes)[people.practice],
        "imd_decile": people.decile,
        "frailty": np.array(FRAILTY_GRADES)[people.frailty],
    }
    for name in schema.CONDITIONS:
        columns[f"ltc_{name}"] = people.conditions[name]
    return build(schema.PERSONS, columns)


def _order(*keys: np.ndarray) -> npt.NDArray[np.int64]:
    """Rows sorted by date, then person (the first key is the least significant)."""
    return np.asarray(np.lexsort(keys), dtype=np.int64)


def apc_table(
    spells: Spells,
    coded: Coding,
    place: SynthPlace,
    ids: pa.Array,
    ready: npt.NDArray[np.datetime64],
) -> pa.Table:
    """Admitted patient care, one row per provider spell; a transfer in is at the second
    trust, ``ready`` the spells' discharge ready dates (``discharge_ready``), and the
    continuous inpatient spells are derived as on every read."""
    o = _order(spells.admimeth, spells.person, spells.admidate)
    n = len(o)
    second = spells.admimeth[o] == TRANSFER_IN
    columns: dict[str, Any] = {
        "spell_id": np.arange(1, n + 1),
        "person_id": ids.take(pa.array(spells.person[o])),
        "procode3": np.where(second, place.second_acute_trust_code, place.acute_trust_code),
        "admidate": dates(spells.admidate[o]),
        "disdate": dates(spells.disdate[o]),
        "speldur": (spells.disdate[o] - spells.admidate[o]).astype(np.int64),
        "admimeth": spells.admimeth[o],
        "admisorc": coded.admisorc[o],
        "classpat": spells.classpat[o],
        "epitype": np.full(n, "1"),  # general episodes: no deliveries are drawn
        "mainspef": coded.mainspef[o],
        "tretspef": coded.tretspef[o],
        "dismeth": coded.dismeth[o],
        "disdest": spells.disdest[o],
        "disreadydate": dates(ready[o]),
        "cost": money(spells.cost_pence[o]),
    }
    for i, name in enumerate(schema.DIAGNOSES):
        columns[name] = text(spells.diagnoses[o, i], blank_is_null=True)
    for i, (name, day) in enumerate(zip(schema.PROCEDURES, schema.PROCEDURE_DATES, strict=True)):
        columns[name] = text(coded.procedures[o, i], blank_is_null=True)
        columns[day] = dates(coded.procedure_dates[o, i])
    columns.update({name: pa.nulls(n) for name in schema.CIPS_COLUMNS})
    return with_cips(build(schema.APC, columns))


def activity_table(
    table: schema.Table, activity: Activity, ids: pa.Array, fixed: dict[str, Any]
) -> pa.Table:
    """A&E, outpatient or community table: id, person, date, own columns, cost."""
    o = _order(activity.person, activity.date)
    id_name, _, _, date_name = (c.name for c in table.columns[:4])
    columns: dict[str, Any] = {
        id_name: np.arange(1, len(o) + 1),
        "person_id": ids.take(pa.array(activity.person[o])),
        date_name: dates(activity.date[o]),
        "cost": money(activity.cost_pence[o]),
    }
    columns.update({k: np.full(len(o), v) for k, v in fixed.items()})
    columns.update({k: v[o] for k, v in activity.columns.items()})
    return build(table, columns)


def cld_table(
    cld: dict[str, np.ndarray],
    people: People,
    place: SynthPlace,
    ids: pa.Array,
    rng: np.random.Generator,
) -> pa.Table:
    """The CLD table: the council's own person identifiers are a random permutation, and an
    unpaid carer's linked person is the identifier of the person cared for."""
    person, linked = cld["person"], cld["linked"]
    council_ids = np.char.add("LA", (rng.permutation(people.count) + 1_000_000).astype(str))
    unit, tenths = cld["unit_cost_pence"], cld["units_per_week_tenths"]
    frequency = cld["Cost_Frequency_Unit_Type"]
    weekly = np.where(frequency == "Hourly", (unit * tenths + 5) // 10, unit)
    text_columns = {
        name: text(cld[name], blank_is_null=True)
        for name in (*TEXT_COLUMNS, "Service_Type", "Service_Component", "Cost_Frequency_Unit_Type")
    }
    units = pc.multiply(
        pa.array(tenths).cast(pa.decimal128(19, 0)), pa.scalar(Decimal("0.1"), pa.decimal128(2, 1))
    )
    return build(
        schema.CLD,
        {
            "LA_Code": np.full(len(person), place.council_code),
            "LA_Person_Unique_Identifier": council_ids[person],
            "person_id": ids.take(pa.array(person)),
            "Gender": np.where(people.sex[person] == 1, "Male", "Female"),
            "Event_Reference": np.char.add("EV", np.arange(1, len(person) + 1).astype(str)),
            "Event_Start_Date": dates(cld["Event_Start_Date"]),
            "Event_End_Date": dates(cld["Event_End_Date"]),
            "Adult_1_Linked_Person_ID": text(
                np.where(linked >= 0, council_ids[np.maximum(linked, 0)], ""), blank_is_null=True
            ),
            "Unit_Cost": money(unit, unit < 0),
            "Planned_units_per_week": pc.if_else(pa.array(tenths < 0), None, units),
            "Weekly_Cost": money(weekly, (unit < 0) | (frequency == "One-off")),
            **text_columns,
        },
    )
