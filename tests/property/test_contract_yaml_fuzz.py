"""Broken contract YAML ends in named problems, as ``test_yaml_fuzz`` checks for the other
formats: a value of the wrong kind anywhere, YAML-ish noise spliced in, deep nesting and
aliases either load or raise ``ContractError`` with problems; never another exception."""

from __future__ import annotations

from importlib import resources
from typing import Any

import pytest
from hypothesis import given
from hypothesis import strategies as st

from onebudget.contracts.load import ContractError, dump_contract, load_contract
from onebudget.io import yamlio
from tests.property.test_yaml_fuzz import FUZZ, odd_values, paths, replaced, yamlish

EXAMPLES = resources.files("onebudget") / "definitions" / "contracts" / "examples"
KINDS = ["block", "activity", "capitation", "aligned_payment"]
KINDS += ["outcome_based", "alliance", "prime_provider"]


def good(kind: str) -> str:
    return EXAMPLES.joinpath(f"{kind}.yaml").read_text(encoding="utf-8")


def read(text: str) -> None:
    """Loads, or refuses with named problems of a readable length."""
    try:
        load_contract(text, source="c.yaml")
    except ContractError as error:
        refused: ContractError | None = error
    else:
        refused = None
    if refused is not None:
        assert refused.problems
        assert all(len(str(p)) < 600 for p in refused.problems), refused
        assert len(str(refused)) < 20_000


@FUZZ
@given(st.sampled_from(KINDS), st.data())
def test_a_value_of_the_wrong_kind_anywhere_is_a_named_problem(kind: str, data: Any) -> None:
    document = yamlio.load(good(kind))
    where = data.draw(st.sampled_from(paths(document)))
    read(yamlio.dump(replaced(document, where, data.draw(odd_values))))


@FUZZ
@given(st.sampled_from(KINDS), st.data())
def test_noise_spliced_into_a_good_file_is_a_named_problem(kind: str, data: Any) -> None:
    text = good(kind)
    at = data.draw(st.integers(0, len(text)))
    cut = data.draw(st.integers(0, 40))
    read(text[:at] + data.draw(yamlish) + text[at + cut :])


@FUZZ
@given(yamlish)
def test_yaml_ish_noise_is_a_named_problem(text: str) -> None:
    read(text)


@pytest.mark.parametrize("kind", KINDS)
def test_deep_nesting_and_aliases_are_named_problems(kind: str) -> None:
    for text in (
        good(kind).replace("name:", "name: " + "[" * 300 + "]" * 300, 1),
        "a: &a [1, 2]\nb: *a\n" + good(kind),
    ):
        with pytest.raises(ContractError) as caught:
            load_contract(text)
        assert caught.value.problems


def test_the_good_files_load_and_write_back_as_they_were() -> None:
    for kind in KINDS:
        contract = load_contract(good(kind))
        assert contract.mechanism.kind == kind
        assert load_contract(dump_contract(contract)) == contract
