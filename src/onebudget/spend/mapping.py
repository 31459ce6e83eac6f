"""A partner's mapping file: where its ledger is, which columns mean what, and its rules.

YAML, one file per partner, validated on load with every problem named (path, value,
rule). Reading the ledger through it turns each row into a ``SpendLine`` or into import
problems naming file, row, column, value and rule; a ledger with any problem gives no
lines at all.
"""

from __future__ import annotations

import re
import warnings
from dataclasses import dataclass
from datetime import datetime
from decimal import Decimal
from importlib import resources
from pathlib import Path
from typing import Any

from onebudget.io import yamlio
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


class LedgerFileError(ValueError):
    """A partner's finance ledger extract cannot be read by its mapping (every problem named).
    Not a pooled-fund ledger rule: those are ``onebudget.funds.ledger.LedgerError`` values."""

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
    """The mapping in ``text``, or ``MappingError`` with every problem, each at its path."""
    try:
        data = yamlio.load(text, source=source)
    except ProblemsError as error:
        raise MappingError(source, error.problems) from None
    if not isinstance(data, dict):
        rule = "a mapping file is a YAML mapping"
        raise MappingError(source, [Problem(path="(file)", value=data, rule=rule)])
    problems: list[Problem] = []

    def need(ok: bool, path: str, value: Any, rule: str) -> None:
        if not ok:
            problems.append(Problem(path=path, value=value, rule=rule))

    for key in ("partner", "name", "ledger", "columns"):
        need(key in data, key, None, "required")
        if key in ("partner", "name") and key in data:
            need(_name(data[key]), key, data[key], "text")
    ledger, columns = _section(data, "ledger", need), _section(data, "columns", need)
    _check_ledger(ledger, need)
    _check_columns(columns, need)
    sign = data.get("amount_sign", 1)
    need(_whole(sign) and sign in (1, -1), "amount_sign", sign, "1 (expenditure positive) or -1")
    known = (taxonomy or services()).codes
    rules = PartnerRules(
        str(data.get("partner")),
        _rules(data.get("services", []), "services", "service", known, need),
        _rules(data.get("budgets", []), "budgets", "budget", set(BUDGETS), need),
        _rules(data.get("transfers", []), "transfers", "kind", None, need),
    )
    if problems:
        raise MappingError(source, problems)
    return _mapping(data, ledger, columns, rules)


def _mapping(
    data: dict[str, Any], ledger: dict[str, Any], columns: dict[str, Any], rules: PartnerRules
) -> PartnerMapping:
    month = columns["month"]
    return PartnerMapping(
        partner=str(data["partner"]),
        name=str(data["name"]),
        file=ledger["file"],
        sheet=ledger.get("sheet"),
        header_row=ledger.get("header_row"),
        columns={k: v for k in (*TEXT_COLUMNS, *AMOUNTS) if isinstance(v := columns.get(k), str)},
        month_column=month["column"],
        month_format=month["format"],
        sign=int(data.get("amount_sign", 1)),
        rules=rules,
    )


def _whole(value: Any) -> bool:
    return isinstance(value, int) and not isinstance(value, bool)


def _name(value: Any) -> bool:
    """Text, or a whole number (a code such as 123 that YAML reads as one)."""
    return (isinstance(value, str) and bool(value.strip())) or _whole(value)


def _section(data: dict[str, Any], key: str, need: Any) -> dict[str, Any]:
    """A mapping inside the file (``ledger``, ``columns``); anything else is a problem."""
    value = data.get(key)
    if value is not None and not isinstance(value, dict):
        need(False, key, value, "a mapping of names to values ({name: value, ...})")
    return value if isinstance(value, dict) else {}


def _check_ledger(ledger: dict[str, Any], need: Any) -> None:
    file, sheet, header = ledger.get("file"), ledger.get("sheet"), ledger.get("header_row")
    need(
        isinstance(file, str) and bool(file.strip()), "ledger.file", file, "the ledger's file name"
    )
    need(sheet is None or isinstance(sheet, str), "ledger.sheet", sheet, "the sheet's name")
    rule = "the row of the header (1 is the first row)"
    need(header is None or (_whole(header) and header >= 1), "ledger.header_row", header, rule)


