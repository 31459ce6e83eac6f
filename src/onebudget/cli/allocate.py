"""``onebudget allocate``: NHS England's need indices for an ICB and a place."""

from __future__ import annotations

import csv
import io
import sys
from pathlib import Path
from typing import NoReturn

import typer

from onebudget.allocation.budget import BudgetError, allocate_budget, load_budget
from onebudget.allocation.indices import UnknownAreaError, icb_indices, place_indices
from onebudget.allocation.places import (
    Choice,
    Place,
    PlacesError,
    areas,
    choose,
    read_session,
    write_session,
)
from onebudget.allocation.populations import YEARS, YearError, unknown_icb
from onebudget.allocation.targets import AllocationError
from onebudget.io.excel import write_sheets
from onebudget.io.problems import Problem, ProblemsError

app = typer.Typer(help="Needs-based allocation.", no_args_is_help=True)


_KINDS = {"pcn": "pcns", "lad": "districts", "council": "councils"}
_FORM = '"Name=PRACTICE,pcn:CODE,lad:CODE,council:CODE,..."'


def parse_place(text: str) -> tuple[str, Choice]:
    """``"Name=B85005,pcn:U12345,council:E08000034"`` -> the name and what it is made of
    (practice codes unless marked ``pcn:``, ``lad:`` or ``council:``)."""
    name, sep, items = text.partition("=")
    chosen: dict[str, list[str]] = {"practices": [], "pcns": [], "districts": [], "councils": []}
    for item in (i.strip() for i in items.split(",") if i.strip()):
        kind, colon, code = item.rpartition(":")
        if colon and kind.lower() not in _KINDS:
            raise typer.BadParameter(
                f"{item}: {kind!r} is not a kind of code (expected pcn:, lad: or council:, "
                "or a practice code alone)"
            )
        chosen[_KINDS[kind.lower()] if colon else "practices"].append(code.strip().upper())
    wrong = _wrong_form(name, sep, chosen)
    if wrong:
        raise typer.BadParameter(f"{text!r}: {wrong} (expected {_FORM})")
    return name.strip(), Choice(**{k: tuple(v) for k, v in chosen.items()})


def _wrong_form(name: str, sep: str, chosen: dict[str, list[str]]) -> str:
    """What is missing from a place as written ("" if nothing is)."""
    if not sep:
        return "no '=' between the name and the codes"
    if not name.strip():
        return "no name before '='"
    return "" if any(chosen.values()) else "no codes after '='"


def _text(path: Path, error: type[ProblemsError], what: str) -> str:
    """A file's text; one that is not UTF-8 is the format's own error, as a problem."""
    try:
        return path.read_text(encoding="utf-8")
    except UnicodeDecodeError:
        rule = f"not UTF-8 text (expected {what}, saved as UTF-8)"
        problem = Problem(path="(file)", value=None, rule=rule)
        raise error(path.name, [problem]) from None


def _places(year: str, icb: str, specs: list[str], session: Path | None) -> list[Place]:
    if session is not None:
        text = _text(session, PlacesError, "session JSON")
        return read_session(text, year=year, source=session.name)
    places, problems = [], []
    for spec in specs:
        name, choice = parse_place(spec)
        place, found = choose(year, icb, name, choice)
        problems += found
        if place is not None:
            places.append(place)
    if problems or not places:
        raise PlacesError("--place", problems)
    return places


def _fail(error: Exception | str, source: str = "") -> NoReturn:
    """One line per problem the error carries, after the file or option it is in (or the
    error itself), then exit code 2."""
    problems = getattr(error, "problems", None)
    where = source or getattr(error, "source", "")
    for line in [f"{where}: {p}" if where else str(p) for p in problems or [error]]:
        typer.echo(line, err=True)
    raise typer.Exit(2)


@app.command("indices")
def indices(
    year: str = typer.Option(..., help=f"Allocation year: {', '.join(YEARS)}."),
    icb: str = typer.Option("", help="ICB code, e.g. QWO (not needed with --session)."),
    place: list[str] = typer.Option(
        [],
        help='A place: "Name=B85005,B85022,pcn:U12345,council:E08000034" (repeatable; '
        "`onebudget allocate areas` lists the codes).",
    ),
    session: Path | None = typer.Option(
        None, help="Places from NHS England's place-based tool (its session JSON)."
    ),
    whole_people: bool = typer.Option(
        False, "--whole-people", help="Round each sum to whole people before dividing."
    ),
    out: Path | None = typer.Option(None, help="Also write the CSV to a file."),
    save: Path | None = typer.Option(None, help="Save the places as session JSON."),
) -> None:
    """The nine need indices as CSV (index,icb,<each place>): the ICB's relative to England,
    each place's relative to its ICB, rounded half up to three decimals."""
    try:
        places = _places(year, icb.upper(), place, session)
        found = sorted({p.icb for p in places})
        if len(found) > 1:
            _fail(f"{session}: places in {', '.join(found)} (expected the places of one ICB)")
        of_icb = icb_indices(year, places[0].icb, whole_people=whole_people)
        columns = [
            place_indices(year, p.icb, p.practices, whole_people=whole_people) for p in places
        ]
    except (UnknownAreaError, PlacesError, YearError, OSError) as error:
        _fail(error)
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\n")
    writer.writerow(
        ["index", "icb", *(p.name for p in places)]
        if len(places) > 1
        else ["index", "icb", "place"]
    )
    writer.writerows([i, f"{of_icb[i]:.3f}", *(f"{c[i]:.3f}" for c in columns)] for i in of_icb)
    if out is not None:
        out.write_text(buffer.getvalue(), encoding="utf-8")
    if save is not None:
        save.write_text(write_session(places, year=year), encoding="utf-8")
    typer.echo(buffer.getvalue(), nl=False)


@app.command("areas")
def list_areas(
    year: str = typer.Option(..., help=f"Allocation year: {', '.join(YEARS)}."),
    icb: str = typer.Option(..., help="ICB code, e.g. QWO."),
) -> None:
    """The PCNs, districts and councils with practices in the ICB, as CSV (kind,code,name),
    to build places from."""
    try:
        found = areas(year, icb.upper())
    except YearError as error:
        _fail(error)
    if not found["districts"]:
        _fail(f"{icb}: {unknown_icb(year)}")
    writer = csv.writer(sys.stdout, lineterminator="\n")
    writer.writerow(["kind", "code", "name"])
    for kind, label in (("pcns", "pcn"), ("districts", "lad"), ("councils", "council")):
        writer.writerows([label, a.code, a.name] for a in found[kind])


@app.command("budget")
def budget(
    config: Path = typer.Option(..., help="The allocation, as YAML (see the example shipped)."),
    out: Path = typer.Option(..., help="Write the allocation workbook (.xlsx)."),
) -> None:
    """Allocate a budget to places by need, with pace of change, to the penny."""
    try:
        text = _text(config, BudgetError, "a budget's YAML")
        spec = load_budget(text, source=config.name)
        result = allocate_budget(spec)
    except (BudgetError, AllocationError, OSError) as error:
        _fail(error, config.name)
    rows = result.rows()
    write_sheets(out, {"Allocation": rows})
    typer.echo(f"Allocated {spec.budget:,} to {len(rows)} places; wrote {out}")
