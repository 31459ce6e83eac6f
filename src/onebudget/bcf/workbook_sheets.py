"""A plan's workbook, sheet by sheet, into the plan's data and the place of every field.

Each sheet is one table under its header row (the first row with anything in it). The data
is left as the cells' text for the plan model to judge, so a workbook and a YAML file meet
the same rules; what only a workbook can get wrong (a sheet or column missing or unknown, a
row that names nothing, a value given twice, a word that is not one of the choices) is a
problem here, and its path is marked so the model does not report the same cell again.
"""

from __future__ import annotations

from collections.abc import Mapping
from decimal import Decimal, InvalidOperation
from typing import Any

from onebudget.bcf.plan import QUARTERS
from onebudget.bcf.workbook import (
    ALLOCATION,
    AMOUNT,
    CAPACITY,
    COLUMNS,
    CONDITIONS,
    COVER,
    COVER_FIELDS,
    DFG,
    EXPENDITURE,
    HOUSING,
    INCOME,
    METRICS,
    NARRATIVE,
    OUTPUTS,
    SCHEME_COLUMNS,
)
from onebudget.bcf.workbook_capacity import read_capacity
from onebudget.bcf.workbook_cells import WORKBOOK, Built, Place, Record, letter, named_once

YES_NO = {"yes": True, "no": False, "true": True, "false": False}
CHOICES: dict[str, tuple[dict[str, Any], str]] = {
    "commissioner": (
        {"council": "council", "icb": "icb", "joint": "joint"},
        "Council, ICB or Joint",
    ),
    "new": ({"new": True, "existing": False}, "New or Existing"),
    "adult_social_care": (YES_NO, "Yes or No"),
    "nhs_out_of_hospital": (YES_NO, "Yes or No"),
}
# Where a problem with no cell of its own is shown: the sheet of that part of the plan
SHEET_OF = {
    "(file)": EXPENDITURE,  # the plan's one rule across rows: scheme IDs are unique
    "hwb": COVER,
    "year": COVER,
    "partners": COVER,
    "partners.housing_authorities": INCOME,
    "asc_last_year": COVER,
    "out_of_hospital_minimum": COVER,
    "allocations": INCOME,
    "dfg_passed": INCOME,
    "schemes": EXPENDITURE,
    "metrics": METRICS,
    "conditions": CONDITIONS,
    "narrative": NARRATIVE,
    "capacity_demand": CAPACITY,
}


def build(cells: Mapping[str, list[list[str]]]) -> Built:
    """The plan's data from each sheet's cells (text, from row 1 and column A)."""
    built = Built()
    sheets = ", ".join(COLUMNS)
    for name in cells:
        if name not in COLUMNS:
            built.fault(WORKBOOK, Place(name), name, f"not a sheet of a plan: {sheets}")
    for name in COLUMNS:
        if name not in cells:
            built.fault(WORKBOOK, Place(name), None, "missing: a plan has this sheet")
    for path, sheet in SHEET_OF.items():
        built.at(path, sheet, None, None)
    tables = {name: _table(name, cells.get(name, []), built) for name in COLUMNS}
    _cover(tables[COVER], built)
    _income(tables[INCOME], built)
    _outputs(tables[OUTPUTS], built, _schemes(tables[EXPENDITURE], built))
    _metrics(tables[METRICS], built)
    _conditions(tables[CONDITIONS], built)
    _narrative(tables[NARRATIVE], built)
    read_capacity(tables[CAPACITY], built)
    return built


def _table(sheet: str, rows: list[list[str]], built: Built) -> list[Record]:
    """The rows under the header, each a mapping of the sheet's columns ("" if blank)."""
    numbered = [(i, row) for i, row in enumerate(rows, start=1) if any(row)]
    if not numbered:
        return []
    (top, header), body = numbered[0], numbered[1:]
    index = _header(sheet, top, header, built)
    records = []
    for r, row in body:
        for i, value in enumerate(row):
            if value and i not in index.values() and not (i < len(header) and header[i]):
                rule = "a value in a column with no header"
                built.fault(WORKBOOK, Place(sheet, r, letter(i)), value, rule)
        records.append((r, {n: row[i] if i < len(row) else "" for n, i in index.items()}))
    return records


