"""The plan's workflow: each stage reached only in order, each refusal named."""

from datetime import date

from onebudget.bcf.workflow import (
    Stage,
    Step,
    Taken,
    is_read_only,
    may_agree,
    may_assure,
    may_sign_off,
    stage,
)

PARTNERS = ("E06099001", "QZZ")
TODAY = date(2025, 4, 10)
COUNCIL = Taken(Step.AGREED, "E06099001")
ICB = Taken(Step.AGREED, "QZZ")


def test_a_version_is_a_draft_until_every_partner_agrees() -> None:
    assert stage(PARTNERS, []) is Stage.DRAFT
    assert stage(PARTNERS, [COUNCIL]) is Stage.DRAFT
    assert stage(PARTNERS, [COUNCIL, ICB]) is Stage.AGREED


def test_agreeing_needs_a_partner_a_draft_and_no_problems() -> None:
    assert may_agree(PARTNERS, [], "QZZ", 0) == []
    assert may_agree(PARTNERS, [], "RZZ", 0) == [
        "RZZ is not a partner of this plan: the council and the ICB agree it"
    ]
    assert may_agree(PARTNERS, [ICB], "QZZ", 0) == ["QZZ has already agreed this version"]
    assert may_agree(PARTNERS, [], "QZZ", 2) == ["The plan has 2 problems to put right first"]
    assert may_agree(PARTNERS, [COUNCIL, ICB], "QZZ", 0) == [
        "This version has already been agreed by every partner"
    ]


def test_sign_off_follows_both_agreements_and_is_not_in_the_future() -> None:
    assert may_sign_off(PARTNERS, [COUNCIL], TODAY, TODAY) == [
        "Every partner's finance lead agrees the plan first (waiting: QZZ)"
    ]
    assert may_sign_off(PARTNERS, [COUNCIL, ICB], TODAY, TODAY) == []
    assert may_sign_off(PARTNERS, [COUNCIL, ICB], date(2025, 4, 11), TODAY) == [
        "The board's decision cannot be dated in the future (11 April 2025)"
    ]
    signed = [COUNCIL, ICB, Taken(Step.SIGNED_OFF)]
    assert stage(PARTNERS, signed) is Stage.SIGNED_OFF
    assert may_sign_off(PARTNERS, signed, TODAY, TODAY) == [
        "This version has already been signed off"
    ]


def test_assurance_follows_sign_off_and_a_signed_off_version_is_read_only() -> None:
    agreed = [COUNCIL, ICB]
    assert may_assure(PARTNERS, agreed, TODAY, TODAY) == [
        "The Health and Wellbeing Board signs the plan off before it is assured"
    ]
    assert not is_read_only(PARTNERS, agreed)
    signed = [*agreed, Taken(Step.SIGNED_OFF)]
    assert is_read_only(PARTNERS, signed)
    assert may_assure(PARTNERS, signed, TODAY, TODAY) == []
    assured = [*signed, Taken(Step.ASSURED)]
    assert stage(PARTNERS, assured) is Stage.ASSURED
    assert may_assure(PARTNERS, assured, TODAY, TODAY) == ["This version has already been assured"]
