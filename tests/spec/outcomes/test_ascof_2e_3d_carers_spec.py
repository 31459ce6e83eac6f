"""Spec: ASCOF 2E (long-term clients living at home) and 3D(1b, 2b) (carers' self-directed
support) as DHSC's code computes them from Client Level Data, worked out by hand."""

from __future__ import annotations

from datetime import date
from typing import Any

from onebudget.outcomes.calendar import Period
from onebudget.outcomes.definitions import indicators
from tests.spec.outcomes.conftest import make_tables

YEAR = [Period.financial_year(2024)]
HOME = "Owner occupier or shared ownership scheme"
COMMUNITY = "Long term support: Community"
RESIDENTIAL = "Long term support: Residential care"


def service(person: str, kind: str, start: date, end: date | None, **kw: Any) -> dict[str, Any]:
    return {
        "person_id": person,
        "Event_Type": "Service",
        "Service_Type": kind,
        "Event_Start_Date": start,
        "Event_End_Date": end,
        "Event_Reference": f"{person}-{start}-{kw.get('Accommodation_Status', '')}",
        **kw,
    }


def counts(engine_for: Any, name: str, rows: list[dict[str, Any]], born: dict[str, date]) -> Any:
    tables = make_tables(
        persons=[{"person_id": p, "date_of_birth": d} for p, d in born.items()],
        asc_cld=rows,
    )
    engine, indicator, key = engine_for(tables), indicators()[name], ("2024/25",)
    return tuple(
        engine.evaluate(getattr(indicator, part), YEAR, []).get(key, 0)
        for part in ("numerator", "denominator")
    )


def test_2e_latest_known_accommodation_imputed_from_services(engine_for) -> None:
    start = date(2023, 1, 1)
    rows = [
        # a: at home
        service(
            "a",
            COMMUNITY,
            start,
            None,
            Accommodation_Status=HOME,
            Service_Component="Home support or domiciliary care",
        ),
        # b: in a care home
        service(
            "b",
            RESIDENTIAL,
            start,
            None,
            Accommodation_Status="Registered care home",
            Service_Component="Long term residential care",
        ),
        # c: status never known; latest service is home support: presumed at home
        service(
            "c",
            COMMUNITY,
            start,
            None,
            Accommodation_Status="Unknown",
            Service_Component="Home support or domiciliary care",
        ),
        # d: the two latest records disagree, so unknown; imputed from residential care
        service(
            "d",
            RESIDENTIAL,
            start,
            None,
            Accommodation_Status=HOME,
            Service_Component="Long term residential care",
        ),
        {
            **service(
                "d",
                RESIDENTIAL,
                start,
                None,
                Accommodation_Status="Refuge",
                Service_Component="Long term residential care",
            ),
            "Event_Type": "Review",
        },
        # e: the latest known status comes from a record after the period ends
        service(
            "e", RESIDENTIAL, start, date(2025, 5, 31), Accommodation_Status="Registered care home"
        ),
        {
            **service(
                "e",
                COMMUNITY,
                date(2025, 6, 1),
                None,
                Accommodation_Status="Tenant: Private landlord",
            )
        },
        # f: turns 65 in the year; counted once, in 65 and over (age on the last day)
        service("f", COMMUNITY, start, date(2024, 6, 30), Accommodation_Status=HOME),
        service("f", COMMUNITY, date(2024, 7, 1), None, Accommodation_Status=HOME),
        # g: 18-64, with family
        service(
            "g",
            COMMUNITY,
            start,
            None,
            Accommodation_Status="Settled mainstream housing with family or friends",
        ),
    ]
    born = {p: date(1950, 1, 1) for p in "abcde"} | {"f": date(1959, 10, 20), "g": date(1980, 1, 1)}
    assert counts(engine_for, "long-term-support-at-home-65-plus", rows, born) == (4, 6)
    assert counts(engine_for, "long-term-support-at-home-18-64", rows, born) == (1, 1)


def carer(person: str, mechanism: str | None, component: str | None, **kw: Any) -> dict:
    return {
        "person_id": person,
        "Client_Type": "Unpaid carer",
        "Event_Type": "Service",
        "Service_Type": "Unpaid carer support: Direct to unpaid carer",
        "Delivery_Mechanism": mechanism,
        "Service_Component": component,
        "Event_Start_Date": kw.pop("start", date(2024, 5, 1)),
        "Event_End_Date": date(2024, 9, 30),
        "Event_Reference": f"{person}-{mechanism}-{component}",
        **kw,
    }


def test_3d_carers_by_the_best_support_direct_to_them(engine_for) -> None:
    rows = [
        carer("dp", "Direct payment", "Unpaid carer respite"),
        carer("budget", "CASSR managed personal budget", "Unpaid carer respite"),
        carer("commissioned", "CASSR commissioned support", "Unpaid carer sitting service"),
        # a managed budget with no component is not classified (NULL NOT LIKE in SQL)
        carer("no-component", "CASSR managed personal budget", None),
        # advice only: not counted
        {
            **carer("advice", None, None),
            "Event_Type": "Assessment",
            "Service_Type": None,
            "Event_Outcome": "NFA: Information and advice or signposting",
        },
        # commissioned support, then a direct payment: counted at their best
        carer("both", "CASSR commissioned support", "Other unpaid carer support"),
        carer("both", "Direct payment", "Direct payment", start=date(2024, 8, 1)),
    ]
    born = {p: date(1970, 1, 1) for p in {r["person_id"] for r in rows}}
    assert counts(engine_for, "carers-self-directed-support", rows, born) == (3, 4)
    assert counts(engine_for, "carers-direct-payments", rows, born) == (2, 4)
