"""Materialised outcomes (ADR 0019): each dataset's results worked out once and stored.

A result is keyed by its dataset and a fingerprint of what it was computed from: the
indicator definition files, this builder's version and the dataset's manifest (which holds
a SHA-256 of each data file). When any of them changes the fingerprint does, so the stored
rows no longer match and are built again; rows of an older fingerprint or dataset of the
place are deleted as the new ones are stored, in one transaction.

Results are built by ``build_results`` (the ``build_outcome_results`` command, and when a
dataset is loaded), or else once, lazily, by the first page that finds them missing: under a
lock shared by every process of the service, so that one builds while the others wait and
then read what it stored. Pages never call an engine themselves.
"""

from __future__ import annotations

import fcntl
import hashlib
import logging
import time
from collections import OrderedDict
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from functools import cache
from importlib import resources
from pathlib import Path

from django.conf import settings
from django.db import transaction

from onebudget_web.places import computed
from onebudget_web.places.models import OutcomeResult, PlaceDataset

log = logging.getLogger(__name__)

BUILDER = "2"  # raise it when what is stored, or how, changes
LOCK_WAIT = 2.0  # seconds a page waits for another process's build before saying so
LAZY_LIMIT = 500_000  # people: a larger dataset is built when loaded, never on a page


class StillBuildingError(Exception):
    """The results are being worked out (elsewhere, or too large to work out for a page)."""


@cache
def definitions_fingerprint() -> str:
    """SHA-256 of the indicator definition files, their names and this builder's version:
    read once per process, as the definitions themselves are (``indicators()``)."""
    digest = hashlib.sha256(f"builder {BUILDER}\n".encode())
    folder = resources.files("onebudget") / "definitions" / "indicators"
    for path in sorted(folder.iterdir(), key=lambda p: p.name):
        if path.name.endswith(".yaml"):
            digest.update(path.name.encode() + b"\n" + path.read_bytes() + b"\n")
    return digest.hexdigest()


def fingerprint(dataset: PlaceDataset) -> str | None:
    """What the dataset's results are computed from; None if its files are gone."""
    manifest = Path(dataset.path) / "manifest.json"
    try:
        data = manifest.read_bytes()
    except FileNotFoundError:
        return None
    return hashlib.sha256(definitions_fingerprint().encode() + data).hexdigest()


def is_built(dataset: PlaceDataset, fingerprint: str, group: str) -> bool:
    """Whether ``group`` is stored: each group is stored in one transaction, so one of its
    rows (the summaries, or the indicator's monthly chart) stands for all of them."""
    if group == computed.OVERVIEW:
        found = OutcomeResult.objects.filter(kind=OutcomeResult.SUMMARY)
    else:
        indicator = group.split(":", 1)[1]
        found = OutcomeResult.objects.filter(kind=OutcomeResult.TREND, indicator=indicator)
    return found.filter(dataset=dataset, fingerprint=fingerprint).exists()


def ensure(dataset: PlaceDataset, fingerprint: str, group: str) -> None:
    """Build ``group`` if it is missing: once, under the lock, never for each request."""
    if is_built(dataset, fingerprint, group):
        return
    if dataset.persons_at_start > LAZY_LIMIT:
        raise StillBuildingError(f"{dataset.persons_at_start} people: built when loaded")
    build_results(dataset, groups=[group], wait=LOCK_WAIT)


def build_results(
    dataset: PlaceDataset, *, groups: Sequence[str] | None = None, wait: float | None = None
) -> int:
    """Work out and store the dataset's results that are missing (every group unless
    ``groups`` says which); the number of rows stored. Waits for another process building
    them (at most ``wait`` seconds, then ``StillBuildingError``), then builds only what that
    one did not."""
    with _lock(dataset, wait):
        found = fingerprint(dataset)
        if found is None:
            return 0
        missing = [g for g in groups or computed.all_groups() if not is_built(dataset, found, g)]
        if not missing:
            return 0
        pieces = _computed(Path(dataset.path), found, missing)
        return _store(dataset, found, pieces)


# The last groups computed in this process, by fingerprint: a dataset registered again
# with the same files (or a second place on them) is stored without the engine. Small:
# rows and charts, never the engine or the person-level data.
_recent: OrderedDict[tuple[str, str], list[computed.Piece]] = OrderedDict()
RECENT = 64


def _computed(folder: Path, found: str, groups: list[str]) -> list[computed.Piece]:
    todo = [g for g in groups if (found, g) not in _recent]
    if todo:
        started = time.perf_counter()
        report = computed.open_report(folder)
        try:
            for group, made in computed.pieces(report, todo).items():
                _recent[(found, group)] = made
        finally:
            computed.close(report)
        took = time.perf_counter() - started
        log.info("Outcomes of %s: %d parts built in %.1f s", folder, len(todo), took)
    for group in groups:
        _recent.move_to_end((found, group))
    while len(_recent) > RECENT:
        _recent.popitem(last=False)
    return [piece for g in groups for piece in _recent[(found, g)]]


@transaction.atomic
def _store(dataset: PlaceDataset, found: str, pieces: list[computed.Piece]) -> int:
    """Store the pieces, and delete the place's results that no longer apply."""
    OutcomeResult.objects.filter(dataset__place_id=dataset.place_id).exclude(
        dataset=dataset, fingerprint=found
    ).delete()
    rows = [
        OutcomeResult(
            dataset=dataset,
            fingerprint=found,
            kind=p.kind,
            indicator=p.indicator,
            period=p.period,
            data=p.data,
        )
        for p in pieces
    ]
    OutcomeResult.objects.bulk_create(rows)
    return len(rows)


@contextmanager
def _lock(dataset: PlaceDataset, wait: float | None) -> Iterator[None]:
    """Held by one process of the service at a time (a lock on a file in the data folder;
    the system lets it go if the process dies). ``wait``: None waits for as long as it
    takes; otherwise ``StillBuildingError`` after that many seconds."""
    folder = Path(settings.DATA_DIR) / "locks"
    folder.mkdir(parents=True, exist_ok=True)
    with open(folder / f"outcomes-{dataset.pk}.lock", "a+b") as handle:
        deadline = None if wait is None else time.monotonic() + wait
        while True:
            try:
                fcntl.flock(handle, fcntl.LOCK_EX | (fcntl.LOCK_NB if wait is not None else 0))
                break
            except BlockingIOError:
                if deadline is not None and time.monotonic() > deadline:
                    raise StillBuildingError("another process is building them") from None
                time.sleep(0.2)
        try:
            yield
        finally:
            fcntl.flock(handle, fcntl.LOCK_UN)
