"""The chart of accounts: one format, one parser, names for people, codes that parse one way."""

from __future__ import annotations

import pytest
from hypothesis import given
from hypothesis import strategies as st

from onebudget.funds import accounts
from onebudget.funds.accounts import SHAPE, Account, AccountError, Kind, Part, in_words, parse
from onebudget.funds.agreement import AgreementError
from onebudget.funds.validation import load_agreement
from tests.spec.funds.conftest import HEAD

NAMES = {"BCF01": "Home care", "QZZ": "NHS Fernmouth ICB", "E06099001": "Fernmouth Council"}

STORED = [
    ("bank", Account(Kind.BANK), "Pool bank account"),
    (
        "BCF01:contribution:QZZ",
        accounts.contribution("BCF01", "QZZ"),
        "Home care: contribution from NHS Fernmouth ICB",
    ),
    ("BCF01:expenditure", accounts.expenditure("BCF01"), "Home care: pooled spending"),
    (
        "BCF01:aligned-spend:E06099001",
        accounts.aligned_spend("BCF01", "E06099001"),
        "Home care: spending by Fernmouth Council",
    ),
    (
        "memo:aligned:QZZ",
        accounts.aligned_memo("QZZ"),
        "Aligned spending memorandum of NHS Fernmouth ICB",
    ),
    (
        "BCF01:cascade",
        Account(Kind.CASCADE, "BCF01"),
        "Home care: met from other schemes' underspends",
    ),
    ("cascade", Account(Kind.CASCADE), "Underspends cascaded between schemes"),
    ("due:QZZ", Account(Kind.DUE, partner="QZZ"), "Settlement due with NHS Fernmouth ICB"),
    (
        "BCF01:overspend:QZZ",
        Account(Kind.OVERSPEND, "BCF01", "QZZ"),
        "Home care: overspend share of NHS Fernmouth ICB",
    ),
    ("reserve-used", Account(Kind.RESERVE_USED), "Risk reserve used"),
]


@pytest.mark.parametrize(("text", "account", "words"), STORED)
def test_each_stored_account_is_read_written_and_named(
    text: str, account: Account, words: str
) -> None:
    assert parse(text) == account
    assert str(account) == text
    assert in_words(account, NAMES) == words


def test_a_code_the_agreement_does_not_name_is_shown_as_it_is() -> None:
    assert in_words(parse("BCF09:expenditure"), NAMES) == "BCF09: pooled spending"


@pytest.mark.parametrize(
    "text",
    [
        "",
        "bank:QZZ",
        "due",
        "memo:aligned",
        "BCF01:contribution",
        "BCF01:nonsense",
        "a:b:c:d",
        "BCF01:expenditure:QZZ",
        "bank:expenditure",
        "BCF01::QZZ",
    ],
)
def test_a_string_outside_the_chart_is_refused(text: str) -> None:
    with pytest.raises(AccountError):
        parse(text)


def test_an_account_missing_a_part_or_with_one_too_many_is_refused() -> None:
    with pytest.raises(AccountError, match="names its partner"):
        Account(Kind.CONTRIBUTION, "BCF01")
    with pytest.raises(AccountError, match="has no scheme"):
        Account(Kind.DUE, "BCF01", "QZZ")
    with pytest.raises(AccountError, match="cannot be a scheme code"):
        accounts.expenditure("due")


def test_an_agreement_whose_codes_would_not_parse_is_refused_with_every_problem() -> None:
    text = HEAD.replace("QZZ", "Q:ZZ") + (
        "schemes:\n  - {code: bank, name: Odd, contributions: {E06099001: 1.00}}\n"
    )
    with pytest.raises(AgreementError) as caught:
        load_agreement(text, source="odd.yaml")
    found = {(p.path, str(p.value), p.rule) for p in caught.value.problems}
    assert ("schemes", "bank", accounts.CODE_RULE) in found
    assert ("partners", "Q:ZZ", accounts.CODE_RULE) in found


codes = st.text(st.sampled_from("ABCQZ019-_ ."), min_size=1, max_size=8).filter(
    accounts.code_is_usable
)


@st.composite
def chart_accounts(draw: st.DrawFn) -> Account:
    kind = draw(st.sampled_from(list(Kind)))
    scheme_part, partner_part = SHAPE[kind]

    def part(shape: Part) -> str | None:
        if shape is Part.ALWAYS or (shape is Part.EITHER and draw(st.booleans())):
            return draw(codes)
        return None

    return Account(kind, part(scheme_part), part(partner_part))


@given(chart_accounts())
def test_every_account_of_the_chart_reads_back_as_itself(account: Account) -> None:
    assert parse(str(account)) == account


WORDS = sorted(accounts.RESERVED | {"BCF01", "QZZ", "", "x y"})


@given(st.lists(st.sampled_from(WORDS), max_size=5).map(":".join))
def test_any_string_is_refused_or_reads_back_to_exactly_itself(text: str) -> None:
    try:
        account = parse(text)
    except AccountError:
        return
    assert str(account) == text
