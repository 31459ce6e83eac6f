"""Next year's agreement, started from this year's: most pooled funds are renewed each
April with the same partners, schemes and clauses and new amounts, so the pool manager
starts from a copy rather than a blank form."""

from __future__ import annotations

import re
from decimal import Decimal

from onebudget.funds.agreement import Agreement

# A year, alone or as a financial year (2025/26, 2025-26, 2025/2026), not inside a number
_YEAR = re.compile(r"(?<!\d)(\d{4})(?:([/-])(\d{4}|\d{2}))?(?!\d)", re.ASCII)


def next_year(agreement: Agreement) -> Agreement:
    """The agreement for the year after: the same partners, host, clauses and schemes, each
    scheme's contributions as agreed for this year with every variation (a partner that
    withdrew is left out), no variations, and the year moved on in the id and the name."""
    year = agreement.financial_year
    schemes = [
        s.model_copy(update={"contributions": _agreed(agreement, s.code)})
        for s in agreement.schemes
    ]
    return agreement.model_copy(
        update={
            "id": moved_on(agreement.id, year),
            "name": moved_on(agreement.name, year),
            "financial_year": year + 1,
            "schemes": schemes,
            "variations": [],
        }
    )


def _agreed(agreement: Agreement, scheme: str) -> dict[str, Decimal]:
    """The scheme's contributions for the year with every variation, but none of nothing."""
    return {p: v for p, v in agreement.contributions(scheme).items() if v != 0}


def moved_on(text: str, year: int) -> str:
    """``text`` with ``year`` (alone, or as 2025/26, 2025-26, 2025/2026) written as the
    year after: "Fund 2025/26" -> "Fund 2026/27", "S75-X-2025" -> "S75-X-2026". Other
    years are left as they are."""

    def later(found: re.Match[str]) -> str:
        first, sep, second = int(found[1]), found[2], found[3]
        if first != year or (sep and int(second[-2:]) != (year + 1) % 100):
            return found[0]
        if not sep:
            return str(year + 1)
        following = str(year + 2) if len(second) == 4 else f"{(year + 2) % 100:02d}"
        return f"{year + 1}{sep}{following}"

    return _YEAR.sub(later, text)
