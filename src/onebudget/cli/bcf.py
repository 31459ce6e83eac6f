"""``onebudget bcf``: check a Better Care Fund plan against its year's framework, and build
the pooled fund's Section 75 agreement from an agreed plan.

The CLI sits above the engines, so it may join them: ``onebudget.bcf`` gives the agreement
as data and ``onebudget.funds`` validates it, as ``fund check`` would."""

from __future__ import annotations

import json
from collections.abc import Callable
from datetime import datetime
from decimal import Decimal
from enum import StrEnum
from pathlib import Path
from typing import Any

import typer
from rich.console import Console

from onebudget.bcf.checks import check_plan, notes
from onebudget.bcf.framework import FrameworkError, framework
from onebudget.bcf.fund_variation import varied
from onebudget.bcf.fund_variation import vary as plan_variations
from onebudget.bcf.plan import Plan, PlanError, dump_plan, read_plan, with_lines
from onebudget.bcf.to_fund import PRO_RATA, Built, build_agreement
from onebudget.bcf.workbook import plan_to_workbook
from onebudget.bcf.workbook_cells import CellProblem
from onebudget.bcf.workbook_read import at_cells, read_workbook
from onebudget.cli import bcf_return
from onebudget.funds.agreement import AgreementError
from onebudget.funds.validation import load_agreement, read_agreement
from onebudget.io import yamlio
from onebudget.io.problems import Problem, shorten

app = typer.Typer(help="Better Care Fund plans.", no_args_is_help=True)
console = Console()
err = Console(stderr=True)


@app.command("check")
def check(
    plan: Path = typer.Argument(..., help="The plan, as YAML or an XLSX workbook."),
    as_json: bool = typer.Option(False, "--json", help="Print the problems as JSON."),
) -> None:
    """Check a plan against its year's framework: every problem, with its place (line in
    YAML; sheet, row and column in XLSX) and the money short or over. Exit 0 if none, 2 if
    any. The XLSX is the layout `bcf export` writes (ours until checked against the
    national template)."""
    try:
        found, place = _read(plan)
        year = framework(found.year)
    except (PlanError, FrameworkError) as error:
        raise _report(str(plan), error.problems, [], as_json) from None
    except OSError as error:
        unreadable = Problem(path="(file)", value=None, rule=f"cannot be read: {error.strerror}")
        raise _report(str(plan), [unreadable], [], as_json) from None
    problems = place(check_plan(found, year))
    raise _report(str(plan), problems, notes(found, year), as_json)


@app.command("export")
def export(
    plan: Path = typer.Argument(..., help="The plan, as YAML."),
    out: Path = typer.Option(..., "--out", help="Write the workbook (.xlsx) here."),
) -> None:
    """Write a plan as an XLSX workbook (Cover, Income, Expenditure, Outputs, Metrics,
    National conditions, Narrative) that `bcf import` reads back to the same plan."""
    if out.suffix.lower() != ".xlsx":
        raise typer.BadParameter(f"{out}: not a workbook (expected a file ending .xlsx)")
    try:
        data = plan_to_workbook(read_plan(plan)[0])
    except PlanError as error:
        raise _report(error.source, error.problems, [], False) from None
    except OSError as error:
        unreadable = Problem(path="(file)", value=None, rule=f"cannot be read: {error.strerror}")
        raise _report(str(plan), [unreadable], [], False) from None
    _deliver(data, out, "the workbook")


@app.command("import")
def import_(
    workbook: Path = typer.Argument(..., help="The plan's workbook (.xlsx)."),
    out: Path | None = typer.Option(None, "--out", help="Write the plan (YAML) here."),
) -> None:
    """Read a plan from its workbook, as `bcf export` writes it, to YAML: every problem with
    its sheet, row and column (exit 2), and nothing written unless the workbook is good."""
    try:
        found, _ = read_workbook(workbook)
    except PlanError as error:
        raise _report(str(workbook), error.problems, [], False) from None
    _deliver(dump_plan(found), out, "the plan")


class Basis(StrEnum):
    SCHEME = "scheme"
    FUND = "fund"


@app.command("fund")
def fund(
    plan: Path = typer.Argument(..., help="The agreed plan, as YAML or XLSX."),
    host: str = typer.Option(..., "--host", help="The host partner's code (council or ICB)."),
    pool_manager: str = typer.Option(..., "--pool-manager", help="Who manages the pool."),
    basis: Basis = typer.Option(
        Basis.SCHEME,
        "--overspend-basis",
        help="Share an overspend pro rata to the scheme's contributions (its stream's "
        "contributor) or to each partner's contributions to the whole fund.",
    ),
    out: Path | None = typer.Option(None, "--out", help="Write the agreement here."),
) -> None:
    """Build the pooled fund's Section 75 agreement from an agreed plan: one scheme per BCF
    scheme, each paid by its stream's contributor. Printed as YAML (or written to --out),
    checked as `onebudget fund check` checks it. A plan with problems (a stream not planned
    to the penny, say) is refused with every problem, exit 2; figures the definitions lack
    are noted and do not block. The risk-share clauses are defaults the partners must agree.
    """
    source = str(plan)
    try:
        found, place = _read(plan)
        built = _built(found, host, pool_manager, basis)
    except (PlanError, FrameworkError) as error:
        raise _report(source, error.problems, [], False) from None
    except OSError as error:
        unreadable = Problem(path="(file)", value=None, rule=f"cannot be read: {error.strerror}")
        raise _report(source, [unreadable], [], False) from None
    if built.problems:
        raise _report(source, place(list(built.problems)), list(built.notes), False)
    target = str(out) if out else f"the agreement built from {source}"
    try:
        agreement = load_agreement(built.yaml(), source=target)
    except AgreementError as error:
        raise _report(target, error.problems, list(built.notes), False) from None
    _deliver(built.yaml(), out)
    for line in [*built.notes, _summary(agreement.fund_contributions())]:
        err.print(line, style="yellow", markup=False, highlight=False, soft_wrap=True)


