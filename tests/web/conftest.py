"""Fixtures shared by the service's tests."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from onebudget import demo
from onebudget_web.demo.loader import load_demo_data, load_demo_fund, load_demo_place
from onebudget_web.funds.models import Fund
from onebudget_web.places.actions import register_dataset
from onebudget_web.places.models import Place


@pytest.fixture
def fund(db, tmp_path) -> Fund:
    """The demo place's pooled fund: instalments and a year of actuals posted, April to
    December closed."""
    load_demo_place()
    dataset = load_demo_data(tmp_path, persons=2000)
    found = load_demo_fund(dataset)
    assert found is not None
    return found


def demo_fund_from(folder: Path) -> Fund:
    """The demo fund, its synthetic data generated in ``folder`` the first time and then
    registered again from there: a module-scoped folder makes it once per module."""
    load_demo_place()
    out = folder / "places" / demo.PLACES[0].slug
    if (out / "manifest.json").exists():
        place = Place.objects.get(slug=demo.PLACES[0].slug)
        manifest = json.loads((out / "manifest.json").read_text())
        dataset = register_dataset(by="system:tests", place=place, path=str(out), manifest=manifest)
    else:
        dataset = load_demo_data(folder, persons=2000)
    found = load_demo_fund(dataset)  # type: ignore[arg-type]
    assert found is not None
    return found
