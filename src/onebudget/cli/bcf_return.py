"""``onebudget bcf return``: a plan's quarterly or year-end return, from its pooled fund.

The CLI joins the engines: the plan and its year come from ``onebudget.bcf``; each fund
scheme's actual spend from ``onebudget.funds``, read as ``fund report`` reads it (the
Section 75 agreement and its monthly actuals, CSV or XLSX) and taken, quarter by quarter,
from the monitoring position the funds engine gives at each quarter's end; metric progress
from an optional YAML file; and ``bcf.returns`` puts the return together. Every problem in
any input is named with its file, place, value and rule, exit 2, and nothing is written.

The metrics file, for each metric of the year and each quarter reported::

    metrics:
      discharge_delays:
        Q1: {actual: 1.9, source: from data, on_track: false, challenges: "...",
             achievements: "...", support_needs: "..."}

``planned`` may be given too (else the plan's trajectory is used); ``source`` is ``from
data`` or ``entered`` (the default); a quarter without ``actual`` has no figure yet.
"""

from __future__ import annotations

import json
from collections.abc import Sequence
from dataclasses import asdict, dataclass
from decimal import Decimal
from enum import StrEnum
from pathlib import Path
from typing import Annotated, Any

import typer
from pydantic import AfterValidator, BaseModel, ConfigDict, Field, ValidationError
from rich.console import Console

from onebudget.bcf.framework import Framework, FrameworkError, framework
from onebudget.bcf.plan import Plan, PlanError, Quarter, lines, read_plan, with_lines
from onebudget.bcf.returns import (
    QUARTERS,
    FundSpend,
    MetricProgress,
    Return,
    Source,
    build_return,
    quarters_of,
)
from onebudget.bcf.returns_workbook import ReturnWorkbookError, as_data, return_to_workbook
from onebudget.bcf.to_fund import financial_year
from onebudget.bcf.workbook import MOST_CHARACTERS, NOT_IN_XML
from onebudget.bcf.workbook_cells import WORKBOOK, CellProblem
from onebudget.bcf.workbook_read import read_workbook
from onebudget.cli.tables import print_rows
from onebudget.figures import pounds
from onebudget.funds.actuals import ActualsError, left_out_in_words, read_actuals
from onebudget.funds.agreement import Agreement, AgreementError
from onebudget.funds.monitoring import MonthlyFigure, quarter_actuals
from onebudget.funds.validation import read_agreement
from onebudget.io import yamlio
from onebudget.io.problems import ImportProblem, Problem, ProblemsError, shorten
from onebudget.io.problems import validation_problems as model_problems
from onebudget.io.tables import TableError

console = Console()
err = Console(stderr=True)


class Period(StrEnum):
    Q1, Q2, Q3, Q4 = "Q1", "Q2", "Q3", "Q4"
    YEAR_END = "year-end"


@dataclass(frozen=True)
class Named:
    """A problem as a person acts on it: the file, the place in it, the value, the rule."""

    file: str
    place: str
    value: str | None
    rule: str

    def __str__(self) -> str:
        value = "" if self.value is None else f" {self.value}:"
        return f"{self.file}: {self.place}:{value} {self.rule}"


def _cell_text(text: str) -> str:
    if any(c in text for c in NOT_IN_XML):
        raise ValueError("holds U+FFFE or U+FFFF, which a workbook (XML) cannot hold")
    return text


Narrative = Annotated[str, Field(max_length=MOST_CHARACTERS), AfterValidator(_cell_text)]
Value = Annotated[Decimal, Field(ge=0)]


class _Entry(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)
    planned: Value | None = None
    actual: Value | None = None
    source: Source = "entered"
    on_track: bool | None = None
    challenges: Narrative = ""
    achievements: Narrative = ""
    support_needs: Narrative = ""


class _Progress(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)
    metrics: dict[str, dict[str, Any]] = Field(default_factory=dict)


QUARTER: dict[str, Quarter] = {q: q for q in QUARTERS}
ENTRY = f"a quarter's entry is a mapping of {', '.join(_Entry.model_fields)}"


