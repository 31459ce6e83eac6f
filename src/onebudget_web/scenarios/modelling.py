"""Where the service joins a place's linked data to the scenario engine (the engines never
import each other): the place's cells for the baseline year, rounded before any use (ADR
0025), its people by age for the projection, the study, and the proposed variation of the
place's pooled fund for the portfolio's first year. A scenario whose population is an ONS
subnational projection is modelled on the file uploaded with it; only the area's rows are
kept (``projection_of``).

Modelling runs once, when a scenario is saved; pages read the stored tables.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, replace
from datetime import date
from pathlib import Path
from typing import Any

from django.core.exceptions import ValidationError

from onebudget.funds.agreement import AgreementError
from onebudget.funds.validation import load_agreement
from onebudget.funds.variation import compare
from onebudget.io import yamlio
from onebudget.io.problems import Problem
from onebudget.io.tables import RawTable, TableError, read_table
from onebudget.organisations import OrganisationKind
from onebudget.outcomes.calendar import Period
from onebudget.outcomes.cells import cells, population_by_age, rounded
from onebudget.scenarios import results
from onebudget.scenarios.baseline import from_cells
from onebudget.scenarios.config import ScenarioConfig
from onebudget.scenarios.interventions import read_interventions
from onebudget.scenarios.projection import Projection
from onebudget.scenarios.report import year_label
from onebudget.scenarios.shift import RULE, proposed_scheme
from onebudget.scenarios.snpp import SnppError, area_rows, parse_snpp_tables
from onebudget.scenarios.study import Study, demographic_growth, study
from onebudget_web.core.uploads import on_disk
from onebudget_web.funds.models import Fund
from onebudget_web.funds.selectors import current_version
from onebudget_web.places import computed
from onebudget_web.places.models import Place, PlaceDataset

PARTNER_KINDS = {"council": OrganisationKind.LOCAL_AUTHORITY, "icb": OrganisationKind.ICB}


@dataclass(frozen=True)
class ProjectionFile:
    """An ONS subnational population projection uploaded with a scenario (CSV or XLSX)."""

    name: str
    content: bytes


@dataclass(frozen=True)
class ReadProjection:
    projection: Projection
    source: str  # the files' names
    rows: str  # the area's rows, as one CSV (``snpp.area_rows``)


class ProjectionRefusedError(ValidationError):
    """The projection's files broke a rule: each problem with its file, row, column, value."""


def projection_of(config: ScenarioConfig, sent: Sequence[ProjectionFile]) -> ReadProjection | None:
    """The projection the scenario's ``population`` names, from the files sent with it (one
    holding both sexes, or ONS's file for each): none for national rates (files sent then
    are refused, not ignored)."""
    names = ", ".join(f.name for f in sent)
    if config.population == "national":
        if sent:
            raise ProjectionRefusedError([f"{names}: the scenario's population is national; "
                                          "give it as {snpp: the file's name, area: its GSS "
                                          "code} to model it on this projection"])  # fmt: skip
        return None
    area = config.population.area
    if not sent:
        raise ProjectionRefusedError([f"Choose the ONS projection file the scenario names "
                                      f"({', '.join(config.population.files)})"])  # fmt: skip
    tables, problems = _tables(sent)
    if problems:
        raise ProjectionRefusedError(problems)
    try:
        return ReadProjection(parse_snpp_tables(tables, area), names, area_rows(tables, area))
    except SnppError as error:
        raise ProjectionRefusedError([str(p) for p in error.problems]) from None


def _tables(sent: Sequence[ProjectionFile]) -> tuple[list[RawTable], list[str]]:
    """Each file as a table named as the person's file; a file that is no table, named."""
    tables, problems = [], []
    for f in sent:
        try:
            with on_disk(f.name, f.content) as path:
                tables.append(replace(read_table(path), source=f.name))
        except TableError as error:
            problems.append(f"{f.name}: {error}")
    return tables, problems


@dataclass(frozen=True)
class Modelled:
    study: Study
    tables: list[dict[str, Any]]  # as stored (results.stored): in order, money as text


def coverage_problems(config: ScenarioConfig, dataset: PlaceDataset) -> list[Problem]:
    """The file's baseline year must be a financial year the place's data cover whole."""
    found = []
    year = config.baseline_year
    if not (dataset.first_year <= year and year + 1 <= dataset.last_year):
        found.append(Problem(path="baseline_year", value=year, rule=(
            f"a financial year the place's data cover: April {dataset.first_year} to "
            f"December {dataset.last_year}, so {dataset.first_year} to {dataset.last_year - 1}"
        )))  # fmt: skip
    return found


