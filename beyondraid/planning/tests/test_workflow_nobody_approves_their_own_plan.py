"""Approving one's own plan is refused: the steward who wrote or submitted a version cannot
approve, return or waive anything on it; another steward of the lead agency decides."""

import pytest

from beyondraid.planning import services
from beyondraid.planning.models import PlanVersion

from .plan_builders import draft, justified, reviewed, second_steward

pytestmark = pytest.mark.django_db

OWN = "You cannot decide on a plan you wrote or submitted"


def test_the_writer_and_submitter_cannot_approve_or_return(world):
    version = reviewed(world)
    with pytest.raises(services.PlanRefused, match=OWN):
        services.approve(user=world.steward_a, version=version)
    with pytest.raises(services.PlanRefused, match=OWN):
        services.return_plan(user=world.steward_a, version=version, note="Not mine to judge.")
    version.refresh_from_db()
    assert version.status == PlanVersion.Status.SUBMITTED


def test_a_steward_who_submitted_someone_elses_draft_cannot_approve_it(world):
    colleague = second_steward(world)
    version = draft(world)
    services.submit(user=colleague, version=version)
    for reviewer in (world.prosecutor, world.caseworker):
        services.record_review(
            user=reviewer, version=version, recommendation="approve", comments="Fine."
        )

    with pytest.raises(services.PlanRefused, match=OWN):
        services.approve(user=colleague, version=version)
    with pytest.raises(services.PlanRefused, match=OWN):
        services.approve(user=world.steward_a, version=version)
    services.approve(user=second_steward(world, username="steward.a3"), version=version)


@pytest.mark.parametrize("persona", ["steward_b", "prosecutor", "caseworker", "analyst"])
def test_nobody_outside_the_lead_agencys_stewards_decides(world, persona):
    version = reviewed(world)
    with pytest.raises(services.PlanRefused, match="Only a data steward of the agency that leads"):
        services.approve(user=world.personas[persona], version=version)


def test_a_steward_who_rewrote_the_draft_cannot_approve_it(world):
    colleague = second_steward(world)
    version = draft(world)
    rewritten = justified()
    rewritten["objectives"] = "Identify every victim at the business and offer them shelter."
    services.save_draft(user=colleague, version=version, content=rewritten)
    services.submit(user=world.steward_a, version=version)
    for reviewer in (world.prosecutor, world.caseworker):
        services.record_review(
            user=reviewer, version=version, recommendation="approve", comments="Fine."
        )

    with pytest.raises(services.PlanRefused, match=OWN):
        services.approve(user=colleague, version=version)