def return_(
    plan: Path = typer.Argument(..., help="The plan, as YAML or XLSX."),
    quarter: Period = typer.Option(..., "--quarter", help="Q1, Q2, Q3, Q4 or year-end."),
    agreement: Path = typer.Option(..., "--agreement", help="The fund's agreement, as YAML."),
    actuals: Path = typer.Option(..., "--actuals", help="The fund's monthly actuals, CSV or XLSX."),
    metrics: Path | None = typer.Option(None, "--metrics", help="Metric progress, as YAML."),
    out: Path | None = typer.Option(None, "--out", help="Write the return's workbook (.xlsx)."),
    as_json: bool = typer.Option(False, "--json", help="Print the return as JSON."),
) -> None:
    """A quarterly or year-end return: spend in the quarter and year to date for each scheme
    against the plan (from the fund's actuals), metric progress and the national conditions.
    Every problem in the plan, agreement, actuals or metrics file is named, exit 2."""
    if out is not None and out.suffix.lower() != ".xlsx":
        raise typer.BadParameter(f"{out}: not a workbook (expected a file ending .xlsx)")
    found, year = _plan(plan, as_json)
    problems: list[Named] = []
    fund = _fund(agreement, actuals, found, problems)
    progress, where = _metrics(metrics, problems) if metrics else ([], {})
    n = len(quarters_of(quarter.value))
    spend = quarterly_spend(fund[0], fund[1], n) if fund else []
    made = build_return(
        found, year, quarter.value, spend, progress, fund=fund[0].id if fund else None
    )
    problems += [_of_return(p, actuals, metrics, where) for p in made.problems]
    if problems or fund is None:
        raise _fail(problems, as_json)
    _deliver(made, out, as_json)


def quarterly_spend(
    agreement: Agreement, figures: Sequence[MonthlyFigure], quarters: int
) -> list[FundSpend]:
    """Each fund scheme's spend in each quarter, Q1 first, as the funds engine gives it."""
    spent = quarter_actuals(agreement, figures, quarters)
    return [FundSpend(s.code, s.name, spent[s.code]) for s in agreement.schemes]


def _plan(path: Path, as_json: bool) -> tuple[Plan, Framework]:
    """The plan and its framework year, or every problem in the plan, exit 2."""
    try:
        if path.suffix.lower() == ".xlsx":
            found, _ = read_workbook(path)
            return found, framework(found.year)
        found, _ = read_plan(path)
        return found, framework(found.year)
    except (PlanError, FrameworkError) as error:
        raise _fail([_named(error.source, p) for p in error.problems], as_json) from None
    except OSError as error:
        raise _fail([_unreadable(path, error)], as_json) from None


def _fund(
    agreement: Path, actuals: Path, plan: Plan, problems: list[Named]
) -> tuple[Agreement, Sequence[MonthlyFigure]] | None:
    """The fund's agreement and actuals for the plan's year; problems added to ``problems``."""
    try:
        found = read_agreement(agreement)
        figures = read_actuals(actuals, found)
    except AgreementError as error:
        problems += [_named(error.source, p) for p in error.problems]
        return None
    except ActualsError as error:
        problems += [_named(str(actuals), p) for p in error.problems]
        return None
    except TableError as error:
        problems.append(Named(str(actuals), "(file)", None, str(error)))
        return None
    except OSError as error:
        problems.append(_unreadable(Path(error.filename or agreement), error))
        return None
    if found.financial_year != financial_year(plan.year):
        rule = f"the plan is for {plan.year}: a return reads the fund of the same year"
        problems.append(Named(str(agreement), "financial_year", str(found.financial_year), rule))
    for line in left_out_in_words(figures.left_out):
        err.print(line, style="yellow", markup=False, highlight=False, soft_wrap=True)
    return found, figures.figures


def _metrics(path: Path, problems: list[Named]) -> tuple[list[MetricProgress], dict[str, int]]:
    """Metric progress from a YAML file, and each place's line; problems added. An entry
    with problems is still given, empty, so the return names what else is wrong with it
    (a metric not of the year, a quarter after the return's)."""
    try:
        text = path.read_text(encoding="utf-8")
        data = _Progress.model_validate(yamlio.load(text, source=str(path)))
    except UnicodeDecodeError:
        problems.append(Named(str(path), "(file)", None, "not UTF-8 text: a YAML file is text"))
        return [], {}
    except OSError as error:
        problems.append(_unreadable(path, error))
        return [], {}
    except ProblemsError as error:
        problems += [_named(str(path), p) for p in error.problems]
        return [], {}
    except ValidationError as error:
        placed = with_lines(model_problems(error), lines(text))
        problems += [_named(str(path), p) for p in placed]
        return [], {}
    where = lines(text)
    progress, found = _entries(data)
    problems += [_named(str(path), p) for p in with_lines(found, where)]
    return progress, where