@app.command("vary")
def vary(
    agreement: Path = typer.Argument(..., help="The fund's agreement, as YAML."),
    plan: Path = typer.Argument(..., help="The plan's new version, as YAML."),
    effective: datetime = typer.Option(..., formats=["%Y-%m-%d"], help="From this day."),
    agreed_on: datetime = typer.Option(..., formats=["%Y-%m-%d"], help="Agreed this day."),
    agreed_by: list[str] = typer.Option(..., help="Who agreed it (once for each)."),
    out: Path | None = typer.Option(None, "--out", help="Write the varied agreement here."),
) -> None:
    """A plan changed after sign-off: the agreement with one variation for each partner's
    change to each scheme, checked as `onebudget fund check` checks it. A new scheme, another
    year or partners, or a plan with problems is refused (exit 2)."""
    try:
        signed = read_agreement(agreement).model_dump(mode="python")
        found, where = read_plan(plan)
        result = plan_variations(
            signed,
            found,
            framework(found.year),
            effective=effective.date(),
            agreed_by=agreed_by,
            agreed_on=agreed_on.date(),
        )
    except (AgreementError, PlanError, FrameworkError) as error:
        raise _report(error.source, error.problems, [], False) from None
    except OSError as error:
        unreadable = Problem(path="(file)", value=None, rule=f"cannot be read: {error.strerror}")
        raise _report(error.filename or str(plan), [unreadable], [], False) from None
    if result.problems:
        raise _report(str(plan), with_lines(list(result.problems), where), [], False)
    text = yamlio.dump(varied(signed, result))
    try:
        load_agreement(text, source=str(out or agreement))
    except AgreementError as error:
        raise _report(error.source, error.problems, [], False) from None
    _deliver(text, out)
    err.print(f"{len(result.variations)} variations", markup=False, highlight=False)


def _read(path: Path) -> tuple[Plan, Callable[[list[Problem]], list[Problem]]]:
    """The plan in a YAML file or a workbook, and how to place its problems (line or cell)."""
    if path.suffix.lower() == ".xlsx":
        found, places = read_workbook(path)
        return found, lambda problems: at_cells(problems, places)
    found, where = read_plan(path)
    return found, lambda problems: with_lines(problems, where)


def _built(plan: Plan, host: str, pool_manager: str, basis: Basis) -> Built:
    overspend = {**PRO_RATA, "basis": "fund"} if basis is Basis.FUND else dict(PRO_RATA)
    return build_agreement(
        plan, framework(plan.year), host=host, pool_manager=pool_manager, overspend=overspend
    )


def _deliver(text: str | bytes, out: Path | None, what: str = "the agreement") -> None:
    if out is None:
        typer.echo(text, nl=False)
        return
    try:
        if isinstance(text, bytes):
            out.write_bytes(text)
        else:
            out.write_text(text, encoding="utf-8")
    except OSError as error:
        cannot = Problem(path="(file)", value=None, rule=f"cannot be written: {error.strerror}")
        raise _report(str(out), [cannot], [], False) from None
    console.print(f"{out}: {what} written.", markup=False)


def _summary(by_partner: dict[str, Decimal]) -> str:
    paid = ", ".join(f"{code} £{amount:,.2f}" for code, amount in by_partner.items())
    return f"contributions by partner: {paid}; risk share: defaults, for the partners to agree"


def _report(source: str, problems: list[Problem], said: list[str], as_json: bool) -> typer.Exit:
    if as_json:
        rows = [_row(p) for p in problems]
        typer.echo(json.dumps({"file": source, "problems": rows, "notes": said}, indent=2))
    else:
        _print(source, problems, said)
    return typer.Exit(2 if problems else 0)


def _row(p: Problem) -> dict[str, Any]:
    shortfall = getattr(p, "shortfall", None)
    place: dict[str, Any] = {"line": p.line}
    if isinstance(p, CellProblem):  # a workbook's cell in place of a line
        place = {"sheet": p.sheet, "row": p.row, "column": p.column}
    return {
        "path": p.path,
        **place,
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
        if isinstance(p, CellProblem):
            where = p.place if p.path == "(workbook)" else f"{p.place}, {p.path}"
        short = getattr(p, "shortfall", None)
        money = "" if short is None else f" [{_pounds(short)}]"
        value = "" if p.value is None else f" (found: {_shown(p.value)})"
        console.print(f"{number:>3}. {where}{money}: {p.rule}{value}", markup=False)


def _shown(value: Any) -> str:
    return f"{value:,.2f}" if isinstance(value, Decimal) else shorten(value)


def _pounds(amount: Decimal) -> str:
    return f"£{amount:,.2f} short" if amount >= 0 else f"£{-amount:,.2f} over"


app.command("return")(bcf_return.return_)
