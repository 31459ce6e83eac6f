"""Places: named groups of one ICB's GP practices, chosen by practice, primary care network,
local authority district or council, and saved in NHS England's session format.

The place-based allocation tool saves a session as JSON: one object per place, keyed by its
name, with ``gps`` (``"B85005: Shepley Health Centre"``) and ``icb`` (the ICB's name), and
the list of names under ``places`` (``group_list`` in the earliest version). We read both and
write the current one, so people can bring the places they already defined and take them back.
"""

from __future__ import annotations

import json
from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass
from functools import cache
from typing import Any

from onebudget.allocation.geography import Area, district_councils, memberships
from onebudget.allocation.populations import PracticeNeed, practices, unknown_icb
from onebudget.io.problems import Problem, ProblemsError


class PlacesError(ProblemsError):
    """Problems in a session file or a place's definition."""


SAVED = "expected a session saved by NHS England's place-based allocation tool"
_JSON_KINDS = {
    list: "a list",
    str: "text",
    int: "a number",
    float: "a number",
    bool: "true or false",
}


@dataclass(frozen=True)
class Place:
    name: str
    icb: str
    practices: tuple[str, ...]


@dataclass(frozen=True)
class Choice:
    """What a place is made of; it is the union of all of them."""

    practices: tuple[str, ...] = ()
    pcns: tuple[str, ...] = ()
    districts: tuple[str, ...] = ()
    councils: tuple[str, ...] = ()


def icb_practices(year: str, icb: str) -> list[PracticeNeed]:
    return list(_members(year).get(icb, ()))


@cache
def _members(year: str) -> dict[str, tuple[PracticeNeed, ...]]:
    grouped: dict[str, list[PracticeNeed]] = {}
    for p in practices(year):
        grouped.setdefault(p.icb, []).append(p)
    return {icb: tuple(ps) for icb, ps in grouped.items()}


@cache
def practices_by_code(year: str) -> dict[str, PracticeNeed]:
    """Every practice of the year by its code (built once)."""
    return {p.code: p for p in practices(year)}


@cache
def _icbs(year: str) -> tuple[Area, ...]:
    found = {p.icb: p.icb_name for p in practices(year)}
    return tuple(sorted((Area(code, name) for code, name in found.items()), key=lambda a: a.name))


def icbs(year: str) -> list[Area]:
    """Every ICB of the year, by name."""
    return list(_icbs(year))


def areas(year: str, icb: str) -> dict[str, list[Area]]:
    """The PCNs, districts and councils that have practices in the ICB, by name."""
    pcns, districts, councils = {}, {}, {}
    known, lookup = memberships(), district_councils(year)
    for p in icb_practices(year, icb):
        if p.code in known and known[p.code].pcn.code:
            pcns[known[p.code].pcn.code] = known[p.code].pcn.name
        districts[p.lad] = p.lad_name
        if p.lad in lookup:
            councils[lookup[p.lad].code] = lookup[p.lad].name
    return {
        kind: sorted((Area(c, n) for c, n in found.items()), key=lambda a: a.name)
        for kind, found in (("pcns", pcns), ("districts", districts), ("councils", councils))
    }


def choose(year: str, icb: str, name: str, choice: Choice) -> tuple[Place | None, list[Problem]]:
    """The place, or the problems that stop it: every code must pick practices of the ICB."""
    members = icb_practices(year, icb)
    if not members:
        return None, [Problem(path="icb", value=icb, rule=unknown_icb(year))]
    known, lookup = memberships(), district_councils(year)
    tests: dict[str, Callable[[PracticeNeed, str], bool]] = {
        "pcns": lambda p, code: p.code in known and known[p.code].pcn.code == code,
        "districts": lambda p, code: p.lad == code,
        "councils": lambda p, code: p.lad in lookup and lookup[p.lad].code == code,
    }
    chosen: dict[str, None] = {}
    problems = _name_problems(name)
    everyone = practices_by_code(year)
    for kind in ("practices", *tests):
        for code in getattr(choice, kind):
            if kind == "practices":
                is_member = code in everyone and everyone[code].icb == icb
                found = [code] if is_member else []
            else:
                found = [p.code for p in members if tests[kind](p, code)]
            if not found:
                rule = _not_chosen(year, icb, kind, code)
                problems.append(Problem(path=f"{name}.{kind}", value=code, rule=rule))
            chosen |= dict.fromkeys(found)
    if not chosen and not problems:
        rule = "no practices chosen (expected a practice, PCN, district or council code)"
        problems.append(Problem(path=name, value=None, rule=rule))
    if problems:
        return None, problems
    return Place(name.strip(), icb, tuple(sorted(chosen))), []


_AREAS = {
    "pcns": ("primary care network", "a PCN code"),
    "districts": ("local authority district", "a district's GSS code"),
    "councils": ("council's area", "a council's GSS code"),
}


def _not_chosen(year: str, icb: str, kind: str, code: str) -> str:
    """What is wrong with a code that picks none of the ICB's practices, and one that would."""
    if kind == "practices":
        like = min(p.code for p in icb_practices(year, icb))
        other = practices_by_code(year).get(code)
        found = f"a GP practice of {other.icb}, not of {icb}," if other else "not a GP practice"
        expected = f"expected a practice code of {icb}, like {like}"
        return f"{found} in the weighted populations for {year} ({expected})"
    area, code_of = _AREAS[kind]
    some = areas(year, icb)[kind]
    like = f", like {some[0].code} for {some[0].name}" if some else ""
    return f"no practice of {icb} is in this {area} in {year} (expected {code_of} of the ICB{like})"


MAX_NAME = 100


