"""Spec (issue 18): interventions as reviewed YAML, each effect sourced or marked
illustrative, and every problem in a file named at once with its path and line."""

from __future__ import annotations

import textwrap
from pathlib import Path

import pytest

from onebudget.scenarios.interventions import (
    UNSOURCED,
    Cost,
    Effect,
    Intervention,
    InterventionError,
    load_intervention,
    read_interventions,
)
from onebudget.scenarios.model import AGE_BANDS, PODS, SEGMENTS, SEXES

SHIPPED = {
    "falls-prevention",
    "reablement",
    "hospital-at-home",
    "proactive-care-frailty",
    "discharge-to-assess",
    "carers-support",
    "technology-enabled-care",
}

GOOD = textwrap.dedent("""\
    id: night-sitting
    name: Night sitting
    owner: A commissioner
    source: A local evaluation
    review_date: 2027-12-01
    target:
      segments: [Frailty and dementia]
      age_bands: [85+]
    reach: 0.5
    uptake: {uniform: [0.6, 0.8]}
    ramp_up: [0.5, 1]
    lag_years: 1
    cost:
      per_person: 100
      source: A price list
    cost_bearer: {partner: council, budget: adult social care}
    effects:
      - pod: emergency_admission
        change: {triangular: [-0.3, -0.2, -0.1]}
        source: A trial
        saving_to: {partner: icb, budget: acute}
    """)


def load(text: str, source: str = "night-sitting.yaml") -> Intervention:
    return load_intervention(text, source)


def problems(text: str, source: str = "night-sitting.yaml") -> list[tuple[str, int | None]]:
    with pytest.raises(InterventionError) as caught:
        load(text, source)
    return [(p.path, p.line) for p in caught.value.problems]


def test_every_shipped_intervention_loads_under_its_own_name() -> None:
    found = read_interventions()
    assert set(found) == SHIPPED
    for name, intervention in found.items():
        assert intervention.id == name
        assert intervention.owner == "OneBudget maintainers"
        assert intervention.review_date.isoformat() == "2027-12-01"


def test_each_shipped_effect_has_a_source_or_is_illustrative_and_says_why() -> None:
    """An illustrative effect still says in its source text that it is, and why; a sourced
    one names what it rests on. A guess anywhere shows in ``has_illustrative``."""
    for intervention in read_interventions().values():
        parts: list[Cost | Effect] = [intervention.cost, *intervention.effects]
        for part in parts:
            assert part.source.strip()
            if part.illustrative:
                assert "illustrative" in part.source.lower()
        guessed = intervention.illustrative or any(p.illustrative for p in parts)
        assert intervention.has_illustrative == guessed


def test_the_shipped_sourced_effects_are_the_published_figures() -> None:
    """Hospital at home (Cochrane CD007491.pub3, older people): living in residential care
    at 6 months RR 0.53 (0.41 to 0.69), so -47% (-59% to -31%); admission to hospital RR 1.14
    (0.97 to 1.34). Telecare (Whole Systems Demonstrator): 46.8% against 49.2% admitted."""
    found = read_interventions()
    sourced = {
        (i.id, e.pod): e.change.triangular
        for i in found.values()
        for e in i.effects
        if not e.illustrative
    }
    assert sourced == {
        ("hospital-at-home", "care_home_week"): (-0.59, -0.47, -0.31),
        ("hospital-at-home", "emergency_admission"): (-0.03, 0.14, 0.34),
        ("technology-enabled-care", "emergency_admission"): (-0.145, -0.049, 0.034),
    }
    assert round(0.468 / 0.492 - 1, 3) == -0.049


def test_a_good_file_loads_with_its_defaults() -> None:
    intervention = load(GOOD)
    assert intervention.target.sexes == SEXES
    assert intervention.reach.central == 0.5
    assert intervention.uptake.central == pytest.approx(0.7)
    assert intervention.ramp_up == (0.5, 1.0)
    assert intervention.cost.per_person is not None
    assert intervention.cost.fixed is None
    assert not intervention.has_illustrative
    everyone = load(GOOD.replace("  segments: [Frailty and dementia]\n", "")).target
    assert everyone.segments == SEGMENTS
    assert everyone.age_bands == ("85+",)
    assert AGE_BANDS[-1] == "85+"
    assert "emergency_admission" in PODS


