"""A plan resting on another reason than the four justified situations needs escalated review:
only an agency administrator (a steward with the organisation-admin flag) approves it."""

import pytest

from beyondraid.planning import rules, services
from beyondraid.planning.models import PlanVersion

from .plan_builders import justified, reviewed, second_steward

pytestmark = pytest.mark.django_db


def _other_reason() -> dict:
    content = justified()
    content["justification"]["situation"] = "other"
    content["justification"]["other_reason"] = (
        "The owner is about to move the workers to another state next week."
    )
    return content


def test_another_reason_is_flagged_for_escalated_review(world):
    version = reviewed(world, _other_reason())
    assert version.classification == rules.JUSTIFIED
    assert [f["rule"] for f in version.findings] == ["other-reason-escalated"]


def test_a_steward_who_is_not_an_agency_administrator_cannot_approve_it(world):
    version = reviewed(world, _other_reason())
    with pytest.raises(services.PlanRefused, match="only an agency administrator can approve"):
        services.approve(user=second_steward(world), version=version)


def test_an_agency_administrator_approves_it(world):
    version = reviewed(world, _other_reason())
    administrator = second_steward(world, is_organisation_admin=True)

    services.approve(user=administrator, version=version)

    version.refresh_from_db()
    assert version.status == PlanVersion.Status.APPROVED


def test_an_agency_administrator_may_still_not_approve_their_own_plan(world):
    world.steward_a.is_organisation_admin = True
    world.steward_a.save()
    version = reviewed(world, _other_reason())
    with pytest.raises(services.PlanRefused, match="you wrote or submitted"):
        services.approve(user=world.steward_a, version=version)


def test_an_administrator_of_another_organisation_cannot_approve_it(world):
    world.steward_b.is_organisation_admin = True
    world.steward_b.save()
    version = reviewed(world, _other_reason())
    with pytest.raises(services.PlanRefused):
        services.approve(user=world.steward_b, version=version)
