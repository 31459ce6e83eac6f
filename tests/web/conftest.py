"""Fixtures shared by the service's tests."""

from __future__ import annotations

import pytest

from onebudget_web.demo.loader import load_demo_data, load_demo_fund, load_demo_place
from onebudget_web.funds.models import Fund


@pytest.fixture
def fund(db, tmp_path) -> Fund:
    """The demo place's pooled fund: instalments and a year of actuals posted, April to
    December closed."""
    load_demo_place()
    dataset = load_demo_data(tmp_path, persons=2000)
    found = load_demo_fund(dataset)
    assert found is not None
    return found
