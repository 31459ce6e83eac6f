"""Engines that evaluate measures of the query model: in-memory (the reference) and DuckDB."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any, Protocol

from onebudget.outcomes.calendar import Period
from onebudget.outcomes.model import Measure

Key = tuple[Any, ...]  # (period label, *breakdown values)


class Engine(Protocol):
    name: str

    def evaluate(
        self, measure: Measure, periods: Sequence[Period], by: Sequence[str]
    ) -> dict[Key, Any]:
        """The measure's value for each period and breakdown group that has any rows."""
        ...
