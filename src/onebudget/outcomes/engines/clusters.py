"""Episodes of a person's rows, for the in-memory engine (the SQL engines write the same
rule with window functions in ``sql_joins.py``; the cross-engine tests hold them together)."""

from __future__ import annotations

from collections.abc import Callable, Iterable, Mapping
from datetime import date
from itertools import groupby
from typing import Any

from onebudget.outcomes.model import OPEN_END, Cluster, rank_place

Row = Mapping[str, Any]


def cluster_rows(
    rows: Iterable[Row], cluster: Cluster, keep: Callable[[Row], bool]
) -> list[dict[str, Any]]:
    """One row per episode: the member that ends last (see ``model.Cluster``), its start
    and end replaced by the episode's."""
    members = sorted(
        (r for r in rows if r[cluster.start] is not None and keep(r)),
        key=lambda r: (r["person_id"], r[cluster.start]),
    )
    episodes: list[dict[str, Any]] = []
    for _, group in groupby(members, key=lambda r: r["person_id"]):
        for episode in _episodes(list(group), cluster):
            episodes.append(_summary(episode, cluster))
    return episodes


def _episodes(rows: list[Row], cluster: Cluster) -> list[list[Row]]:
    """Split one person's rows (in start order) where a start is more than ``gap_days``
    after the latest end of all earlier rows (DHSC's running maximum)."""
    found: list[list[Row]] = []
    latest = date.min
    for row in rows:
        if found and (row[cluster.start] - latest).days <= cluster.gap_days:
            found[-1].append(row)
        else:
            found.append([row])
        latest = max(latest, row[cluster.end] or OPEN_END)
    return found


def _summary(rows: list[Row], cluster: Cluster) -> dict[str, Any]:
    def order(row: Row) -> tuple[date, int, Any]:
        value = row[cluster.rank_column] if cluster.rank_column else None
        return (row[cluster.end] or OPEN_END, -rank_place(value, cluster.rank), row[cluster.row_id])

    last = max(rows, key=order)
    ends = [r[cluster.end] for r in rows]
    return {
        **last,
        cluster.start: min(r[cluster.start] for r in rows),
        cluster.end: None if None in ends else max(ends),
    }
