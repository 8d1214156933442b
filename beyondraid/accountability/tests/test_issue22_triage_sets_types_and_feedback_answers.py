"""At triage the investigators set what a report is about — the types of misconduct of a report
of abuse by officers, the answers and the organisation of a feedback — from their own reading,
all or nothing and audited to the day; an investigator corrects the types later (issue 22)."""

import datetime
import re
from typing import Any

import pytest
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from beyondraid.accountability import services
from beyondraid.accountability.models import FeedbackAnswers, Report, ReportType
from beyondraid.accounts.models import AuditEntry, User
from beyondraid.accounts.testing import sign_in_verified
from beyondraid.conftest import PASSWORD

pytestmark = pytest.mark.django_db

PASSPHRASE = "a long passphrase 123"
ANSWERS: dict[str, Any] = {
    "rights_explained": "yes",
    "free_to_leave": "no",
    "without_judgement": "not_said",
    "help_needed": "no",
}


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
    services.create_keyring({world.investigator: PASSPHRASE})
    world.report = services.submit_report(conduct=["force"], account="He took my phone.").report
    world.feedback = services.submit_feedback(
        free_to_leave="no", comment="The doors were locked at night."
    ).report
    for report in (world.report, world.feedback):
        services.acknowledge(user=world.investigator, report=report)
    return world


def _signed_in(user) -> Client:
    client = Client()
    sign_in_verified(client, user)
    return client


def _act(client, report, name, **fields):
    data = {f"{name}-{field}": value for field, value in fields.items()}
    return client.post(reverse(f"oversight:{name}", args=[report.reference]), data)


def _nothing_written(report):
    report.refresh_from_db()
    assert report.state == Report.State.ACKNOWLEDGED
    assert report.concerned_agency is None
    assert not ReportType.objects.filter(report=report).exists()
    assert not FeedbackAnswers.objects.filter(report=report).exists()


def test_triage_sets_the_types_of_a_report_and_audits_them_to_the_day(oversight):
    report = services.triage(
        user=oversight.investigator,
        report=oversight.report,
        concerned_agency=oversight.agency_a,
        types=["property", "threats", "property"],
    )
    assert sorted(report.types.values_list("type", flat=True)) == ["property", "threats"]
    assert report.state == Report.State.TRIAGED
    entries = AuditEntry.objects.filter(
        object_type="accountability.reporttype", action=AuditEntry.Action.CREATE
    )
    assert entries.count() == 2
    midnight = datetime.datetime.combine(timezone.localdate(), datetime.time())
    assert {timezone.localtime(entry.at).replace(tzinfo=None) for entry in entries} == {midnight}


def test_triage_of_a_feedback_records_its_answers_and_any_organisation(oversight):
    feedback = services.triage(
        user=oversight.investigator,
        report=oversight.feedback,
        concerned_agency=oversight.provider,
        complaint=True,
        **ANSWERS,
    )
    answers = FeedbackAnswers.objects.get(report=feedback)
    assert {name: getattr(answers, name) for name in ANSWERS} == ANSWERS
    assert answers.complaint is True
    assert feedback.concerned_agency == oversight.provider
    assert not feedback.types.exists()
    assert AuditEntry.objects.filter(
        object_type="accountability.feedbackanswers", action=AuditEntry.Action.CREATE
    ).exists()


@pytest.mark.parametrize(
    ("which", "fields", "message"),
    [
        ("report", {}, "Choose at least one type of misconduct the report is about."),
        ("report", {"types": ["bribes"]}, "Choose the types of misconduct from the list."),
        (
            "report",
            {"types": ["force"], "free_to_leave": "no"},
            "recorded only for a feedback; this is a report of abuse by officers",
        ),
        (
            "report",
            {"types": ["force"], "complaint": True},
            "recorded only for a feedback; this is a report of abuse by officers",
        ),
        (
            "feedback",
            {**ANSWERS, "help_needed": ""},
            "Answer “Was the help what they needed?”: yes, no or not said.",
        ),
        (
            "feedback",
            {**ANSWERS, "types": ["force"]},
            "A feedback has no types of misconduct",
        ),
    ],
)
def test_a_refused_triage_says_why_and_writes_nothing(oversight, which, fields, message):
    report = getattr(oversight, which)
    with pytest.raises(services.ReportRefused, match=re.escape(message)):
        services.triage(
            user=oversight.investigator,
            report=report,
            concerned_agency=oversight.agency_a,
            **fields,
        )
    _nothing_written(report)


