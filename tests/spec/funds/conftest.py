"""Agreements for the worked examples, written as a pool manager would write them."""

from __future__ import annotations

import textwrap

from onebudget.funds.agreement import Agreement
from onebudget.funds.validation import load_agreement

HEAD = """\
id: S75-FERN-2025
name: Fernmouth Better Care Fund pooled budget 2025/26
financial_year: 2025
host: E06099001
pool_manager: Head of Integrated Commissioning, Fernmouth Council
partners:
  - {code: E06099001, name: Fernmouth Council}
  - {code: QZZ, name: NHS Fernmouth ICB}
"""


def agreement(body: str) -> Agreement:
    return load_agreement(HEAD + textwrap.dedent(body), source="spec.yaml")
