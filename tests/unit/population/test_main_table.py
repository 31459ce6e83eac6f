"""CLD prepared as DHSC's main table: ends at death, rows after death, repeats of an event,
worked by hand from DHSC's published rules (Main_tables at commit e6f5749)."""

from __future__ import annotations

from datetime import date
from decimal import Decimal
from typing import Any

from onebudget.population.main_table import main_table
from tests.spec.outcomes.conftest import make_tables

DIED = date(2024, 6, 30)
HOME_CARE = "Long term support: Community"


def event(ref: str, kind: str, start: date, end: date | None, **kw: Any) -> dict[str, Any]:
    return {
        "person_id": kw.pop("person_id", "a"),
        "Event_Reference": ref,
        "Event_Type": kind,
        "Event_Start_Date": start,
        "Event_End_Date": end,
        **kw,
    }


def prepared(*rows: dict[str, Any]) -> Any:
    tables = make_tables(
        persons=[{"person_id": "a", "date_of_death": DIED}, {"person_id": "b"}], asc_cld=rows
    )
    return main_table(tables["asc_cld"], tables["persons"])


def ends(result: Any) -> dict[str, date | None]:
    rows = result.table.to_pylist()
    return {r["Event_Reference"]: r["Event_End_Date"] for r in rows}


def test_an_event_running_at_death_ends_on_the_day_of_death() -> None:
    result = prepared(
        event("open", "Service", date(2024, 1, 1), None, Service_Type=HOME_CARE),
        event("later", "Service", date(2024, 2, 1), date(2024, 9, 1), Service_Type="x"),
        event("before", "Service", date(2024, 1, 1), date(2024, 3, 1), Service_Type="y"),
        event("alive", "Service", date(2024, 1, 1), None, person_id="b"),
    )
    assert ends(result) == {
        "open": DIED,
        "later": DIED,
        "before": date(2024, 3, 1),
        "alive": None,
    }
    assert result.ended_at_death == 2
    assert result.notes() == ["2 social care events ended on the person's date of death"]


def test_rows_that_start_after_death_are_left_out_and_counted() -> None:
    result = prepared(
        event("on the day", "Review", DIED, DIED),
        event("after", "Review", date(2024, 7, 1), date(2024, 7, 1)),
    )
    assert list(ends(result)) == ["on the day"]
    assert result.started_after_death == 1


def test_repeats_of_one_service_keep_the_open_one() -> None:
    same = {"Service_Type": HOME_CARE, "Unit_Cost": Decimal("120.00"), "person_id": "b"}
    result = prepared(
        event("ended", "Service", date(2024, 1, 1), date(2024, 5, 1), **same),
        event("open", "Service", date(2024, 1, 1), None, **same),
        event("dearer", "Service", date(2024, 1, 1), None, **{**same, "Unit_Cost": Decimal(130)}),
    )
    # A different unit cost is a different service (DHSC's rule for one submission).
    assert ends(result) == {"open": None, "dearer": None}
    assert result.repeats == 1


def test_repeats_of_one_assessment_keep_the_best_outcome() -> None:
    kind = {"Assessment_Type": "Long term assessment", "person_id": "b"}
    start, end = date(2024, 2, 1), date(2024, 2, 10)
    result = prepared(
        event("nfa", "Assessment", start, end, Event_Outcome="NFA: Other", **kind),
        event(
            "services",
            "Assessment",
            start,
            end,
            Event_Outcome="Progress to support planning or services",
            **kind,
        ),
        event("other end", "Assessment", start, date(2024, 2, 11), **kind),
    )
    # The end date tells assessments apart; of the two alike, the better outcome stays.
    assert set(ends(result)) == {"services", "other end"}
    assert result.repeats == 1


def test_release_1_values_with_no_release_2_value_are_named() -> None:
    from onebudget.population.prepare import for_indicators

    tables = make_tables(
        persons=[{"person_id": "b"}],
        asc_cld=[
            event(
                "r1",
                "Request",
                date(2024, 1, 1),
                date(2024, 1, 2),
                person_id="b",
                Client_Type="Service User",
                Event_Outcome="Progress to End of Life Care",
            ),
        ],
    )
    prepared = for_indicators(tables, 1)
    assert prepared.tables["asc_cld"].column("Event_Outcome").to_pylist() == [None]
    assert prepared.notes == (
        "1 social care row: the Release 1 Event_Outcome has no Release 2 value (left empty)",
    )
