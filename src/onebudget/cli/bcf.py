"""``onebudget bcf``: check a Better Care Fund plan against its year's framework, and build
the pooled fund's Section 75 agreement from an agreed plan.

The CLI sits above the engines, so it may join them: ``onebudget.bcf`` gives the agreement
as data and ``onebudget.funds`` validates it, as ``fund check`` would."""

from __future__ import annotations

import json
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
from onebudget.bcf.plan import Plan, PlanError, read_plan, with_lines
from onebudget.bcf.to_fund import PRO_RATA, Built, build_agreement
from onebudget.funds.agreement import AgreementError
from onebudget.funds.validation import load_agreement, read_agreement
from onebudget.io import yamlio
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


class Basis(StrEnum):
    SCHEME = "scheme"
    FUND = "fund"


@app.command("fund")
def fund(
    plan: Path = typer.Argument(..., help="The agreed plan, as YAML."),
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
        found, where = read_plan(plan)
        built = _built(found, host, pool_manager, basis)
    except (PlanError, FrameworkError) as error:
        raise _report(source, error.problems, [], False) from None
    except OSError as error:
        unreadable = Problem(path="(file)", value=None, rule=f"cannot be read: {error.strerror}")
        raise _report(source, [unreadable], [], False) from None
    if built.problems:
        raise _report(source, with_lines(list(built.problems), where), list(built.notes), False)
    target = str(out) if out else "the agreement built"
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


def _built(plan: Plan, host: str, pool_manager: str, basis: Basis) -> Built:
    overspend = {**PRO_RATA, "basis": "fund"} if basis is Basis.FUND else dict(PRO_RATA)
    return build_agreement(
        plan, framework(plan.year), host=host, pool_manager=pool_manager, overspend=overspend
    )


def _deliver(text: str, out: Path | None) -> None:
    if out is None:
        typer.echo(text, nl=False)
        return
    try:
        out.write_text(text, encoding="utf-8")
    except OSError as error:
        cannot = Problem(path="(file)", value=None, rule=f"cannot be written: {error.strerror}")
        raise _report(str(out), [cannot], [], False) from None
    console.print(f"{out}: the agreement written.", markup=False)


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
