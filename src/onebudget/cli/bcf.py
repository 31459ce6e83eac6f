"""``onebudget bcf``: check a Better Care Fund plan against its year's framework."""

from __future__ import annotations

import json
from decimal import Decimal
from pathlib import Path
from typing import Any

import typer
from rich.console import Console

from onebudget.bcf.checks import check_plan, notes
from onebudget.bcf.framework import FrameworkError, framework
from onebudget.bcf.plan import PlanError, read_plan, with_lines
from onebudget.io.problems import Problem, shorten

app = typer.Typer(help="Better Care Fund plans.", no_args_is_help=True)
console = Console()
err = Console(stderr=True)


@app.command("check")
def check(
    plan: Path = typer.Argument(..., help="The plan, as YAML (XLSX comes in a later release)."),
    as_json: bool = typer.Option(False, "--json", help="Print the problems as JSON."),
) -> None:
    """Check a plan against its year's framework: every problem, with its place and line in
    the file and the money short or over. Exit 0 if none, 2 if any.

    Reads YAML; the national template's XLSX is read in a later release."""
    try:
        found, where = read_plan(plan)
        year = framework(found.year)
    except (PlanError, FrameworkError) as error:
        raise _report(str(plan), error.problems, [], as_json) from None
    except OSError as error:
        unreadable = Problem(path="(file)", value=None, rule=f"cannot be read: {error.strerror}")
        raise _report(str(plan), [unreadable], [], as_json) from None
    problems = with_lines(check_plan(found, year), where)
    raise _report(str(plan), problems, notes(found, year), as_json)


def _report(source: str, problems: list[Problem], said: list[str], as_json: bool) -> typer.Exit:
    if as_json:
        rows = [_row(p) for p in problems]
        typer.echo(json.dumps({"file": source, "problems": rows, "notes": said}, indent=2))
    else:
        _print(source, problems, said)
    return typer.Exit(2 if problems else 0)


def _row(p: Problem) -> dict[str, Any]:
    shortfall = getattr(p, "shortfall", None)
    return {
        "path": p.path,
        "line": p.line,
        "value": None if p.value is None else _text(p.value),
        "rule": p.rule,
        "shortfall": None if shortfall is None else f"{shortfall:.2f}",
    }


def _text(value: Any) -> str:
    return f"{value:.2f}" if isinstance(value, Decimal) else shorten(value)


def _print(source: str, problems: list[Problem], said: list[str]) -> None:
    """One numbered block per problem, its words wrapped to the terminal: a rule is a
    sentence, which a table column would squeeze into a word a line."""
    for line in said:
        err.print(line, style="yellow", markup=False, highlight=False, soft_wrap=True)
    if not problems:
        console.print(f"{source}: no problems.", markup=False)
        return
    console.print(f"{source}: {len(problems)} problem{'s' if len(problems) > 1 else ''}")
    for number, p in enumerate(problems, 1):
        where = p.path if p.line is None else f"line {p.line}, {p.path}"
        short = getattr(p, "shortfall", None)
        money = "" if short is None else f" [{_pounds(short)}]"
        value = "" if p.value is None else f" (found: {_shown(p.value)})"
        console.print(f"{number:>3}. {where}{money}: {p.rule}{value}", markup=False)


def _shown(value: Any) -> str:
    return f"{value:,.2f}" if isinstance(value, Decimal) else shorten(value)


def _pounds(amount: Decimal) -> str:
    return f"£{amount:,.2f} short" if amount >= 0 else f"£{-amount:,.2f} over"
