"""Broken YAML for every format read through the one reader ends in named problems.

For each format (a partner's mapping, the service taxonomy, a Section 75 agreement, a budget
configuration, an indicator definition, CLD defined lists), generated documents (YAML-ish
noise, a good file with one value replaced by something of the wrong type, deep nesting,
aliases) either load or raise the format's own error carrying problems; never another
exception, and never a message that repeats a value at length.
"""

from __future__ import annotations

import textwrap
from collections.abc import Callable
from datetime import date
from decimal import Decimal
from importlib import resources
from typing import Any

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from onebudget.allocation.budget import BudgetError, load_budget
from onebudget.funds.agreement import AgreementError
from onebudget.funds.validation import load_agreement
from onebudget.io import yamlio
from onebudget.io.problems import ProblemsError
from onebudget.outcomes.definitions import DefinitionError, parse_indicator
from onebudget.population.defined_lists import DefinedListsError, parse_lists
from onebudget.spend.mapping import MappingError, load_mapping
from onebudget.spend.taxonomy import TaxonomyError, parse_taxonomy

FUZZ = settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])
SHIPPED = resources.files("onebudget") / "definitions"

AGREEMENT = textwrap.dedent("""\
    id: S75-FUZZ-2025
    name: A pooled budget
    financial_year: 2025
    host: A
    pool_manager: Head of Integrated Commissioning
    partners:
      - {code: A, name: Council}
      - {code: B, name: ICB}
    risk_reserve: {A: 1000.00}
    schemes:
      - code: S1
        name: Home care
        contributions: {A: 100000.00, B: 50000.00}
        overspend:
          rule: capped
          caps: {A: contribution, B: 20000.00}
          of: {rule: fixed, shares: {A: 60, B: 40}}
        underspend: {treatment: return, rule: {rule: tiered, first: 100.00, partner: A}}
      - code: S2
        name: Aligned
        budget: aligned
        contributions: {A: 10.00}
        overspend: {rule: own}
    variations:
      - {id: V1, effective: 2025-06-01, scheme: S1, partner: B, change: 1000.00,
         agreed_by: [A, B], agreed_on: 2025-05-01}
    charge_backs:
      - {scheme: S2, spender: A, payer: B, percent: 50}
    """)


def shipped(*parts: str) -> str:
    return SHIPPED.joinpath(*parts).read_text(encoding="utf-8")


def _measures_last(text: str) -> tuple[str, str]:
    """An indicator file as (the rest, its numerator and denominator). The measures are read
    by ``outcomes.vocabulary``, which is not yet proof against values of the wrong type (see
    the xfail below), so the fuzzing here breaks the rest and leaves them as they are."""
    start, end = text.index("\nnumerator:") + 1, text.index("\nmethod:") + 1
    return text[:start] + text[end:], text[start:end]


Loader = Callable[[str], object]
INDICATOR = _measures_last(shipped("indicators", "falls-65-plus.yaml"))
# name: (load, its error, a good file, a tail the fuzzing leaves alone)
FORMATS: dict[str, tuple[Loader, type[Exception], str, str]] = {
    "mapping": (
        lambda t: load_mapping(t, source="m.yaml"),
        MappingError,
        shipped("mappings", "E06099001.yaml"),
        "",
    ),
    "taxonomy": (
        lambda t: parse_taxonomy(t, source="t.yaml"),
        TaxonomyError,
        shipped("taxonomy", "services.yaml"),
        "",
    ),
    "agreement": (lambda t: load_agreement(t, source="a.yaml"), AgreementError, AGREEMENT, ""),
    "budget": (
        lambda t: load_budget(t, source="b.yaml"),
        BudgetError,
        shipped("allocation", "west-yorkshire-2025-26.yaml"),
        "",
    ),
    "indicator": (
        lambda t: parse_indicator(t, source="i.yaml"),
        DefinitionError,
        *INDICATOR,
    ),
    "defined lists": (
        lambda t: parse_lists(t, source="l.yaml"),
        DefinedListsError,
        shipped("cld", "release-2.yaml"),
        "",
    ),
}
NAMES = sorted(FORMATS)


def read(name: str, text: str) -> None:
    """Load ``text`` (and the format's tail) as the format; its own error, with problems,
    is the only failure allowed."""
    load, error_type, _, tail = FORMATS[name]
    try:
        load(f"{text}\n{tail}" if tail else text)
    except error_type as error:
        refused: Exception | None = error
    else:
        refused = None
    if isinstance(refused, ProblemsError | DefinitionError):
        assert refused.problems, refused
    if refused is not None:
        if isinstance(refused, ProblemsError):
            assert all(len(str(p)) < 600 for p in refused.problems), refused
        assert len(str(refused)) < 20_000


# Values of the wrong kind, with the ones the tester found: 1e400, 10%, fifty
odd_scalars = st.one_of(
    st.none(),
    st.booleans(),
    st.integers(min_value=-(10**40), max_value=10**40),
    st.decimals(allow_nan=False, allow_infinity=False),
    st.dates(min_value=date(1900, 1, 1)),
    st.text(max_size=12),
    st.sampled_from(
        ["1e30", "1e400", "10%", "fifty", "£1,000", "(3.00)", "contribution", "", "NaN", "A"]
    ),
)
odd_values = st.recursive(
    odd_scalars,
    lambda inner: st.one_of(
        st.lists(inner, max_size=3),
        st.dictionaries(st.one_of(st.text(max_size=6), st.integers(0, 9)), inner, max_size=3),
    ),
    max_leaves=8,
)