def test_every_problem_in_a_bad_file_is_named_at_once_with_its_line() -> None:
    """An id not the file's name (line 1), an unknown segment (line 7), a share above 1
    (line 9), an unknown POD (line 18), an effect with no source not marked illustrative
    (line 18, the effect's) and a triangular out of order (line 19), in the file's order."""
    bad = (
        GOOD.replace("reach: 0.5", "reach: {uniform: [0.2, 1.5]}")
        .replace("[Frailty and dementia]", "[Frailty and dementia, Frail]")
        .replace("pod: emergency_admission", "pod: emergency_admissions")
        .replace("[-0.3, -0.2, -0.1]", "[-0.1, -0.2, -0.3]")
        .replace("    source: A trial\n", "")
    )
    with pytest.raises(InterventionError) as caught:
        load(bad, "sitting.yaml")
    found = {(p.path, p.line): p for p in caught.value.problems}
    assert list(found) == [
        ("id", 1),
        ("target.segments.1", 7),
        ("reach", 9),
        ("effects.0.pod", 18),
        ("effects.0.illustrative", 18),
        ("effects.0.change", 19),
    ]
    assert "one of Healthy" in found["target.segments.1", 7].rule
    assert "a share from 0 to 1" in found["reach", 9].rule
    assert "a point of delivery: one of emergency_admission" in found["effects.0.pod", 18].rule
    assert "in order" in found["effects.0.change", 19].rule
    assert found["effects.0.illustrative", 18].rule == UNSOURCED
    assert found["id", 1].rule == "the file's name without .yaml: sitting"
    assert str(caught.value).startswith("sitting.yaml: ")


def test_an_unsourced_effect_marked_illustrative_loads_and_says_so() -> None:
    text = GOOD.replace("    source: A trial\n", "    illustrative: true\n")
    intervention = load(text)
    assert intervention.effects[0].illustrative
    assert intervention.has_illustrative


@pytest.mark.parametrize(
    ("old", "new", "where"),
    [
        ("reach: 0.5", "reach: -0.1", ("reach", 9)),
        ("reach: 0.5", "reach: nan", ("reach", 9)),
        ("reach: 0.5", "reach: [0.1]", ("reach", 9)),
        ("[0.5, 1]", "[0.5, 1.2]", ("ramp_up.1", 11)),
        ("[0.5, 1]", "[]", ("ramp_up", 11)),
        ("lag_years: 1", "lag_years: -1", ("lag_years", 12)),
        ("per_person: 100", "per_person: -5", ("cost.per_person", 14)),
        ("per_person: 100", "fixed: inf", ("cost.fixed", 14)),
        ("  per_person: 100\n", "", ("cost", 14)),
        ("  source: A price list\n", "", ("cost.illustrative", 14)),
        ("partner: council", "partner: nhs", ("cost_bearer.partner", 16)),
        ("-0.3, -0.2, -0.1", "-1.5, -0.2, -0.1", ("effects.0.change", 19)),
        (
            "Frailty and dementia]",
            "Frailty and dementia, Frailty and dementia]",
            ("target.segments", 7),
        ),
        ("[85+]", "[90+]", ("target.age_bands.0", 8)),
        ("owner: A commissioner", "owner: ' '", ("owner", 3)),
        ("review_date: 2027-12-01", "review_date: soon", ("review_date", 5)),
        ("lag_years: 1", "lag_years: 1\nfunded: yes", ("funded", 13)),
    ],
)
def test_each_rule_is_named_at_its_place(old: str, new: str, where: tuple[str, int]) -> None:
    assert old in GOOD
    assert problems(GOOD.replace(old, new)) == [where]


def test_text_that_is_not_an_intervention_is_named_not_raised() -> None:
    assert problems("reach: [1, 2\n") == [("reach", 2)]
    assert problems("- a list\n") == [("(file)", 1)]
    assert problems("") == [("(file)", None)]


def test_a_folder_names_every_file_with_its_problems(tmp_path: Path) -> None:
    (tmp_path / "night-sitting.yaml").write_text(GOOD, encoding="utf-8")
    (tmp_path / "sitting.yaml").write_text(GOOD.replace("reach: 0.5", "reach: 2"), "utf-8")
    (tmp_path / "latin.yaml").write_bytes("name: caf\u00e9".encode("latin-1"))
    (tmp_path / "notes.txt").write_text("not read", encoding="utf-8")
    with pytest.raises(InterventionError) as caught:
        read_interventions(tmp_path)
    named = [(p.path, p.line) for p in caught.value.problems]
    assert named == [
        ("latin.yaml: (file)", None),
        ("sitting.yaml: id", 1),
        ("sitting.yaml: reach", 9),
    ]
    (tmp_path / "sitting.yaml").unlink()
    (tmp_path / "latin.yaml").unlink()
    assert list(read_interventions(tmp_path)) == ["night-sitting"]
