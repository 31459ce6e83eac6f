"""Identifying the spend: every partner's ledger mapped to one service taxonomy, transfers
between partners eliminated once, and each ledger reconciled to the penny."""
