"""Spec (issue 18): the tornado and the indicator a scenario moves, on the engine spec's tiny
place (``test_engine``: 100 women aged 85 and over, 50 emergency admissions a year at
£1,000, the age band growing 10% then 20%; falls prevention reaching 0.5 × 0.8 of them at
half then full scale, £100 a person, cutting their admissions by 20%).

At its central figures the service pays for itself exactly: over the two years 70 people
take it up (22 + 48), costing £7,000, and 7 admissions are avoided (2.2 + 4.8), saving
£7,000: net saving £0. One figure at a time, at its 10th and 90th percentile:

- cost per person, uniform £50 to £150: £60 and £140, so the cost is £4,200 or £9,800 and
  the net saving £2,800 or −£2,800 (swing £5,600);
- the change in admissions, triangular −30% to −10% (mode −20%): the 10th percentile is
  −0.3 + √(0.1 × 0.2 × 0.1) = −0.3 + √0.002 and the 90th −0.1 − √0.002; the saving scales
  with the change, £35,000 × (0.3 − √0.002) = £8,934.75 or £35,000 × (0.1 + √0.002) =
  £5,065.25, so the net saving is £1,934.75 or −£1,934.75 (swing £3,869.50);
- uptake, uniform 60% to 100%: cost and saving both scale with it, so the net saving stays
  £0 (swing £0): an uncertain figure that does not matter is shown as such.
"""

from __future__ import annotations

import math
from decimal import Decimal

import numpy as np
import pytest

from onebudget.scenarios.engine import simulate
from onebudget.scenarios.model import Uncertain
from onebudget.scenarios.results import indicator_rows
from onebudget.scenarios.sensitivity import quantile, tornado
from onebudget.scenarios.summary import central
from tests.spec.scenarios.test_engine import (
    ICB_ACUTE,
    falls_prevention,
    scenario,
    tiny_place,
)


def uncertain_falls_prevention():
    return falls_prevention(
        per_person=Uncertain(uniform=(50, 150)),
        uptake=Uncertain(uniform=(0.6, 1.0)),
        effects=(("emergency_admission", Uncertain(triangular=(-0.3, -0.2, -0.1)), ICB_ACUTE),),
    )


def test_quantiles_of_each_shape() -> None:
    assert quantile(Uncertain(point=0.4), 0.1) == 0.4
    assert quantile(Uncertain(uniform=(50, 150)), 0.1) == pytest.approx(60)
    assert quantile(Uncertain(triangular=(-0.3, -0.2, -0.1)), 0.1) == pytest.approx(
        -0.3 + math.sqrt(0.002)
    )
    assert quantile(Uncertain(triangular=(-0.3, -0.2, -0.1)), 0.9) == pytest.approx(
        -0.1 - math.sqrt(0.002)
    )
    assert quantile(Uncertain(triangular=(0, 0, 1)), 0.5) == pytest.approx(1 - math.sqrt(0.5))


def test_the_tornado_worked_by_hand() -> None:
    found = tornado(
        tiny_place(), scenario(uncertain_falls_prevention()), {"falls-prevention": "Falls"}
    )
    assert found.central == Decimal("0.00")
    bars = {b.name: (b.low, b.high, b.swing) for b in found.bars}
    assert list(bars) == [
        "Falls: cost per person",
        "Falls: change in emergency admissions",
        "Falls: uptake",
    ]  # fmt: skip  (widest swing first)
    assert bars["Falls: cost per person"] == (Decimal("2800.00"), Decimal("-2800.00"),
                                              Decimal("5600.00"))  # fmt: skip
    assert bars["Falls: change in emergency admissions"] == (
        Decimal("1934.75"),
        Decimal("-1934.75"),
        Decimal("3869.50"),
    )
    assert bars["Falls: uptake"] == (Decimal("0.00"), Decimal("0.00"), Decimal("0.00"))


def test_point_figures_have_no_bar() -> None:
    assert tornado(tiny_place(), scenario(falls_prevention()), {}).bars == ()


def test_emergency_admissions_of_people_aged_65_and_over_per_100000() -> None:
    """50 of 100 people, then 52.8 of 110 and 55.2 of 120: 50,000, 48,000 and 46,000 per
    100,000 (everyone in the tiny place is aged 85 or over)."""
    chosen = scenario(falls_prevention())
    rows = indicator_rows(simulate(tiny_place(), chosen), simulate(tiny_place(), central(chosen)),
                          2025)  # fmt: skip
    assert [r["Year"] for r in rows] == ["2025/26", "2026/27", "2027/28"]
    assert [r["Deterministic"] for r in rows] == [50_000.0, 48_000.0, 46_000.0]
    assert [r["Median"] for r in rows] == [50_000.0, 48_000.0, 46_000.0]
    assert np.isclose(rows[1]["10th percentile"], 48_000.0)
