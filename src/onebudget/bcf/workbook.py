"""A Better Care Fund plan as an XLSX workbook: the layout, and writing a plan to it.

Finance leads plan the BCF in Excel, so a plan goes out to a workbook and comes back in
(``onebudget.bcf.workbook_read``) with nothing lost: every field of the plan round-trips,
and the YAML dump of the plan read back is the YAML dump of the plan written.

The layout is ours until checked against the national planning template (ADR 0021): the
2025/26 template is published only on the Better Care Exchange (NHS Futures login), and the
public copies of earlier templates (2016/17, 2019/20, in health and wellbeing board papers)
show numbered sheets ("1. Guidance", "2. Cover", ...) but not the 2025/26 columns. So the
sheets are named for the template's areas (Cover, Income, Expenditure, Metrics, National
conditions, Narrative, Capacity and demand, and Outputs, as a scheme may have several), each
one table under a bold header row. Capacity and demand has two rows per line, its Demand and
its Capacity, with a column per month from Apr to Mar.

What keeps the round trip exact:

- money is written as a number when a spreadsheet shows all of its digits (15 significant
  digits), else as text; other numbers (metrics, outputs, shares) are numbers only when
  the number reads back as the same digits (``1.80`` is written as text, ``1.8`` as a
  number), since a spreadsheet's 1.80 is 1.8;
- text is written as text. Text a spreadsheet could take for a formula gets a leading
  apostrophe (``onebudget.io.excel``), and so does text that starts with an apostrophe:
  reading takes one leading apostrophe off any text cell;
- a cell holds at most 32,767 characters and no U+FFFE or U+FFFF (XML cannot hold them):
  a plan with such text is refused with each place named, never cut short.
"""

from __future__ import annotations

from collections.abc import Mapping
from decimal import Decimal
from typing import Any

from onebudget.bcf.plan import MONTHS, QUARTERS, Plan, PlanError, Scheme
from onebudget.io.excel import workbook_bytes
from onebudget.io.problems import Problem
from onebudget.io.tables import cell_text as shown  # the one rule for a number read as text

COVER, INCOME, EXPENDITURE, OUTPUTS = "Cover", "Income", "Expenditure", "Outputs"
METRICS, CONDITIONS, NARRATIVE = "Metrics", "National conditions", "Narrative"
CAPACITY = "Capacity and demand"
CAPACITY_COLUMNS = (  # (header, field of the line)
    ("Category", "category"),
    ("Service or route", "label"),
    ("Unit", "unit"),
)
MEASURE = "Measure"
MEASURES = (("Demand", "demand"), ("Capacity", "capacity"))  # (word, field), rows in order

COVER_FIELDS = (  # (label, path in the plan)
    ("Health and Wellbeing Board code", "hwb.code"),
    ("Health and Wellbeing Board", "hwb.name"),
    ("Year", "year"),
    ("Council code", "partners.council.code"),
    ("Council", "partners.council.name"),
    ("ICB code", "partners.icb.code"),
    ("ICB", "partners.icb.name"),
    ("NHS minimum contribution to adult social care last year (£)", "asc_last_year"),
    ("Minimum NHS-commissioned out-of-hospital spend (£)", "out_of_hospital_minimum"),
)
AMOUNT = "Amount (£)"
ALLOCATION, HOUSING, DFG = "Allocation", "Housing authority", "DFG passed"
SCHEME_COLUMNS = (  # (header, field of the scheme)
    ("Scheme ID", "id"),
    ("Scheme name", "name"),
    ("Scheme type", "scheme_type"),
    ("Sub type", "sub_type"),
    ("Commissioner", "commissioner"),
    ("Council share (%)", "split.council"),
    ("ICB share (%)", "split.icb"),
    ("Provider", "provider"),
    ("Source of funding", "source"),
    ("Planned spend (£)", "spend"),
    ("New or existing", "new"),
    ("Adult social care", "adult_social_care"),
    ("NHS out-of-hospital", "nhs_out_of_hospital"),
)
COLUMNS: dict[str, tuple[str, ...]] = {
    COVER: ("Field", "Value"),
    INCOME: ("Line", "Code", "Name", AMOUNT),
    EXPENDITURE: tuple(header for header, _ in SCHEME_COLUMNS),
    OUTPUTS: ("Scheme ID", "Quantity", "Unit"),
    METRICS: ("Metric", *QUARTERS),
    CONDITIONS: ("Condition", "Confirmed", "Note"),
    NARRATIVE: ("Section", "Text"),
    CAPACITY: (*(header for header, _ in CAPACITY_COLUMNS), MEASURE, *MONTHS),
}
COMMISSIONERS = {"council": "Council", "icb": "ICB", "joint": "Joint"}
YES, NO, NEW, EXISTING = "Yes", "No", "New", "Existing"
MOST_CHARACTERS = 32_767  # Excel's limit for one cell
NOT_IN_XML = ("\ufffe", "\uffff")


def plan_to_workbook(plan: Plan) -> bytes:
    """The plan as an XLSX workbook; ``PlanError`` naming every text a cell cannot hold."""
    problems = unwritable(plan.model_dump(mode="python"))
    if problems:
        raise PlanError("(workbook)", problems)
    return workbook_bytes(sheets(plan))


