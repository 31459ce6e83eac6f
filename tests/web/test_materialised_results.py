"""Materialised outcomes (ADR 0019): built once per dataset and definitions, stored with
disclosure control applied, and only read by the pages; rebuilt when a fingerprint moves."""

from __future__ import annotations

import fcntl
from pathlib import Path

import pytest
from django.core.management import call_command
from django.db import IntegrityError, transaction

from onebudget.outcomes.definitions import indicators
from onebudget.outcomes.disclosure import ROUND_TO, SMALLEST_PUBLISHED
from onebudget.outcomes.engines.duckdb import DuckDBEngine
from onebudget_web.accounts.models import User
from onebudget_web.places import computed, results
from onebudget_web.places.actions import set_target
from onebudget_web.places.models import OutcomeResult, PlaceDataset
from tests.web.conftest import demo_dataset_from

PAGES = (
    "/places/fernmouth/",
    "/places/fernmouth/outcomes/",
    "/places/fernmouth/outcomes/?year=2023",
    "/places/fernmouth/outcomes/falls-65-plus/",
    "/places/fernmouth/outcomes/whole-person-cost/?year=2023",
)


class EngineCalls:
    """Counts every way into an engine: opening one over the files, and asking it."""

    def __init__(self, monkeypatch: pytest.MonkeyPatch) -> None:
        self.opened = self.asked = 0
        open_report, evaluate = computed.open_report, DuckDBEngine.evaluate

        def opening(folder: Path):  # type: ignore[no-untyped-def]
            self.opened += 1
            return open_report(folder)

        def asking(engine, *args, **kwargs):  # type: ignore[no-untyped-def]
            self.asked += 1
            return evaluate(engine, *args, **kwargs)

        monkeypatch.setattr(computed, "open_report", opening)
        monkeypatch.setattr(DuckDBEngine, "evaluate", asking)


@pytest.fixture
def dataset(db, demo_folders) -> PlaceDataset:
    return demo_dataset_from(demo_folders(2000))


@pytest.fixture
def fresh() -> None:
    """Nothing computed by an earlier test kept in this process (``results._recent``), so
    that every result missing from the database is worked out by an engine."""
    results._recent.clear()


@pytest.fixture
def calls(monkeypatch: pytest.MonkeyPatch) -> EngineCalls:
    return EngineCalls(monkeypatch)


@pytest.fixture
def analyst(client, dataset):
    client.force_login(User.objects.get(username="analyst"))
    return client


def stored(dataset: PlaceDataset) -> set[tuple[str, str, str]]:
    return set(dataset.results.values_list("kind", "indicator", "period"))


def test_once_stored_no_page_calls_an_engine(analyst, dataset, calls) -> None:
    commissioner = User.objects.get(username="commissioner")
    set_target(
        by=commissioner, place=dataset.place, indicator="falls-65-plus", year=2024, value="2,000"
    )
    assert results.build_results(dataset) > 0
    opened = calls.opened
    assert opened == 1
    assert calls.asked > 0
    asked = calls.asked
    for url in PAGES:
        response = analyst.get(url)
        assert response.status_code == 200, url
    name = indicators()["falls-65-plus"].spec.name
    assert name in analyst.get(PAGES[0]).content.decode()  # the overview judged its target
    assert (calls.opened, calls.asked) == (opened, asked)


def test_everything_is_stored_for_every_indicator_and_year(dataset, calls) -> None:
    call_command("build_outcome_results", "--place", "fernmouth")
    found = stored(dataset)
    ids = set(indicators())
    assert {i for k, i, _ in found if k == "summary"} == ids
    assert {i for k, i, _ in found if k == "trend"} == ids
    assert {p for k, _, p in found if k == "segments"} == {"2023/24", "2024/25"}
    practices = {i for i, s in indicators().items() if "gp_practice_code" in s.spec.breakdowns}
    assert {(i, p) for k, i, p in found if k == "practices"} == {
        (i, p) for i in practices for p in ("2023/24", "2024/25")
    }
    opened = calls.opened
    call_command("build_outcome_results")  # up to date: nothing computed, nothing added
    assert calls.opened == opened
    assert stored(dataset) == found


def test_no_stored_count_is_one_the_pages_would_suppress(dataset) -> None:
    """Disclosure control is applied before storing: every count is 0, suppressed (None),
    or at least the smallest published count and a multiple of 5."""
    results.build_results(dataset)
    counts = []
    for result in dataset.results.exclude(kind="trend"):
        mean = result.indicator and indicators()[result.indicator].spec.method == "mean"
        for row in result.data.get("years", result.data.get("rows", [])):
            names = ("people",) if result.kind == "segments" else ("numerator", "denominator")
            counts += [row[n] for n in names if not (mean and n == "numerator")]
    assert len(counts) > 100
    published = [c for c in counts if c]
    assert all(c >= SMALLEST_PUBLISHED and c % ROUND_TO == 0 for c in published)
    assert None in counts  # something was small enough to suppress
    assert set(dataset.results.values_list("disclosure", flat=True)) == {"published"}


