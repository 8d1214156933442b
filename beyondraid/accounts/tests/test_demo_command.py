"""`beyondraid demo` sets up a site with published and synthetic data, idempotently, and never
in production."""

import pytest
from django.contrib.auth import get_user_model
from django.core.management import call_command
from django.core.management.base import CommandError

from beyondraid.standard.management.commands import demo
from beyondraid.standard.models import (
    Agency,
    AggregateFigure,
    Encounter,
    NonPunishmentAlert,
    Operation,
    TreatmentEvent,
)

pytestmark = pytest.mark.django_db

MODELS = (Agency, Operation, Encounter, TreatmentEvent, AggregateFigure, NonPunishmentAlert)


def _counts():
    counts = {model.__name__: model.objects.count() for model in MODELS}
    counts["users"] = get_user_model().objects.count()
    return counts


@pytest.fixture
def small_demo(monkeypatch):
    """The synthetic part cut to one operation where the test is about something else."""
    monkeypatch.setattr(demo, "DEMO_OPERATIONS", 1)


def test_running_the_demo_twice_leaves_the_same_data(capsys):
    call_command("demo", no_serve=True, port=8123)
    first = _counts()
    output = capsys.readouterr().out
    call_command("demo", no_serve=True, port=8123)
    assert _counts() == first
    assert "already loaded" in capsys.readouterr().out
    assert Operation.objects.filter(data_origin="synthetic").count() == demo.DEMO_OPERATIONS
    assert Operation.objects.filter(data_origin="published_aggregate").count() == 13
    assert not Operation.objects.filter(data_origin="recorded").exists()
    assert "http://127.0.0.1:8123/admin/ as admin / demo-admin-pass-2026" in output
    assert "SYNTHETIC" in output and "PUBLISHED AGGREGATE" in output


@pytest.mark.parametrize("username", ["admin", "analyst"])
def test_the_demo_accounts_sign_in_to_the_records_administration(small_demo, client, username):
    call_command("demo", no_serve=True)
    response = client.post(
        "/admin/login/?next=/admin/", {"username": username, "password": demo.DEMO_PASSWORD}
    )
    assert response.status_code == 302
    assert client.get("/admin/").status_code == 200
    admin = get_user_model().objects.get(username="admin")
    assert admin.is_staff and admin.is_superuser and admin.role == "administrator"


def test_an_existing_account_keeps_its_password(small_demo):
    get_user_model().objects.create_superuser("admin", "", "a-password-chosen-later-2026")
    call_command("demo", no_serve=True)
    assert (
        get_user_model()
        .objects.get(username="admin")
        .check_password("a-password-chosen-later-2026")
    )


def test_the_demo_serves_after_setting_up(small_demo, monkeypatch):
    served = []
    monkeypatch.setattr(demo, "serve", lambda host, port, stdout: served.append((host, port)))
    monkeypatch.setattr(demo, "ensure_port_free", lambda host, port: None)
    monkeypatch.setenv("PORT", "8124")
    call_command("demo")
    assert served == [("127.0.0.1", 8124)]


def test_the_demo_refuses_to_run_in_production(settings):
    settings.PRODUCTION = True
    with pytest.raises(CommandError, match="refuses to run in production"):
        call_command("demo", no_serve=True)
    assert not Operation.objects.exists()
    assert not get_user_model().objects.exists()


def test_a_port_in_use_stops_the_demo_before_it_writes_anything(monkeypatch):
    def in_use(host, port):
        raise CommandError(f"Port {port} on {host} is already in use; choose another.")

    monkeypatch.setattr(demo, "ensure_port_free", in_use)
    with pytest.raises(CommandError, match="already in use"):
        call_command("demo", port=8125)
    assert not Operation.objects.exists()
