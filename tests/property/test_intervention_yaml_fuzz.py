"""Broken intervention YAML ends in named problems, as ``test_yaml_fuzz`` checks for the other
formats: any text, any YAML mapping, a value of the wrong kind anywhere in a shipped file,
noise spliced in, deep nesting and aliases either load or raise ``InterventionError`` with
problems; never another exception."""

from __future__ import annotations

from importlib import resources
from typing import Any

import pytest
from hypothesis import given
from hypothesis import strategies as st

from onebudget.io import yamlio
from onebudget.scenarios.interventions import InterventionError, load_intervention
from tests.property.test_yaml_fuzz import FUZZ, odd_values, paths, replaced, yamlish

SHIPPED = resources.files("onebudget") / "definitions" / "interventions"
NAMES = sorted(f.name for f in SHIPPED.iterdir() if f.name.endswith(".yaml"))
KEYS = ["id", "name", "owner", "source", "review_date", "illustrative", "target", "reach"]
KEYS += ["uptake", "ramp_up", "lag_years", "cost", "cost_bearer", "effects", "pod", "change"]


def good(name: str) -> str:
    return SHIPPED.joinpath(name).read_text(encoding="utf-8")


def read(text: str, source: str = "falls-prevention.yaml") -> None:
    """Loads, or refuses with named problems of a readable length."""
    try:
        load_intervention(text, source)
    except InterventionError as error:
        refused: InterventionError | None = error
    else:
        refused = None
    if refused is not None:
        assert refused.problems
        assert all(len(str(p)) < 600 for p in refused.problems), refused
        assert len(str(refused)) < 20_000


@FUZZ
@given(st.text(max_size=300))
def test_any_text_is_read_or_named(text: str) -> None:
    read(text)


@FUZZ
@given(yamlish)
def test_yaml_ish_noise_is_read_or_named(text: str) -> None:
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
def test_noise_spliced_into_a_shipped_file_is_named(name: str, data: Any) -> None:
    text = good(name)
    at = data.draw(st.integers(0, len(text)))
    cut = data.draw(st.integers(0, 40))
    read(text[:at] + data.draw(yamlish) + text[at + cut :], name)


@pytest.mark.parametrize("name", NAMES)
def test_deep_nesting_and_aliases_are_named(name: str) -> None:
    for text in (
        good(name).replace("name:", "name: " + "[" * 300 + "]" * 300, 1),
        "a: &a [1, 2]\nb: *a\n" + good(name),
    ):
        with pytest.raises(InterventionError) as caught:
            load_intervention(text, name)
        assert caught.value.problems


def test_the_shipped_files_load_and_write_back_as_they_were() -> None:
    """The fuzzing starts from files that load, so a failure is the mutation's."""
    for name in NAMES:
        intervention = load_intervention(good(name), name)
        written = yamlio.dump(intervention.model_dump(mode="json", exclude_none=True))
        assert load_intervention(written, name) == intervention
