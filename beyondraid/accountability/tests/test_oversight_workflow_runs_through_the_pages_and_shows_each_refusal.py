"""A report carried through the investigators' pages, from acknowledgement to an extended
retention: each step offered only to who may take it in the state it needs, each refusal shown on
the page with status 400 and nothing recorded, the reporter's reply in the thread."""

import datetime

import pytest
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from beyondraid.accountability import services
from beyondraid.accountability.models import Message, Report
from beyondraid.accounts.models import User
from beyondraid.accounts.testing import sign_in_verified
from beyondraid.conftest import PASSWORD

pytestmark = pytest.mark.django_db

PASSPHRASE = "a long passphrase 123"


@pytest.fixture
def oversight(world):
    world.investigator.is_organisation_admin = True
    world.investigator.save()
    world.investigator_two = User.objects.create_user(
        username="investigator.two",
        password=PASSWORD,
        organisation=world.oversight,
        role="investigator",
    )
    # An investigator who works for the police agency the report will concern.
    world.police_investigator = User.objects.create_user(
        username="police.investigator",
        password=PASSWORD,
        organisation=world.agency_a,
        role="investigator",
    )
    services.create_keyring({world.investigator: PASSPHRASE, world.investigator_two: PASSPHRASE})
    world.report = services.submit_report(
        conduct=["force"],
        account="He twisted my arm behind my back.",
        officers=[{"badge": "1234", "name": "", "unit": ""}],
    ).report
    return world


def _signed_in(user, *, unlocked=True) -> Client:
    client = Client()
    sign_in_verified(client, user)
    if unlocked:
        client.post(reverse("oversight:unlock"), {"passphrase": PASSPHRASE})
    return client


def _act(client, report, name, **fields):
    data = {f"{name}-{field}": value for field, value in fields.items()}
    return client.post(reverse(f"oversight:{name}", args=[report.reference]), data)


def _page(client, report) -> str:
    return client.get(reverse("oversight:report", args=[report.reference])).content.decode()


def _state(report) -> str:
    return Report.objects.get(pk=report.pk).state


def _refused(response, message):
    assert response.status_code == 400
    page = response.content.decode()
    assert "Nothing was recorded" in page
    assert message in page


def test_the_full_workflow_through_the_pages(oversight):
    today = timezone.localdate()
    report = oversight.report
    admin = _signed_in(oversight.investigator)

    page = _page(admin, report)
    assert "Acknowledge the report" in page
    assert "Start the investigation" not in page
    assert "Assign the report" not in page

    response = _act(admin, report, "acknowledge", on=today.isoformat())
    assert response.status_code == 302
    assert _state(report) == Report.State.ACKNOWLEDGED
    assert "The report is acknowledged" in _page(admin, report)

    _refused(
        _act(
            admin,
            report,
            "triage",
            concerned_agency=oversight.agency_a.pk,
            operation=oversight.operation_b.code,
            types=["force"],
        ),
        f"took no part in operation {oversight.operation_b.code}",
    )
    assert _state(report) == Report.State.ACKNOWLEDGED
    response = _act(
        admin,
        report,
        "triage",
        concerned_agency=oversight.agency_a.pk,
        concerned_unit="Vice",
        operation=oversight.operation_a.code,
        types=["force"],
    )
    assert response.status_code == 302
    report.refresh_from_db()
    assert (report.concerned_agency, report.concerned_unit, report.operation) == (
        oversight.agency_a,
        "Vice",
        oversight.operation_a,
    )

    _refused(
        _act(admin, report, "assign", investigator=oversight.police_investigator.pk),
        "police.investigator works for Agency A Police Department, the agency this report "
        "concerns: assign an investigator independent of it.",
    )
    assert _state(report) == Report.State.TRIAGED
    response = _act(admin, report, "assign", investigator=oversight.investigator_two.pk)
    assert response.status_code == 302
    assert _state(report) == Report.State.ASSIGNED

    investigator = _signed_in(oversight.investigator_two)
    page = _page(investigator, report)
    assert "Start the investigation" in page
    assert "Assign the report" not in page
    assert _act(investigator, report, "start").status_code == 302
    assert _state(report) == Report.State.INVESTIGATING

    tomorrow = today + datetime.timedelta(days=1)
    _refused(
        _act(investigator, report, "adjudicate", finding="sustained", on=tomorrow.isoformat()),
        "The finding cannot be dated in the future.",
    )
    report.refresh_from_db()
    assert (report.state, report.finding) == (Report.State.INVESTIGATING, "")
    response = _act(investigator, report, "adjudicate", finding="sustained", on=today.isoformat())
    assert response.status_code == 302

    response = _act(investigator, report, "action", action="training", on=today.isoformat())
    assert response.status_code == 302
    response = _act(
        investigator, report, "message", text="The officer was retrained.", is_feedback="on"
    )
    assert response.status_code == 302
    response = _act(investigator, report, "close", on=today.isoformat())
    assert response.status_code == 302
    report.refresh_from_db()
    assert report.state == Report.State.CLOSED
    assert report.feedback_on == today
    page = _page(investigator, report)
    assert "Sustained" in page and "Training" in page
    assert "Send the message" not in page

    _refused(
        _act(
            investigator,
            report,
            "extend",
            keep_until=(report.keep_until + datetime.timedelta(days=365)).isoformat(),
            reason="A lawsuit is pending.",
        ),
        "Only an oversight administrator extends.",
    )
    _refused(
        _act(
            admin,
            report,
            "extend",
            keep_until=report.keep_until.isoformat(),
            reason="A lawsuit is pending.",
        ),
        "choose a later date",
    )
    later = report.keep_until + datetime.timedelta(days=365)
    response = _act(admin, report, "extend", keep_until=later.isoformat(), reason="A lawsuit.")
    assert response.status_code == 302
    page = _page(admin, report)
    assert f"Until {later.isoformat()}" in page
    assert "A lawsuit." in page


