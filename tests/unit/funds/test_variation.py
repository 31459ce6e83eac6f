"""Comparing two versions of an agreement, the variations that reach new contributions, and
next year's agreement started from this year's."""

from __future__ import annotations

from decimal import Decimal

from onebudget.funds.renewal import moved_on, next_year
from onebudget.funds.validation import check, dump_agreement, load_agreement
from onebudget.funds.variation import AmountChange, compare, steps_to, variation_ids
from tests.spec.funds.conftest import agreement

D = Decimal

TWO_SCHEMES = """\
risk_reserve: {QZZ: 1000.00}
schemes:
  - code: BCF01
    name: Home care
    contributions: {QZZ: 3000000.00, E06099001: 1000000.00}
  - code: BCF02
    name: Carers' breaks
    contributions: {E06099001: 500000.00}
    overspend: {rule: host}
variations:
  - {id: V1, effective: 2025-12-01, scheme: BCF01, partner: QZZ, change: 250000.00,
     agreed_by: [ICB CFO], agreed_on: 2025-11-01}
"""
FALLS = "  - {code: BCF03, name: Falls, contributions: {QZZ: 9.99}}\n"


def test_the_same_agreement_has_no_changes() -> None:
    a = agreement(TWO_SCHEMES)
    assert not compare(a, a)
    assert compare(a, load_agreement(dump_agreement(a))) == compare(a, a)


def test_contributions_are_compared_with_every_variation_scheme_by_scheme() -> None:
    before = agreement(TWO_SCHEMES)
    after = agreement(
        TWO_SCHEMES.replace("{E06099001: 500000.00}", "{E06099001: 400000.00, QZZ: 100000.00}")
        + "  - {id: V2, effective: 2026-01-01, scheme: BCF01, partner: QZZ, change: -50000.00,"
        "\n     agreed_by: [ICB CFO], agreed_on: 2025-09-01}\n"
    )
    changes = compare(before, after)
    first, second = changes.schemes
    assert first.code == "BCF01"
    assert first.kind == "changed"
    assert AmountChange("QZZ", D("3250000.00"), D("3200000.00")) in first.contributions
    assert first.total_before == D("4250000.00")
    assert first.total_after == D("4200000.00")
    assert [(c.partner, c.change) for c in second.contributions] == [
        ("E06099001", D("-100000.00")),
        ("QZZ", D("100000.00")),
    ]
    assert second.total_before == second.total_after == D("500000.00")
    assert [f.field for f in changes.fields] == ["variations"]


def test_a_new_scheme_a_renamed_one_a_clause_and_the_reserve_are_changes() -> None:
    before = agreement(TWO_SCHEMES)
    after = agreement(
        TWO_SCHEMES.replace("Carers' breaks", "Carers' support")
        .replace("{rule: host}", "{rule: pro_rata, basis: fund}")
        .replace("{QZZ: 1000.00}", "{QZZ: 1500.00, E06099001: 10.00}")
        .replace("variations:", f"{FALLS}variations:")
        + "cascade: true\n"
    )
    changes = compare(before, after)
    renamed, added = changes.schemes  # BCF01 has not changed
    assert renamed.renamed_from == "Carers' breaks"
    assert renamed.name == "Carers' support"
    assert renamed.clauses == (
        ("overspend", {"rule": "host"}, {"rule": "pro_rata", "basis": "fund"}),
    )
    assert not any(c.change for c in renamed.contributions)
    assert (added.kind, added.total_before, added.total_after) == ("added", 0, D("9.99"))
    assert changes.risk_reserve == (
        AmountChange("QZZ", D("1000.00"), D("1500.00")),
        AmountChange("E06099001", D("0.00"), D("10.00")),
    )
    assert [(f.field, f.before, f.after) for f in changes.fields] == [("cascade", False, True)]


def test_a_removed_scheme_is_listed_with_what_it_had() -> None:
    before = agreement(TWO_SCHEMES)
    after = agreement(TWO_SCHEMES.split("  - code: BCF02")[0] + TWO_SCHEMES.split("host}\n")[1])
    (removed,) = compare(before, after).schemes
    assert (removed.code, removed.kind, removed.total_before, removed.total_after) == (
        "BCF02",
        "removed",
        D("500000.00"),
        0,
    )


def test_steps_reach_each_target_from_the_contributions_with_variations() -> None:
    a = agreement(TWO_SCHEMES)
    targets = {
        "BCF01": {"QZZ": D("3250000.00"), "E06099001": D("900000.00")},  # QZZ as it is
        "BCF02": {"QZZ": D("1.00")},  # E06099001 left out: keeps its amount
        "NEW": {"QZZ": D("5.00")},  # not a scheme of the agreement: not varied
    }
    steps = steps_to(a, targets)
    assert [(s.scheme, s.partner, s.change) for s in steps] == [
        ("BCF01", "E06099001", D("-100000.00")),
        ("BCF02", "QZZ", D("1.00")),
    ]


def test_varied_by_its_steps_an_agreement_has_the_target_contributions() -> None:
    a = agreement(TWO_SCHEMES)
    targets = {"BCF01": {"QZZ": D("3000000.00"), "E06099001": D("1200000.00")}}
    steps = steps_to(a, targets)
    ids = variation_ids(a, len(steps))
    new = [
        {
            "id": i,
            "effective": "2026-02-01",
            "scheme": s.scheme,
            "partner": s.partner,
            "change": s.change,
            "agreed_by": ["ICB CFO"],
            "agreed_on": "2025-10-01",
        }
        for i, s in zip(ids, steps, strict=True)
    ]
    data = a.model_dump() | {"variations": [*a.model_dump()["variations"], *new]}
    varied = type(a).model_validate(data)
    assert check(varied) == []
    assert varied.contributions("BCF01") == targets["BCF01"]
    assert ids == ["V2", "V3"]


def test_variation_ids_skip_those_in_use() -> None:
    a = agreement(TWO_SCHEMES.replace("id: V1", "id: V2"))
    assert variation_ids(a, 2) == ["V3", "V4"]
    assert variation_ids(agreement(TWO_SCHEMES), 0) == []


def test_next_year_starts_from_this_year_with_every_variation() -> None:
    a = agreement(
        TWO_SCHEMES.replace("change: 250000.00", "change: -1000000.00")
        .replace("QZZ: 3000000.00", "QZZ: 1000000.00")
        .replace("agreed_on: 2025-11-01", "agreed_on: 2024-11-01")
    )
    following = next_year(a)
    assert (following.financial_year, following.id) == (2026, "S75-FERN-2026")
    assert following.name == "Fernmouth Better Care Fund pooled budget 2026/27"
    assert following.variations == []
    assert following.scheme("BCF01").contributions == {"E06099001": D("1000000.00")}
    assert following.scheme("BCF02").overspend == {"rule": "host"}
    assert following.risk_reserve == a.risk_reserve
    assert check(following) == []


def test_only_the_agreements_own_year_moves_on() -> None:
    assert moved_on("BCF 2025-26, see 2024/25 and 2025/2026", 2025) == (
        "BCF 2026-27, see 2024/25 and 2026/2027"
    )
    assert moved_on("Fund 20251 and 2025/27", 2025) == "Fund 20251 and 2025/27"
    assert moved_on("S75-X-2025", 2025) == "S75-X-2026"
