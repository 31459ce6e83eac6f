"""The Better Care Fund plan's forms as data: what a person typed (text, as sent), each form
filled from the latest version, and the plan each form makes.

A form changes a copy of the plan (``model_dump`` -> change -> ``Plan.model_validate``), so
the plan's model is the one rule: every problem it finds comes back in plain English beside
the field it is about. Text left empty is left out, so the model says what is missing. The
year's checks (a stream planned to the penny, say) are not repeated here: the plan's page
shows them once the version is saved. Two things a form refuses that a file may hold: a
scheme funded from a stream the form does not offer, and a joint scheme whose split does
not add up to 100 (the library's ``check_splits``, for that one scheme).

Fields are named by their place in the plan (``field_of``): ``allocations-<stream>``,
``conditions-<id>-confirmed``, ``metrics-<id>-<quarter>``; a scheme's by its place in the
scheme (``split-council``, ``outputs-<i>-unit``), but for ``scheme-id`` and ``scheme-name``.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Collection, Mapping
from dataclasses import dataclass
from decimal import Decimal, InvalidOperation
from typing import Any

from django.http import QueryDict
from pydantic import ValidationError

from onebudget.bcf.checks import check_splits
from onebudget.bcf.framework import Framework
from onebudget.bcf.plan import QUARTERS, Plan, Scheme
from onebudget.money import FRACTION_OF_A_PENNY, TOO_LARGE

Errors = dict[str, list[str]]
Loc = tuple[int | str, ...]
FORM = "form"  # the key of a problem of no one field
TAKEN = "scheme-id-taken"  # the plan's rule that scheme ids are unique, broken
MAX_OUTPUTS = 20
# A scheme's fields (each named by its place in the scheme: ``split.council`` is
# ``split-council``), and the words for each in a message
SCHEME_LABELS = {
    "scheme-id": "the scheme's id",
    "scheme-name": "the scheme's name",
    "scheme-type": "the scheme type",
    "sub-type": "the sub-type",
    "commissioner": "who commissions the scheme",
    "split-council": "the council's share",
    "split-icb": "the ICB's share",
    "provider": "the provider",
    "source": "the funding stream it is paid from",
    "spend": "the planned spend",
}
TEXT = ("id", "name", "scheme_type", "sub_type", "commissioner", "provider", "source", "spend")
FLAGS = ("new", "adult_social_care", "nhs_out_of_hospital")  # ticked boxes
CHOSEN = frozenset({"commissioner", "source"})  # chosen, not typed: "Choose ..."
_GROUPED = re.compile(r"\d{1,3}(,\d{3})+(\.\d*)?")


@dataclass(frozen=True)
class Built:
    """The plan a form makes, or (``plan`` None) every problem, by field."""

    plan: Plan | None
    errors: Errors


def shown(amount: Decimal | None) -> str:
    """An amount as a form shows it (the pound sign is beside the box)."""
    return "" if amount is None else f"{amount:,.2f}"


def number(value: Decimal | None) -> str:
    return "" if value is None else f"{value:f}"


def decimal(text: str) -> Decimal | str:
    """A number as typed (``60``, ``60%``, ``5,400``), or the text for the model to refuse."""
    plain = text.strip().removesuffix("%").strip()
    if _GROUPED.fullmatch(plain):
        plain = plain.replace(",", "")
    try:
        return Decimal(plain)
    except InvalidOperation:
        return text


def _cap(words: str) -> str:
    return words[:1].upper() + words[1:]


def _money(rule: str, label: str) -> str:
    if rule == "an amount of 0 or more":
        return f"{_cap(label)} must be £0 or more"
    if rule == FRACTION_OF_A_PENNY:
        return f"{_cap(label)} must be in whole pence, like 1,234.56"
    if rule == TOO_LARGE:
        return f"{_cap(label)} is more than OneBudget can hold"
    return f"Enter {label} in pounds, like 1,234.56"


def plain(kind: str, rule: str, label: str, chosen: bool = False) -> str:
    """A problem the model found, in the words of a form (``label``: the field in words)."""
    if kind == "money":
        return _money(rule, label)
    if kind in ("literal_error", "bool_parsing", "bool_type") or (chosen and kind == "missing"):
        return f"Choose {label}"
    said = {
        "missing": "Enter {label}",
        "string_too_short": "Enter {label}",
        "string_too_long": "{Label} must be 300 characters or fewer",
        "string_pattern_mismatch": "{Label} must be up to 20 letters, digits, dots, dashes or "
        "underscores, with no spaces, like F03",
        "decimal_parsing": "Enter {label} as a number, like 412 or 1.5",
        "finite_number": "Enter {label} as a number, like 412 or 1.5",
        "greater_than_equal": "{Label} must be 0 or more",
        "percent": "Enter {label} as a percentage from 0 to 100, like 60",
    }.get(kind)
    if said is None:
        return f"{_cap(label)}: {rule.removeprefix('Value error, ')}"
    return said.format(label=label, Label=_cap(label))


def rebuilt(
    plan: Plan,
    change: Mapping[str, Any],
    place: Callable[[Loc], str],
    labels: Mapping[str, str],
    chosen: Collection[str] = CHOSEN,
) -> Built:
    """The plan with ``change`` (its fields' new values, as the model reads them), or every
    problem the model finds, at the field ``place`` gives for its path."""
    try:
        return Built(Plan.model_validate(plan.model_dump(mode="python") | dict(change)), {})
    except ValidationError as error:
        errors: Errors = {}
        for e in error.errors(include_url=False):
            at = place(tuple(e["loc"]))
            said = plain(e["type"], e["msg"], labels.get(at, "this"), at in chosen)
            errors.setdefault(at, []).append(said)
        return Built(None, errors)


def first_error(errors: Errors, at: str, said: str) -> None:
    errors[at] = [said, *errors.get(at, [])]


@dataclass
class SchemeForm:
    """One scheme as typed: text by field name, the ticked boxes, and the output rows."""

    text: dict[str, str]
    boxes: set[str]
    outputs: list[tuple[str, str]]  # quantity, unit

    def padded(self) -> SchemeForm:
        if not self.outputs:
            self.outputs.append(("", ""))
        return self

    def add_output(self) -> SchemeForm:
        if len(self.outputs) < MAX_OUTPUTS:
            self.outputs.append(("", ""))
        return self


def field_of(*loc: int | str) -> str:
    """The field of a place in the plan: ``("metrics", "discharge_delays", "Q1")`` ->
    ``metrics-discharge-delays-Q1`` (the ids of streams, metrics and conditions have no
    hyphens, so no two places share a field)."""
    return "-".join(str(part) for part in loc).replace("_", "-")


def scheme_field(*loc: int | str) -> str:
    """A scheme's field by its place in the scheme; its id and name are ``scheme-id`` and
    ``scheme-name`` (a form's own ``id`` and ``name`` are not fields' to take)."""
    name = field_of(*loc)
    return f"scheme-{name}" if name in ("id", "name") else name


def read_scheme(sent: QueryDict) -> SchemeForm:
    count = sent.get("outputs", "")
    rows = min(int(count), MAX_OUTPUTS) if count.isdigit() else 0
    return SchemeForm(
        text={name: _get(sent, name) for name in SCHEME_LABELS},
        boxes={scheme_field(f) for f in FLAGS if sent.get(scheme_field(f)) == "yes"},
        outputs=[(_get(sent, f"outputs-{i}-quantity"), _get(sent, f"outputs-{i}-unit"))
                 for i in range(rows)],
    )  # fmt: skip


def _get(sent: QueryDict, name: str) -> str:
    return sent.get(name, "").strip()


def scheme_form(scheme: Scheme | None) -> SchemeForm:
    """The form filled from a scheme, or empty for a new one."""
    if scheme is None:
        return SchemeForm(dict.fromkeys(SCHEME_LABELS, ""), set(), [])
    dump = scheme.model_dump()
    text = {scheme_field(f): "" if dump[f] is None else str(dump[f]) for f in TEXT}
    text["spend"] = shown(scheme.spend)
    for part in ("council", "icb"):
        text[f"split-{part}"] = number(dump["split"][part]) if dump["split"] else ""
    boxes = {scheme_field(f) for f in FLAGS if dump[f]}
    return SchemeForm(text, boxes, [(number(o.quantity), o.unit) for o in scheme.outputs])


def scheme_data(form: SchemeForm) -> dict[str, Any]:
    """The scheme as the model reads it: empty text left out, so the model names it."""
    typed = {f: form.text[scheme_field(f)] for f in TEXT}
    data: dict[str, Any] = {k: v for k, v in typed.items() if v}
    data["sub_type"] = typed["sub_type"] or None
    if typed["commissioner"] == "joint":
        split = {p: form.text[f"split-{p}"] for p in ("council", "icb")}
        data["split"] = {p: decimal(text) for p, text in split.items() if text}
    data["outputs"] = [
        {"quantity": decimal(q), "unit": u} if q else {"unit": u} for q, u in form.outputs if q or u
    ]
    return data | {f: scheme_field(f) in form.boxes for f in FLAGS}


def _scheme_labels(form: SchemeForm) -> dict[str, str]:
    labels = dict(SCHEME_LABELS)
    for i in range(len(form.outputs)):
        labels[f"outputs-{i}-quantity"] = f"the quantity of output {i + 1}"
        labels[f"outputs-{i}-unit"] = f"the unit of output {i + 1}"
    return labels


def _scheme_place(loc: Loc, at: int, labels: Mapping[str, str]) -> str:
    """A problem's field. The whole plan's one rule is that scheme ids are unique; the
    scheme's own, that a split is given exactly when it is joint."""
    if loc == ():
        return TAKEN
    if loc[:2] != ("schemes", at):
        return FORM
    name = {"": "commissioner", "split": "split-council"}.get(field_of(*loc[2:]))
    name = name or scheme_field(*loc[2:])
    return name if name in labels else FORM


def with_scheme(
    plan: Plan, index: int | None, form: SchemeForm, year: Framework, streams: Collection[str]
) -> Built:
    """The plan with the scheme at ``index`` as typed (None: a new scheme, added last)."""
    form.outputs = [row for row in form.outputs if any(row)]
    if index is not None:
        form.text["scheme-id"] = plan.schemes[index].id  # a scheme's id stays as it is
    at = len(plan.schemes) if index is None else index
    schemes: list[Any] = list(plan.model_dump(mode="python")["schemes"])
    schemes[at : at + 1] = [scheme_data(form)]
    labels = _scheme_labels(form)
    built = rebuilt(plan, {"schemes": schemes}, lambda loc: _scheme_place(loc, at, labels), labels)
    errors = built.errors
    if errors.pop(TAKEN, None):
        said = f"Another scheme of the plan has the id {form.text['scheme-id']}: choose another"
        first_error(errors, "scheme-id", said)
    if form.text["source"] not in streams:
        first_error(errors, "source", "Choose the funding stream it is paid from")
    for p in check_splits(built.plan, year) if built.plan is not None else []:
        if p.path == f"schemes.{at}.split":
            said = f"The council's and the ICB's shares must add up to 100%, not {p.value}%"
            first_error(errors, "split-council", said)
    return Built(None if errors else built.plan, errors)


def without_scheme(plan: Plan, index: int) -> Built:
    schemes = [s for i, s in enumerate(plan.model_dump(mode="python")["schemes"]) if i != index]
    return rebuilt(plan, {"schemes": schemes}, lambda loc: FORM, {})


def changed(old: Scheme, new: Scheme) -> list[str]:
    """The scheme's fields that differ, in words (``spend``, ``sub type``)."""
    before, after = old.model_dump(), new.model_dump()
    return [k.replace("_", " ") for k in after if before.get(k) != after[k]]


def read(sent: QueryDict, labels: Mapping[str, str]) -> dict[str, str]:
    """The fields of a form of figures as typed."""
    return {name: _get(sent, name) for name in labels}


def _figures(plan: Plan, change: Mapping[str, Any], labels: Mapping[str, str]) -> Built:
    chosen = {name for name in labels if name.endswith("-confirmed")}

    def place(loc: Loc) -> str:
        name = field_of(*loc)
        return name if name in labels else FORM

    return rebuilt(plan, change, place, labels, chosen)


def allocation_labels(year: Framework, out_of_hospital: bool) -> dict[str, str]:
    labels = {field_of("allocations", s.id): f"the allocation of {s.name}" for s in year.streams}
    labels["asc-last-year"] = "last year's NHS minimum contribution to adult social care"
    if out_of_hospital:
        labels["out-of-hospital-minimum"] = "the minimum NHS-commissioned out-of-hospital spend"
    return labels


def allocation_values(plan: Plan) -> dict[str, str]:
    found = {field_of("allocations", k): shown(v) for k, v in plan.allocations.items()}
    return found | {"asc-last-year": shown(plan.asc_last_year),
                    "out-of-hospital-minimum": shown(plan.out_of_hospital_minimum)}  # fmt: skip


def with_allocations(
    plan: Plan, year: Framework, typed: Mapping[str, str], labels: Mapping[str, str]
) -> Built:
    """Each stream's allocation (empty: none), and the two minimums the checks start from."""
    given = {s.id: typed.get(field_of("allocations", s.id), "") for s in year.streams}
    allocations = {k: v for k, v in (dict(plan.allocations) | given).items() if v != ""}
    change: dict[str, Any] = {"allocations": allocations}
    for name in ("asc_last_year", "out_of_hospital_minimum"):
        if field_of(name) in labels:
            change[name] = typed.get(field_of(name)) or None
    return _figures(plan, change, labels)


def condition_labels(year: Framework) -> dict[str, str]:
    labels = {}
    for c in year.national_conditions.items or ():
        labels[field_of("conditions", c.id, "confirmed")] = f"yes or no for {c.id}"
        labels[field_of("conditions", c.id, "note")] = f"the note on {c.id}"
    return labels


def condition_values(plan: Plan) -> dict[str, str]:
    found = {}
    for k, c in plan.conditions.items():
        found[field_of("conditions", k, "confirmed")] = "yes" if c.confirmed else "no"
        found[field_of("conditions", k, "note")] = c.note
    return found


def with_conditions(plan: Plan, year: Framework, typed: Mapping[str, str]) -> Built:
    """Each condition of the year confirmed or not, with a note (neither: not answered)."""
    conditions: dict[str, Any] = {k: c.model_dump() for k, c in plan.conditions.items()}
    for c in year.national_conditions.items or ():
        answer = typed.get(field_of("conditions", c.id, "confirmed"), "")
        note = typed.get(field_of("conditions", c.id, "note"), "")
        conditions[c.id] = ({"confirmed": answer} if answer else {}) | (
            {"note": note} if note else {}
        )
    change = {"conditions": {k: v for k, v in conditions.items() if v}}
    return _figures(plan, change, condition_labels(year))


def metric_labels(year: Framework) -> dict[str, str]:
    return {
        field_of("metrics", m.id, q): f"the {q} figure for {m.name}"
        for m in year.metrics.items or ()
        for q in QUARTERS
    }


def metric_values(plan: Plan) -> dict[str, str]:
    return {
        field_of("metrics", k, q): number(v)
        for k, by in plan.metrics.items()
        for q, v in by.items()
    }


def with_metrics(plan: Plan, year: Framework, typed: Mapping[str, str]) -> Built:
    """Each metric's trajectory, a figure a quarter (empty: not given)."""
    metrics: dict[str, Any] = {k: dict(v) for k, v in plan.metrics.items()}
    for m in year.metrics.items or ():
        given = {q: typed.get(field_of("metrics", m.id, q), "") for q in QUARTERS}
        metrics[m.id] = {q: decimal(text) for q, text in given.items() if text}
    change = {"metrics": {k: v for k, v in metrics.items() if v}}
    return _figures(plan, change, metric_labels(year))
