"""Spec: a budget allocated to places by need, with pace of change, to the penny."""

from __future__ import annotations

import csv
from decimal import Decimal
from importlib import resources
from pathlib import Path

import pytest
from python_calamine import CalamineWorkbook
from typer.testing import CliRunner

from onebudget.allocation.budget import BudgetError, allocate_budget, load_budget
from onebudget.allocation.targets import AllocationError, pace_of_change
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


def _config(components: str, places: str = "") -> str:
    places = places or "  Calderdale: {council: E08000033}\n  Kirklees: {lad: E08000034}\n"
    return f"year: 2025/26\nbudget: 900.00\nicb: QWO\nplaces:\n{places}components:\n{components}"


def test_social_care_need_by_age_group_worked_by_hand() -> None:
    """Weights 1 and 5: Calderdale 100 + 20 x 5 = 200, Kirklees 200 + 40 x 5 = 400.
    £900 splits 1:2, so £300.00 and £600.00."""
    text = _config(
        "  - name: Adult social care\n    share: 1\n    population: by_age\n"
        "    age_weights: {18-64: 1, 65+: 5}\n    population_by_age:\n"
        "      Calderdale: {18-64: 100, 65+: 20}\n      Kirklees: {18-64: 200, 65+: 40}\n"
    )
    result = allocate_budget(load_budget(text, source="x.yaml"))
    assert result.by_place == {
        "Calderdale": {"Adult social care": D("300.00")},
        "Kirklees": {"Adult social care": D("600.00")},
    }


def test_deprivation_and_area_cost_adjust_need_as_the_imd_scores_say() -> None:
    """Public health by registered population, deprivation weight 1, Leeds's area cost 1.10.
    Each need is population x (1 + (score / England's mean score - 1)) x cost, with scores
    from the IMD 2025 district file (Leeds 24.115; Wakefield read from the same file)."""
    text = _config(
        "  - {name: Public health, share: 1, population: registered, deprivation_weight: 1,"
        " area_cost: {Leeds: 1.10}}\n",
        places="  Leeds: {lad: E08000035}\n  Wakefield: {council: E08000036}\n",
    )
    result = allocate_budget(load_budget(text, source="x.yaml"))
    rows = {r["ltla24_code"]: r for r in _imd_districts()}
    mean = sum(D(r["imd_average_score"]) for r in rows.values()) / len(rows)
    need = {
        "Leeds": result.population["Leeds"] * D("24.115") / mean * D("1.10"),
        "Wakefield": result.population["Wakefield"]
        * D(rows["E08000036"]["imd_average_score"])
        / mean,
    }
    leeds = (D("900.00") * need["Leeds"] / sum(need.values())).quantize(D("0.01"))
    assert result.by_place["Leeds"]["Public health"] == leeds
    assert sum(p["Public health"] for p in result.by_place.values()) == D("900.00")


def test_an_abolished_district_takes_its_successors_deprivation() -> None:
    """Copeland (abolished 2023) is scored as Cumberland; before, it silently had none."""
    text = (
        "year: 2025/26\nbudget: 100.00\nicb: QHM\nplaces:\n"
        "  Copeland: {lad: E07000029}\n  Darlington: {council: E06000005}\ncomponents:\n"
        "  - {name: PH, share: 1, population: registered, deprivation_weight: 1}\n"
    )
    result = allocate_budget(load_budget(text, source="x.yaml"))
    plain = allocate_budget(load_budget(text.replace("deprivation_weight: 1", ""), source="y"))
    assert result.by_place["Copeland"] != plain.by_place["Copeland"]


