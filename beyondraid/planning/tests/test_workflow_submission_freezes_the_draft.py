"""Submitting freezes a draft: it can no longer be edited or submitted again. A draft with
required parts missing cannot be submitted; the refusal names each field and the draft keeps
everything typed so far."""

import pytest

from beyondraid.planning import document, services
from beyondraid.planning.models import PlanVersion

from .plan_builders import draft, justified, submitted

pytestmark = pytest.mark.django_db


def test_a_submitted_version_can_no_longer_be_saved_as_a_draft(world):
    version = submitted(world)
    changed = justified()
    changed["name"] = "Operation Changed Afterwards"

    with pytest.raises(services.PlanRefused, match="no longer a draft"):
        services.save_draft(user=world.steward_a, version=version, content=changed)

    version.refresh_from_db()
    assert version.document["name"] == "Operation Harbor Light"


def test_a_version_is_submitted_once(world):
    version = submitted(world)
    with pytest.raises(services.PlanRefused, match="Only a draft can be submitted"):
        services.submit(user=world.steward_a, version=version)


def test_an_incomplete_draft_is_not_submitted_and_keeps_what_was_typed(world):
    content = justified()
    del content["objectives"]
    content["justification"]["explanation"] = ""
    version = draft(world, content)

    with pytest.raises(document.PlanDocumentError) as refused:
        services.submit(user=world.steward_a, version=version)

    assert {p.field for p in refused.value.problems} == {
        "objectives",
        "justification.explanation",
    }
    version.refresh_from_db()
    assert version.status == PlanVersion.Status.DRAFT
    assert version.document["name"] == "Operation Harbor Light"
    assert version.document["evidence"][0]["type"] == "financial_records"


def test_a_plan_without_its_reviewing_partners_cannot_be_submitted(world):
    plan = services.start_plan(user=world.steward_a, content=justified())

    with pytest.raises(document.PlanDocumentError) as refused:
        services.submit(user=world.steward_a, version=plan.latest)

    assert {p.field for p in refused.value.problems} == {"prosecutor.office", "service_partner"}


def test_the_stored_document_names_the_plans_own_agency_and_partners(world):
    content = justified()
    content["lead_agency"] = "Agency B Police Department"
    content["service_partner"] = "Someone Else"

    version = draft(world, content)

    assert version.document["lead_agency"] == "Agency A Police Department"
    assert version.document["service_partner"] == "Harbor Survivor Services"
    assert version.document["prosecutor"]["office"] == "County District Attorney"


@pytest.mark.parametrize("persona", ["steward_b", "prosecutor", "caseworker", "analyst"])
def test_only_a_steward_of_the_lead_agency_edits_and_submits(world, persona):
    version = draft(world)
    user = world.personas[persona]
    with pytest.raises(services.PlanRefused):
        services.save_draft(user=user, version=version, content=justified())
    with pytest.raises(services.PlanRefused):
        services.submit(user=user, version=version)
