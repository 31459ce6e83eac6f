"""Charts kept by what they show (``onebudget.chart_store``): drawn once for the same
arguments, in memory and in a folder shared by processes, drawn again for new ones."""

from __future__ import annotations

from collections.abc import Iterator
from decimal import Decimal
from pathlib import Path

import pytest

from onebudget import chart_store
from onebudget.allocation.charts import indices_svg
from onebudget.chart_store import kept, key_of

calls: list[tuple[object, ...]] = []


@kept
def drawing(title: str, rows: list[dict[str, object]]) -> str | None:
    calls.append((title, rows))
    return None if not rows else f"<svg>{title} {len(rows)}</svg>"


@pytest.fixture(autouse=True)
def empty_store(tmp_path: Path) -> Iterator[Path]:
    calls.clear()
    chart_store._memory.clear()
    chart_store.keep_in(tmp_path)
    yield tmp_path
    chart_store._memory.clear()
    chart_store.keep_in(None)


def test_the_same_arguments_are_drawn_once_and_new_ones_again() -> None:
    rows = [{"service": "Home care", "amount": Decimal("12.50")}]
    first = drawing("Spend", rows)
    assert drawing("Spend", list(rows)) == first
    assert len(calls) == 1
    changed = [{"service": "Home care", "amount": Decimal("12.51")}]
    drawing("Spend", changed)
    assert len(calls) == 2


def test_another_process_finds_the_chart_in_the_folder(empty_store: Path) -> None:
    drawing("Spend", [{"amount": Decimal(1)}])
    assert len(list(empty_store.glob("*.svg"))) == 1
    chart_store._memory.clear()  # as a second process would start: nothing in memory
    assert drawing("Spend", [{"amount": Decimal(1)}]) == "<svg>Spend 1</svg>"
    assert len(calls) == 1
    assert not list(empty_store.glob("*.part"))


def test_nothing_to_show_is_kept_too() -> None:
    assert drawing("Empty", []) is None
    assert drawing("Empty", []) is None
    assert len(calls) == 1


def test_an_argument_whose_repr_is_not_its_content_is_never_a_key() -> None:
    class Opaque:
        pass

    assert key_of("f", (Opaque(),), {}) is None
    assert key_of("f", (1,), {}) == key_of("f", (1,), {})
    assert key_of("f", (1,), {}) != key_of("g", (1,), {})
    assert key_of("f", (Decimal("1.0"),), {}) != key_of("f", (Decimal("1.00"),), {})


def test_a_library_chart_is_the_same_drawn_or_recalled(empty_store: Path) -> None:
    columns = {"Place A": {"Overall": Decimal("1.020")}, "Place B": {"Overall": Decimal("0.980")}}
    drawn = indices_svg("Need indices", columns)
    chart_store._memory.clear()
    assert indices_svg("Need indices", columns) == drawn
    assert drawn is not None
    assert "Need indices" in drawn
