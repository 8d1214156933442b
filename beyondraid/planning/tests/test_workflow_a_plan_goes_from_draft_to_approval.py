"""The whole path through the services: a steward of the lead agency writes and submits, the
prosecutor and the caseworker review, another steward of the agency approves, and the approved
version is locked."""

import pytest

from beyondraid.planning import rules, services
from beyondraid.planning.models import PlanReview, PlanVersion

from .plan_builders import justified, reviewed, second_steward

pytestmark = pytest.mark.django_db


def test_a_plan_is_written_submitted_reviewed_and_approved(world):
    plan = services.start_plan(
        user=world.steward_a,
        prosecutor_office=world.prosecutor_office,
        service_partner=world.provider,
    )
    version = plan.latest
    assert (version.number, version.status) == (1, PlanVersion.Status.DRAFT)
    assert plan.lead_agency == world.agency_a

    services.save_draft(user=world.steward_a, version=version, content=justified())
    version.refresh_from_db()
    assert version.document["name"] == "Operation Harbor Light"

    services.submit(user=world.steward_a, version=version)
    version.refresh_from_db()
    assert version.status == PlanVersion.Status.SUBMITTED
    assert version.submitted_by == world.steward_a and version.submitted_at
    assert version.classification == rules.JUSTIFIED
    assert version.ruleset_version == rules.RULESET_VERSION
    assert version.findings == []

    prosecutor_review = services.record_review(
        user=world.prosecutor,
        version=version,
        recommendation="approve",
        comments="The financial records will support a § 236.1 charge.",
    )
    caseworker_review = services.record_review(
        user=world.caseworker,
        version=version,
        recommendation="approve",
        comments="Shelter places and advocates are confirmed.",
    )
    assert prosecutor_review.part == PlanReview.Part.PROSECUTOR
    assert prosecutor_review.organisation == world.prosecutor_office
    assert caseworker_review.part == PlanReview.Part.VICTIM_SERVICES
    assert caseworker_review.organisation == world.provider

    approver = second_steward(world)
    services.approve(user=approver, version=version, note="  Targeted and well prepared.  ")
    version.refresh_from_db()
    assert version.status == PlanVersion.Status.APPROVED
    assert version.decided_by == approver and version.decided_at
    assert version.decision_note == "Targeted and well prepared."
    assert plan.in_force == version


def test_an_approved_version_is_locked(world):
    version = reviewed(world)
    services.approve(user=second_steward(world), version=version)

    with pytest.raises(services.PlanRefused, match="no longer a draft: it is locked"):
        services.save_draft(user=world.steward_a, version=version, content=justified())
    with pytest.raises(services.PlanRefused, match="Only a submitted version can be reviewed"):
        services.record_review(
            user=world.prosecutor, version=version, recommendation="return", comments="Late."
        )
