"""A partner's mapping file: where its ledger is, which columns mean what, and its rules.

YAML, one file per partner, validated on load with every problem named (path, value,
rule). Reading the ledger through it turns each row into a ``SpendLine`` or into import
problems naming file, row, column, value and rule; a ledger with any problem gives no
lines at all.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import datetime
from decimal import Decimal
from importlib import resources
from pathlib import Path
from typing import Any

import yaml

from onebudget.io.problems import ImportProblem, Problem, ProblemsError
from onebudget.io.tables import RawTable, read_table
from onebudget.money import MoneyError, exact
from onebudget.spend.engine import PartnerRules
from onebudget.spend.rules import FIELDS, Match, Rule, SpendLine
from onebudget.spend.taxonomy import Taxonomy, services

# Mapping files for the synthetic ledgers (and a third, hand-written layout in westvale/)
EXAMPLES = resources.files("onebudget") / "definitions" / "mappings"
TEXT_COLUMNS = ("cost_centre", "account", "description", "counterparty", "reference")
BUDGETS = ("pooled", "aligned")
AMOUNTS = ("amount", "debit", "credit")


class MappingError(ProblemsError):
    """Problems in a partner's mapping file."""


class LedgerError(ValueError):
    def __init__(self, problems: list[ImportProblem]) -> None:
        self.problems = problems
        super().__init__("\n".join(str(p) for p in problems))


@dataclass(frozen=True)
class PartnerMapping:
    partner: str
    name: str
    file: str
    sheet: str | None
    header_row: int | None
    columns: dict[str, str]  # our name -> the ledger's column heading
    month_column: str
    month_format: str
    sign: int
    rules: PartnerRules


def load_mapping(text: str, *, source: str, taxonomy: Taxonomy | None = None) -> PartnerMapping:
    problems: list[Problem] = []
    try:
        data = yaml.safe_load(text)
    except yaml.YAMLError as error:
        raise MappingError(
            source, [Problem(path="(file)", value=None, rule=f"not YAML: {error}")]
        ) from None
    if not isinstance(data, dict):
        raise MappingError(
            source, [Problem(path="(file)", value=data, rule="a mapping file is a YAML mapping")]
        )
    known = (taxonomy or services()).codes

    def need(ok: bool, path: str, value: Any, rule: str) -> None:
        if not ok:
            problems.append(Problem(path=path, value=value, rule=rule))

    for key in ("partner", "name", "ledger", "columns"):
        need(key in data, key, None, "required")
    ledger = data.get("ledger") or {}
    columns = data.get("columns") or {}
    month: dict[str, Any] = columns["month"] if isinstance(columns.get("month"), dict) else {}
    need(bool(ledger.get("file")), "ledger.file", ledger.get("file"), "the ledger's file name")
    for name in TEXT_COLUMNS[:3]:
        need(
            isinstance(columns.get(name), str),
            f"columns.{name}",
            columns.get(name),
            "the heading of this column",
        )
    one = isinstance(columns.get("amount"), str)
    both = isinstance(columns.get("debit"), str) and isinstance(columns.get("credit"), str)
    need(
        one != both,
        "columns.amount",
        columns.get("amount"),
        "the heading of the amount column, or debit and credit columns instead",
    )
    need(
        bool(month.get("column")) and bool(month.get("format")),
        "columns.month",
        columns.get("month"),
        "{column: heading, format: e.g. '%d/%m/%Y' or '%b-%y'}",
    )
    sign = data.get("amount_sign", 1)
    need(sign in (1, -1), "amount_sign", sign, "1 (expenditure positive) or -1")
    services_rules = _rules(data.get("services", []), "services", "service", known, need)
    budgets = _rules(data.get("budgets", []), "budgets", "budget", set(BUDGETS), need)
    transfers = _rules(data.get("transfers", []), "transfers", "kind", None, need)
    if problems:
        raise MappingError(source, problems)
    text_columns = {
        k: columns[k] for k in (*TEXT_COLUMNS, *AMOUNTS) if isinstance(columns.get(k), str)
    }
    return PartnerMapping(
        partner=str(data["partner"]),
        name=str(data["name"]),
        file=str(ledger["file"]),
        sheet=ledger.get("sheet"),
        header_row=ledger.get("header_row"),
        columns=text_columns,
        month_column=str(month["column"]),
        month_format=str(month["format"]),
        sign=int(sign),
        rules=PartnerRules(str(data["partner"]), services_rules, budgets, transfers),
    )