def paths(data: Any, at: tuple[Any, ...] = ()) -> list[tuple[Any, ...]]:
    """Every place in a document, parents before children."""
    found = [at]
    if isinstance(data, dict):
        for key, value in data.items():
            found += paths(value, (*at, key))
    elif isinstance(data, list):
        for i, value in enumerate(data):
            found += paths(value, (*at, i))
    return found


def replaced(data: Any, at: tuple[Any, ...], value: Any) -> Any:
    if not at:
        return value
    head, *rest = at
    copy = dict(data) if isinstance(data, dict) else list(data)
    copy[head] = replaced(data[head], tuple(rest), value)
    return copy


@FUZZ
@given(st.sampled_from(NAMES), st.data())
def test_a_value_of_the_wrong_kind_anywhere_is_a_named_problem(name: str, data: Any) -> None:
    good = yamlio.load(FORMATS[name][2])
    where = data.draw(st.sampled_from(paths(good)))
    broken = replaced(good, where, data.draw(odd_values))
    read(name, yamlio.dump(broken))


yamlish = st.text(
    st.sampled_from(list("{}[]:,-?&*!|>'\"#%@` \n\t.eE+_0123456789abcxyz£")), max_size=200
)


@FUZZ
@given(st.sampled_from(NAMES), yamlish)
def test_yaml_ish_noise_is_a_named_problem(name: str, text: str) -> None:
    read(name, text)


@FUZZ
@given(st.sampled_from(NAMES), st.data())
def test_noise_spliced_into_a_good_file_is_a_named_problem(name: str, data: Any) -> None:
    good = FORMATS[name][2]
    at = data.draw(st.integers(0, len(good)))
    cut = data.draw(st.integers(0, 40))
    read(name, good[:at] + data.draw(yamlish) + good[at + cut :])


@settings(FUZZ, max_examples=30)
@given(
    st.sampled_from(NAMES),
    st.one_of(st.integers(min_value=45, max_value=60), st.sampled_from([300, 20_000])),
    st.sampled_from(["[", "{a: ", "- "]),
    st.data(),
)
def test_deep_nesting_anywhere_is_a_named_problem(
    name: str, depth: int, opener: str, data: Any
) -> None:
    good = FORMATS[name][2]
    closer = {"[": "]", "{a: ": "}", "- ": ""}[opener]
    deep = opener * depth + "1" + closer * depth
    lines = good.splitlines()
    at = data.draw(st.integers(0, len(lines) - 1))
    head, sep, _ = lines[at].partition(": ")
    lines[at] = f"{head}: {deep}" if sep else deep
    read(name, "\n".join(lines) + "\n")


@FUZZ
@given(st.sampled_from(NAMES), st.integers(min_value=2, max_value=9), st.data())
def test_aliases_anywhere_are_a_named_problem(name: str, levels: int, data: Any) -> None:
    lines = [f"l0: &l0 [{', '.join(['lol'] * 9)}]"]
    lines += [f"l{i}: &l{i} [{', '.join([f'*l{i - 1}'] * 9)}]" for i in range(1, levels)]
    good = FORMATS[name][2].splitlines()
    at = data.draw(st.integers(0, len(good)))
    text = "\n".join([*good[:at], *lines, *good[at:]]) + "\n" + FORMATS[name][3]
    with pytest.raises(FORMATS[name][1]) as caught:
        FORMATS[name][0](text)
    assert len(str(caught.value)) < 2_000


def test_the_good_files_load() -> None:
    """The fuzzing starts from files that are valid, so a failure is the mutation's."""
    for name in NAMES:
        load, _, good, tail = FORMATS[name]
        load(f"{good}\n{tail}")
    assert yamlio.load(AGREEMENT)["risk_reserve"] == {"A": Decimal("1000.00")}


@pytest.mark.parametrize(
    ("old", "new"),
    [
        ("table: apc_spells", "table: [1]"),
        ("column: admimeth,", "column: [a],"),
        ("date: admidate", "date: {a: 1}"),
        ("starts_with: [S, T]", "starts_with: [S, T], 3: x"),
    ],
)
def test_a_measure_of_the_wrong_type_is_a_named_problem(old: str, new: str) -> None:
    """A list where a name belongs, or keys of mixed types, are named problems: the
    vocabulary checks a value's type before comparing or sorting it."""
    text = shipped("indicators", "falls-65-plus.yaml")
    assert old in text
    with pytest.raises(DefinitionError):
        parse_indicator(text.replace(old, new, 1), source="x.yaml")


@given(st.text(st.characters(blacklist_categories=("Cs",))))
def test_any_text_written_reads_back_as_it_was(text: str) -> None:
    """Text in a plan, a budget or an agreement survives being written and read again: a
    character YAML takes as a line break (NEL, LS, PS) is escaped, not folded to a space."""
    assert yamlio.load(yamlio.dump({"text": text}), source="t") == {"text": text}
