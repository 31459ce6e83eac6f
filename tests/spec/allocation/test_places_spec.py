"""Spec: places chosen by practice, PCN, district or council, and NHS England's session JSON."""

from __future__ import annotations

import json
from decimal import Decimal

import pytest

from onebudget.allocation.indices import place_indices
from onebudget.allocation.places import (
    Choice,
    Place,
    PlacesError,
    areas,
    choose,
    icb_practices,
    read_session,
    write_session,
)
from onebudget.allocation.populations import practices

CHECK = ["B85005", "B85022", "B85061", "B85026"]

# The default place of NHS England's place-based allocation tool, as its session file holds it
TOOL_SESSION = {
    "Default Place": {
        "gps": [
            "B85005: Shepley Health Centre",
            "B85022: Honley Surgery",
            "B85061: Skelmanthorpe Family Doctors",
            "B85026: Kirkburton Health Centre",
        ],
        "icb": "NHS West Yorkshire ICB",
        "year": "2023_2024",
    },
    "places": ["Default Place"],
}

# The earliest tool's format (its JSON primer): "group_list", and an ICB name since retired
EARLY_SESSION = {
    "Group 1": {
        "gps": [
            "A83005: Whinfield Medical Practice",
            "A83013: Neasham Road Surgery",
            "A83034: Blacketts Medical Practice",
        ],
        "icb": "Cumbria and North East",
    },
    "Group 2": {
        "gps": ["A83013: Neasham Road Surgery", "A83034: Blacketts Medical Practice"],
        "icb": "Cumbria and North East",
    },
    "group_list": ["Group 1", "Group 2"],
}


def test_the_tools_default_place_reads_and_reproduces_the_published_check() -> None:
    [place] = read_session(json.dumps(TOOL_SESSION), year="2025/26", source="session.json")
    assert place == Place("Default Place", "QWO", tuple(sorted(CHECK)))
    indices = place_indices("2025/26", place.icb, place.practices)
    assert indices["Overall core"] == Decimal("0.946")
    assert indices["Primary medical care need"] == Decimal("0.985")


def test_the_earliest_format_reads_with_its_icb_found_from_its_practices() -> None:
    places = read_session(json.dumps(EARLY_SESSION), year="2022/23", source="early.json")
    assert [(p.name, p.icb, len(p.practices)) for p in places] == [
        ("Group 1", "QHM", 3),
        ("Group 2", "QHM", 2),
    ]


def test_a_written_session_is_what_the_tool_reads_and_reads_back_unchanged() -> None:
    place, _ = choose("2025/26", "QWO", "Huddersfield South", Choice(practices=tuple(CHECK)))
    assert place is not None
    text = write_session([place], year="2025/26")
    data = json.loads(text)
    # the tool reads d["places"], then d[name]["gps"] and d[name]["icb"]
    assert data["places"] == ["Huddersfield South"]
    assert data["Huddersfield South"]["icb"] == "NHS West Yorkshire ICB"
    assert "B85022: HONLEY SURGERY" in data["Huddersfield South"]["gps"]
    assert data["Huddersfield South"]["year"] == "2025_2026"
    assert read_session(text, year="2025/26", source="x.json") == [place]


def test_every_problem_in_a_session_is_named_and_nothing_is_read() -> None:
    session = {
        "Mixed": {"gps": ["B85005: x", "A83005: y"], "icb": "NHS West Yorkshire ICB"},
        "Gone": {"gps": ["Z99999: Closed Surgery"], "icb": "NHS West Yorkshire ICB"},
        "Wrong ICB": {"gps": ["B85005: x"], "icb": "NHS Humber and North Yorkshire ICB"},
        "Empty": {"gps": [], "icb": "NHS West Yorkshire ICB"},
        "Fine": {"gps": ["B85005: x"], "icb": "NHS West Yorkshire ICB"},
        "places": ["Mixed", "Gone", "Wrong ICB", "Empty", "Fine"],
    }
    with pytest.raises(PlacesError) as caught:
        read_session(json.dumps(session), year="2025/26", source="bad.json")
    found = {(p.path, str(p.value)) for p in caught.value.problems}
    assert found == {
        ("Mixed.gps", "['QHM', 'QWO']"),
        ("Gone.gps", "['Z99999']"),
        ("Wrong ICB.icb", "NHS Humber and North Yorkshire ICB"),
        ("Empty.gps", "[]"),
    }
    for text in ("{not json", "[1, 2]", '{"places": "one"}', "[" * 100_000 + "]" * 100_000):
        with pytest.raises(PlacesError):
            read_session(text, year="2025/26", source="bad.json")


