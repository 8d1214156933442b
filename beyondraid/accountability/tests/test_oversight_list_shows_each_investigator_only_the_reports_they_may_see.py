"""The reports list: an oversight administrator sees every report, a plain investigator only those
assigned to them, anyone else nothing (no list, and 404 on a report). The patterns section names
the reports that share an officer, and nothing else."""

import datetime

import pytest
from django.urls import reverse
from django.utils import timezone

from beyondraid.accountability import services
from beyondraid.accountability.models import OfficerMark, Report
from beyondraid.accounts.models import User
from beyondraid.accounts.testing import sign_in_verified
from beyondraid.conftest import PASSWORD

pytestmark = pytest.mark.django_db

PASSPHRASE = "a long passphrase 123"
BADGE_1234 = [{"badge": "1234", "name": "", "unit": ""}]


@pytest.fixture
def oversight(world):
    world.investigator.is_organisation_admin = True
    world.investigator.save()
    services.create_keyring({world.investigator: PASSPHRASE})
    return world


def _investigator(world, username="investigator.two"):
    return User.objects.create_user(
        username=username, password=PASSWORD, organisation=world.oversight, role="investigator"
    )


def _report(officers=BADGE_1234, **fields) -> Report:
    report = services.submit_report(
        conduct=["force"], account="He pushed me against the wall.", officers=officers
    ).report
    Report.objects.filter(pk=report.pk).update(**fields)
    report.refresh_from_db()
    return report


def _list(client, user):
    sign_in_verified(client, user)
    return client.get(reverse("oversight:reports"))


def test_the_administrator_sees_every_report(client, oversight):
    second = _investigator(oversight)
    reports = [_report(), _report(assigned_to=second, state=Report.State.ASSIGNED)]
    response = _list(client, oversight.investigator)
    assert response.status_code == 200
    page = response.content.decode()
    for report in reports:
        assert report.reference in page
    assert "investigator.two" in page
    assert "Not assigned" in page


def test_a_plain_investigator_sees_only_the_reports_assigned_to_them(client, oversight):
    second = _investigator(oversight)
    mine = _report(assigned_to=second, state=Report.State.ASSIGNED)
    not_mine = _report()
    response = _list(client, second)
    assert response.status_code == 200
    page = response.content.decode()
    assert mine.reference in page
    assert not_mine.reference not in page
    assert client.get(reverse("oversight:report", args=[mine.reference])).status_code == 200
    assert client.get(reverse("oversight:report", args=[not_mine.reference])).status_code == 404


@pytest.mark.parametrize(
    "persona", ["steward_a", "steward_b", "prosecutor", "caseworker", "analyst", "administrator"]
)
def test_other_roles_get_no_list_and_no_report(client, oversight, persona):
    report = _report()
    user = oversight.personas[persona]
    assert _list(client, user).status_code == 403
    assert client.get(reverse("oversight:report", args=[report.reference])).status_code == 404
    assert client.post(reverse("oversight:acknowledge", args=[report.reference])).status_code == 404
    assert client.get(reverse("oversight:unlock")).status_code == 403


def test_the_list_shows_the_clocks_and_the_reminder(client, oversight):
    today = timezone.localdate()
    _report(received_on=today - datetime.timedelta(days=2))
    late = _report(received_on=today - datetime.timedelta(days=10))
    # Acknowledged 80 days ago: feedback falls due within the 15 days of the reminder.
    reminded = _report(
        received_on=today - datetime.timedelta(days=80),
        acknowledged_on=today - datetime.timedelta(days=80),
        state=Report.State.ACKNOWLEDGED,
    )
    page = _list(client, oversight.investigator).content.decode()
    assert "due in 5 days" in page
    assert "overdue by 3 days" in page
    assert ">met</span>" in page
    assert "Reminder:</strong> due within 15 days" in page
    assert late.reference in page and reminded.reference in page


def test_patterns_list_the_reports_naming_the_same_badge_and_nothing_else(client, oversight):
    first, second = _report(), _report()
    third = _report(officers=[{"badge": "9876", "name": "", "unit": ""}])
    response = _list(client, oversight.investigator)
    page = response.content.decode()
    patterns = page[page.index('id="patterns-heading"') :]
    assert "2 reports name the same officer" in patterns
    assert first.reference in patterns and second.reference in patterns
    assert third.reference not in patterns
    assert "1234" not in page
    assert "pushed me" not in page
    for digest in OfficerMark.objects.values_list("digest", flat=True):
        assert digest not in page


def test_an_investigator_sees_a_pattern_only_among_their_own_reports(client, oversight):
    second = _investigator(oversight)
    mine = _report(assigned_to=second, state=Report.State.ASSIGNED)
    _report()
    page = _list(client, second).content.decode()
    patterns = page[page.index('id="patterns-heading"') :]
    assert mine.reference not in patterns
    assert "No officer is named in more than one report." in patterns
    also_mine = _report(assigned_to=second, state=Report.State.ASSIGNED)
    page = _list(client, second).content.decode()
    patterns = page[page.index('id="patterns-heading"') :]
    assert mine.reference in patterns and also_mine.reference in patterns


def test_a_badge_and_a_name_of_the_same_officer_make_one_pattern(client, oversight):
    officer = [{"badge": "1234", "name": "Sgt Doe", "unit": ""}]
    _report(officers=officer)
    _report(officers=officer)
    page = _list(client, oversight.investigator).content.decode()
    assert page.count("reports name the same officer") == 1
