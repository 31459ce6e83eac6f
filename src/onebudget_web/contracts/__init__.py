"""Provider contracts in the service: their versions, period statements, disputes and the
payments they post to a pooled fund's ledger (issue 17)."""
