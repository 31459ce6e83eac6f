"""Plain data for the budget form's template: every field with its id, value and the
problems beside it (each text field with its label and hint), the saved places by ICB and
year, and the error summary's links."""

from __future__ import annotations

from decimal import Decimal
from typing import Any

from onebudget.allocation.places import icbs
from onebudget_web.allocation.budget_form import (
    NEEDS,
    START_ROWS,
    BudgetForm,
    Row,
    percent_text,
)
from onebudget_web.allocation.models import AllocationPlace
from onebudget_web.allocation.presenters import STARTER_COMPONENTS
from onebudget_web.core.error_summary import problems

Errors = dict[str, list[str]]
# The text fields' labels, hints and what they take (``includes/text_input.html``), by
# field, or for a component's fields by the end of their id (``c0-share``: "share")
TEXT: dict[str, dict[str, Any]] = {
    "total": {
        "label": "Total budget (£)",
        "hint": "For example, £100,000,000 or 2500000000.00. The allocation year is that of "
        "the places you select.",
        "number": True,
    },
    "floor": {"label": "Minimum growth each year", "hint": "For example, 1%", "number": True},
    "cap": {
        "label": "Maximum growth each year (optional)",
        "hint": "For example, 6%",
        "number": True,
    },
    "name": {"label": "Name"},
    "share": {"label": "Share of the budget", "number": True},
    "amount": {"label": "Or an amount (£)", "number": True},
    "deprivation": {
        "label": "Deprivation weight",
        "hint": "How much deprivation raises or lowers need: empty or 0 for not at all, 1 in "
        "proportion to how far the place's IMD 2025 score is from England's average.",
        "number": True,
    },
}


def starting_form(saved: list[AllocationPlace]) -> BudgetForm:
    """With no budget yet: the saved places of the latest year and its first ICB, and the
    starter components (core NHS services, primary medical care, public health)."""
    if not saved:
        return BudgetForm()
    year = max(s.year for s in saved)
    icb = next(s.icb for s in saved if s.year == year)
    rows = [
        Row(
            name=str(c["name"]),
            share=percent_text(Decimal(str(c["share"]))),
            need=str(c.get("index") or c.get("population")),
            deprivation=f"{c['deprivation_weight']:f}" if "deprivation_weight" in c else "",
        )
        for c in STARTER_COMPONENTS
    ]
    chosen = [s.pk for s in saved if (s.year, s.icb) == (year, icb)]
    return BudgetForm(places=chosen, rows=rows[:START_ROWS])


def _field(at: str, value: str, errors: Errors, text: str = "") -> dict[str, Any]:
    """A field's id (its name too), what is in it and its problems; ``text``: a text field's
    kind in ``TEXT``, for its label and hint."""
    return {"name": at, "id": at, "value": value, "errors": errors.get(at, [])} | TEXT.get(text, {})


def page(form: BudgetForm, saved: list[AllocationPlace], errors: Errors) -> dict[str, Any]:
    """The form as the template shows it; ``errors``: field id -> its problems."""
    form.padded()
    ticked = [s for s in saved if s.pk in form.places]
    return {
        "total": _field("total", form.total, errors, "total"),
        "groups": _groups(form, saved, errors),
        "ticked": [{"pk": s.pk, "name": s.name} for s in ticked],
        "floor": _field("floor", form.floor, errors, "floor"),
        "cap": _field("cap", form.cap, errors, "cap"),
        "rows": [_row(i, r, ticked, errors) for i, r in enumerate(form.rows)],
        "row_count": len(form.rows),
        "errors": problems(errors),
    }


def _groups(form: BudgetForm, saved: list[AllocationPlace], errors: Errors) -> list[dict[str, Any]]:
    """The saved places of each ICB and year, each with its box and baseline."""
    out: dict[tuple[str, str], dict[str, Any]] = {}
    for s in saved:
        if (s.year, s.icb) not in out:
            name = next((a.name for a in icbs(s.year) if a.code == s.icb), s.icb)
            out[(s.year, s.icb)] = {"title": f"{name}, {s.year}", "places": []}
        out[(s.year, s.icb)]["places"].append(
            {
                "pk": s.pk,
                "name": s.name,
                "practices": len(s.practices),
                "ticked": s.pk in form.places,
                "box": _field(f"place-{s.pk}", "", errors),
                "baseline": _field(f"baseline-{s.pk}", form.baselines.get(s.pk, ""), errors),
            }
        )
    return list(out.values())


def _row(i: int, row: Row, ticked: list[AllocationPlace], errors: Errors) -> dict[str, Any]:
    key = f"c{i}"
    ages = [
        {
            "group": _field(f"{key}-age{j}-group", a.group, errors),
            "weight": _field(f"{key}-age{j}-weight", a.weight, errors),
            "people": [
                _field(f"{key}-age{j}-people-{s.pk}", a.people.get(s.pk, ""), errors)
                | {"place": s.name}
                for s in ticked
            ],
        }
        for j, a in enumerate(row.ages)
    ]
    costs = [
        _field(f"{key}-cost-{s.pk}", row.costs.get(s.pk, ""), errors) | {"place": s.name}
        for s in ticked
    ]
    more = any(at.startswith(f"{key}-cost") for at in errors)
    typed = any(c["value"].strip() for c in costs) or row.deprivation.strip()
    return {
        "index": i,
        "number": i + 1,
        "key": key,
        **{
            text: _field(f"{key}-{text}", getattr(row, text), errors, text)
            for text in ("name", "share", "amount", "deprivation")
        },
        "need": _field(f"{key}-need", row.need, errors),
        "needs": [
            {"value": v, "label": label, "selected": v == row.need} for v, label in NEEDS.items()
        ],
        "costs": costs,
        "ages": ages,
        "age_count": len(ages),
        "open": bool(more or typed or errors.get(f"{key}-deprivation")),
        "by_age": row.need == "by_age" or any(at.startswith(f"{key}-age") for at in errors),
    }
