"""Plain data for the fund pages: the agreement in words, the position, the statement,
accounts and reversals with names before codes."""

from __future__ import annotations

import re
from collections.abc import Iterable
from contextlib import suppress
from datetime import date
from decimal import Decimal
from typing import Any

from onebudget.figures import pounds
from onebudget.funds import accounts, books
from onebudget.funds import riskshare as rs
from onebudget.funds.agreement import Agreement
from onebudget.funds.ledger import Transaction
from onebudget.funds.months import correction_day, month_day, month_key
from onebudget.money import ZERO
from onebudget.periods import year_label
from onebudget_web.funds.selectors import agreement_of


def rule_in_words(rule: rs.Rule, names: dict[str, str]) -> str:
    if isinstance(rule, rs.ProRata):
        if rule.basis == "fund":
            return "pro rata to each partner's contributions to the whole fund"
        return "pro rata to contributions to the scheme"
    if isinstance(rule, rs.HostBears):
        return "the host bears it"
    if isinstance(rule, rs.Own):
        return "each partner bears its own"
    if isinstance(rule, rs.Fixed):
        return "fixed shares: " + ", ".join(
            f"{names.get(p, p)} {v}%" for p, v in rule.percentages.items()
        )
    if isinstance(rule, rs.Capped):
        caps = ", ".join(f"{names.get(p, p)} at {cap_in_words(c)}" for p, c in rule.caps.items())
        excess = (
            "held for joint decision"
            if rule.excess_to == rs.JOINT
            else f"to {names.get(rule.excess_to, rule.excess_to)}"
        )
        return f"{rule_in_words(rule.rule, names)}, capped ({caps}), the excess {excess}"
    if isinstance(rule, rs.Tiered):
        who = names.get(rule.partner, rule.partner)
        return f"the first {pounds(rule.first)} to {who}, then {rule_in_words(rule.then, names)}"
    return type(rule).__name__


def cap_in_words(cap: rs.Cap) -> str:
    if isinstance(cap, rs.PercentCap):
        whose = "the whole fund" if cap.of == "fund" else "the scheme"
        return f"{cap.percent.normalize():f}% of its contribution to {whose}"
    return "its contribution" if cap == "contribution" else pounds(cap)


def underspend_in_words(rule: rs.UnderspendRule, names: dict[str, str]) -> str:
    if isinstance(rule, rs.CarryForward):
        return "carried forward"
    if isinstance(rule, rs.Retain):
        return "retained in the pool"
    return f"returned, {rule_in_words(rule.rule, names)}"


def schemes(agreement: Agreement, balances: books.Books) -> list[dict[str, Any]]:
    names = {p.code: p.name for p in agreement.partners}
    accounts = books.typed(balances)
    rows = []
    for s in agreement.schemes:
        contributions = agreement.contributions(s.code)
        received, spent = books.received(accounts, s.code), books.spent(accounts, s.code)
        rows.append(
            {
                "code": s.code,
                "name": s.name,
                "budget": s.budget,
                "contributions": [(names[p], v) for p, v in contributions.items()],
                "total": sum(contributions.values(), ZERO),
                "received": received,
                "spent": spent,
                "overspend": rule_in_words(agreement.overspend_rule(s.code), names),
                "underspend": underspend_in_words(agreement.underspend_rule(s.code), names),
            }
        )
    return rows


def statement_rows(statement: dict[str, Any]) -> dict[str, Any]:
    """The stored statement (money as text) with amounts back as Decimals for display."""

    def money(row: dict[str, Any]) -> dict[str, Any]:
        out = {}
        for k, v in row.items():
            try:
                out[k] = (
                    Decimal(v)
                    if isinstance(v, str) and k not in ("partner", "name", "scheme", "from", "to")
                    else v
                )
            except ArithmeticError:
                out[k] = v
        return out

    return {sheet: [money(r) for r in rows] for sheet, rows in statement.items()}


def months_in_words(periods: list[str]) -> str:
    """["2026-01", "2026-02", "2026-03", "2025-06"] -> "June 2025 and January to March 2026":
    runs of consecutive months as ranges."""
    days = sorted(month_day(p) for p in periods)
    runs: list[list[date]] = []
    for day in days:
        if runs and (runs[-1][-1].year * 12 + runs[-1][-1].month + 1) == day.year * 12 + day.month:
            runs[-1].append(day)
        else:
            runs.append([day])
    parts = [_run(run) for run in runs]
    return parts[0] if len(parts) == 1 else ", ".join(parts[:-1]) + " and " + parts[-1]


def _run(run: list[date]) -> str:
    first, last = run[0], run[-1]
    if first == last:
        return f"{first:%B %Y}"
    start = f"{first:%B}" if first.year == last.year else f"{first:%B %Y}"
    return f"{start} to {last:%B %Y}"