def test_the_triage_form_asks_a_feedback_for_its_answers_and_any_organisation(oversight):
    admin = _signed_in(oversight.investigator)
    page = admin.get(reverse("oversight:report", args=[oversight.feedback.reference]))
    text = page.content.decode()
    assert "Organisation the feedback concerns" in text
    assert oversight.provider.name in text
    assert "Did they feel free to leave?" in text
    assert "Types of misconduct" not in text

    response = _act(
        admin,
        oversight.feedback,
        "triage",
        concerned_agency=oversight.provider.pk,
        **{**ANSWERS, "free_to_leave": ""},
    )
    assert response.status_code == 400
    assert (
        "Answer “Did they feel free to leave?”: yes, no or not said." in response.content.decode()
    )
    _nothing_written(oversight.feedback)

    response = _act(
        admin,
        oversight.feedback,
        "triage",
        concerned_agency=oversight.provider.pk,
        complaint="on",
        **ANSWERS,
    )
    assert response.status_code == 302
    assert FeedbackAnswers.objects.get(report=oversight.feedback).complaint is True


def test_the_triage_form_of_a_report_keeps_to_agencies_with_officers(oversight):
    admin = _signed_in(oversight.investigator)
    page = admin.get(reverse("oversight:report", args=[oversight.report.reference]))
    text = page.content.decode()
    assert "Types of misconduct" in text
    assert "Did they feel free to leave?" not in text
    response = _act(
        admin, oversight.report, "triage", concerned_agency=oversight.provider.pk, types=["force"]
    )
    assert response.status_code == 400
    assert "Choose the agency from the list." in response.content.decode()
    response = _act(admin, oversight.report, "triage", concerned_agency=oversight.agency_a.pk)
    assert response.status_code == 400
    assert "Choose at least one type of misconduct the report is about." in (
        response.content.decode()
    )
    _nothing_written(oversight.report)


def test_the_assigned_investigator_corrects_the_types(oversight):
    report = services.triage(
        user=oversight.investigator,
        report=oversight.report,
        concerned_agency=oversight.agency_a,
        types=["force", "threats"],
    )
    services.assign(
        user=oversight.investigator, report=report, investigator=oversight.investigator_two
    )
    investigator = _signed_in(oversight.investigator_two)
    page = investigator.get(reverse("oversight:report", args=[report.reference])).content.decode()
    assert "Correct the types" in page

    response = _act(investigator, report, "types", types=["force", "threats"])
    assert response.status_code == 400
    assert "These are already the report&#x27;s types: change at least one." in (
        response.content.decode()
    )
    response = _act(investigator, report, "types", types=["force", "extortion"])
    assert response.status_code == 302
    assert sorted(report.types.values_list("type", flat=True)) == ["extortion", "force"]
    changes = AuditEntry.objects.filter(
        object_type="accountability.reporttype", actor=oversight.investigator_two
    )
    assert sorted(changes.values_list("action", flat=True)) == ["create", "delete"]
    page = investigator.get(reverse("oversight:report", args=[report.reference])).content.decode()
    assert "Corruption: extortion" in page


def test_types_are_corrected_only_on_a_triaged_report_by_who_may_investigate_it(oversight):
    with pytest.raises(services.ReportRefused, match="Triage the report before correcting"):
        services.correct_types(
            user=oversight.investigator, report=oversight.report, types=["force"]
        )
    services.triage(
        user=oversight.investigator,
        report=oversight.report,
        concerned_agency=oversight.agency_a,
        types=["force"],
    )
    with pytest.raises(services.ReportRefused, match="You cannot act on this report."):
        services.correct_types(
            user=oversight.investigator_two, report=oversight.report, types=["threats"]
        )
    with pytest.raises(services.ReportRefused, match="A feedback has no types"):
        services.correct_types(
            user=oversight.investigator, report=oversight.feedback, types=["threats"]
        )
    assert list(oversight.report.types.values_list("type", flat=True)) == ["force"]
