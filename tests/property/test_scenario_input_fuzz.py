"""Broken scenario input ends in named problems: a scenario file (any text, any YAML mapping,
a value of the wrong kind anywhere in a shipped scenario, noise spliced in) loads or raises
``ConfigError`` with problems; and the service's scenario form, given any text in any field,
either writes a scenario the library's reader accepts or names each problem beside a field
it has. Never another exception."""

from __future__ import annotations

from importlib import resources
from typing import Any

from django.http import QueryDict
from hypothesis import given
from hypothesis import strategies as st

from onebudget.io import yamlio
from onebudget.scenarios.config import ConfigError, load_config
from onebudget.scenarios.interventions import read_interventions
from onebudget_web.scenarios import forms
from tests.property.test_yaml_fuzz import FUZZ, odd_values, paths, replaced, yamlish

SHIPPED = resources.files("onebudget") / "definitions" / "scenarios"
NAMES = ["example.yaml", "fernmouth.yaml"]
KNOWN = set(read_interventions())
KEYS = ["name", "baseline_year", "years", "runs", "seed", "growth", "population"]
KEYS += ["interventions", "budget", "by_partner", "objective", "inflation", "scale", "id"]


def good(name: str) -> str:
    return SHIPPED.joinpath(name).read_text(encoding="utf-8")


def read(text: str, source: str = "scenario.yaml") -> None:
    """Loads, or refuses with named problems of a readable length."""
    try:
        load_config(text, source, KNOWN)
    except ConfigError as error:
        refused: ConfigError | None = error
    else:
        refused = None
    if refused is not None:
        assert refused.problems
        assert all(len(str(p)) < 600 for p in refused.problems), refused


@FUZZ
@given(st.one_of(st.text(max_size=300), yamlish))
def test_any_text_is_read_or_named(text: str) -> None:
    read(text)


@FUZZ
@given(st.dictionaries(st.one_of(st.sampled_from(KEYS), st.text(max_size=6)), odd_values))
def test_any_yaml_mapping_is_read_or_named(mapping: dict[str, Any]) -> None:
    read(yamlio.dump(mapping))


@FUZZ
@given(st.sampled_from(NAMES), st.data())
def test_a_value_of_the_wrong_kind_anywhere_is_named(name: str, data: Any) -> None:
    document = yamlio.load(good(name))
    where = data.draw(st.sampled_from(paths(document)))
    read(yamlio.dump(replaced(document, where, data.draw(odd_values))), name)


@FUZZ
@given(st.sampled_from(NAMES), st.data())
def test_noise_spliced_into_a_shipped_scenario_is_named(name: str, data: Any) -> None:
    text = good(name)
    at, cut = data.draw(st.integers(0, len(text))), data.draw(st.integers(0, 40))
    read(text[:at] + data.draw(yamlish) + text[at + cut :], name)


FIELDS = ["name", "baseline_year", "years", "runs", "seed", "growth_low", "growth_central",
          "growth_high", "inflation_low", "inflation_central", "inflation_high", "budget",
          "council_budget", "icb_budget", "objective",
          *(f"{f}_{k}" for k in sorted(KNOWN) for f in ("scale", "least"))]  # fmt: skip
typed = st.one_of(
    st.text(max_size=12),
    st.sampled_from(
        ["", "0", "1", "2.5", "100", "-3", "1e309", "1e40", "NaN", "£1,000", "50%", "2024"]
    ),
)


GOOD = {"name": "A scenario", "baseline_year": "2024", "years": "5", "runs": "1000",
        "seed": "1", "growth_low": "0", "growth_central": "1", "growth_high": "2",
        "inflation_low": "1.5", "inflation_central": "2.5", "inflation_high": "4",
        "budget": "450000", "council_budget": "", "objective": "expected",
        "scale_reablement": "50", "least_reablement": "10"}  # fmt: skip
changes = st.dictionaries(st.sampled_from(FIELDS), typed, max_size=3)


@FUZZ
@given(st.one_of(st.dictionaries(st.sampled_from(FIELDS), typed), changes.map(GOOD.__or__)))
def test_the_form_writes_a_readable_scenario_or_names_its_fields(sent: dict[str, str]) -> None:
    """Any fields, or a good form with a few changed (so both answers are reached)."""
    query = QueryDict(mutable=True)
    query.update(sent)
    text, errors = forms.read(query, [2023, 2024], read_interventions())
    if text is None:
        assert errors
        assert set(errors) <= set(forms.ORDER), errors
        return
    try:
        config = load_config(text, "the form", KNOWN)
    except ConfigError as error:  # the library's own rules: each beside one of the fields
        placed: dict[str, list[str]] | None = forms.placed(list(error.problems))
    else:
        placed = None
        assert config.name == sent["name"].strip()
    assert placed is None or set(placed) <= set(forms.ORDER)