def closing_in_words(period: str, financial_year: int, closed: set[str]) -> dict[str, str]:
    """What closing ``period`` means, for the page that asks to confirm it: the month and the
    fund's year in words, and the month a correction of it would then be posted in (the
    ledger's own rule, ``months.correction_day``; "" if no later month is open)."""
    end = date(financial_year + 1, 4, 1)
    moved = correction_day(month_day(period), closed | {period}, end)
    return {
        "period": period,
        "month": months_in_words([period]),
        "year": year_label(financial_year),
        "next_open": months_in_words([month_key(moved)]) if moved else "",
    }


def account_in_words(account: str, names: dict[str, str]) -> str:
    """A ledger account as people read it, with its scheme and partner named
    ("BCF01:contribution:QZZ" -> "Home care: contribution from NHS Fernmouth ICB")."""
    return accounts.in_words(accounts.parse(account), names)


def postings_in_words(tx: Transaction, names: dict[str, str]) -> list[tuple[str, Decimal]]:
    """A transaction's postings as (account in words, amount)."""
    return [(account_in_words(p.account, names), p.amount) for p in tx.postings]


def names_of(agreement: Agreement) -> dict[str, str]:
    """Scheme and partner names by code."""
    partners = {p.code: p.name for p in agreement.partners}
    return partners | {s.code: s.name for s in agreement.schemes}


def budget_in_words(name: str, names: dict[str, str]) -> str:
    """``BCF03`` -> "Home care (BCF03)"; ``BCF02:QZZ`` -> "Aligned care (BCF02), NHS X's budget"."""
    scheme, _, partner = name.partition(":")
    words = f"{names.get(scheme, scheme)} ({scheme})"
    return f"{words}, {names.get(partner, partner)}'s budget" if partner else words


def missing_in_words(problem: Any, names: dict[str, str]) -> str:
    """A ``missing_actuals`` problem as the settlement page says it."""
    if problem.path == "nil":
        return f"{problem.value} is not a scheme of this fund"
    return (
        f"{budget_in_words(str(problem.value), names)} has no actuals for the year. "
        "Import them, or tick it if it spent nothing."
    )


# A word of a description: anything between spaces, commas, semicolons and brackets
WORD = re.compile(r"[^\s,;()]+")


def description_in_words(description: str, posted_to: Iterable[str], names: dict[str, str]) -> str:
    """A transaction's description as people read it, whatever it was stored as: the codes of
    the schemes and partners it posts to (``posted_to``: its accounts) and any account
    written in it said by name ("Instalment 1 from QZZ to BCF01" -> "Instalment 1 from NHS
    Fernmouth ICB to Home care"). Posted descriptions are never changed: pages show this."""
    mine: dict[str, str] = {}
    for account in posted_to:
        with suppress(accounts.AccountError):
            parsed = accounts.parse(account)
            mine |= {c: names[c] for c in (parsed.scheme, parsed.partner) if c in names}
    return WORD.sub(lambda found: _named(found.group(), mine, names), description)


def _named(word: str, mine: dict[str, str], names: dict[str, str]) -> str:
    """One word of a description: a code of the transaction's own by its name, an account
    in words, anything else as it is (a colon or full stop after it is kept)."""
    code = word.rstrip(":.")
    after = word[len(code) :]
    if code in mine:
        return mine[code] + after
    if accounts.SEPARATOR in code:
        with suppress(accounts.AccountError):
            return account_in_words(code, names) + after
    return word


def transaction_label(tx: Any, names: dict[str, str]) -> str:
    """A posted transaction in words: its description (``description_in_words``), date and
    amount (the debits)."""
    entries = tx.entries.all()
    amount = sum((e.amount for e in entries if e.pence > 0), ZERO)
    words = description_in_words(tx.description, [e.account for e in entries], names)
    return f"{words}, {tx.on:%-d %B %Y}, {pounds(amount)}"


def reversal_in_words(reversal: Any, names: dict[str, str] | None = None) -> str:
    """What a reversal undoes, in words; ``names``: the fund's scheme and partner names by
    code (``names_of``), read from its agreement if not given."""
    if reversal.transaction_id:
        if names is None:
            names = names_of(agreement_of(reversal.fund))
        return transaction_label(reversal.transaction, names)
    if reversal.actuals_id:
        upload = reversal.actuals
        return f"the actuals file {upload.file_name}, posted {upload.posted_at:%-d %B %Y %H:%M}"
    return "the year-end settlement"


def payments_in_words(rows: list[dict[str, Any]], names: dict[str, str]) -> list[dict[str, Any]]:
    """The statement's payments with each partner's name before its code."""

    def named(code: str) -> str:
        return f"{names[code]} ({code})" if code in names else code

    return [{"from": named(r["from"]), "to": named(r["to"]), "amount": r["amount"]} for r in rows]
