"""Investigators count the reports of abuse by officers per agency and type — received (triaged),
investigated (a finding, or under investigation) and sustained (sustained or a policy failure) —
and the feedback per organisation, from the triage and findings only (R-171); only those who may
see the reports list see the figures, and the list shows and filters each report's channel."""

import pytest
from django.test import Client
from django.urls import reverse
from django.utils import translation

from beyondraid.accountability import selectors, services
from beyondraid.accountability.selectors import FeedbackCount, MisconductCount
from beyondraid.accounts.models import User
from beyondraid.accounts.testing import sign_in_verified
from beyondraid.conftest import PASSWORD

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def in_english():
    """The types are named in the language of the request; a Spanish page an earlier test
    requested in the same thread must not name them here."""
    with translation.override("en"):
        yield


YES = {"rights_explained": "yes", "free_to_leave": "yes", "without_judgement": "yes"}


@pytest.fixture
def counted(world):
    chief = world.investigator
    chief.is_organisation_admin = True
    chief.save()
    world.investigator_two = User.objects.create_user(
        username="investigator.two",
        password=PASSWORD,
        organisation=world.oversight,
        role="investigator",
    )
    services.create_keyring({chief: "a long passphrase 123"})

    def report(agency, types, *, finding="", investigator=chief, triaged=True):
        made = services.submit_report(conduct=["force"], account="What happened.").report
        services.acknowledge(user=chief, report=made)
        if not triaged:
            return made
        services.triage(user=chief, report=made, concerned_agency=agency, types=types)
        if investigator is not None:
            services.assign(user=chief, report=made, investigator=investigator)
            services.start_investigation(user=chief, report=made)
        if finding:
            services.adjudicate(user=chief, report=made, finding=finding)
        return made

    def feedback(organisation, *, complaint=False, **answers):
        made = services.submit_feedback(comment="How I was treated.").report
        services.acknowledge(user=chief, report=made)
        services.triage(
            user=chief,
            report=made,
            concerned_agency=organisation,
            complaint=complaint,
            **{**YES, "help_needed": "yes", **answers},
        )
        return made

    report(world.agency_a, ["force", "threats"], finding="sustained")
    world.assigned = report(world.agency_a, ["force"], investigator=world.investigator_two)
    report(world.agency_a, ["threats"], investigator=None)
    report(world.agency_a, ["force"], finding="not_sustained")
    report(world.agency_b, ["extortion"], finding="policy_failure")
    report(world.agency_b, [], triaged=False)
    feedback(world.provider, free_to_leave="no", complaint=True)
    feedback(world.provider, rights_explained="no", help_needed="no")
    feedback(world.agency_a)
    return world


def _signed_in(user) -> Client:
    client = Client()
    sign_in_verified(client, user)
    return client


def test_reports_are_counted_per_agency_and_type(counted):
    a, b = counted.agency_a.name, counted.agency_b.name
    assert selectors.statistics_by_agency_and_type(counted.investigator) == [
        MisconductCount(a, "", received=4, investigated=3, sustained=1),
        MisconductCount(a, "Excessive force or painful restraint", 3, 3, 1),
        MisconductCount(a, "Threats to get information or cooperation", 2, 1, 1),
        MisconductCount(b, "", 1, 1, 1),
        MisconductCount(b, "Corruption: extortion", 1, 1, 1),
    ]


def test_feedback_is_counted_per_organisation_with_each_no_and_the_complaints(counted):
    assert selectors.feedback_statistics(counted.investigator) == [
        FeedbackCount(counted.agency_a.name, 1, 0, 0, 0, 0, 0),
        FeedbackCount(
            counted.provider.name,
            received=2,
            no_rights_explained=1,
            no_free_to_leave=1,
            no_without_judgement=0,
            no_help_needed=1,
            complaints=1,
        ),
    ]


def test_an_investigator_counts_only_the_reports_assigned_to_them(counted):
    a = counted.agency_a.name
    assert selectors.statistics_by_agency_and_type(counted.investigator_two) == [
        MisconductCount(a, "", 1, 1, 0),
        MisconductCount(a, "Excessive force or painful restraint", 1, 1, 0),
    ]
    assert selectors.feedback_statistics(counted.investigator_two) == []


def test_the_statistics_page_shows_the_counts_to_investigators_only(counted):
    page = _signed_in(counted.investigator).get(reverse("oversight:statistics"))
    assert page.status_code == 200
    text = page.content.decode()
    assert "Corruption: extortion" in text
    assert counted.provider.name in text
    assert "small counts are not suppressed" in text
    for user in (counted.steward_a, counted.analyst, counted.caseworker, counted.administrator):
        refused = _signed_in(user).get(reverse("oversight:statistics"))
        assert refused.status_code == 403
        assert "Corruption: extortion" not in refused.content.decode()
    anonymous = Client().get(reverse("oversight:statistics"))
    assert anonymous.status_code == 302


def test_the_list_shows_each_channel_and_filters_by_it(counted):
    admin = _signed_in(counted.investigator)
    everything = admin.get(reverse("oversight:reports")).content.decode()
    assert everything.count('data-label="Channel">Feedback<') == 3
    assert everything.count('data-label="Channel">Report<') == 6
    feedback = admin.get(reverse("oversight:reports"), {"channel": "feedback"}).content.decode()
    assert feedback.count('data-label="Channel">Feedback<') == 3
    assert 'data-label="Channel">Report<' not in feedback
    refused = admin.get(reverse("oversight:reports"), {"channel": "gossip"})
    assert refused.status_code == 400
    assert "Show: choose reports, feedback or both from the list." in refused.content.decode()