def _header(sheet: str, top: int, header: list[str], built: Built) -> dict[str, int]:
    columns, index = COLUMNS[sheet], {}
    for i, raw in enumerate(header):
        name, where = raw.strip(), Place(sheet, top, letter(i))
        if name and name not in columns:
            built.fault(WORKBOOK, where, raw, f"not a column of {sheet}: {', '.join(columns)}")
        elif name in index:
            built.fault(WORKBOOK, where, raw, f"the column {name} appears twice")
        elif name:
            index[name] = i
    for name in columns:
        if name not in index:
            built.fault(WORKBOOK, Place(sheet, top, name), None, "missing: the header has it")
    return {name: index.get(name, len(header) + 10_000) for name in columns}


def _put(data: dict[str, Any], path: str, value: Any) -> None:
    *parents, last = path.split(".")
    for part in parents:
        data = data.setdefault(part, {})
    data[last] = value


def _cover(records: list[Record], built: Built) -> None:
    paths = {label.casefold(): path for label, path in COVER_FIELDS}
    known = "; ".join(label for label, _ in COVER_FIELDS)
    seen: dict[str, int] = {}
    for r, cells in records:
        label = cells["Field"].strip()
        path = paths.get(label.casefold(), "")
        where = Place(COVER, r, "Field")
        if label and not path:
            built.fault(WORKBOOK, where, label, f"not a field of the cover: {known}")
        elif named_once(built, seen, path, where, label):
            built.at(path, COVER, r, "Value")
            if cells["Value"]:
                _put(built.data, path, cells["Value"])


def _income(records: list[Record], built: Built) -> None:
    built.data.update(allocations={}, dfg_passed={})
    housing: list[dict[str, str]] = []
    built.data.setdefault("partners", {})["housing_authorities"] = housing
    seen: dict[str, int] = {}
    lines = {ALLOCATION.casefold(): "allocations", DFG.casefold(): "dfg_passed"}
    for r, cells in records:
        line = cells["Line"].strip().casefold()
        if line in lines:
            _amount_line(built, seen, lines[line], r, cells)
        elif line == HOUSING.casefold():
            _housing(built, housing, r, cells)
        else:
            rule = f"a line is {ALLOCATION}, {HOUSING} or {DFG}"
            built.fault(WORKBOOK, Place(INCOME, r, "Line"), cells["Line"], rule)


def _amount_line(
    built: Built, seen: dict[str, int], to: str, r: int, cells: dict[str, str]
) -> None:
    code, path = cells["Code"], f"{to}.{cells['Code']}"
    if not named_once(built, seen, path, Place(INCOME, r, "Code"), code):
        return
    built.at(path, INCOME, r, AMOUNT)
    if cells["Name"]:
        built.fault(path, Place(INCOME, r, "Name"), cells["Name"], "not read on this line")
    if not cells[AMOUNT]:
        built.fault(path, Place(INCOME, r, AMOUNT), None, "missing: an amount in pounds")
    built.data[to][code] = cells[AMOUNT]


def _housing(built: Built, housing: list[dict[str, str]], r: int, cells: dict[str, str]) -> None:
    base = f"partners.housing_authorities.{len(housing)}"
    built.at(base, INCOME, r, "Code")
    built.at(f"{base}.code", INCOME, r, "Code")
    built.at(f"{base}.name", INCOME, r, "Name")
    if cells[AMOUNT]:
        rule = f"not read on this line: the amount passed is a {DFG} line"
        built.fault(base, Place(INCOME, r, AMOUNT), cells[AMOUNT], rule)
    housing.append({k: cells[c] for k, c in (("code", "Code"), ("name", "Name")) if cells[c]})


def _schemes(records: list[Record], built: Built) -> list[dict[str, Any]]:
    schemes: list[dict[str, Any]] = []
    for i, (r, cells) in enumerate(records):
        base, scheme = f"schemes.{i}", dict[str, Any]()
        built.at(base, EXPENDITURE, r, "Scheme ID")
        built.at(f"{base}.split", EXPENDITURE, r, "Council share (%)")
        for header, name in SCHEME_COLUMNS:
            built.at(f"{base}.{name}", EXPENDITURE, r, header)
            if cells[header]:
                _scheme_value(built, scheme, f"{base}.{name}", cells[header])
        schemes.append(scheme)
    built.data["schemes"] = schemes
    return schemes


