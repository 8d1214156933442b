"""Once the operation has happened, the plan is tied to it for the post-operation review: only
to an operation the plan's agency led, only once submitted, and one plan per operation."""

import pytest

from beyondraid.planning import services
from beyondraid.standard.tests.builders import make_operation

from .plan_builders import draft, submitted

pytestmark = pytest.mark.django_db


def test_a_submitted_plan_is_tied_to_the_operation_its_agency_led(world):
    version = submitted(world)

    plan = services.link_operation(
        user=world.steward_a, plan=version.plan, operation=world.operation_a
    )

    plan.refresh_from_db()
    assert plan.operation == world.operation_a
    assert world.operation_a.plan == plan


def test_an_operation_of_another_agency_is_refused(world):
    version = submitted(world)
    with pytest.raises(services.PlanRefused, match="Choose an operation your agency led."):
        services.link_operation(
            user=world.steward_a, plan=version.plan, operation=world.operation_b
        )
    version.plan.refresh_from_db()
    assert version.plan.operation is None


def test_an_operation_the_agency_only_took_part_in_is_refused(world):
    joint = make_operation(
        lead_agency=world.agency_b, participants=[(world.agency_a, "participant")]
    )
    version = submitted(world)
    with pytest.raises(services.PlanRefused, match="Choose an operation your agency led."):
        services.link_operation(user=world.steward_a, plan=version.plan, operation=joint)


def test_a_draft_is_not_tied_to_an_operation(world):
    version = draft(world)
    with pytest.raises(services.PlanRefused, match="Submit the plan before"):
        services.link_operation(
            user=world.steward_a, plan=version.plan, operation=world.operation_a
        )


def test_an_operation_is_tied_to_one_plan(world):
    first = submitted(world)
    services.link_operation(user=world.steward_a, plan=first.plan, operation=world.operation_a)
    second = submitted(world)
    with pytest.raises(services.PlanRefused, match="already tied to another plan"):
        services.link_operation(user=world.steward_a, plan=second.plan, operation=world.operation_a)


def test_a_steward_of_another_agency_cannot_tie_the_plan(world):
    version = submitted(world)
    with pytest.raises(services.PlanRefused):
        services.link_operation(
            user=world.steward_b, plan=version.plan, operation=world.operation_b
        )