def _entries(data: _Progress) -> tuple[list[MetricProgress], list[Problem]]:
    """Each metric's entry for each quarter, validated on its own so every one is judged."""
    progress, problems = [], []
    for m, by in data.metrics.items():
        for q, raw in by.items():
            path, quarter = f"metrics.{m}.{q}", QUARTER.get(q)
            if quarter is None:
                problems.append(Problem(path=path, value=q, rule="a quarter is Q1, Q2, Q3 or Q4"))
                continue
            if not isinstance(raw, dict):
                problems.append(Problem(path=path, value=raw, rule=ENTRY))
                raw = {}
            try:
                entry = _Entry.model_validate(raw).model_dump()
            except ValidationError as error:
                found = model_problems(error, top="")
                problems += [p.model_copy(update={"path": _join(path, p.path)}) for p in found]
                entry = {"planned": None, "actual": None, "source": "entered"}
            progress.append(MetricProgress(metric=m, quarter=quarter, **entry))
    return progress, problems


def _join(path: str, part: str) -> str:
    return f"{path}.{part}" if part else path


def _of_return(p: Problem, actuals: Path, metrics: Path | None, where: dict[str, int]) -> Named:
    """A problem of the return at its file: the metrics file's line, or the actuals."""
    if p.path.startswith("metrics") and metrics is not None:
        return _named(str(metrics), with_lines([p], where)[0])
    return Named(str(actuals), f"scheme_code {p.value}", None, p.rule)


def _named(file: str, p: Problem | ImportProblem) -> Named:
    if isinstance(p, ImportProblem):
        return Named(p.file, f"row {p.row}, column {p.column}", p.value or None, p.rule)
    if isinstance(p, CellProblem):
        place = p.place if p.path == WORKBOOK else f"{p.place} ({p.path})"
    else:
        place = p.path if p.line is None else f"line {p.line}, {p.path}"
    return Named(file, place, None if p.value is None else shorten(p.value), p.rule)


def _unreadable(path: Path, error: OSError) -> Named:
    return Named(str(path), "(file)", None, f"cannot be read: {error.strerror}")


def _fail(problems: list[Named], as_json: bool) -> typer.Exit:
    """Every problem, one line each (or as JSON), exit 2: never a traceback."""
    if as_json:
        typer.echo(json.dumps({"problems": [asdict(p) for p in problems]}, indent=2))
    for p in problems:
        err.print(str(p), style="red", markup=False, highlight=False, soft_wrap=True)
    return typer.Exit(2)


def _deliver(made: Return, out: Path | None, as_json: bool) -> None:
    """The workbook to ``out``, the return as JSON, or its tables on the terminal."""
    for note in made.notes:
        err.print(note, style="yellow", markup=False, highlight=False, soft_wrap=True)
    if out is not None:
        try:
            out.write_bytes(return_to_workbook(made))
        except ReturnWorkbookError as error:
            raise _fail([_named(str(out), p) for p in error.problems], as_json) from None
        except OSError as error:
            cannot = Named(str(out), "(file)", None, f"cannot be written: {error.strerror}")
            raise _fail([cannot], as_json) from None
        err.print(f"{out}: the return written.", markup=False, highlight=False, soft_wrap=True)
    if as_json:
        typer.echo(json.dumps(as_data(made), indent=2))
    elif out is None:
        _print(made)


def _print(made: Return) -> None:
    rows = [
        {
            "scheme": s.name,
            "id": s.scheme_id or s.code,
            "planned": s.planned,
            made.quarters[-1]: s.in_quarter,
            "to_date": s.to_date,
            "variance": s.variance,
        }
        for s in made.schemes
    ]
    print_rows(console, f"{made.plan.hwb.name}: {made.title()}", rows)
    t, q = made.total, made.quarters[-1]
    console.print(
        f"Total: planned {pounds(t.planned)}, {q} {pounds(t.in_quarter)}, "
        f"to date {pounds(t.to_date)}, variance {pounds(t.variance)}",
        markup=False,
        soft_wrap=True,
    )
    for c in made.conditions:
        met = "confirmed" if c.confirmed else "NOT confirmed"
        console.print(f"{c.id} {met}: {c.wording}", markup=False, soft_wrap=True)