def _scheme_value(built: Built, scheme: dict[str, Any], path: str, value: str) -> None:
    name = path.split(".", 2)[2]
    if name.startswith("split."):
        scheme.setdefault("split", {})[name.removeprefix("split.")] = percent(value)
    elif name in CHOICES:
        choices, rule = CHOICES[name]
        found = choices.get(value.strip().casefold())
        if found is None:
            built.fault(path, built.places[path], value, rule)
        scheme[name] = found
    else:
        scheme[name] = value


def _outputs(records: list[Record], built: Built, schemes: list[dict[str, Any]]) -> None:
    first = {s.get("id"): i for i, s in reversed(list(enumerate(schemes)))}
    for r, cells in records:
        i = first.get(cells["Scheme ID"])
        if i is None or not cells["Scheme ID"]:
            rule = f"not a scheme ID on the {EXPENDITURE} sheet"
            built.fault(WORKBOOK, Place(OUTPUTS, r, "Scheme ID"), cells["Scheme ID"], rule)
            continue
        outputs = schemes[i].setdefault("outputs", [])
        base = f"schemes.{i}.outputs.{len(outputs)}"
        built.at(base, OUTPUTS, r, "Scheme ID")
        for name, column in (("quantity", "Quantity"), ("unit", "Unit")):
            built.at(f"{base}.{name}", OUTPUTS, r, column)
        outputs.append(
            {k: cells[c] for k, c in (("quantity", "Quantity"), ("unit", "Unit")) if cells[c]}
        )


def _keyed(records: list[Record], built: Built, sheet: str, top: str) -> list[Record]:
    """The rows of a sheet keyed by its first column, each key given once."""
    column, seen = COLUMNS[sheet][0], dict[str, int]()
    found = []
    for r, cells in records:
        path, where = f"{top}.{cells[column]}", Place(sheet, r, column)
        if named_once(built, seen, path, where, cells[column]):
            built.at(path, sheet, r, column)
            found.append((r, cells))
    return found


def _metrics(records: list[Record], built: Built) -> None:
    metrics: dict[str, dict[str, str]] = {}
    for r, cells in _keyed(records, built, METRICS, "metrics"):
        key = cells["Metric"]
        for q in QUARTERS:
            built.at(f"metrics.{key}.{q}", METRICS, r, q)
        metrics[key] = {q: cells[q] for q in QUARTERS if cells[q]}
    built.data["metrics"] = metrics


def _conditions(records: list[Record], built: Built) -> None:
    conditions: dict[str, dict[str, Any]] = {}
    for r, cells in _keyed(records, built, CONDITIONS, "conditions"):
        path, condition = f"conditions.{cells['Condition']}", dict[str, Any]()
        built.at(f"{path}.confirmed", CONDITIONS, r, "Confirmed")
        built.at(f"{path}.note", CONDITIONS, r, "Note")
        if cells["Confirmed"]:
            condition["confirmed"] = YES_NO.get(cells["Confirmed"].strip().casefold())
            if condition["confirmed"] is None:
                where = Place(CONDITIONS, r, "Confirmed")
                built.fault(f"{path}.confirmed", where, cells["Confirmed"], "Yes or No")
        if cells["Note"]:
            condition["note"] = cells["Note"]
        conditions[cells["Condition"]] = condition
    built.data["conditions"] = conditions


def _narrative(records: list[Record], built: Built) -> None:
    narrative = {}
    for r, cells in _keyed(records, built, NARRATIVE, "narrative"):
        built.at(f"narrative.{cells['Section']}", NARRATIVE, r, "Text")
        narrative[cells["Section"]] = cells["Text"]
    built.data["narrative"] = narrative


def percent(text: str) -> Decimal | str:
    """A share as a number for the plan's rule to judge, or the text if it is not one."""
    try:
        found = Decimal(text.strip())
    except InvalidOperation:
        return text
    return found if found.is_finite() else text
