"""The one YAML reader: aliases, depth, size, tags and unreadable values are problems with a
path and line, never a traceback; floats are exact Decimals; shipped definitions load."""

from __future__ import annotations

import time
from datetime import date
from decimal import Decimal

import pytest
import yaml

from onebudget.io import yamlio
from onebudget.io.problems import Problem, ProblemsError, shorten
from onebudget.io.yamlio import MAX_DEPTH, YamlError


def only_problem(text: str, **options: bool) -> Problem:
    with pytest.raises(YamlError) as caught:
        yamlio.load(text, source="x.yaml", **options)
    (problem,) = caught.value.problems
    assert str(caught.value).startswith("x.yaml: ")
    return problem


BILLION_LAUGHS = (
    "\n".join(
        ["a0: &a0 [x, x, x, x, x, x, x, x, x, x]"]
        + [f"a{i}: &a{i} [{', '.join([f'*a{i - 1}'] * 10)}]" for i in range(1, 9)]
    )
    + "\n"
)


def test_a_billion_laughs_is_refused_at_once_with_a_short_message() -> None:
    assert len(BILLION_LAUGHS.encode()) < 600
    started = time.perf_counter()
    problem = only_problem(BILLION_LAUGHS)
    assert time.perf_counter() - started < 1
    assert (problem.path, problem.line, problem.value) == ("a1.0", 2, "*a0")
    assert "aliases" in problem.rule
    assert len(str(problem)) < 120


@pytest.mark.parametrize(
    "text",
    [
        "[" * 20_000 + "]" * 20_000,
        "{a: " * 20_000 + "1" + "}" * 20_000,
        "- " * 20_000 + "x\n",
        "".join(f"{' ' * i}k:\n" for i in range(200)) + " " * 200 + "v\n",
    ],
    ids=["flow-lists", "flow-maps", "block-lists", "block-maps"],
)
def test_nesting_past_the_limit_is_a_problem_not_a_recursion_error(text: str) -> None:
    problem = only_problem(text)
    assert problem.rule == f"nested more than {MAX_DEPTH} levels deep"
    assert problem.path == "(file)" or problem.path.count(".") == MAX_DEPTH - 1
    assert problem.line is not None


def test_nesting_up_to_the_limit_is_read() -> None:
    text = "[" * MAX_DEPTH + "1" + "]" * MAX_DEPTH
    found = yamlio.load(text)
    for _ in range(MAX_DEPTH):
        (found,) = found
    assert found == 1


def test_floats_are_exact_decimals_and_other_values_as_yaml_reads_them() -> None:
    text = "a: [1, 2]\nb: 1.10\nc: 2025-04-01\nd: 0.1\ne: 1_000.5\nf: yes\ng: '1.10'\n"
    assert yamlio.load(text) == {
        "a": [1, 2],
        "b": Decimal("1.10"),
        "c": date(2025, 4, 1),
        "d": Decimal("0.1"),
        "e": Decimal("1000.5"),
        "f": True,
        "g": "1.10",
    }
    assert str(yamlio.load("b: 1.10\n")["b"]) == "1.10"


@pytest.mark.parametrize(
    ("text", "path", "rule"),
    [
        ("when: 2024-13-45\n", "when", "not a value of its kind"),
        ("n: " + "1" * 5000 + "\n", "n", "not a value of its kind"),
        ("x: [1, .nan]\n", "x.1", "decimal digits"),
        ("x: .inf\n", "x", "decimal digits"),
        ("x: 1:30.5\n", "x", "decimal digits"),
        ("x: !!timestamp nonsense\n", "x", "tags"),
        ("x: !!bool maybe\n", "x", "tags"),
        ("x: !!python/object/apply:os.system [ls]\n", "x", "tags"),
        ("x: !!set {a, b}\n", "x", "tags"),
        ("year: [\n", "year", "not YAML"),
        ("a:\n  b: 1\n c: 2\n", "(file)", "not YAML"),
        ("a: 1\n---\nb: 2\n", "(file)", "not YAML"),
        ("? [a]\n: 1\n", "(file)", "not YAML: found unhashable key"),
        ("a: b\x00c\n", "(file)", "not YAML: unacceptable character"),
    ],
)
def test_what_yaml_cannot_read_is_a_problem_at_its_place(text: str, path: str, rule: str) -> None:
    problem = only_problem(text)
    assert problem.path == path
    assert rule in problem.rule
    assert len(str(problem)) < 300


