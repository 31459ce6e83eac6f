"""Section 75 pooled funds: agreements, risk share, an immutable ledger and settlement."""
