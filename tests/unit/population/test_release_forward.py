"""A Release 1 CLD extract reads as Release 2: the reviewed pairs, spelling, and a round trip
of the synthetic data through Release 1 and back."""

from __future__ import annotations

from typing import Any

import pyarrow as pa

from onebudget.population.defined_lists import (
    defined_lists,
    fold,
    forward_to_release_2,
    release_1_to_2,
)
from onebudget.population.synth.generate import SynthConfig, generate
from tests.spec.outcomes.conftest import make_tables


def cld(*rows: dict[str, Any]) -> pa.Table:
    return make_tables(asc_cld=[{"person_id": "a", **r} for r in rows])["asc_cld"]


def test_release_1_values_read_as_release_2() -> None:
    table = forward_to_release_2(
        cld(
            {
                "Client_Type": "Service User",
                "Event_Outcome": "NFA - Deceased",
                "Service_Type": "Long Term Support: Community",
                "Delivery_Mechanism": "DIRECT PAYMENT",
            },
            {
                "Client_Type": "Carer",
                "Event_Outcome": "Progress to financial assessment",
                "Service_Type": "Carer Support: Direct to Carer",
                "Accommodation_Status": "Tenant - private landlord",
            },
            {"Client_Type": "Service User", "Event_Outcome": "Not a value at all"},
        )
    )
    assert table.column("Client_Type").to_pylist() == [
        "Service user",
        "Unpaid carer",
        "Service user",
    ]
    # a Release 1 outcome with no Release 2 counterpart is empty; an unknown one is kept
    assert table.column("Event_Outcome").to_pylist() == [
        "NFA: Deceased",
        None,
        "Not a value at all",
    ]
    assert table.column("Service_Type").to_pylist()[:2] == [
        "Long term support: Community",
        "Unpaid carer support: Direct to unpaid carer",
    ]
    assert table.column("Delivery_Mechanism").to_pylist()[0] == "Direct payment"
    assert table.column("Accommodation_Status").to_pylist()[1] == "Tenant: Private landlord"


def backward(table: pa.Table) -> pa.Table:
    """Release 2 to Release 1, written here from the pairs and the lists, for the round trip:
    a value with a Release 1 counterpart takes it; one without stays."""
    for name in (
        "Client_Type",
        "Event_Outcome",
        "Service_Type",
        "Service_Component",
        "Delivery_Mechanism",
        "Accommodation_Status",
        "Request_Route_of_Access",
        "Primary_Support_Reason",
        "Assessment_Type",
    ):
        pairs = {v: k for k, v in release_1_to_2().get(name, {}).items() if v is not None}
        same = {fold(v): v for v in defined_lists(1).fields[name].values}
        values = [
            None if v is None else pairs.get(v, same.get(fold(v), v))
            for v in table.column(name).to_pylist()
        ]
        table = table.set_column(
            table.schema.get_field_index(name), name, pa.array(values, pa.string())
        )
    return table


def test_the_synthetic_extract_survives_a_round_trip_through_release_1() -> None:
    original = generate(SynthConfig(persons=5000, seed=4)).tables["asc_cld"]
    old = backward(original)
    assert old.column("Client_Type").to_pylist().count("Service User") > 0
    assert forward_to_release_2(old).cast(original.schema).equals(original)


def test_a_defined_list_file_must_be_reviewed_again_later() -> None:
    import pytest

    from onebudget.population.defined_lists import DefinedListsError, parse_lists

    text = (
        "release: 2\nowner: o\nsource: s\nreviewed: 2026-12-01\nreview_by: 2026-12-01\n"
        "fields: {Event_Type: {complete: true, values: [Request]}}\n"
    )
    with pytest.raises(DefinedListsError, match=r"x\.yaml: file: review_by must come after"):
        parse_lists(text, source="x.yaml")