def test_the_database_refuses_a_result_that_is_not_published(dataset) -> None:
    with pytest.raises(IntegrityError), transaction.atomic():
        OutcomeResult.objects.create(
            dataset=dataset, fingerprint="x", kind="summary", disclosure="unsuppressed", data={}
        )


def test_missing_results_are_built_once_by_the_first_page(analyst, dataset, fresh, calls):
    assert not dataset.results.exists()
    assert analyst.get("/places/fernmouth/outcomes/").status_code == 200
    assert calls.opened == 1
    assert {k for k, _, _ in stored(dataset)} == {"summary", "segments"}  # this page's part
    assert analyst.get("/places/fernmouth/outcomes/?year=2023").status_code == 200
    assert analyst.get("/places/fernmouth/outcomes/falls-65-plus/").status_code == 200
    assert calls.opened == 2  # the indicator's chart and practices, once
    assert analyst.get("/places/fernmouth/outcomes/falls-65-plus/?year=2023").status_code == 200
    assert calls.opened == 2


def test_a_stale_fingerprint_is_built_again_and_the_stale_rows_go(
    analyst, dataset, fresh, calls
) -> None:
    results.build_results(dataset, groups=[computed.OVERVIEW])
    results._recent.clear()  # as a process that did not build them
    before = calls.opened
    dataset.results.update(fingerprint="stale")
    assert analyst.get("/places/fernmouth/outcomes/").status_code == 200
    assert calls.opened == before + 1
    assert not dataset.results.filter(fingerprint="stale").exists()
    assert dataset.results.filter(fingerprint=results.fingerprint(dataset)).exists()


def test_changed_definitions_change_the_fingerprint(analyst, dataset, calls, monkeypatch) -> None:
    results.build_results(dataset, groups=[computed.OVERVIEW])
    old = results.fingerprint(dataset)
    before = calls.opened
    monkeypatch.setattr(results, "definitions_fingerprint", lambda: "an edited indicator")
    assert results.fingerprint(dataset) != old
    assert analyst.get("/places/fernmouth/outcomes/").status_code == 200
    assert calls.opened == before + 1
    assert set(dataset.results.values_list("fingerprint", flat=True)) == {
        results.fingerprint(dataset)
    }


def test_new_data_for_the_place_replace_the_old_results(dataset, demo_folders) -> None:
    results.build_results(dataset, groups=[computed.OVERVIEW])
    newer = demo_dataset_from(demo_folders(2000))  # registered again: the place's latest
    assert newer.pk != dataset.pk
    results.build_results(newer, groups=[computed.OVERVIEW])
    assert not dataset.results.exists()
    assert newer.results.exists()


def test_while_another_process_builds_the_page_says_so(
    analyst, dataset, fresh, calls, monkeypatch
) -> None:
    monkeypatch.setattr(results, "LOCK_WAIT", 0.3)
    lock = Path(results.settings.DATA_DIR) / "locks" / f"outcomes-{dataset.pk}.lock"
    lock.parent.mkdir(parents=True, exist_ok=True)
    with open(lock, "a+b") as held:
        fcntl.flock(held, fcntl.LOCK_EX)  # another open file: as another process holds it
        response = analyst.get("/places/fernmouth/outcomes/")
    assert response.status_code == 503
    assert response["Retry-After"] == "30"
    assert "are being worked out" in response.content.decode()
    assert calls.opened == 0
    assert not dataset.results.exists()
    assert analyst.get("/places/fernmouth/outcomes/").status_code == 200  # let go: built
    assert calls.opened == 1


def test_a_large_dataset_is_never_built_on_a_page(analyst, dataset, fresh, calls, monkeypatch):
    monkeypatch.setattr(results, "LAZY_LIMIT", 100)
    response = analyst.get("/places/fernmouth/outcomes/falls-65-plus/")
    assert response.status_code == 503
    assert calls.opened == 0
    parts = [computed.OVERVIEW, computed.indicator_group("falls-65-plus")]
    results.build_results(dataset, groups=parts)  # as the command, or loading data, does
    assert analyst.get("/places/fernmouth/outcomes/falls-65-plus/").status_code == 200


def test_a_waiver_holders_figures_are_worked_out_for_them_and_not_stored(
    analyst, dataset, calls
) -> None:
    from onebudget_web.accounts.models import Organisation
    from onebudget_web.accounts.waivers import grant_disclosure_waiver

    results.build_results(dataset, groups=[computed.OVERVIEW])
    kept = list(dataset.results.order_by("pk").values_list("pk", "data"))
    grant_disclosure_waiver(
        by=User.objects.get(username="admin"),
        user=User.objects.get(username="analyst"),
        organisation=Organisation.objects.get(code="QZZ"),
        reason="Checking a practice-level audit",
        days=7,
    )
    before = calls.opened
    page = analyst.get("/places/fernmouth/outcomes/?unsuppressed=1").content.decode()
    assert "Not disclosure-controlled" in page
    assert calls.opened == before + 1
    assert list(dataset.results.order_by("pk").values_list("pk", "data")) == kept
