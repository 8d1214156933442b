"""After the operation, the plan is set beside what the records show, and every departure that
harmed someone is named."""

import datetime
import json
from pathlib import Path

import pytest
from django.urls import reverse

from beyondraid.accounts.testing import sign_in_verified
from beyondraid.planning import services
from beyondraid.planning.models import Plan
from beyondraid.planning.outcomes import outcome_review
from beyondraid.standard import services as standard
from beyondraid.standard.tests.builders import make_encounter

pytestmark = pytest.mark.django_db

EXAMPLE = Path(__file__).resolve().parents[3] / "docs" / "examples" / "plans" / "justified.json"


def _submitted_plan(world) -> Plan:
    content = json.loads(EXAMPLE.read_text())
    start = world.operation_a.start_date
    content |= {
        "planned_start": start.isoformat(),
        "planned_end": world.operation_a.end_date.isoformat(),
        "operation_type": world.operation_a.operation_type,
        "expected_people": {"suspected_victim": 5, "suspected_trafficker": 1},
    }
    for notice in content["provider_notifications"]:
        notice["notified_on"] = (start - datetime.timedelta(days=7)).isoformat()
    plan = services.start_plan(
        user=world.steward_a,
        prosecutor_office=world.prosecutor_office,
        service_partner=world.provider,
        content=content,
    )
    services.submit(user=world.steward_a, version=plan.latest)
    return services.link_operation(user=world.steward_a, plan=plan, operation=world.operation_a)


def _comparison(review, subject):
    return next(c for c in review.comparisons if c.subject == subject)


def test_a_victim_arrested_is_named_as_a_departure(world):
    plan = _submitted_plan(world)
    victim = world.referred_encounter
    standard.record_treatment_event(
        encounter=victim,
        kind="arrested",
        occurred_on=victim.encountered_on,
        arrest_basis="probable_cause",
    )
    review = outcome_review(plan)
    punished = _comparison(review, "Victims arrested, cited or charged")
    assert punished.happened == "1 of 1 victims"
    assert "punished" in punished.concern
    arrests = _comparison(review, "Whom the operation arrested")
    assert "Only people selling or buying sex" in arrests.concern
    assert ("Suspected victim of trafficking", 5, 1) in review.people
    assert ("Suspected trafficker", 1, 0) in review.people
    assert ("Buyer", None, 1) in review.people
    assert review.review.classification == "justified"


def test_an_operation_that_kept_to_the_plan_shows_no_departure(world):
    plan = _submitted_plan(world)
    trafficker = make_encounter(operation=world.operation_a)
    standard.assess_role(
        encounter=trafficker,
        role="suspected_trafficker",
        basis="investigation",
        assessed_on=trafficker.encountered_on,
    )
    standard.record_treatment_event(
        encounter=trafficker,
        kind="arrested",
        occurred_on=trafficker.encountered_on,
        arrest_basis="probable_cause",
    )
    review = outcome_review(plan)
    assert review.concerns == [], [c.concern for c in review.concerns]
    assert ("Suspected trafficker", 1) in review.arrests_by_role


def test_a_provider_told_on_the_day_is_late(world):
    plan = _submitted_plan(world)
    version = plan.latest
    version.document["provider_notifications"][0]["notified_on"] = (
        world.operation_a.start_date.isoformat()
    )
    version.save()
    notice = _comparison(outcome_review(plan), "Service providers told in advance")
    assert notice.happened.startswith("Late: Harbor Survivor Services")
    assert notice.concern


def test_the_page_is_for_those_who_see_the_operation(client, world):
    plan = _submitted_plan(world)
    url = reverse("planning:outcome", args=[plan.code])
    for persona, status in [
        ("steward_a", 200),
        ("prosecutor", 200),
        ("analyst", 200),
        ("caseworker", 404),
        ("steward_b", 404),
        ("investigator", 404),
    ]:
        client.logout()
        sign_in_verified(client, world.personas[persona])
        response = client.get(url)
        assert response.status_code == status, persona
    client.logout()
    sign_in_verified(client, world.steward_a)
    page = client.get(url).content.decode()
    assert "Post-operation review" in page
    assert "Justified targeted operation" in page


def test_a_plan_not_yet_tied_to_an_operation_has_no_review(client, world):
    plan = services.start_plan(
        user=world.steward_a,
        prosecutor_office=world.prosecutor_office,
        service_partner=world.provider,
    )
    assert outcome_review(plan) is None
    sign_in_verified(client, world.steward_a)
    assert client.get(reverse("planning:outcome", args=[plan.code])).status_code == 404
