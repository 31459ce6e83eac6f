"""Spec: a budget allocated to places by need, with pace of change, to the penny."""

from __future__ import annotations

from decimal import Decimal
from pathlib import Path

import pytest
from python_calamine import CalamineWorkbook
from typer.testing import CliRunner

from onebudget.allocation.budget import BudgetError, allocate_budget, load_budget
from onebudget.allocation.targets import pace_of_change
from onebudget.cli.main import app

D = Decimal
EXAMPLE = (
    Path(__file__).resolve().parents[3]
    / "src/onebudget/definitions/allocation/west-yorkshire-2025-26.yaml"
)


def test_pace_of_change_worked_by_hand() -> None:
    """£1,100 for two areas on £500 each, needs 3:1 (targets £825 and £275). Both grow 1%
    (£505 each, £1,010); the £90 left goes to A, below target; B stays at the floor, though
    above target, because the floor protects it."""
    paced = pace_of_change(
        D("1100.00"), {"A": D("500.00"), "B": D("500.00")}, {"A": D(3), "B": D(1)},
        floor=D("0.01"), cap=D("0.05"),
    )  # fmt: skip
    assert (paced["A"].target, paced["A"].allocation) == (D("825.00"), D("595.00"))
    assert (paced["B"].target, paced["B"].allocation) == (D("275.00"), D("505.00"))
    assert round(paced["A"].distance_after, 3) == D("-0.279")


def test_the_cap_limits_growth_once_targets_are_met() -> None:
    """Needs equal, both start at £100, budget £260: targets £130 each. Floor 0%: £200; the
    £60 left closes both gaps (£30 each)."""
    paced = pace_of_change(
        D("260.00"), {"A": D("100.00"), "B": D("100.00")}, {"A": D(1), "B": D(1)},
        floor=D("0"), cap=D("0.40"),
    )  # fmt: skip
    assert [p.allocation for p in paced.values()] == [D("130.00"), D("130.00")]


def test_the_example_budget_adds_up_at_every_level(tmp_path: Path) -> None:
    config = load_budget(EXAMPLE.read_text(), source=EXAMPLE.name)
    result = allocate_budget(config)
    assert sum(sum(parts.values()) for parts in result.by_place.values()) == config.budget
    assert sum(p.allocation for p in result.paced.values()) == config.budget
    for parts in result.by_place.values():
        assert set(parts) == {c.name for c in config.components}
    out = tmp_path / "allocation.xlsx"
    cli = ["allocate", "budget", "--config", str(EXAMPLE), "--out", str(out)]
    result = CliRunner().invoke(app, cli)
    assert result.exit_code == 0, result.output
    rows = CalamineWorkbook.from_path(str(out)).get_sheet_by_name("Allocation").to_python()
    assert [r[0] for r in rows[1:]] == ["Bradford", "Calderdale", "Kirklees", "Leeds", "Wakefield"]


def test_every_problem_in_a_budget_config_is_named() -> None:
    text = (
        EXAMPLE.read_text()
        .replace("share: 0.80", "share: 0.70")
        .replace("Leeds: {lad: E08000035}", "Leeds: {}")
    )
    with pytest.raises(BudgetError) as caught:
        load_budget(text, source="x.yaml")
    paths = {p.path for p in caught.value.problems}
    assert {"components", "places.Leeds"} <= paths
