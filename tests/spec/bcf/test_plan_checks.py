"""Spec: a worked Better Care Fund plan passes every check, and one variant of it fails each
check with the shortfall in pounds worked by hand.

The shipped 2025/26 framework lacks figures we could not confirm (the scheme-type taxonomy,
whether there is an out-of-hospital minimum, the national conditions in full), so the plan
is checked against it for exactly those named gaps, and against a copy with the gaps filled
by test-only values (``COMPLETE``) for the passing and failing cases.
"""

from __future__ import annotations

from decimal import Decimal
from pathlib import Path
from typing import Any

import pytest

from onebudget.bcf import framework as fw
from onebudget.bcf.checks import asc_minimum, check_plan, commissioned, notes
from onebudget.bcf.plan import Plan, PlanError, dump_plan, load_plan, read_plan
from onebudget.io import yamlio

HERE = Path(__file__).parent
WORKED = HERE / "westvale-2025-26.yaml"
REAL = fw.framework("2025/26")
# Test-only values in place of what the definitions lack: not published figures
COMPLETE = REAL.model_copy(
    update={
        "out_of_hospital": fw.OutOfHospital(status="defined", source="test only"),
        "national_conditions": fw.Conditions(items=REAL.national_conditions.items),
        "scheme_types": fw.SchemeTypes(
            items=(
                fw.SchemeType(name="Home care"),
                fw.SchemeType(name="Urgent community response"),
                fw.SchemeType(name="Intermediate care", sub_types=("Bed-based", "Home-based")),
                fw.SchemeType(name="Residential and home care"),
                fw.SchemeType(name="Adaptations", sub_types=("Disabled Facilities Grant",)),
                fw.SchemeType(name="Carers"),
            )
        ),
    }
)


def worked() -> dict[str, Any]:
    data: dict[str, Any] = yamlio.load(WORKED.read_text(encoding="utf-8"))
    return data


def variant(change: Any) -> Plan:
    """The worked plan with ``change`` made to its data, through YAML as a person writes it."""
    data = worked()
    change(data)
    return load_plan(yamlio.dump(data))


def scheme(data: dict[str, Any], sid: str) -> dict[str, Any]:
    found: dict[str, Any] = next(s for s in data["schemes"] if s["id"] == sid)
    return found


def only(plan: Plan) -> Any:
    problems = check_plan(plan, COMPLETE)
    assert len(problems) == 1, [str(p) for p in problems]
    return problems[0]


def test_the_worked_plan_passes_every_check() -> None:
    plan, _ = read_plan(WORKED)
    assert check_plan(plan, COMPLETE) == []


def test_against_the_shipped_2025_26_it_is_told_exactly_what_the_definitions_lack() -> None:
    plan, _ = read_plan(WORKED)
    paths = [p.path for p in check_plan(plan, REAL)]
    assert paths == [
        "(framework bcf-2025-26).out_of_hospital",
        "(framework bcf-2025-26).national_conditions",
        "(framework bcf-2025-26).scheme_types",
    ]
    assert all("not published in the definitions" in p.rule for p in check_plan(plan, REAL))


def test_a_2026_27_plan_names_the_missing_uplift() -> None:
    plan = variant(lambda d: d.update(year="2026/27"))
    rules = [p.rule for p in check_plan(plan, fw.framework("2026/27"))]
    assert any(
        r.startswith(
            "2026/27: the uplift of the NHS minimum contribution to adult social care not "
            "published in the definitions"
        )
        for r in rules
    )


def test_a_stream_not_planned_in_full_is_short_by_the_pounds_left() -> None:
    # grant 5,000,000.00 - S04's 4,876,543.21 = 123,456.79 unplanned
    problem = only(variant(lambda d: scheme(d, "S04").update(spend="4876543.21")))
    assert problem.path == "allocations.la_better_care_grant"
    assert problem.shortfall == Decimal("123456.79")
    assert problem.rule.startswith("£123,456.79 unplanned")


def test_a_stream_planned_beyond_its_allocation_is_over_by_a_penny() -> None:
    # additional 250,000.00 - S06's 250,000.01 = -0.01: a penny over
    problem = only(variant(lambda d: scheme(d, "S06").update(spend="250000.01")))
    assert problem.path == "allocations.additional_council"
    assert problem.shortfall == Decimal("-0.01")
    assert problem.rule.startswith("£0.01 over")


