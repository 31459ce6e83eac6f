"""Disclosure control for everything built on person-level data that leaves an engine.

The rules (NHS England's statistical disclosure control for health and care outputs):
counts of 1 to 7 are suppressed and other counts rounded to the nearest 5; a rate,
percentage or mean built on a suppressed count is suppressed; percentages and crude rates
are recomputed from the rounded counts; a total is the sum of the published cells it totals,
so no suppressed cell can be worked out by subtraction.

``apply(table)`` is the one way out. A ``StatTable`` names the role of each column, so the
rules follow the data without guessing from column names.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field, replace
from decimal import Decimal
from typing import Any, Literal

TOTAL = "Total"
SMALLEST_PUBLISHED = 8
ROUND_TO = 5
Kind = Literal[
    "percentage", "crude_rate", "rate", "mean", "interval", "ratio", "amount", "per_head"
]
RECOMPUTED: frozenset[str] = frozenset({"percentage", "crude_rate"})
PENNY = Decimal("0.01")


class DisclosureError(ValueError):
    """The table cannot be published as given (a count that is not a whole number, say)."""


@dataclass(frozen=True)
class Derived:
    """A column computed from counts.

    ``on`` is the count it is built on (suppressed with it); ``over`` the denominator count,
    if any (suppressed with it too). Percentages and crude rates are recomputed from the
    published counts: ``on / over × multiplier``, rounded to ``decimals``. An ``amount`` (a
    cost, say) is additive: a total row's is the sum of the published cells', so a
    suppressed cell's amount is never the total less the others. A ``per_head`` figure is
    recomputed as the published ``amount`` column over the published count, to the penny,
    so the two give back only the published count. Other kinds (a directly standardised
    rate, a mean, an interval limit) keep their value unless suppressed.
    """

    kind: Kind
    on: str
    over: str | None = None
    multiplier: float = 1.0
    decimals: int = 1
    amount: str | None = None  # for per_head: the amount column it divides


@dataclass(frozen=True)
class StatTable:
    """Rows of a statistical output, and the role of each column.

    A row whose value in a dimension is ``TOTAL`` totals the rows that match it on every
    other dimension; if the table holds none of them (an all-ages standardised rate, say),
    the row is data in its own right and is controlled like any other cell.
    """

    dimensions: tuple[str, ...]
    counts: tuple[str, ...]
    derived: Mapping[str, Derived] = field(default_factory=dict)
    rows: tuple[Mapping[str, Any], ...] = ()
    controlled: bool = False
    notes: tuple[str, ...] = ()


@dataclass(frozen=True)
class Waiver:
    """Permission, granted to a named person for a stated reason, to see figures without
    disclosure control. The library only records it in the output's notes: the service
    decides who holds one (an organisation's admin grants it; every use is audited)."""

    holder: str
    reason: str

    def note(self) -> str:
        return (
            f"NOT DISCLOSURE-CONTROLLED: shown to {self.holder} only, under a waiver "
            f"({self.reason}). Do not share or publish."
        )


def waived(table: StatTable, waiver: Waiver) -> StatTable:
    """The table as it is, marked with the waiver that allows it to be seen."""
    return replace(table, notes=(*table.notes, waiver.note()))


def round_count(value: int) -> int | None:
    """A published count: None (suppressed) for 1-7, else the nearest multiple of 5."""
    if value == 0:
        return 0
    if value < SMALLEST_PUBLISHED:
        return None
    return ROUND_TO * ((value + ROUND_TO // 2) // ROUND_TO)


def _check(table: StatTable) -> None:
    problems = []
    for name, spec in table.derived.items():
        for base in (spec.on, spec.over):
            if base is not None and base not in table.counts:
                problems.append(f"column {name!r} is built on {base!r}, which is not a count")
    for i, row in enumerate(table.rows):
        for name in table.counts:
            value = row.get(name)
            if isinstance(value, bool) or not isinstance(value, int) or value < 0:
                problems.append(f"row {i}, column {name!r}: {value!r} is not a whole count >= 0")
    if problems:
        raise DisclosureError("; ".join(problems))


def _is_total(row: Mapping[str, Any], dimensions: Sequence[str]) -> bool:
    return any(row.get(d) == TOTAL for d in dimensions)


def _totalled_by(
    total: Mapping[str, Any], row: Mapping[str, Any], dimensions: Sequence[str]
) -> bool:
    """Whether a cell row is counted in a total row (agrees where the total is not TOTAL)."""
    return all(total[d] == TOTAL or total[d] == row[d] for d in dimensions)


def _derive(
    row: dict[str, Any],
    original: Mapping[str, Any],
    table: StatTable,
    cells: Sequence[Mapping[str, Any]] = (),
) -> None:
    """The derived columns of a published row; ``cells``: the published cells it totals."""
    ordered = sorted(table.derived.items(), key=lambda item: item[1].kind == "per_head")
    for name, spec in ordered:
        base = row[spec.on]
        denominator = row[spec.over] if spec.over is not None else 1
        if base is None or denominator is None:
            row[name] = None
        elif spec.kind == "amount":
            parts = [c[name] for c in cells if c[name] is not None]
            row[name] = sum(parts, type(original[name])(0)) if cells else original.get(name)
        elif spec.kind == "per_head":
            amount = row[spec.amount] if spec.amount else None
            row[name] = None if amount is None or not base else _per_head(amount, base)
        elif spec.kind in RECOMPUTED:
            row[name] = (
                None
                if not denominator
                else round(base / denominator * spec.multiplier, spec.decimals)
            )
        else:
            row[name] = original.get(name)


def _per_head(amount: Any, people: int) -> Any:
    if isinstance(amount, Decimal):
        return (amount / people).quantize(PENNY)
    return round(amount / people, 2)


def apply(table: StatTable) -> StatTable:
    """The table as it may be published. Applying it twice changes nothing more."""
    if table.controlled:
        return table
    _check(table)
    dims = table.dimensions
    published: dict[int, dict[str, Any]] = {}
    order = sorted(range(len(table.rows)), key=lambda i: _is_total(table.rows[i], dims))
    for i in order:  # the cells first: a total is built from its published cells
        row = table.rows[i]
        out = dict(row)
        total = _is_total(row, dims)
        totalled = [
            published[j]
            for j in published
            if total
            and not _is_total(table.rows[j], dims)
            and _totalled_by(row, table.rows[j], dims)
        ]
        for name in table.counts:
            if totalled:
                out[name] = sum(c[name] for c in totalled if c[name] is not None)
            else:
                out[name] = round_count(row[name])
        _derive(out, row, table, totalled)
        published[i] = out
    notes = (
        *table.notes,
        "Counts of 1 to 7 are suppressed and others rounded to the nearest 5;"
        " totals are the sum of the published figures.",
    )
    rows = tuple(published[i] for i in range(len(table.rows)))
    return replace(table, rows=rows, controlled=True, notes=notes)
