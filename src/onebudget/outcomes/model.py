"""The query model: indicators as small immutable graphs that every engine interprets.

An indicator is a numerator and a denominator, each a *measure* over the linked tables:
count the rows of a *source* in a period, sum a column, count distinct people, count the
people alive on the ONS mid-year date, or count people once each by the highest tier their
rows reach. A source is a table, the date that places each row in a period (and the day the
person's age is taken on), a condition on the row and conditions on the person's *related*
rows (has, or has not, another row dated relative to this one: a readmission within 30
days, a care-home placement in the 365 days before), optionally after merging the person's
rows into *clusters* (episodes of short-term support with gaps of at most a week).

Nothing here knows SQL or Python loops: the engines (``engines/``) do, and the spec tests
hold them to the same answers (after OpenSAFELY's ehrQL).
"""

from __future__ import annotations

from dataclasses import dataclass, replace
from datetime import date
from typing import Literal

Scalar = str | int | float | bool | None
AGE = "__age__"  # the person's age in completed years on the source's age day
AGE_CLD = "__age_cld__"  # the same day's age as DHSC derives it from CLD (calendar.age_cld)
OPEN_END = date(9000, 1, 1)  # an empty end date compares as this in every engine (still running)


def rank_place(value: Scalar, rank: tuple[str, ...]) -> int:
    """A value's place in ``rank``; unlisted and empty values come last (after them all)."""
    return rank.index(value) if value in rank else len(rank)


@dataclass(frozen=True)
class Col:
    name: str


@dataclass(frozen=True)
class Const:
    value: Scalar


@dataclass(frozen=True)
class Order:
    """One key related rows are sorted by: a column (``date``/``end`` for the source's own,
    an empty end sorting as still running) ascending or ``descending``, or by its place in
    ``rank`` (unlisted and empty values last), or with the values in ``first`` before all
    others (tied among themselves). Empty values always sort last."""

    column: str
    descending: bool = False
    rank: tuple[str, ...] = ()
    first: tuple[str, ...] = ()


@dataclass(frozen=True)
class RelatedValue:
    """The ``column`` of the first, by ``order`` and then by the greatest row id, of the
    person's rows of ``source`` meeting every relation to the tested row; empty if none
    does (DHSC's "best ranked service in the 7 days after", "latest assessment")."""

    source: Source
    when: tuple[Relation, ...]
    column: str
    order: tuple[Order, ...] = ()

    def __post_init__(self) -> None:
        _plain((self.source,))


@dataclass(frozen=True)
class BestOf:
    """Of ``values``, the one that comes first in ``rank``; values not in it are passed over,
    so it is empty when none is ranked (DHSC's "minimum hierarchy over the sources")."""

    values: tuple[Value, ...]
    rank: tuple[str, ...]


@dataclass(frozen=True)
class When:
    """``value`` where ``condition`` holds, else empty."""

    condition: Expr
    value: Value


@dataclass(frozen=True)
class FirstOf:
    """The first of ``values`` that is not empty (DHSC's steps, tried in order)."""

    values: tuple[Value, ...]


Value = Col | Const | RelatedValue | BestOf | When | FirstOf


@dataclass(frozen=True)
class Compare:
    op: Literal["=", "!=", "<", "<=", ">", ">="]
    left: Value
    right: Value


@dataclass(frozen=True)
class In:
    column: Value
    values: tuple[Scalar, ...]


@dataclass(frozen=True)
class StartsWith:
    column: Value
    prefixes: tuple[str, ...]


@dataclass(frozen=True)
class IsNull:
    column: Value


@dataclass(frozen=True)
class Not:
    expr: Expr


@dataclass(frozen=True)
class All:
    exprs: tuple[Expr, ...]


@dataclass(frozen=True)
class AnyOf:
    exprs: tuple[Expr, ...]


Expr = Compare | In | StartsWith | IsNull | Not | All | AnyOf
TRUE = All(())


AgeDay = Literal["date", "end", "period_mid", "period_last_day"]


@dataclass(frozen=True)
class Relation:
    """One comparison between a related row and the row being tested: ``inner`` (``date``/
    ``end`` for its source's date and end columns, or another column) ``op`` ``outer`` (the
    same, of the tested row) plus ``days`` (dates only). An empty end date is a row still
    running, so it compares as later than any day (as DHSC's 9999-01-01). ``=`` on ids
    finds the other rows of one stay (the first hospital of a continuous inpatient spell)."""

    inner: str
    op: Literal["<", "<=", ">", ">=", "="]
    outer: str
    days: int = 0


@dataclass(frozen=True)
class Related:
    """The tested row's person has (``negate``: has no) row of any of ``sources`` meeting
    every relation. Related sources are not cut to the period: a readmission after the
    period ends still counts for a discharge inside it."""

    sources: tuple[Source, ...]
    when: tuple[Relation, ...]
    negate: bool = False

    def __post_init__(self) -> None:
        _plain(self.sources)