def test_a_pcn_is_its_2022_23_practices_that_are_still_in_the_year() -> None:
    rows = [p for p in practices("2022/23") if p.icb == "QWO"]
    pcns = areas("2025/26", "QWO")["pcns"]
    pcn = pcns[0]
    place, problems = choose("2025/26", "QWO", "PCN", Choice(pcns=(pcn.code,)))
    assert problems == []
    assert place is not None
    in_2022 = {p.code for p in rows} & set(place.practices)
    assert set(place.practices) == in_2022  # none from outside the 2022/23 membership
    now = {p.code for p in icb_practices("2025/26", "QWO")}
    assert set(place.practices) <= now


def test_a_council_is_followed_to_its_successor_after_april_2023() -> None:
    old = {a.code: a.name for a in areas("2022/23", "QHM")["councils"]}
    new = {a.code: a.name for a in areas("2025/26", "QHM")["councils"]}
    assert old["E10000006"] == "Cumbria"
    assert "E10000006" not in new
    assert new["E06000063"] == "Cumberland"
    assert new["E06000064"] == "Westmorland and Furness"
    cumberland, _ = choose("2025/26", "QHM", "C", Choice(councils=("E06000063",)))
    copeland, _ = choose("2025/26", "QHM", "Copeland", Choice(districts=("E07000029",)))
    assert cumberland is not None
    assert copeland is not None
    assert set(copeland.practices) < set(cumberland.practices)


def test_a_place_is_the_union_of_what_was_chosen_and_every_bad_code_is_named() -> None:
    kirklees, _ = choose("2025/26", "QWO", "K", Choice(councils=("E08000034",)))
    both, _ = choose("2025/26", "QWO", "K+", Choice(councils=("E08000034",), practices=("B86002",)))
    assert kirklees is not None
    assert both is not None
    assert set(both.practices) == set(kirklees.practices) | {"B86002"}
    place, problems = choose(
        "2025/26", "QWO", "X", Choice(practices=("A81001",), pcns=("U00000",), councils=("E1",))
    )
    assert place is None
    assert [(p.path, p.value) for p in problems] == [
        ("X.practices", "A81001"),
        ("X.pcns", "U00000"),
        ("X.councils", "E1"),
    ]


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("[1, 2]", "(file): a list, not an object of places (expected a session saved by "),
        ('"x"', "(file): text, not an object of places"),
        ("{x", "(file): not JSON: Expecting property name enclosed in double quotes at line 1"),
        ('{"places": "one"}', "places: 'one': not a list of names (expected the places' names"),
        ('{"places": []}', "places: no places (expected at least one place's name)"),
        ('{"places": ["A"]}', 'A.gps: no GP practices (expected a list like ["B85005: '),
        ('{"places": ["A"], "A": {"gps": "B85005"}}', "A.gps: 'B85005': not a list of GP"),
    ],
)
def test_a_problem_in_a_session_says_what_was_found(text: str, expected: str) -> None:
    with pytest.raises(PlacesError) as caught:
        read_session(text, year="2025/26", source="bad.json")
    assert str(caught.value.problems[0]).startswith(expected)


@pytest.mark.parametrize(
    ("name", "expected"),
    [
        (" ", "no name given, but a place has a name (expected one such as Kirklees East)"),
        ("a\nb", "has characters that cannot be shown, such as a line break (expected printable"),
        ("L" * 101, "101 characters long (expected at most 100)"),
    ],
)
def test_a_bad_name_says_what_is_wrong_with_it(name: str, expected: str) -> None:
    place, problems = choose("2025/26", "QWO", name, Choice(practices=("B85005",)))
    assert place is None
    assert [p.rule[: len(expected)] for p in problems] == [expected]
