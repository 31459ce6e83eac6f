"""Indicator definitions are reviewed data: validated on load, every problem named."""

from __future__ import annotations

from datetime import date
from importlib import resources

import pytest

from onebudget.outcomes import model as m
from onebudget.outcomes.definitions import DefinitionError, indicators, parse_indicator

FALLS = resources.files("onebudget").joinpath("definitions/indicators/falls-65-plus.yaml")


def test_every_shipped_indicator_loads_with_owner_source_and_review_date() -> None:
    found = indicators()
    assert len(found) >= 12
    for indicator in found.values():
        spec = indicator.spec
        assert spec.owner
        assert spec.source
        assert spec.review_by > spec.reviewed >= date(2026, 1, 1)


def test_the_issue_asks_for_these() -> None:
    wanted = {
        "chronic-acsc-admissions",
        "falls-65-plus",
        "discharge-usual-residence",
        "care-home-admissions-65-plus",
        "care-home-admissions-18-64",
        "reablement-at-home-91-days",
        "short-term-no-further-request",
        "self-directed-support",
        "direct-payments",
        "carers-self-directed-support",
        "carers-direct-payments",
        "long-term-support-at-home-18-64",
        "long-term-support-at-home-65-plus",
        "emergency-readmissions-30-days",
        "non-elective-admissions",
        "non-elective-bed-days",
    }
    assert wanted <= set(indicators())


def test_conditions_become_query_model_nodes() -> None:
    falls = indicators()["falls-65-plus"]
    assert isinstance(falls.numerator, m.Count)
    where = falls.numerator.source.where
    assert isinstance(where, m.All)
    assert m.Compare(">=", m.Col(m.AGE), m.Const(65)) in where.exprs
    assert m.StartsWith(m.Col("diag_4_01"), ("S", "T")) in where.exprs


def test_a_broken_definition_names_every_problem() -> None:
    text = FALLS.read_text()
    broken = (
        text.replace("column: admimeth,", "column: admission_method,")
        .replace("{column: diag_4_01, starts_with: [S, T]}", "{column: diag_4_01, begins: [S, T]}")
        .replace("table: apc_spells", "table: hes_apc")
    )
    with pytest.raises(DefinitionError) as raised:
        parse_indicator(broken, source="falls-65-plus.yaml")
    problems = raised.value.problems
    assert any("a source names a table" in p for p in problems)
    assert str(raised.value).startswith("falls-65-plus.yaml: ")


def test_unknown_columns_and_tests_are_reported_with_their_place() -> None:
    text = FALLS.read_text()
    broken = text.replace("column: admimeth,", "column: admission_method,").replace(
        "{column: diag_4_01, starts_with: [S, T]}", "{column: diag_4_01, begins: [S, T]}"
    )
    with pytest.raises(DefinitionError) as raised:
        parse_indicator(broken, source="x.yaml")
    problems = raised.value.problems
    assert "numerator.where[0].column: apc_spells has no column 'admission_method'" in problems
    assert "numerator.where[2]: unknown test 'begins' with ['S', 'T']" in problems


def test_schema_problems_are_reported_too() -> None:
    text = (
        FALLS.read_text()
        .replace("framework: PHOF", "framework: Fingertips")
        .replace("review_by: 2027-11-23", "review_by: 2025-01-01")
    )
    with pytest.raises(DefinitionError, match="framework"):
        parse_indicator(text, source="x.yaml")


def test_the_indicator_docs_are_generated_from_the_current_definitions() -> None:
    from pathlib import Path

    from onebudget.outcomes.docs import pages

    folder = Path(__file__).resolve().parents[3] / "docs" / "indicators"
    for name, text in pages().items():
        assert (folder / name).read_text() == text, (
            f"docs/indicators/{name} is stale: run python -m onebudget.outcomes.docs "
            "docs/indicators"
        )


NUMERATOR_ONLY = """
id: bad
name: Bad
framework: local
description: x
numerator:
  count:
    table: asc_cld
    date: Event_Start_Date
{source}
denominator: {{population: {{}}}}
method: rate
multiplier: 1
unit: u
polarity: no judgement
breakdowns: []
owner: o
source: s
reviewed: 2026-12-01
review_by: 2027-12-01
"""


def problems_of(source: str) -> list[str]:
    with pytest.raises(DefinitionError) as raised:
        parse_indicator(NUMERATOR_ONLY.format(source=source), source="bad.yaml")
    return raised.value.problems


def test_a_value_must_be_defined_before_it_is_read() -> None:
    problems = problems_of(
        """    values:
      later_one: {value: not_yet}
    where: [{value: missing, is: x}]"""
    )
    assert any("numerator.values.later_one" in p and "not_yet" in p for p in problems)
    assert any("numerator.where[0].value" in p and "missing" in p for p in problems)


def test_a_related_relation_is_written_plainly() -> None:
    problems = problems_of(
        """    related:
      - has: [{table: persons, date: date_of_death}]
        when: ["date before Event_Start_Date", "date < Nowhere"]"""
    )
    assert any("when[0]" in p and "write like" in p for p in problems)
    assert any("when[1]" in p and "Nowhere" in p for p in problems)


def test_related_rows_are_read_straight_from_their_table() -> None:
    problems = problems_of(
        """    related:
      - has:
          - table: asc_cld
            date: Event_Start_Date
            related: [{has: [{table: persons, date: date_of_death}], when: ["date < date"]}]
        when: ["date < Event_Start_Date"]"""
    )
    assert any("numerator.related[0]" in p and "plain table" in p for p in problems)
    inner = m.Source("asc_cld", "Event_Start_Date", cluster=m.Cluster("a", "b", 7, m.TRUE, "c"))
    with pytest.raises(ValueError, match="plain table"):
        m.Related((inner,), (m.Relation("date", "<", "date"),))
