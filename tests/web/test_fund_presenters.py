"""The agreement's clauses in words on the fund page: names before codes, money as money."""

from __future__ import annotations

from onebudget_web.funds import presenters
from tests.spec.funds.conftest import agreement

NAMES = {"E06099001": "Fernmouth Council", "QZZ": "NHS Fernmouth ICB"}


def test_the_two_new_clause_types_in_words() -> None:
    fund = agreement("""
        schemes:
          - code: BCF02
            name: Carers' breaks
            contributions: {E06099001: 1000000.00}
            overspend:
              rule: capped
              of: {rule: pro_rata, basis: fund}
              caps: {E06099001: {percent: 12.5}, QZZ: {percent: 10, of: fund}}
              excess_to: QZZ
          - code: BCF03
            name: Care homes
            contributions: {QZZ: 2500.00}
            overspend: {rule: tiered, first: 100000.00, partner: QZZ}
        """)
    words = [presenters.rule_in_words(fund.overspend_rule(s.code), NAMES) for s in fund.schemes]
    assert words == [
        "pro rata to each partner's contributions to the whole fund, capped (Fernmouth Council "
        "at 12.5% of its contribution to the scheme, NHS Fernmouth ICB at 10% of its "
        "contribution to the whole fund), the excess to NHS Fernmouth ICB",
        "the first £100,000.00 to NHS Fernmouth ICB, then pro rata to contributions to the scheme",
    ]


SCHEMES = NAMES | {"BCF01": "Home care", "BCF02": "Carers' breaks"}


def test_a_description_names_the_schemes_and_partners_it_posts_to() -> None:
    """What the journal stored ("Instalment 1 from QZZ to BCF01") is shown in names; a code
    the transaction does not post to, or no code at all, is left as it is."""
    instalment = ["bank", "BCF01:contribution:QZZ"]
    cases = [
        ("Instalment 1 from QZZ to BCF01", instalment),
        ("Actual spend, BCF01, April 2025", ["BCF01:expenditure", "bank"]),
        ("Reversal of Instalment 1 from QZZ to BCF01: posted twice", instalment),
        ("Moved from BCF02 to BCF01.", ["BCF01:expenditure", "bank"]),
        ("Correction of BCF02:aligned-spend:QZZ", ["bank", "due:E06099001"]),
        ("Year-end settlement of NOPE (not in the agreement)", ["bank", "NOPE:expenditure"]),
    ]
    words = [presenters.description_in_words(text, posted, SCHEMES) for text, posted in cases]
    assert words == [
        "Instalment 1 from NHS Fernmouth ICB to Home care",
        "Actual spend, Home care, April 2025",
        "Reversal of Instalment 1 from NHS Fernmouth ICB to Home care: posted twice",
        "Moved from BCF02 to Home care.",
        "Correction of Carers' breaks: spending by NHS Fernmouth ICB",
        "Year-end settlement of NOPE (not in the agreement)",
    ]
