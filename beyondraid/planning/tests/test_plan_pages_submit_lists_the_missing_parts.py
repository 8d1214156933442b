"""Submitting a draft that lacks required parts names each part in plain words with a link to the
section where it is written, and leaves the draft as it was."""

import pytest
from django.urls import reverse

from beyondraid.accounts.testing import sign_in_verified
from beyondraid.planning import rules, services
from beyondraid.planning.models import PlanVersion

from .plan_builders import draft

pytestmark = pytest.mark.django_db


def test_each_missing_part_is_listed_with_a_link_to_its_section(client, world):
    plan = services.start_plan(
        user=world.steward_a,
        prosecutor_office=world.prosecutor_office,
        content={"format": "beyondraid-plan/1", "name": "Operation Lantern"},
    )
    before = plan.latest.document
    sign_in_verified(client, world.steward_a)

    response = client.post(reverse("planning:submit", args=[plan.code, 1]))

    page = response.content.decode()
    assert response.status_code == 400
    assert "The plan cannot be submitted yet" in page
    overview = reverse("planning:edit", args=[plan.code, "overview"])
    justification = reverse("planning:edit", args=[plan.code, "justification"])
    people = reverse("planning:edit", args=[plan.code, "people"])
    assert f'href="{overview}#id_operation_type">Type of operation: is required.</a>' in page
    assert f'href="{overview}#id_planned_start">Planned start: is required.</a>' in page
    assert f'href="{overview}#id_service_partner">Victim-service partner: is required.</a>' in page
    assert f'href="{justification}#id_situation">Situation: is required.</a>' in page
    assert f'href="{people}#id_female_officer">A female officer will be: is required.</a>' in page
    assert "Name of the operation: is required." not in page
    version = plan.latest
    assert version.status == PlanVersion.Status.DRAFT
    assert version.document == before


def test_a_complete_draft_is_submitted_and_classified(client, world):
    version = draft(world)
    sign_in_verified(client, world.steward_a)

    response = client.post(reverse("planning:submit", args=[version.plan.code, 1]), follow=True)

    page = response.content.decode()
    assert "The rule set classified it as justified targeted operation" in page
    assert (
        f"<strong>Justified targeted operation</strong> (rule set {rules.RULESET_VERSION})" in page
    )
    version.refresh_from_db()
    assert version.status == PlanVersion.Status.SUBMITTED
