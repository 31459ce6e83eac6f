"""An extract made ready for the indicators, with a plain note of everything that changed.

CLD values are put in Release 2's spelling (a Release 1 extract mapped forward), then the
social care table is prepared as DHSC prepares a submission (``main_table``). Nothing is
dropped or emptied without a note saying how many rows and why.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass

import pyarrow as pa
import pyarrow.compute as pc

from onebudget.population.defined_lists import (
    Release,
    canonical_cld,
    forward_to_release_2,
    release_1_to_2,
)
from onebudget.population.main_table import counted, main_table


@dataclass(frozen=True)
class Prepared:
    tables: dict[str, pa.Table]
    notes: tuple[str, ...]


def for_indicators(tables: Mapping[str, pa.Table], release: Release = 2) -> Prepared:
    """The tables as the indicators read them, and what preparing them changed."""
    cld = tables["asc_cld"]
    notes: list[str] = []
    if release == 2:
        cld = canonical_cld(cld)
    else:
        forward = forward_to_release_2(cld)
        notes += _emptied(cld, forward)  # the spelling step never empties a value
        cld = forward
    main = main_table(cld, tables["persons"])
    notes += main.notes()
    return Prepared({**tables, "asc_cld": main.table}, tuple(notes))


def _emptied(before: pa.Table, after: pa.Table) -> list[str]:
    """A note per field for Release 1 values that have no Release 2 value (left empty)."""
    found = []
    for name in release_1_to_2():
        lost = pc.and_(pc.is_valid(before.column(name)), pc.is_null(after.column(name)))
        count = int(pc.sum(lost).as_py() or 0)
        if count:
            found.append(
                f"{counted(count, 'social care row')}: the Release 1 {name} has no Release 2 "
                "value (left empty)"
            )
    return found
