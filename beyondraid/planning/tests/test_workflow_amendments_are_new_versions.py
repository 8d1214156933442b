"""An approved version stays in force while its amendment is prepared and reviewed; approving
the amendment supersedes it. A returned plan is revised the same way. Earlier versions never
change."""

import pytest

from beyondraid.planning import services
from beyondraid.planning.models import PlanVersion

from .plan_builders import draft, example, reviewed, second_steward, submitted

pytestmark = pytest.mark.django_db


def _approved(world) -> PlanVersion:
    version = reviewed(world)
    services.approve(user=second_steward(world), version=version)
    version.refresh_from_db()
    return version


def _statuses(plan) -> dict[int, str]:
    return dict(plan.versions.values_list("number", "status"))


def test_an_amendment_is_a_new_draft_while_the_approved_version_stays_in_force(world):
    v1 = _approved(world)

    v2 = services.new_version(user=world.steward_a, plan=v1.plan)

    assert v2.number == 2
    assert v2.status == PlanVersion.Status.DRAFT
    assert v2.document == v1.document
    assert v2.written_by == world.steward_a
    assert _statuses(v1.plan) == {1: "approved", 2: "draft"}
    assert v1.plan.in_force == v1


def test_approving_the_amendment_supersedes_the_version_in_force(world):
    v1 = _approved(world)
    v2 = services.new_version(user=world.steward_a, plan=v1.plan)
    changed = dict(v2.document, time_of_entry="12:00")
    services.save_draft(user=world.steward_a, version=v2, content=changed)
    services.submit(user=world.steward_a, version=v2)
    assert _statuses(v1.plan) == {1: "approved", 2: "submitted"}
    for reviewer in (world.prosecutor, world.caseworker):
        services.record_review(
            user=reviewer, version=v2, recommendation="approve", comments="Later entry is fine."
        )

    services.approve(user=v1.decided_by, version=v2)

    assert _statuses(v1.plan) == {1: "superseded", 2: "approved"}
    v1.refresh_from_db()
    assert v1.document["time_of_entry"] == "11:00"
    assert v1.plan.in_force.number == 2


def test_a_returned_plan_is_revised_as_a_new_version(world):
    version = reviewed(world, example("deficient"))
    services.return_plan(user=second_steward(world), version=version, note="Fix the interviews.")

    revision = services.new_version(user=world.steward_a, plan=version.plan)

    assert revision.number == 2
    assert revision.document == version.document
    assert _statuses(version.plan) == {1: "returned", 2: "draft"}


@pytest.mark.parametrize("stage", ["draft", "submitted"])
def test_no_new_version_while_one_is_in_preparation_or_review(world, stage):
    version = (draft if stage == "draft" else submitted)(world)
    with pytest.raises(services.PlanRefused, match="already has a version in preparation"):
        services.new_version(user=world.steward_a, plan=version.plan)


def test_only_a_steward_of_the_lead_agency_amends(world):
    v1 = _approved(world)
    with pytest.raises(services.PlanRefused):
        services.new_version(user=world.steward_b, plan=v1.plan)