def modelled(
    config: ScenarioConfig, dataset: PlaceDataset, ons: ReadProjection | None = None
) -> Modelled:
    """The scenario on the dataset (checked by ``coverage_problems`` first), its population
    projected by national rates or by the ONS projection (``projection_of``)."""
    year = Period.financial_year(config.baseline_year)
    report = computed.open_report(Path(dataset.path))
    try:
        con: Any = report.engine.con
        baseline = from_cells(rounded(cells(con, year)), config.baseline_year)
        by_age = [] if ons else population_by_age(con, year.start)
    finally:
        computed.close(report)
    growth = _growth(config, by_age, year.start, ons)
    found = study(config, read_interventions(), baseline, growth)
    return Modelled(found, results.stored(results.sheets(found)))


def _growth(
    config: ScenarioConfig, by_age: list[Any], start: date, ons: ReadProjection | None
) -> Any:
    try:
        return demographic_growth(config, by_age, start, ons.projection if ons else None)
    except ValueError as error:  # the ONS projection does not cover the scenario's years
        if ons is None:
            raise
        rule = f"a projection covering the baseline year and the years after it: {error}"
        raise ProjectionRefusedError([f"{ons.source}: {rule}"]) from None


def proposal(found: Study, place: Place, code: str) -> dict[str, Any]:
    """The portfolio's first year as a pooled scheme (funding follows the gain), with the
    partners' codes; and, if the place has a pooled fund for that year, the fund's agreement
    with the scheme added: a proposed variation its pool manager can record."""
    first_year = found.config.baseline_year + 1
    codes = _partner_codes(place)
    made: dict[str, Any] = {"year": year_label(first_year, 0), "rule": RULE, "scheme": None}
    if not found.shifts or len(codes) < len(PARTNER_KINDS):
        made["note"] = "The place needs a council and an ICB as partners to share the cost."
        return made
    name = f"{found.config.name} (funding follows the gain)"[:300]
    scheme = proposed_scheme(found.shifts[0], code, name, codes)
    shares = {k: str(v) for k, v in scheme["contributions"].items()}
    made["scheme"] = scheme | {"contributions": shares}
    names = dict(place.partners.values_list("code", "name"))
    made["shares"] = [{"code": k, "name": names[k], "amount": v} for k, v in shares.items()]
    fund = _fund_for(place, first_year, set(codes.values()))
    if fund is not None:
        made |= _varied(fund, scheme)
    return made


def _partner_codes(place: Place) -> dict[str, str]:
    found = {}
    for partner, kind in PARTNER_KINDS.items():
        organisation = place.partners.filter(kind=kind).order_by("name").first()
        if organisation is not None:
            found[partner] = organisation.code
    return found


def _fund_for(place: Place, year: int, codes: set[str]) -> Fund | None:
    """The place's own pooled fund for the year (not a Better Care Fund plan's), if its
    partners include the council and the ICB."""
    for fund in place.funds.filter(financial_year=year, bcf_plan__isnull=True).order_by("code"):
        if codes <= set(fund.partners.values_list("code", flat=True)):
            return fund
    return None


def _varied(fund: Fund, scheme: dict[str, Any]) -> dict[str, Any]:
    """The fund's current agreement with the scheme added, checked as any version is."""
    version = current_version(fund)
    data = yamlio.load(version.text, source=fund.code)
    data["schemes"] = [*data.get("schemes", []), scheme]
    text = yamlio.dump(data)
    made: dict[str, Any] = {"fund": fund.code, "fund_name": fund.name, "version": version.number}
    try:
        before = load_agreement(version.text, source=fund.code)
        after = load_agreement(text, source=f"{fund.code} with the scenario's scheme")
    except AgreementError as error:
        return made | {"problems": [str(p) for p in error.problems]}
    changes = compare(before, after)
    rows = [
        {"scheme": s.name, "code": s.code, "kind": s.kind,
         "contributions": [[c.partner, str(c.before), str(c.after)] for c in s.contributions]}
        for s in changes.schemes
    ]  # fmt: skip
    return made | {"agreement": text, "changes": rows}
