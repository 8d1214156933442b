"""A plan is approved only once both partners have reviewed it, with no blocking finding left
unwaived, and never when it is a sweep."""

import pytest

from beyondraid.planning import services
from beyondraid.planning.models import PlanVersion

from .plan_builders import draft, example, justified, reviewed, second_steward, submitted

pytestmark = pytest.mark.django_db


def test_approval_waits_for_both_reviews(world):
    version = submitted(world)
    approver = second_steward(world)

    with pytest.raises(
        services.PlanRefused,
        match="waiting for the prosecutor and the victim-service partner",
    ):
        services.approve(user=approver, version=version)

    services.record_review(
        user=world.caseworker, version=version, recommendation="approve", comments="Fine."
    )
    with pytest.raises(services.PlanRefused) as refused:
        services.approve(user=approver, version=version)
    assert refused.value.message == (
        "The plan cannot be approved before both reviews are in; waiting for the prosecutor."
    )

    services.record_review(
        user=world.prosecutor, version=version, recommendation="approve", comments="Fine."
    )
    services.approve(user=approver, version=version)


def test_unwaived_blocking_findings_refuse_approval_naming_the_rules(world):
    content = justified()
    content["media_invited"] = True
    content["safety_plan"] = ""
    version = reviewed(world, content)

    with pytest.raises(services.PlanRefused) as refused:
        services.approve(user=second_steward(world), version=version)

    message = refused.value.message
    assert message.startswith("Blocking findings remain: no safety plan; media are invited.")
    assert "Waive each with a reason, or return the plan." in message
    version.refresh_from_db()
    assert version.status == PlanVersion.Status.SUBMITTED


def test_a_sweep_is_never_approved(world):
    content = example("sweep")
    version = reviewed(world, content)
    assert version.classification == "sweep"

    with pytest.raises(services.PlanRefused, match="A sweep cannot be approved"):
        services.approve(user=second_steward(world), version=version)


def test_a_plan_with_only_notes_is_approved(world):
    content = justified()
    content["budget"] = []
    content["female_officer"] = "not_arranged"
    version = reviewed(world, content)

    services.approve(user=second_steward(world), version=version)

    version.refresh_from_db()
    assert version.status == PlanVersion.Status.APPROVED
    assert {f["rule"] for f in version.findings} == {"no-budget", "no-female-officer"}


def test_a_draft_awaits_no_decision(world):
    with pytest.raises(services.PlanRefused, match="Only a submitted version awaits a decision"):
        services.approve(user=second_steward(world), version=draft(world))