PLAIN = "a related source is a plain table's rows (no related rows or episodes of its own)"


def _plain(sources: tuple[Source, ...]) -> None:
    """Related rows are read straight from their table, in every engine."""
    if not all(s.plain for s in sources):
        raise ValueError(PLAIN)


@dataclass(frozen=True)
class Cluster:
    """Merge each person's ``members`` rows into episodes before anything else: in order of
    ``start``, a row starting at most ``gap_days`` after the latest ``end`` of the person's
    earlier rows joins their episode (DHSC's ST-Max clustering). An episode's ``start`` is
    its first, its ``end`` its last (empty if any row is open); its other columns are those
    of the row that ends last, ties going to the row whose ``rank_column`` comes first in
    ``rank`` (unlisted values last), then to the greatest ``row_id``."""

    start: str
    end: str
    gap_days: int
    members: Expr
    row_id: str
    rank_column: str | None = None
    rank: tuple[str, ...] = ()


@dataclass(frozen=True)
class Carried:
    """A column carried onto each of a source's rows before anything else reads them: the
    ``value`` of one related row (the latest discharge linked to a reablement episode, say),
    so that the period, the ages and the relations can be taken from it. Its relations
    name the row's own columns, never ``date`` or ``end`` (which may be the carried one)."""

    name: str
    value: RelatedValue


@dataclass(frozen=True)
class Source:
    """Rows of ``table`` whose ``date`` falls in the period (with ``end``: whose date..end
    interval overlaps it, an empty end meaning still open; with ``snapshot`` too: that are
    open on the period's last day). ``age_on`` is the day a person's age is taken on: the
    row's date by default, the middle of the period for rows that run over time; ``end``
    is the last day the row ran in the period (its end, or the period's last day). ``carry``
    adds columns to each row first (after ``cluster``); ``date`` may be one of them."""

    table: str
    date: str
    where: Expr = TRUE
    end: str | None = None
    snapshot: bool = False
    age_on: AgeDay | None = None
    related: tuple[Related, ...] = ()
    cluster: Cluster | None = None
    carry: tuple[Carried, ...] = ()

    @property
    def plain(self) -> bool:
        return self.cluster is None and not self.related and not self.carry

    @property
    def age_day(self) -> AgeDay:
        if self.age_on is not None:
            return self.age_on
        return "period_mid" if self.end else "date"

    def column(self, name: str) -> str:
        """A real column name for ``date``/``end`` or any other column."""
        if name == "date":
            return self.date
        if name == "end":
            return self.end or self.date
        return name


@dataclass(frozen=True)
class Count:
    source: Source


@dataclass(frozen=True)
class Sum:
    """The ``column`` of the source's rows, summed. With ``days_from`` (both dates): the
    days from that column to ``column`` in each row, summed (a discharge's delay, from its
    ready date to its discharge); a row missing either date adds nothing."""

    source: Source
    column: str
    days_from: str | None = None


@dataclass(frozen=True)
class Persons:
    source: Source


@dataclass(frozen=True)
class Population:
    """People alive on the ONS mid-year date of the period (``Period.mid_year``: 30 June),
    their age taken then, as the ONS mid-year estimates a published rate is over count."""

    where: Expr = TRUE


@dataclass(frozen=True)
class Highest:
    """People, each counted once, by the highest of ``tiers`` (the first is highest) that
    any of their rows of ``source`` in the period meets, if that tier is one of
    ``counted`` (indexes into ``tiers``). A person's breakdown is that of their earliest
    row at the tier (then the youngest age). Examples: ASCOF 3D's highest setting on 31
    March; ASCOF 2B/2C, where a person admitted in both age bands counts once, in 18-64."""

    source: Source
    tiers: tuple[Expr, ...]
    counted: tuple[int, ...]


def followed_by(
    index: Source,
    outcomes: tuple[Source, ...],
    days: int,
    after: str | None = None,
    negate: bool = False,
) -> Count:
    """Index rows whose person has an outcome row dated 1 to ``days`` days after the index
    row's ``after`` column (``negate``: index rows with no such outcome)."""
    anchor = after or "date"
    window = (Relation("date", ">", anchor), Relation("date", "<=", anchor, days))
    related = Related(outcomes, window, negate)
    return Count(replace(index, related=(*index.related, related)))


@dataclass(frozen=True)
class Spend:
    """Money in whole pence. Without ``per_days``: the ``column`` (pounds) of each row dated
    in the period. With ``per_days`` (a source with an ``end``): the column is a price per
    so many days, charged for the days the row ran within the period (its end day
    included), rounded half up to the penny row by row, as a council's payments are."""

    source: Source
    column: str
    per_days: int | None = None


@dataclass(frozen=True)
class Total:
    """The sum of several money measures (a person's whole health and care cost, say)."""

    parts: tuple[Spend, ...]


Measure = Count | Sum | Persons | Population | Highest | Spend | Total
Method = Literal["proportion", "rate", "dsr", "mean"]
