"""Provider contracts: definitions as YAML, a pure engine per payment mechanism, and
statements that show every step of a period's payment in exact pence."""