def sheets(plan: Plan) -> dict[str, list[dict[str, Any]]]:
    """Each sheet's rows, in the order of the plan, ready for ``onebudget.io.excel``."""
    return {
        COVER: [{"Field": label, "Value": _value(_at(plan, path))} for label, path in COVER_FIELDS],
        INCOME: _income(plan),
        EXPENDITURE: [_scheme(s) for s in plan.schemes],
        OUTPUTS: [
            {"Scheme ID": text(s.id), "Quantity": number(o.quantity), "Unit": text(o.unit)}
            for s in plan.schemes
            for o in s.outputs
        ],
        METRICS: [
            {"Metric": text(m), **{q: number(_quarter(by, q)) for q in QUARTERS}}
            for m, by in plan.metrics.items()
        ],
        CONDITIONS: [
            {"Condition": text(c), "Confirmed": _yes(v.confirmed), "Note": text(v.note)}
            for c, v in plan.conditions.items()
        ],
        NARRATIVE: [{"Section": text(k), "Text": text(v)} for k, v in plan.narrative.items()],
        CAPACITY: _capacity(plan),
    }


def _income(plan: Plan) -> list[dict[str, Any]]:
    def row(line: str, code: str, name: str | None, amount: Decimal | None) -> dict[str, Any]:
        return {"Line": line, "Code": text(code), "Name": text(name), AMOUNT: money(amount)}

    return [
        *(row(ALLOCATION, k, None, v) for k, v in plan.allocations.items()),
        *(row(HOUSING, h.code, h.name, None) for h in plan.partners.housing_authorities),
        *(row(DFG, k, None, v) for k, v in plan.dfg_passed.items()),
    ]


def _capacity(plan: Plan) -> list[dict[str, Any]]:
    """Each line's Demand row, then its Capacity row, written even with no month in it."""
    return [
        {
            **{header: text(getattr(line, name)) for header, name in CAPACITY_COLUMNS},
            MEASURE: word,
            **{m: number(getattr(line, field).get(m)) for m in MONTHS},
        }
        for line in plan.capacity_demand
        for word, field in MEASURES
    ]


def _scheme(s: Scheme) -> dict[str, Any]:
    split = s.split
    values: dict[str, Any] = {
        "commissioner": COMMISSIONERS[s.commissioner],
        "split.council": None if split is None else number(split.council),
        "split.icb": None if split is None else number(split.icb),
        "spend": money(s.spend),
        "new": NEW if s.new else EXISTING,
        "adult_social_care": _yes(s.adult_social_care),
        "nhs_out_of_hospital": _yes(s.nhs_out_of_hospital),
    }
    return {h: values[f] if f in values else text(getattr(s, f)) for h, f in SCHEME_COLUMNS}


def _quarter(by: Mapping[Any, Decimal], quarter: str) -> Decimal | None:
    return by.get(quarter)


def _at(plan: Plan, path: str) -> Any:
    found: Any = plan
    for part in path.split("."):
        found = getattr(found, part)
    return found


def _value(value: Any) -> Any:
    return money(value) if isinstance(value, Decimal) or value is None else text(value)


def _yes(flag: bool) -> str:
    return YES if flag else NO


def text(value: str | None) -> str | None:
    """Text as a cell holds it: one more leading apostrophe where it starts with one."""
    if value is None:
        return None
    return "'" + value if value.startswith("'") else value


def money(amount: Decimal | None) -> Decimal | str | None:
    """A number when a spreadsheet shows every digit (15 significant), else exact text."""
    if amount is None:
        return None
    return amount if len(amount.as_tuple().digits) <= 15 else f"{amount:f}"


def number(value: Decimal | None) -> Decimal | str | None:
    """A number when it reads back as the same digits (1.8, not 1.80), else exact text."""
    if value is None:
        return None
    written = f"{value:f}"
    fits = len(value.as_tuple().digits) <= 15 and shown(float(value)) == written
    return value if fits else written


def unwritable(data: Any, path: str = "") -> list[Problem]:
    """Every text in the plan's data a cell cannot hold, keys and values, by its path."""
    if isinstance(data, dict):
        found = [p for k, v in data.items() for p in unwritable(v, _join(path, str(k)))]
        return [*(p for k in data for p in _text_problem(str(k), _join(path, str(k)))), *found]
    if isinstance(data, list | tuple):
        return [p for i, v in enumerate(data) for p in unwritable(v, _join(path, str(i)))]
    return _text_problem(data, path) if isinstance(data, str) else []


def _text_problem(value: str, path: str) -> list[Problem]:
    if len(value) > MOST_CHARACTERS:
        rule = f"more than {MOST_CHARACTERS:,} characters, the most a spreadsheet cell holds"
        return [Problem(path=path or "(file)", value=value, rule=rule)]
    if any(c in value for c in NOT_IN_XML):
        rule = "holds U+FFFE or U+FFFF, which a workbook (XML) cannot hold"
        return [Problem(path=path or "(file)", value=value, rule=rule)]
    return []


def _join(path: str, part: str) -> str:
    return f"{path}.{part}" if path else part
