import pytest

from onebudget.organisations import CodeSystem, OrganisationKind, code_problems


@pytest.mark.parametrize(
    ("kind", "code"),
    [
        (OrganisationKind.LOCAL_AUTHORITY, "E06000027"),  # Torbay
        (OrganisationKind.LOCAL_AUTHORITY, "E09000033"),  # Westminster
        (OrganisationKind.LOCAL_AUTHORITY, "E10000030"),  # Surrey
        (OrganisationKind.ICB, "QWO"),  # NHS West Yorkshire ICB
        (OrganisationKind.NHS_TRUST, "RR8"),  # Leeds Teaching Hospitals
        (OrganisationKind.PROVIDER, "AXG01"),
    ],
)
def test_real_codes_are_accepted(kind: OrganisationKind, code: str) -> None:
    assert code_problems(kind, code) == []


@pytest.mark.parametrize(
    ("kind", "code", "rule"),
    [
        (OrganisationKind.LOCAL_AUTHORITY, "QWO", "GSS code"),
        (OrganisationKind.LOCAL_AUTHORITY, "E54000054", "GSS code"),  # an ICB's GSS code
        (OrganisationKind.ICB, "E06000027", "ODS code"),
        (OrganisationKind.ICB, "qwo", "upper case"),
        (OrganisationKind.NHS_TRUST, "R", "ODS code"),
    ],
)
def test_wrong_codes_name_the_rule(kind: OrganisationKind, code: str, rule: str) -> None:
    problems = code_problems(kind, code)
    assert problems
    assert any(rule in str(p) for p in problems)
    assert all(p.value == code for p in problems)


def test_every_problem_is_collected_not_just_the_first() -> None:
    problems = code_problems(OrganisationKind.ICB, " qw ")
    assert len(problems) == 2


def test_councils_use_gss_and_everyone_else_ods() -> None:
    systems = {kind: kind.code_system for kind in OrganisationKind}
    assert systems.pop(OrganisationKind.LOCAL_AUTHORITY) is CodeSystem.GSS
    assert set(systems.values()) == {CodeSystem.ODS}
