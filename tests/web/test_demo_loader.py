import pytest
from django.core.exceptions import ImproperlyConfigured
from django.core.management import call_command

from onebudget import demo
from onebudget_web.accounts.models import Membership, Organisation, User
from onebudget_web.audit.models import AuditEvent
from onebudget_web.demo.loader import load_demo_place
from onebudget_web.places.models import Place


def test_the_demo_place_loads_once(db) -> None:
    first = load_demo_place()
    events = AuditEvent.objects.count()
    second = load_demo_place()
    assert (first.created, second.created) == (True, False)
    assert Organisation.objects.count() == len(demo.ORGANISATIONS)
    assert Place.objects.count() == len(demo.PLACES)
    assert User.objects.count() == len(demo.USERS)
    assert Membership.objects.count() == sum(len(u.roles) for u in demo.USERS)
    assert AuditEvent.objects.count() == events
    assert AuditEvent.objects.filter(actor_label="system:demo-loader").count() == events


def test_every_demo_user_can_sign_in(client, db) -> None:
    load_demo_place()
    for user in demo.USERS:
        response = client.post(
            "/sign-in/", {"username": user.username, "password": demo.DEMO_PASSWORD}
        )
        assert response.status_code == 302, user.username
        client.post("/sign-out/")


def test_demo_data_is_refused_where_it_is_switched_off(db, settings) -> None:
    settings.ONEBUDGET_ALLOW_DEMO = False
    with pytest.raises(ImproperlyConfigured):
        load_demo_place()
    assert not Organisation.objects.exists()


def test_the_management_command_loads_it(db, capsys) -> None:
    """The places and users; the linked data at a small size in the test below (the demo's
    own 260,000 people are timed by benchmarks/first_start.py, not here)."""
    call_command("load_demo", persons=0)
    out = capsys.readouterr().out
    assert "Loaded 2 places" in out
    assert "Synthetic linked data" not in out


def test_the_demo_place_gets_synthetic_linked_data_once(db, client, tmp_path) -> None:
    from onebudget_web.demo.loader import load_demo_data

    load_demo_place()
    dataset = load_demo_data(tmp_path, persons=800)
    assert dataset is not None
    assert (tmp_path / "places" / "fernmouth" / "persons.parquet").exists()
    assert (tmp_path / "places" / "fernmouth" / "ledgers" / "icb_gl_QZZ.xlsx").exists()
    assert load_demo_data(tmp_path, persons=800) == dataset
    assert AuditEvent.objects.filter(action="place.dataset_registered").count() == 1
    client.post("/sign-in/", {"username": "commissioner", "password": demo.DEMO_PASSWORD})
    page = client.get("/places/fernmouth/").content.decode()
    assert "Fernmouth (synthetic: shaped like England)" in page
    assert "Synthetic" in page
    client.post("/sign-out/")
    client.post("/sign-in/", {"username": "westvale", "password": demo.DEMO_PASSWORD})
    assert client.get("/places/fernmouth/").status_code == 404


@pytest.mark.once  # the results' storage is tested on both databases elsewhere
def test_a_first_start_leaves_the_outcome_results_to_the_background_build(
    db, settings, tmp_path, capsys
) -> None:
    """``onebudget demo`` loads with ``results="later"`` and serves at once; the outcome
    results, and the Better Care Fund returns whose metrics read them, are left to the
    background run of ``load_demo --results now``, which does only what is missing."""
    from onebudget_web.bcf.models import BcfPlan
    from onebudget_web.places.models import OutcomeResult

    settings.DATA_DIR = tmp_path
    call_command("load_demo", persons=800, results="later")
    said = capsys.readouterr().out
    assert "Outcome results" not in said
    assert "Better Care Fund: the 2025/26 plan and its fund" in said
    assert not OutcomeResult.objects.exists()
    plan = BcfPlan.objects.get(place__slug="fernmouth")
    assert not plan.returns.exists()
    call_command("load_demo", persons=800, results="now")
    said = capsys.readouterr().out
    assert "Outcome results: working out every indicator" in said
    assert "the quarter 1 and 2 returns recorded" in said
    assert OutcomeResult.objects.filter(dataset__place__slug="fernmouth").exists()
    assert sorted(plan.returns.values_list("period", flat=True)) == ["Q1", "Q2"]
    assert plan.fund is not None
    assert plan.fund.transactions.exists()