def test_every_problem_in_a_formula_or_place_is_named() -> None:
    text = _config(
        "  - name: Adult social care\n    share: 1\n    population: by_age\n"
        "    age_weights: {18-64: 1, 65+: 5}\n    area_cost: {Leeds: 1.1}\n"
        "    population_by_age:\n      Calderdale: {18-64: 100}\n"
        "      Bradford: {18-64: 1, 65+: 1}\n",
        places="  Calderdale: {council: E08000033}\n  Kirklees: {lad: E08000034}\n"
        "  Nowhere: {pcn: [U00000], council: E09000001}\n",
    )
    with pytest.raises(BudgetError) as caught:
        allocate_budget(load_budget(text, source="x.yaml"))
    assert {p.path for p in caught.value.problems} == {
        "places.Nowhere.pcn",
        "places.Nowhere.council",
    }
    fixed = text.replace("  Nowhere: {pcn: [U00000], council: E09000001}\n", "")
    with pytest.raises(BudgetError) as caught:
        allocate_budget(load_budget(fixed, source="x.yaml"))
    assert {p.path for p in caught.value.problems} == {
        "components.0.population_by_age.Calderdale",
        "components.0.population_by_age.Kirklees",
        "components.0.population_by_age",
        "components.0.area_cost",
    }


def _imd_districts() -> list[dict[str, str]]:
    text = (resources.files("onebudget") / "data" / "imd2025_ltla24.csv").read_text("utf-8")
    return list(csv.DictReader(text.splitlines()))


def test_a_file_that_is_not_yaml_or_uses_aliases_is_a_named_problem(tmp_path: Path) -> None:
    for text, where in (("year: [\n", "year"), ("a: &x [1, 2]\nb: *x\n", "b")):
        with pytest.raises(BudgetError) as caught:
            load_budget(text, source="x.yaml")
        assert [p.path for p in caught.value.problems] == [where]  # the place in the file
    bad = tmp_path / "bad.yaml"
    bad.write_text("year: [\n")
    result = CliRunner().invoke(app, ["allocate", "budget", "--config", str(bad), "--out", "x"])
    assert result.exit_code == 2
    assert "not YAML" in result.output


def test_a_problem_in_a_configuration_says_what_was_found_and_what_was_expected() -> None:
    both = "  - {name: PH, share: 0.5, population: registered, index: Overall core}\n"
    baseline = "baseline: {Calderdale: 100.00, Leeds: 50.00}\n"
    with pytest.raises(BudgetError) as caught:
        load_budget(_config(both) + baseline, source="x.yaml")
    assert {p.path: p.rule for p in caught.value.problems} == {
        "components": "the shares add up to 0.5 (expected: shares add up to 1)",
        "components.0": "both an index and a population (expected one of them)",
        "pace": "a baseline without pace (expected pace, such as {floor: 0.02}, or no baseline)",
    }
    fixed = _config("  - {name: PH, share: 1, population: registered}\n")
    with pytest.raises(BudgetError) as caught:
        load_budget(fixed + baseline + "pace: {floor: 0.01}\n", source="x.yaml")
    assert [str(p) for p in caught.value.problems] == [
        "baseline: ['Calderdale', 'Leeds']: no baseline for Kirklees; Leeds not among the "
        "places (expected one baseline for each place)"
    ]


def test_an_unknown_icb_is_named_once_at_its_own_key() -> None:
    text = _config("  - {name: PH, share: 1, population: registered}\n")
    with pytest.raises(BudgetError) as caught:
        allocate_budget(load_budget(text.replace("icb: QWO", "icb: QXX"), source="x.yaml"))
    (problem,) = caught.value.problems  # not one for each place
    assert (problem.path, problem.value) == ("icb", "QXX")
    assert problem.rule.startswith("no ICB has this code in 2025/26 (expected an ICB code, like ")


def test_a_budget_below_every_baseline_grown_by_the_floor_says_by_how_much() -> None:
    baseline = {"A": D("500.00"), "B": D("500.00")}
    with pytest.raises(AllocationError) as caught:
        pace_of_change(D("1000.00"), baseline, {"A": D(1), "B": D(1)}, floor=D("0.01"))
    assert str(caught.value) == (
        "the budget, 1,000.00, is 10.00 less than every area's baseline grown by the floor, "
        "0.01 (expected a budget of at least 1,010.00, or a lower floor)"
    )