def test_the_scalar_tags_the_writer_uses_are_read() -> None:
    assert yamlio.load("code: !!str 0123\n") == {"code": "0123"}
    assert yamlio.load("a: !!float '0'\nb: !!int '12'\nc: !!null ''\n") == {
        "a": Decimal("0"),
        "b": 12,
        "c": None,
    }
    assert only_problem("a: !!int ''\n").rule.startswith("not a value of its kind")


def test_what_the_writer_writes_the_reader_reads_back_exactly() -> None:
    data = {
        "whole": Decimal("100"),
        "zero": Decimal("0"),
        "pence": Decimal("1.10"),
        "large": Decimal("92233720368547758.07"),
        "exponent": Decimal("1E+3"),
        "when": date(2025, 4, 1),
        "list": [Decimal("-0.50"), 3, "text"],
    }
    again = yamlio.load(yamlio.dump(data))
    assert again == data
    assert str(again["pence"]) == "1.10"


def test_aliases_and_merges_are_read_only_when_the_caller_allows_them() -> None:
    text = "base: &base {a: 1, b: 2}\nx:\n  <<: *base\n  b: 3\n"
    assert only_problem(text).path == "x.<<"
    assert yamlio.load(text, aliases=True)["x"] == {"a": 1, "b": 3}
    assert yamlio.load("x:\n  <<: {a: 1}\n  b: 2\n") == {"x": {"a": 1, "b": 2}}


def test_depth_applies_with_aliases_allowed_too() -> None:
    assert only_problem("[" * 60 + "]" * 60, aliases=True).rule.startswith("nested more")


def test_text_longer_than_the_limit_is_refused_before_it_is_read(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.setattr(yamlio, "MAX_CHARS", 100)
    assert "longer than 100 characters" in only_problem("a: " + "x" * 200).rule


def test_the_error_is_a_problems_error_and_still_a_yaml_error() -> None:
    with pytest.raises(ProblemsError):
        yamlio.load("a: [")
    with pytest.raises(yaml.YAMLError):
        yamlio.load("a: [")
    assert yamlio.load("") is None


def test_values_quoted_in_problems_are_shortened() -> None:
    problem = Problem(path="a", value="x" * 10_000, rule="too long")
    assert len(str(problem)) < 100
    assert "…" in str(problem) or "..." in str(problem)
    assert len(shorten({"k": list(range(100_000))})) <= 80
    assert shorten(10**6000).startswith("<a whole number of about")
    assert str(Problem(path="(file)", value=None, rule="r", line=3)) == "(file) (line 3): r"


def test_a_value_repeated_by_a_schema_error_stays_short() -> None:
    """The 17 MB error page: a schema error that quotes what it was given."""
    from onebudget.funds.agreement import AgreementError
    from onebudget.funds.validation import load_agreement

    big = "[" + ", ".join(["x" * 100] * 2000) + "]"
    with pytest.raises(AgreementError) as caught:
        load_agreement(f"id: {big}\n")
    assert len(str(caught.value)) < 3000


def test_every_shipped_definition_still_loads() -> None:
    from onebudget.outcomes.definitions import indicators
    from onebudget.population.defined_lists import defined_lists, release_1_to_2
    from onebudget.population.sus_codes import apc_codes
    from onebudget.spend.taxonomy import services

    assert len(indicators()) >= 19
    assert services().codes
    assert defined_lists(1).fields
    assert defined_lists(2).fields
    assert release_1_to_2()
    assert apc_codes().fields
