"""The pooled fund's chart of accounts: every account the ledger posts to, as a typed value.

An account is a kind, with the scheme and the partner it belongs to where the kind has them.
It is written in the ledger as one string, ``scheme:kind:partner`` with the parts it has
(``BCF01:contribution:QZZ``, ``BCF01:expenditure``, ``bank``, ``due:QZZ``), by ``str()`` and
read back by ``parse``, the only two places that know the format. People see ``in_words``:
scheme and partner names, never the stored string.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from enum import Enum, StrEnum


class Kind(StrEnum):
    """What an account records. The value is the word stored in the ledger."""

    BANK = "bank"  # the pool's bank: contributions in, pooled spending out
    CONTRIBUTION = "contribution"  # a partner's contribution to a pooled scheme
    EXPENDITURE = "expenditure"  # a pooled scheme's spending
    ALIGNED_SPEND = "aligned-spend"  # a partner's spending on an aligned scheme
    ALIGNED_MEMO = "memo:aligned"  # the partner's memorandum of its aligned spending
    CASCADE = "cascade"  # underspends of other schemes met an overspend (and the fund's pot)
    RESERVE = "reserve"  # a scheme's overspend met from the risk reserve
    RESERVE_USED = "reserve-used"  # the risk reserve drawn
    RISK_RESERVE = "risk-reserve"  # what a partner paid into the risk reserve
    OVERSPEND = "overspend"  # a partner's share of a scheme's overspend
    HELD = "held"  # an overspend held for the partners to decide
    HELD_FOR_DECISION = "held-for-decision"
    RETURNED = "returned"  # a scheme's underspend returned to a partner
    DUE = "due"  # what a partner owes (+) or is owed (-) at the settlement
    CARRIED_FORWARD = "carried-forward"  # a scheme's underspend carried into next year
    RETAINED = "retained"  # a scheme's underspend kept by the host


class Part(Enum):
    """Whether an account of a kind names a scheme, or a partner."""

    NEVER = "never"
    ALWAYS = "always"
    EITHER = "either"  # scheme-level and fund-level accounts share the kind's word


# (scheme, partner) for each kind: the one statement of which accounts exist
SHAPE: Mapping[Kind, tuple[Part, Part]] = {
    Kind.BANK: (Part.NEVER, Part.NEVER),
    Kind.CONTRIBUTION: (Part.ALWAYS, Part.ALWAYS),
    Kind.EXPENDITURE: (Part.ALWAYS, Part.NEVER),
    Kind.ALIGNED_SPEND: (Part.ALWAYS, Part.ALWAYS),
    Kind.ALIGNED_MEMO: (Part.NEVER, Part.ALWAYS),
    Kind.CASCADE: (Part.EITHER, Part.NEVER),
    Kind.RESERVE: (Part.ALWAYS, Part.NEVER),
    Kind.RESERVE_USED: (Part.NEVER, Part.NEVER),
    Kind.RISK_RESERVE: (Part.NEVER, Part.ALWAYS),
    Kind.OVERSPEND: (Part.ALWAYS, Part.ALWAYS),
    Kind.HELD: (Part.ALWAYS, Part.NEVER),
    Kind.HELD_FOR_DECISION: (Part.NEVER, Part.NEVER),
    Kind.RETURNED: (Part.ALWAYS, Part.ALWAYS),
    Kind.DUE: (Part.NEVER, Part.ALWAYS),
    Kind.CARRIED_FORWARD: (Part.EITHER, Part.NEVER),
    Kind.RETAINED: (Part.EITHER, Part.NEVER),
}
SEPARATOR = ":"
# Words a scheme or partner code may not be, so that every account string parses one way
RESERVED = frozenset(word for kind in Kind for word in kind.value.split(SEPARATOR))


class AccountError(ValueError):
    """A string that is not an account of the chart, or an account missing a part."""


@dataclass(frozen=True, order=True)
class Account:
    kind: Kind
    scheme: str | None = None
    partner: str | None = None

    def __post_init__(self) -> None:
        problem = _shape_problem(self)
        if problem:
            raise AccountError(problem)

    def __str__(self) -> str:
        parts = [self.scheme, self.kind.value, self.partner]
        return SEPARATOR.join(p for p in parts if p is not None)


def _shape_problem(account: Account) -> str | None:
    scheme, partner = SHAPE[account.kind]
    for part, value, what in (
        (scheme, account.scheme, "scheme"),
        (partner, account.partner, "partner"),
    ):
        if part is Part.ALWAYS and not value:
            return f"a {account.kind.value} account names its {what}"
        if part is Part.NEVER and value is not None:
            return f"a {account.kind.value} account has no {what}"
        if value is not None and not code_is_usable(value):
            return f"{value!r} cannot be a {what} code in an account ({CODE_RULE})"
    return None


CODE_RULE = "a code has no colon and is not a word of the chart of accounts"


def code_is_usable(code: str) -> bool:
    """Whether a scheme or partner code can stand in an account string unambiguously."""
    return bool(code) and SEPARATOR not in code and code not in RESERVED


# A kind of two words (memo:aligned) is tried before a one-word kind could take its first
_MOST_WORDS_FIRST = sorted(Kind, key=lambda k: -k.value.count(SEPARATOR))


def parse(text: str) -> Account:
    """The account a ledger string names; ``AccountError`` if the chart has no such account."""
    parts = text.split(SEPARATOR)
    for kind in _MOST_WORDS_FIRST:
        found = _match(kind, parts)
        if found is not None:
            return found
    raise AccountError(f"{text!r} is not an account of the pooled fund's chart of accounts")


def _match(kind: Kind, parts: list[str]) -> Account | None:
    words = kind.value.split(SEPARATOR)
    scheme_part, partner_part = SHAPE[kind]
    for scheme in _counts(scheme_part):
        for partner in _counts(partner_part):
            if (
                len(parts) == scheme + len(words) + partner
                and parts[scheme:][: len(words)] == words
            ):
                try:
                    return Account(
                        kind,
                        parts[0] if scheme else None,
                        parts[-1] if partner else None,
                    )
                except AccountError:
                    return None
    return None


def _counts(part: Part) -> tuple[int, ...]:
    return {Part.NEVER: (0,), Part.ALWAYS: (1,), Part.EITHER: (0, 1)}[part]


# How people read each kind: {scheme} and {partner} are names, never codes
WORDS: Mapping[Kind, str] = {
    Kind.BANK: "Pool bank account",
    Kind.CONTRIBUTION: "{scheme}: contribution from {partner}",
    Kind.EXPENDITURE: "{scheme}: pooled spending",
    Kind.ALIGNED_SPEND: "{scheme}: spending by {partner}",
    Kind.ALIGNED_MEMO: "Aligned spending memorandum of {partner}",
    Kind.CASCADE: "{scheme}: met from other schemes' underspends",
    Kind.RESERVE: "{scheme}: met from the risk reserve",
    Kind.RESERVE_USED: "Risk reserve used",
    Kind.RISK_RESERVE: "Risk reserve paid in by {partner}",
    Kind.OVERSPEND: "{scheme}: overspend share of {partner}",
    Kind.HELD: "{scheme}: overspend held for decision",
    Kind.HELD_FOR_DECISION: "Overspends held for the partners to decide",
    Kind.RETURNED: "{scheme}: underspend returned to {partner}",
    Kind.DUE: "Settlement due with {partner}",
    Kind.CARRIED_FORWARD: "{scheme}: underspend carried forward",
    Kind.RETAINED: "{scheme}: underspend retained by the host",
}
WHOLE_FUND: Mapping[Kind, str] = {
    Kind.CASCADE: "Underspends cascaded between schemes",
    Kind.CARRIED_FORWARD: "Underspends carried forward",
    Kind.RETAINED: "Underspends retained by the host",
}


def in_words(account: Account, names: Mapping[str, str]) -> str:
    """The account as people read it, with scheme and partner names (their codes where the
    agreement has no name for them)."""
    if account.scheme is None and account.kind in WHOLE_FUND:
        return WHOLE_FUND[account.kind]
    scheme = names.get(account.scheme or "", account.scheme or "")
    partner = names.get(account.partner or "", account.partner or "")
    return WORDS[account.kind].format(scheme=scheme, partner=partner)


# The chart's constructors, so callers say what an account is rather than spell its string
def bank() -> Account:
    return Account(Kind.BANK)


def contribution(scheme: str, partner: str) -> Account:
    return Account(Kind.CONTRIBUTION, scheme, partner)


def expenditure(scheme: str) -> Account:
    return Account(Kind.EXPENDITURE, scheme)


def aligned_spend(scheme: str, partner: str) -> Account:
    return Account(Kind.ALIGNED_SPEND, scheme, partner)


def aligned_memo(partner: str) -> Account:
    return Account(Kind.ALIGNED_MEMO, partner=partner)
