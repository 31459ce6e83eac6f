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
    call_command("load_demo")
    assert "Loaded 2 places" in capsys.readouterr().out


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
