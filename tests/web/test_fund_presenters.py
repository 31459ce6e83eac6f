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