def _check_columns(columns: dict[str, Any], need: Any) -> None:
    """Each of our columns names a heading of the ledger; amounts one way or the other."""
    heading = "the heading of this column"
    for name in (*TEXT_COLUMNS, "debit", "credit"):
        given = columns.get(name)
        required = name in TEXT_COLUMNS[:3]
        need(
            isinstance(given, str) or (given is None and not required),
            f"columns.{name}",
            given,
            heading,
        )
    one = isinstance(columns.get("amount"), str)
    both = isinstance(columns.get("debit"), str) and isinstance(columns.get("credit"), str)
    need(
        one != both,
        "columns.amount",
        columns.get("amount"),
        "the heading of the amount column, or debit and credit columns instead",
    )
    month = columns.get("month")
    need(
        isinstance(month, dict)
        and isinstance(month.get("column"), str)
        and isinstance(month.get("format"), str),
        "columns.month",
        month,
        "{column: heading, format: e.g. '%d/%m/%Y' or '%b-%y'}",
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
        need(not extra, where, sorted(map(str, extra)), "unknown keys")
        priority = spec.get("priority", 100)
        need(_whole(priority), f"{where}.priority", priority, "a whole number")
        out.append(
            Rule(
                str(spec.get("id", f"{path}-{i + 1}")),
                str(target),
                tuple(t for t in tests if t),
                priority if _whole(priority) else 100,
            )
        )
    return tuple(out)


MAX_PATTERN = 200


def _test(spec: Any, column: str, path: str, need: Any) -> Match | None:
    if (
        not isinstance(spec, dict)
        or len(spec) != 1
        or next(iter(spec)) not in ("exact", "prefix", "pattern")
    ):
        need(False, path, spec, "{exact: code}, {prefix: text} or {pattern: regular expression}")
        return None
    ((kind, value),) = spec.items()
    if not (isinstance(value, str) or _whole(value)):
        need(False, f"{path}.{kind}", value, "a code or text")
        return None
    compiled = _pattern(str(value), path, need) if kind == "pattern" else None
    if kind == "pattern" and compiled is None:
        return None
    return Match(column, kind, str(value), compiled)  # type: ignore[arg-type]


def _pattern(text: str, path: str, need: Any) -> re.Pattern[str] | None:
    """A rule's regular expression, compiled; a pattern Python warns about is refused too."""
    if len(text) > MAX_PATTERN:
        need(False, path, text, f"a pattern of at most {MAX_PATTERN} characters")
        return None
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("error")
            return re.compile(text)
    except (re.error, OverflowError, FutureWarning) as error:
        need(False, path, text, f"not a regular expression: {error}")
        return None


def read_mapping(path: Path, taxonomy: Taxonomy | None = None) -> PartnerMapping:
    try:
        text = path.read_text(encoding="utf-8")
    except UnicodeDecodeError:
        problem = Problem(path="(file)", value=None, rule="not UTF-8 text: a YAML file is text")
        raise MappingError(path.name, [problem]) from None
    return load_mapping(text, source=path.name, taxonomy=taxonomy)


def read_ledger(folder: Path, mapping: PartnerMapping) -> list[SpendLine]:
    table = read_table(folder / mapping.file, sheet=mapping.sheet, header_row=mapping.header_row)
    return ledger_lines(table, mapping)


def ledger_lines(table: RawTable, mapping: PartnerMapping) -> list[SpendLine]:
    """Every row as a line, or every problem and no lines."""
    wanted = [*mapping.columns.values(), mapping.month_column]
    missing = [c for c in wanted if c not in table.header]
    if missing:
        rule = f"the ledger has no column {', '.join(repr(m) for m in missing)}"
        raise LedgerFileError([ImportProblem(table.source, 1, ", ".join(missing), "", rule)])
    at = {name: table.header.index(heading) for name, heading in mapping.columns.items()}
    month_at = table.header.index(mapping.month_column)
    problems: list[ImportProblem] = []
    lines = []
    for row, cells in table.rows:
        line = _line(table.source, row, cells, at, month_at, mapping, problems)
        if line is not None:
            lines.append(line)
    if problems:
        raise LedgerFileError(problems)
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
