"""Pooled funds in the service: the agreement (every version kept), the fund's ledger, its
closed periods, year-end settlements and reversals with their approvals.

Posted ledger rows are never updated or deleted: the models refuse it, and so does the
database (triggers; on PostgreSQL a deferred constraint trigger also refuses a transaction
whose entries do not sum to zero). A fund has at most one posted settlement standing at a
time, which the database enforces too (ADR 0016). Writes go through the actions modules.
"""

from onebudget_web.funds.models.ledger import (
    ActualsImport,
    AgreementVersion,
    AppendOnly,
    ClosedPeriod,
    ForecastOutturn,
    Fund,
    LedgerEntry,
    LedgerTransaction,
    PendingUpload,
)
from onebudget_web.funds.models.settlements import (
    PostedSettlement,
    PostingSource,
    Reversal,
    ReversalApproval,
    ReversalWithdrawal,
    Settlement,
    SettlementApproval,
)

__all__ = [
    "ActualsImport",
    "AgreementVersion",
    "AppendOnly",
    "ClosedPeriod",
    "ForecastOutturn",
    "Fund",
    "LedgerEntry",
    "LedgerTransaction",
    "PendingUpload",
    "PostedSettlement",
    "PostingSource",
    "Reversal",
    "ReversalApproval",
    "ReversalWithdrawal",
    "Settlement",
    "SettlementApproval",
]
