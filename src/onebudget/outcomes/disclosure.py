"""Disclosure control for everything built on person-level data that leaves an engine.

The rules (NHS England's statistical disclosure control for health and care outputs):
counts of 1 to 7 are suppressed and other counts rounded to the nearest 5; a rate,
percentage or mean built on a suppressed count is suppressed; percentages and crude rates
are recomputed from the rounded counts; a total is the sum of the published cells it totals,
so no suppressed cell can be worked out by subtraction; along a series (months, say), once
any cell is suppressed its zeros are suppressed too, so the suppressed cells' places are not
given away by elimination. The threat each rule answers is in ADR 0018.

``apply(table)`` is the one way out; ``marked(table)`` gives its rows for a file, with a
suppressed cell written ``[c]``. A ``StatTable`` names the role of each column, so the
rules follow the data without guessing from column names.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field, replace
from decimal import Decimal
from typing import Any, Literal

from onebudget.outcomes.suppression import (
    ROUND_TO,
    SMALLEST_PUBLISHED,
    complementary,
    round_count,
    zeros_along,
)

__all__ = ["ROUND_TO", "SMALLEST_PUBLISHED", "round_count"]  # and what is defined here

TOTAL = "Total"
WAIVED = "NOT DISCLOSURE-CONTROLLED"  # how a waived table's note begins
SUPPRESSED = "[c]"  # the Government Statistical Service's marker for a confidential cell
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

    ``series``: a dimension along which cells form a series (``period``, say). Where a cell
    of a series is suppressed, its zeros are suppressed too: a year's 3 events suppressed
    beside eleven months shown as 0 would show the month they happened in.

    ``partitions``: dimensions whose cells add up to a figure published without them (the
    people of each sex add up to all the people). Cells are suppressed beside a suppressed
    one until the total and the others no longer pin it (``suppression.complementary``).

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
    series: str | None = None
    partitions: tuple[str, ...] = ()


@dataclass(frozen=True)
class Waiver:
    """Permission, granted to a named person for a stated reason, to see figures without
    disclosure control. The library only records it in the output's notes: the service
    decides who holds one (an organisation's admin grants it; every use is audited)."""

    holder: str
    reason: str

    def note(self) -> str:
        return (
            f"{WAIVED}: shown to {self.holder} only, under a waiver "
            f"({self.reason}). Do not share or publish."
        )


def waived(table: StatTable, waiver: Waiver) -> StatTable:
    """The table as it is, marked with the waiver that allows it to be seen."""
    return replace(table, notes=(*table.notes, waiver.note()))


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


def _published_counts(table: StatTable) -> dict[tuple[int, str], int | None]:
    """(row, count) -> the count as published, unless the row totals others."""
    dims = table.dimensions
    cells = [i for i, row in enumerate(table.rows) if not _is_total(row, dims)]
    series = table.series
    zeros_hidden = series is not None and len({table.rows[i].get(series) for i in cells}) > 1
    out = {  # a total row that totals none of the rows is controlled as a cell of its own
        (i, name): round_count(row[name])
        for i, row in enumerate(table.rows)
        for name in table.counts
    }
    for name in table.counts:
        hidden = zeros_along(table.rows, cells, name, series, dims) if series else set()
        published = {i: None if i in hidden else round_count(table.rows[i][name]) for i in cells}
        if table.partitions:
            complementary(table.rows, published, table.partitions, dims, name, zeros_hidden)
        out.update({(i, name): value for i, value in published.items()})
    return out


def apply(table: StatTable) -> StatTable:
    """The table as it may be published. Applying it twice changes nothing more."""
    if table.controlled:
        return table
    _check(table)
    dims = table.dimensions
    counts = _published_counts(table)
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
                out[name] = counts[(i, name)]
        _derive(out, row, table, totalled)
        published[i] = out
    notes = (
        *table.notes,
        "Counts of 1 to 7 are suppressed and others rounded to the nearest 5;"
        " totals are the sum of the published figures.",
    )
    rows = tuple(published[i] for i in range(len(table.rows)))
    return replace(table, rows=rows, controlled=True, notes=notes)


def marked(table: StatTable) -> list[dict[str, Any]]:
    """The rows of a published (or waived) table for a file: a suppressed count, and a
    figure built on one, is ``[c]``; a figure that does not apply (no interval for a mean,
    say) stays empty. A table that has been through neither is refused."""
    if not table.controlled and not any(n.startswith(WAIVED) for n in table.notes):
        raise DisclosureError("only a published or waived table can be written out")
    rows = []
    for row in table.rows:
        out = dict(row)
        for name in table.counts:
            if row.get(name) is None:
                out[name] = SUPPRESSED
        for name, spec in table.derived.items():
            bases = (spec.on, spec.over) if spec.over else (spec.on,)
            if row.get(name) is None and any(row.get(b) is None for b in bases):
                out[name] = SUPPRESSED
        rows.append(out)
    return rows