def _name_problems(name: str) -> list[Problem]:
    """A place's name: printable text (no control characters, nothing that is not a
    character, such as half of a JSON surrogate pair) of at most ``MAX_NAME`` characters."""
    if not name.strip():
        rule = "no name given, but a place has a name (expected one such as Kirklees East)"
        return [Problem(path="name", value=name, rule=rule)]
    if not name.isprintable():
        rule = "has characters that cannot be shown, such as a line break (expected printable text)"
        return [Problem(path="name", value=name, rule=rule)]
    if len(name.strip()) > MAX_NAME:
        rule = f"{len(name.strip())} characters long (expected at most {MAX_NAME})"
        return [Problem(path="name", value=name, rule=rule)]
    return []


def write_session(places: Iterable[Place], *, year: str | Mapping[str, str]) -> str:
    """The national tool's session JSON, practices shown as it shows them. ``year`` is one
    year for every place, or each place's own (by name)."""
    session: dict[str, Any] = {}
    for place in places:
        its_year = year if isinstance(year, str) else year[place.name]
        everyone = practices_by_code(its_year)
        session[place.name] = {
            "gps": [f"{c}: {everyone[c].name}" for c in place.practices],
            "icb": everyone[place.practices[0]].icb_name,
            "year": its_year.replace("/", "_20"),
        }
    session["places"] = list(session)
    return json.dumps(session, indent=4)


def read_session(text: str, *, year: str, source: str) -> list[Place]:
    """Places from a session file; every problem is collected and nothing is returned if any."""
    try:
        data = json.loads(text)
    except json.JSONDecodeError as error:
        rule = f"not JSON: {error.msg} at line {error.lineno}, column {error.colno} ({SAVED})"
        raise PlacesError(source, [Problem(path="(file)", value=None, rule=rule)]) from None
    except ValueError:  # a whole number of more digits than Python converts (4,300)
        rule = f"a number of more than 4,300 digits, more than can be read ({SAVED})"
        raise PlacesError(source, [Problem(path="(file)", value=None, rule=rule)]) from None
    except RecursionError:
        rule = f"lists or objects nested too deeply to read ({SAVED})"
        raise PlacesError(source, [Problem(path="(file)", value=None, rule=rule)]) from None
    if not isinstance(data, dict):
        rule = f"{_JSON_KINDS.get(type(data), 'null')}, not an object of places ({SAVED})"
        raise PlacesError(source, [Problem(path="(file)", value=None, rule=rule)])
    names = data.get("places", data.get("group_list"))
    if names is None:
        names = [k for k, v in data.items() if isinstance(v, dict) and "gps" in v]
    problems: list[Problem] = []
    places = []
    for name in _names(names, problems):
        place = _session_place(data, name, year, problems)
        if place is not None:
            places.append(place)
    if not places and not problems:
        rule = "no places (expected at least one place's name)"
        problems.append(Problem(path="places", value=None, rule=rule))
    if problems:
        raise PlacesError(source, problems)
    return places


def _names(names: Any, problems: list[Problem]) -> list[str]:
    """The places' names, each once; a name that cannot be a place's is a problem here,
    before it is used to name anything else."""
    if not isinstance(names, list) or not all(isinstance(n, str) for n in names):
        rule = 'not a list of names (expected the places\' names, like ["Kirklees East"])'
        problems.append(Problem(path="places", value=names, rule=rule))
        return []
    good: dict[str, None] = {}
    for i, name in enumerate(names):
        found = _name_problems(name)
        problems += [p.model_copy(update={"path": f"places.{i}"}) for p in found]
        if not found:
            good[name] = None
    return list(good)


def _session_place(
    data: dict[str, Any], name: str, year: str, problems: list[Problem]
) -> Place | None:
    entry = data.get(name)
    entry = entry if isinstance(entry, dict) else {}
    gps = entry.get("gps")
    if not isinstance(gps, list) or not gps or not all(isinstance(g, str) for g in gps):
        what = "not a list of GP practices" if gps else "no GP practices"
        rule = f'{what} (expected a list like ["B85005: Shepley Health Centre"])'
        problems.append(Problem(path=f"{name}.gps", value=gps, rule=rule))
        return None
    codes = [g.partition(":")[0].strip().upper() for g in gps]
    icb = _icb_of(entry, codes, year, name, problems)
    if icb is None:
        return None
    place, found = choose(year, icb, name, Choice(practices=tuple(codes)))
    problems.extend(found)
    return place


def _icb_of(
    entry: dict[str, Any], codes: Sequence[str], year: str, name: str, problems: list[Problem]
) -> str | None:
    """The ICB the practices are in; the session's ICB name must agree when we know it."""
    everyone = practices_by_code(year)
    unknown = [c for c in codes if c not in everyone]
    if unknown:
        rule = f"not in the weighted populations for {year} (expected GP practices open then)"
        problems.append(Problem(path=f"{name}.gps", value=unknown, rule=rule))
        return None
    icbs_found = {everyone[c].icb for c in codes}
    if len(icbs_found) > 1:
        rule = "practices of more than one ICB (expected the practices of one ICB)"
        problems.append(Problem(path=f"{name}.gps", value=sorted(icbs_found), rule=rule))
        return None
    icb = icbs_found.pop()
    given = str(entry.get("icb", "")).strip()
    names = {a.name.casefold(): a.code for a in icbs(year)} | {icb.casefold(): icb}
    if given.casefold() in names and names[given.casefold()] != icb:
        rule = f"not the ICB of its practices (expected {everyone[codes[0]].icb_name})"
        problems.append(Problem(path=f"{name}.icb", value=given, rule=rule))
        return None
    return icb
