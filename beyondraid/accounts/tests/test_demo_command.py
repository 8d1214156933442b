"""`beyondraid demo` sets up a site with published and synthetic data, idempotently, and never
in production."""

import pytest
from django.apps import apps
from django.contrib.auth import get_user_model
from django.core.management import call_command
from django.core.management.base import CommandError

from beyondraid.accounts.management.commands import demo
from beyondraid.accounts.two_factor import confirmed_totp_device, verify
from beyondraid.standard import access
from beyondraid.standard.models import (
    Agency,
    AggregateFigure,
    Encounter,
    NonPunishmentAlert,
    Operation,
    TreatmentEvent,
)
from beyondraid.standard.vocabulary import vocabulary

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
    assert "http://127.0.0.1:8123/accounts/sign-in/ with password demo-pass-2026" in output
    assert demo.demo_totp_secret("steward") in output
    # Two administrators, since a role one gives waits for the other; invitations print here.
    assert demo.demo_totp_secret("admin2") in output
    assert "are printed on this console" in output
    assert "SYNTHETIC" in output and "PUBLISHED AGGREGATE" in output
    releases = apps.get_model("transparency", "Release").objects.filter(name=demo.DEMO_RELEASE)
    assert [(r.version, r.status) for r in releases] == [(1, "published")]
    assert f"Published {demo.DEMO_RELEASE} (version 1)" in output
    _the_release_answers_its_headline_question(releases.get())


def _the_release_answers_its_headline_question(release):
    """Statewide victims identified and per 100 arrests are shown, and least-cost suppression
    hides at most half the complementary figures the heuristic hid (178 of 549 figures, with
    286 primary, on 2026-12-07)."""
    assert release.check_report["passed"]
    outcomes = release.tables.get(slug="outcomes_by_agency")
    [statewide] = [row for row in outcomes.rows if row["agency_key"] == "all"]
    assert statewide["victims_identified"] > 0 and statewide["victims_per_100_arrests"] > 0
    reasons = [
        flags["suppressed"]
        for table in release.tables.all()
        for row in table.cells
        for flags in row.values()
    ]
    assert 0 < reasons.count("complementary") <= 178 // 2


def test_there_is_a_demo_account_for_every_role_with_two_factor_set_up(small_demo):
    call_command("demo", no_serve=True)
    users = get_user_model().objects.filter(username__in=[name for name, *_ in demo.DEMO_ACCOUNTS])
    assert {user.role for user in users} == set(vocabulary("staff_role").codes)
    for user in users:
        assert user.organisation is not None and user.check_password(demo.DEMO_PASSWORD)
        assert confirmed_totp_device(user=user) is not None
        assert not user.is_superuser


def test_each_demo_steward_sees_only_operations_of_their_own_agency(small_demo):
    call_command("demo", no_serve=True, verbosity=0)
    for username in ("steward", "steward2"):
        steward = get_user_model().objects.get(username=username)
        visible = access.operations_for(steward)
        assert visible.count() < Operation.objects.count()
        for operation in visible:
            assert operation.participants.filter(agency=steward.organisation).exists()


def test_demo_code_prints_a_code_that_signs_the_account_in(small_demo, capsys):
    call_command("demo", no_serve=True)
    capsys.readouterr()
    call_command("demo_code", "analyst")
    code = capsys.readouterr().out.strip()
    assert len(code) == 6 and code.isdigit()
    assert verify(user=get_user_model().objects.get(username="analyst"), token=code) is not None


def test_demo_code_refuses_accounts_that_are_not_the_demos(small_demo):
    with pytest.raises(CommandError, match="not a demo account"):
        call_command("demo_code", "somebody")


def test_an_existing_account_keeps_its_password(small_demo):
    get_user_model().objects.create_user("analyst", "", "a-password-chosen-later-2026")
    call_command("demo", no_serve=True)
    assert (
        get_user_model()
        .objects.get(username="analyst")
        .check_password("a-password-chosen-later-2026")
    )


def test_the_demo_serves_after_setting_up(small_demo, monkeypatch):
    served = []
    monkeypatch.setattr(
        demo,
        "serve",
        lambda host, port, stdout, with_worker: served.append((host, port, with_worker)),
    )
    monkeypatch.setattr(demo, "ensure_port_free", lambda host, port: None)
    monkeypatch.setenv("PORT", "8124")
    call_command("demo")
    # With a task worker beside the server, so that imports from the upload page run.
    assert served == [("127.0.0.1", 8124, True)]


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
