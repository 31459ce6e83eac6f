"""The library's problems in words a commissioner uses: where the problem is (a place, a
component, the baseline; never a YAML path such as ``components.0.share``) and what is
wrong, as the library says it. Each page puts them beside the field they belong to."""

from __future__ import annotations

from typing import Any

from onebudget.io.problems import Problem

FIELDS = {
    "practices": "practices",
    "pcn": "primary care networks",
    "lad": "districts",
    "council": "council areas",
    "share": "share",
    "name": "name",
    "index": "need index",
    "population": "population",
    "age_weights": "age group weights",
    "population_by_age": "people by age group",
    "deprivation_weight": "deprivation weight",
    "area_cost": "area cost adjustment",
    "floor": "minimum growth",
    "cap": "maximum growth",
    "gps": "practices",
    "icb": "ICB",
}
TOPS = {
    "(file)": "The budget",
    "(budget)": "The budget",
    "year": "The allocation year",
    "budget": "The total budget",
    "icb": "The integrated care board",
    "places": "The places",
    "components": "The components",
    "baseline": "The baseline",
    "pace": "The pace of change",
}


def where(path: str) -> str:
    """``places.Leeds.lad`` as "Place Leeds's districts"; ``components.0.share`` as
    "Component 1's share"; ``baseline.Leeds`` as "The baseline for Leeds"."""
    head, *rest = path.split(".")
    if not rest:
        return TOPS.get(head, f"Place {head}")
    if head == "places" and rest[0].isdigit() and len(rest) == 1:  # a session's list
        return f"Name {int(rest[0]) + 1} in the list of places"
    if head == "places":
        return f"Place {rest[0]}" + _own(rest[1:])
    if head == "components" and rest[0].isdigit():
        return f"Component {int(rest[0]) + 1}" + _own(rest[1:])
    if head == "baseline":
        return f"The baseline for {'.'.join(rest)}"
    if head == "pace":
        return f"The pace of change's {FIELDS.get(rest[0], rest[0])}"
    return f"Place {head}" + _own(rest)  # a session file's place: Leeds.gps


def _own(rest: list[str]) -> str:
    if not rest:
        return ""
    field, *more = rest
    text = f"'s {FIELDS.get(field, field)}"
    return text + (f" for {'.'.join(more)}" if more else "")


def shown(value: Any) -> str:
    """A value as a person would write it: text without quotes, lists with commas; a
    character that cannot be shown (a line break, half a surrogate pair) as its escape."""
    listed = isinstance(value, list | tuple)
    text = ", ".join(str(v) for v in value) if listed else str(value)
    text = "".join(c if c.isprintable() else repr(c)[1:-1] for c in text[:200])
    return text if len(text) <= 80 else text[:79] + "…"


def plainly(problem: Problem, *, within: str = "") -> str:
    """One problem as a sentence: where, the value given (if any), what is wrong."""
    place = where(problem.path)
    if within:
        place = f"{within}, {place[0].lower()}{place[1:]}"
    if problem.line is not None:
        place += f" (line {problem.line})"
    given = "" if problem.value in (None, "", [], {}) else f" ({shown(problem.value)})"
    return f"{place}{given}: {problem.rule}"


def name_problem(problem: Problem) -> str:
    """A place's name that will not do, said as GOV.UK says it."""
    if not str(problem.value or "").strip():
        return "Enter a name for the place, such as Kirklees East"
    rule = problem.rule
    return f"Change the name: it {'is ' if rule[:1].isdigit() else ''}{rule}"


def builder_problems(problems: list[Problem], name: str) -> dict[str, list[str]]:
    """The place builder's problems by field: ``name``, ``icb`` or ``practices``."""
    out: dict[str, list[str]] = {}
    for p in problems:
        if p.path == "name":
            out.setdefault("name", []).append(name_problem(p))
        elif p.path == "icb":
            out.setdefault("icb", []).append(f"Choose an integrated care board: {p.rule}")
        elif p.value is None:  # nothing chosen
            out.setdefault("practices", []).append(
                "Select at least one practice, on the list or on the map"
            )
        else:
            out.setdefault("practices", []).append(f"Practice {shown(p.value)}: {p.rule}")
    return out