def test_bad_input_is_shown_field_by_field_and_keeps_what_was_typed(oversight):
    report = oversight.report
    admin = _signed_in(oversight.investigator)
    _act(admin, report, "acknowledge", on=timezone.localdate().isoformat())
    response = _act(admin, report, "triage", concerned_unit="Night shift")
    assert response.status_code == 400
    page = response.content.decode()
    assert "Choose the agency the report concerns." in page
    assert 'value="Night shift"' in page
    response = _act(admin, report, "acknowledge", on="31/02/2025")
    assert response.status_code == 400
    assert "Enter a date as year-month-day" in response.content.decode()


def test_a_plain_investigator_cannot_take_the_administrators_steps(oversight):
    report = oversight.report
    Report.objects.filter(pk=report.pk).update(
        assigned_to=oversight.investigator_two, state=Report.State.ACKNOWLEDGED
    )
    investigator = _signed_in(oversight.investigator_two)
    assert "Record the triage" not in _page(investigator, report)
    _refused(
        _act(
            investigator, report, "triage", concerned_agency=oversight.agency_a.pk, types=["force"]
        ),
        "Only an oversight administrator triages.",
    )


def test_a_step_out_of_order_is_refused_in_plain_words(oversight):
    admin = _signed_in(oversight.investigator)
    _refused(
        _act(admin, oversight.report, "start"),
        "This report is received; this step needs it to be assigned to an investigator.",
    )


def test_the_reporters_reply_shows_in_the_thread(oversight):
    report = oversight.report
    admin = _signed_in(oversight.investigator)
    _act(admin, report, "acknowledge", on=timezone.localdate().isoformat())
    _act(admin, report, "message", text="Which day did this happen?")
    services.reporter_reply(report, "It was the Friday night, around ten.")
    page = _page(admin, report)
    assert "Which day did this happen?" in page
    assert "The reporter" in page
    assert "It was the Friday night, around ten." in page
    assert page.index("Which day did this happen?") < page.index("It was the Friday night")


def test_writing_without_the_key_is_allowed_but_the_thread_stays_hidden(oversight):
    report = oversight.report
    admin = _signed_in(oversight.investigator, unlocked=False)
    assert "Send the message" not in _page(admin, report)
    _act(admin, report, "acknowledge", on=timezone.localdate().isoformat())
    page = _page(admin, report)
    assert "The thread is hidden until you unlock the key" in page
    response = _act(admin, report, "message", text="Can you tell us the place?")
    assert response.status_code == 302
    assert report.messages.filter(author=Message.Author.INVESTIGATOR).count() == 2
    assert "Can you tell us the place?" not in _page(admin, report)


def test_an_action_on_a_report_the_user_may_not_see_is_404(oversight):
    investigator = _signed_in(oversight.investigator_two)
    response = _act(investigator, oversight.report, "acknowledge", on="2025-01-01")
    assert response.status_code == 404
    assert _state(oversight.report) == Report.State.RECEIVED


def test_actions_are_post_only(oversight):
    admin = _signed_in(oversight.investigator)
    url = reverse("oversight:acknowledge", args=[oversight.report.reference])
    assert admin.get(url).status_code == 405