def test_adult_social_care_short_of_last_years_uplifted() -> None:
    # 4,100,000.00 x 1.039 = 4,259,900.00 required; S01 plans 4,156,000.00: 103,900.00 short
    problem = only(variant(lambda d: d.update(asc_last_year="4100000.00")))
    assert problem.path == "asc_last_year"
    assert problem.shortfall == Decimal("103900.00")


def test_the_uplifted_minimum_is_rounded_half_up_to_the_penny() -> None:
    # 4,000,015.00 x 1.039 = 4,156,015.585: half up 4,156,015.59 (half even would be .58);
    # S01 plans 4,156,000.00, so 15.59 short
    assert asc_minimum(Decimal("4000015.00"), Decimal("3.9")) == Decimal("4156015.59")
    problem = only(variant(lambda d: d.update(asc_last_year="4000015.00")))
    assert problem.shortfall == Decimal("15.59")


def test_out_of_hospital_spend_short_of_the_minimum() -> None:
    # S03 no longer out of hospital: S02's 3,200,000.00 against 3,250,000.50 = 50,000.50 short
    def change(d: dict[str, Any]) -> None:
        scheme(d, "S03")["nhs_out_of_hospital"] = False
        d["out_of_hospital_minimum"] = "3250000.50"

    problem = only(variant(change))
    assert problem.path == "out_of_hospital_minimum"
    assert problem.shortfall == Decimal("50000.50")


def test_a_year_without_an_out_of_hospital_minimum_is_a_note_not_a_problem() -> None:
    year = COMPLETE.model_copy(
        update={"out_of_hospital": fw.OutOfHospital(status="not_in_framework")}
    )
    plan = variant(lambda d: d.update(out_of_hospital_minimum=None))
    assert check_plan(plan, year) == []
    assert any("not in this year's framework" in n for n in notes(plan, year))


def test_the_dfg_not_passed_in_full_to_the_districts() -> None:
    # 1,500,000.00 - (900,000.00 + 599,999.99) = 0.01 not passed
    problem = only(variant(lambda d: d["dfg_passed"].update(E07099002="599999.99")))
    assert problem.path == "dfg_passed"
    assert problem.shortfall == Decimal("0.01")
    assert "not passed to the housing authorities" in problem.rule


def test_a_national_condition_not_confirmed() -> None:
    problem = only(variant(lambda d: d["conditions"].update(NC2={"confirmed": False})))
    assert problem.path == "conditions.NC2"
    assert "Implementing the objectives of the BCF" in problem.rule


def test_a_metric_quarter_without_a_trajectory() -> None:
    problem = only(variant(lambda d: d["metrics"]["discharge_delays"].pop("Q3")))
    assert problem.path == "metrics.discharge_delays.Q3"


def test_a_sub_type_not_of_the_years_taxonomy() -> None:
    problem = only(variant(lambda d: scheme(d, "S05").update(sub_type="Stairlifts")))
    assert problem.path == "schemes.4.sub_type"
    assert problem.value == "Stairlifts"


def test_a_joint_split_not_adding_up_to_100() -> None:
    problem = only(variant(lambda d: scheme(d, "S03").update(split={"council": 60, "icb": 45})))
    assert problem.path == "schemes.2.split"
    assert problem.value == Decimal(105)


def test_a_joint_schemes_commissioned_amounts_add_up_to_the_penny() -> None:
    plan = variant(
        lambda d: scheme(d, "S03").update(spend="1000.01", split={"council": 33.33, "icb": 66.67})
    )
    shares = commissioned(plan.schemes[2])
    assert sum(shares.values()) == Decimal("1000.01")
    assert shares == {"council": Decimal("333.30"), "icb": Decimal("666.71")}


def test_a_plan_dumped_and_loaded_is_the_same_plan() -> None:
    plan, _ = read_plan(WORKED)
    assert load_plan(dump_plan(plan)) == plan


def test_a_badly_shaped_plan_gives_every_problem_at_once() -> None:
    def change(d: dict[str, Any]) -> None:
        d["allocations"]["dfg"] = "12.345"
        scheme(d, "S01")["spend"] = -5
        scheme(d, "S02")["commissioner"] = "joint"
        d["hwb"]["code"] = "X1"

    data = worked()
    change(data)
    with pytest.raises(PlanError) as raised:
        load_plan(yamlio.dump(data), source="bad.yaml")
    paths = {p.path for p in raised.value.problems}
    assert paths == {"allocations.dfg", "schemes.0.spend", "schemes.1", "hwb.code"}
