"""Spec: the shipped framework years load, cite their sources and name what they lack; a
broken framework file gives every problem at once."""

from __future__ import annotations

from decimal import Decimal

import pytest

from onebudget.bcf.framework import FrameworkError, framework, gaps, parse_framework, years
from onebudget.io import yamlio
from onebudget.io.problems import Problem


def test_both_years_load_with_the_published_2025_26_figures() -> None:
    assert years() == ["2025/26", "2026/27"]
    year = framework("2025/26")
    totals = {s.id: s.national_total.value if s.national_total else None for s in year.streams}
    # NHS England, Better Care Fund grants and funding: £5,614m, £2,640m; DFG £711m
    assert totals["nhs_minimum"] == 5_614_000_000
    assert totals["la_better_care_grant"] == 2_640_000_000
    assert totals["dfg"] == 711_000_000
    assert totals["additional_council"] is None
    assert year.asc_uplift_percent.value == Decimal("3.9")
    assert all(s.startswith("https://") for s in year.source)
    assert [m.id for m in year.metrics.items or ()] == [
        "emergency_admissions_65_plus",
        "discharge_delays",
        "care_home_admissions_65_plus",
    ]


def test_what_2026_27_lacks_is_named() -> None:
    named = {g.path: g.rule for g in gaps(framework("2026/27"))}
    assert named["asc_uplift_percent"].startswith("2026/27: not published in the definitions")
    assert {"metrics", "national_conditions", "scheme_types", "out_of_hospital"} <= set(named)


def test_a_year_without_a_file_is_a_named_problem() -> None:
    with pytest.raises(FrameworkError) as raised:
        framework("2031/32")
    assert raised.value.problems[0].path == "year"


def test_a_broken_framework_file_gives_every_problem() -> None:
    source = framework("2025/26")
    data = yamlio.load(yamlio.dump(source.model_dump(mode="python")))
    data["year"] = "2025-26"  # not 2025/26
    data["reviewed_on"] = data.pop("reviewed")  # unknown key, and reviewed missing
    data["streams"][0]["kind"] = "nhs"  # not a kind
    data["asc_uplift_percent"] = {"value": "3.9", "missing": "both given"}
    data["metrics"]["items"][1]["unit"] = ""  # empty
    with pytest.raises(FrameworkError) as raised:
        parse_framework(yamlio.dump(data), source="broken.yaml")
    problems: list[Problem] = raised.value.problems
    assert {p.path for p in problems} == {
        "year",
        "reviewed_on",
        "reviewed",
        "streams.0.kind",
        "asc_uplift_percent",
        "metrics.items.1.unit",
    }
    assert all(p.rule for p in problems)