def _rules(specs: Any, path: str, target_key: str, allowed: Any, need: Any) -> tuple[Rule, ...]:
    if not isinstance(specs, list):
        need(False, path, specs, "a list of rules")
        return ()
    out = []
    for i, spec in enumerate(specs):
        where = f"{path}.{i}"
        if not isinstance(spec, dict):
            need(False, where, spec, "a rule is a mapping")
            continue
        target = spec.get(target_key)
        need(
            isinstance(target, str) and (allowed is None or target in allowed),
            f"{where}.{target_key}",
            target,
            f"one of {sorted(allowed)}" if allowed else "a name",
        )
        tests = tuple(_test(spec[f], f, f"{where}.{f}", need) for f in FIELDS if f in spec)
        need(bool(tests), where, spec, f"a rule tests at least one of {', '.join(FIELDS)}")
        extra = set(spec) - {"id", target_key, "priority", *FIELDS}
        need(not extra, where, sorted(extra), "unknown keys")
        priority = spec.get("priority", 100)
        need(isinstance(priority, int), f"{where}.priority", priority, "a whole number")
        out.append(
            Rule(
                str(spec.get("id", f"{path}-{i + 1}")),
                str(target),
                tuple(t for t in tests if t),
                priority if isinstance(priority, int) else 100,
            )
        )
    return tuple(out)


def _test(spec: Any, column: str, path: str, need: Any) -> Match | None:
    if (
        not isinstance(spec, dict)
        or len(spec) != 1
        or next(iter(spec)) not in ("exact", "prefix", "pattern")
    ):
        need(False, path, spec, "{exact: code}, {prefix: text} or {pattern: regular expression}")
        return None
    ((kind, value),) = spec.items()
    compiled = None
    if kind == "pattern":
        try:
            compiled = re.compile(str(value))
        except re.error as error:
            need(False, path, value, f"not a regular expression: {error}")
            return None
    return Match(column, kind, str(value), compiled)  # type: ignore[arg-type]


def read_mapping(path: Path, taxonomy: Taxonomy | None = None) -> PartnerMapping:
    return load_mapping(path.read_text(encoding="utf-8"), source=path.name, taxonomy=taxonomy)


def read_ledger(folder: Path, mapping: PartnerMapping) -> list[SpendLine]:
    table = read_table(folder / mapping.file, sheet=mapping.sheet, header_row=mapping.header_row)
    return ledger_lines(table, mapping)


def ledger_lines(table: RawTable, mapping: PartnerMapping) -> list[SpendLine]:
    """Every row as a line, or every problem and no lines."""
    wanted = [*mapping.columns.values(), mapping.month_column]
    missing = [c for c in wanted if c not in table.header]
    if missing:
        rule = f"the ledger has no column {', '.join(repr(m) for m in missing)}"
        raise LedgerError([ImportProblem(table.source, 1, ", ".join(missing), "", rule)])
    at = {name: table.header.index(heading) for name, heading in mapping.columns.items()}
    month_at = table.header.index(mapping.month_column)
    problems: list[ImportProblem] = []
    lines = []
    for row, cells in table.rows:
        line = _line(table.source, row, cells, at, month_at, mapping, problems)
        if line is not None:
            lines.append(line)
    if problems:
        raise LedgerError(problems)
    return lines


def _line(
    source: str,
    row: int,
    cells: tuple[str, ...],
    at: dict[str, int],
    month_at: int,
    mapping: PartnerMapping,
    problems: list[ImportProblem],
) -> SpendLine | None:
    before = len(problems)
    amount = _amount(source, row, cells, at, mapping, problems)
    raw_month = cells[month_at]
    try:
        month = datetime.strptime(raw_month, mapping.month_format).strftime("%Y-%m")
    except ValueError:
        problems.append(
            ImportProblem(
                source,
                row,
                mapping.month_column,
                raw_month,
                f"a date in the form {mapping.month_format}",
            )
        )
    for name in ("cost_centre", "account"):
        if not cells[at[name]]:
            problems.append(
                ImportProblem(source, row, mapping.columns[name], "", "must not be empty")
            )
    if len(problems) > before or amount is None:
        return None
    text = {name: cells[i] for name, i in at.items() if name not in AMOUNTS}
    return SpendLine(
        mapping.partner,
        source,
        row,
        month=month,
        amount=amount,
        **{k: text.get(k, "") for k in TEXT_COLUMNS},
    )


def _amount(
    source: str,
    row: int,
    cells: tuple[str, ...],
    at: dict[str, int],
    mapping: PartnerMapping,
    problems: list[ImportProblem],
) -> Decimal | None:
    """One signed amount column, or debit less credit (an empty side is nothing)."""
    found = {}
    for name in [n for n in AMOUNTS if n in at]:
        raw = cells[at[name]]
        try:
            found[name] = exact(raw or "0") if name != "amount" else exact(raw)
        except MoneyError as error:
            problems.append(ImportProblem(source, row, mapping.columns[name], raw, error.rule))
    if len(found) != len([n for n in AMOUNTS if n in at]):
        return None
    value = found["amount"] if "amount" in found else found["debit"] - found["credit"]
    return value * mapping.sign
