"""Every append-only record (ledger, agreements, plans, statements, disputes, scenarios, ...)
refuses to be changed or removed many rows at a time, as it does one at a time: a queryset's
``update`` or ``delete`` would otherwise go round ``save`` and ``delete``. The saved demo
scenario is the row tried here; the refusal is the queryset's, so it holds for any row."""

from __future__ import annotations

import pytest
from django.apps import apps

from onebudget_web.demo.scenarios import load_demo_scenario
from onebudget_web.funds.models.ledger import AppendOnly
from onebudget_web.scenarios.models import SavedScenario
from tests.web.conftest import demo_fund_from

APPEND_ONLY = sorted(
    (m for m in apps.get_models() if issubclass(m, AppendOnly)), key=lambda m: m.__name__
)


def test_the_append_only_records_are_the_ones_expected() -> None:
    names = {m.__name__ for m in APPEND_ONLY}
    assert {"LedgerEntry", "PeriodStatement", "Dispute", "SavedScenario", "PlanVersion"} <= names
    assert len(names) >= 25


@pytest.mark.database
@pytest.mark.parametrize("model", APPEND_ONLY, ids=lambda m: m.__name__)
def test_no_record_is_updated_or_deleted_in_bulk(db, model) -> None:
    with pytest.raises(ValueError, match="append-only"):
        model.objects.all().update(pk=1)
    with pytest.raises(ValueError, match="append-only"):
        model.objects.filter(pk=1).delete()


def test_a_saved_scenario_stays(saved_scenario) -> None:
    before = SavedScenario.objects.count()
    with pytest.raises(ValueError, match="append-only"):
        SavedScenario.objects.filter(pk=saved_scenario.pk).update(name="changed")
    with pytest.raises(ValueError, match="append-only"):
        SavedScenario.objects.filter(pk=saved_scenario.pk).delete()
    assert SavedScenario.objects.count() == before
    assert SavedScenario.objects.get(pk=saved_scenario.pk).name == saved_scenario.name


@pytest.fixture
def saved_scenario(db, demo_folders) -> SavedScenario:
    fund = demo_fund_from(demo_folders(2000))
    found = load_demo_scenario(fund.place.datasets.first(), runs=30)
    assert found is not None
    return found
