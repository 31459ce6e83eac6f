"""Continuous inpatient spells: hospital provider spells linked across transfers.

A patient moved from one hospital to another in the same stay has two provider spells in
SUS, one per provider. The national measures count the stay once: emergency readmissions
are pairs of continuous inpatient spells (CIPS), and an admission "excluding transfers" is
the first provider spell of one. The rule is the HSCIC Provider Spells Methodology as the
HES pipelines that reproduce it transcribe it (ADR 0013): a spell continues the person's
previous one when it starts no more than ``GAP_DAYS`` after that one's discharge and a
transfer is recorded on either side (the discharge destination or the source of admission
is another NHS hospital provider, or the admission method is a transfer). Regular day and
night attenders are never linked, and nothing follows a death.

The link is derived, never read from an extract: ``with_cips`` replaces the ``cips_``
columns whenever a table is read, so every engine sees the same spells.
"""

from __future__ import annotations

import numpy as np
import numpy.typing as npt
import pyarrow as pa
import pyarrow.compute as pc

from onebudget.population import schema

GAP_DAYS = 3
TRANSFER_PROVIDER = ("51", "52", "53")  # admisorc / disdest: another NHS hospital provider
TRANSFER_METHODS = ("2B", "81")  # admimeth: transfer in an emergency, or other transfer
REGULAR_ATTENDERS = (3, 4)  # classpat
DIED = "79"  # disdest
DIED_METHOD = "4"  # dismeth

Bools = npt.NDArray[np.bool_]


def _text(table: pa.Table, name: str) -> npt.NDArray[np.str_]:
    return np.asarray(pc.fill_null(table.column(name), "").to_numpy(zero_copy_only=False), str)


def _days(table: pa.Table, name: str) -> npt.NDArray[np.float64]:
    """Days since 1970 as floats, NaN where empty (an unfinished spell)."""
    values = pc.cast(table.column(name), pa.int32())
    return np.asarray(pc.fill_null(pc.cast(values, pa.float64()), np.nan), dtype=np.float64)


def _continues(table: pa.Table, order: npt.NDArray[np.int64]) -> Bools:
    """For each spell in ``order``, whether it continues the spell before it."""
    person = _text(table, "person_id")[order]
    start, end = _days(table, "admidate")[order], _days(table, "disdate")[order]
    source, method = _text(table, "admisorc")[order], _text(table, "admimeth")[order]
    destination, how = _text(table, "disdest")[order], _text(table, "dismeth")[order]
    regular = np.isin(
        pc.fill_null(table.column("classpat"), 0).to_numpy()[order], REGULAR_ATTENDERS
    )
    link = np.zeros(len(order), dtype=bool)
    prev = slice(None, -1)
    transfer = (
        np.isin(destination[prev], TRANSFER_PROVIDER)
        | np.isin(source[1:], TRANSFER_PROVIDER)
        | np.isin(method[1:], TRANSFER_METHODS)
    )
    alive = (destination[prev] != DIED) & (how[prev] != DIED_METHOD)
    soon = (start[1:] - end[prev]) <= GAP_DAYS  # False when the earlier spell is unfinished
    same = person[1:] == person[prev]
    link[1:] = same & transfer & alive & soon & ~regular[1:] & ~regular[prev]
    return link


def with_cips(table: pa.Table) -> pa.Table:
    """The admitted care table with its ``cips_`` columns derived from the provider spells."""
    if table.num_rows == 0:
        return table
    spell = table.column("spell_id").to_numpy().astype(np.int64)
    keys = (spell, _days(table, "disdate"), _days(table, "admidate"), _text(table, "person_id"))
    order = np.asarray(np.lexsort(keys), dtype=np.int64)
    link = _continues(table, order)
    group = np.cumsum(~link) - 1
    starts = np.flatnonzero(~link)
    ends = np.append(starts[1:], len(order)) - 1
    first, last = order[starts][group], order[ends][group]
    values = {
        "cips_id": pa.array(spell[first], pa.int64()),
        "cips_first": pa.array(~link),
        "cips_last": pa.array(np.append(~link[1:], True)),
        "cips_admidate": table.column("admidate").take(pa.array(first)),
        "cips_disdate": table.column("disdate").take(pa.array(last)),
    }
    back = np.argsort(order)  # the values are in linked order; the table keeps its own
    for name in schema.CIPS_COLUMNS:
        index = table.schema.get_field_index(name)
        column = pc.take(values[name], pa.array(back))
        table = table.set_column(index, table.schema.field(index), column)
    return table
