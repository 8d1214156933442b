"""Returning a plan says what must change: the note is required, and the version keeps the
findings it was returned with."""

import pytest
from django.core.exceptions import ValidationError

from beyondraid.planning import rules, services
from beyondraid.planning.models import PlanVersion

from .plan_builders import example, reviewed, second_steward, submitted

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize("note", ["", "   "])
def test_a_return_without_a_note_is_refused(world, note):
    version = reviewed(world, example("deficient"))
    with pytest.raises(ValidationError) as refused:
        services.return_plan(user=second_steward(world), version=version, note=note)
    assert refused.value.message_dict == {
        "note": ["Say what must change before the plan can be approved."]
    }
    version.refresh_from_db()
    assert version.status == PlanVersion.Status.SUBMITTED


def test_a_returned_version_keeps_its_note_and_findings(world):
    version = reviewed(world, example("deficient"))
    decider = second_steward(world)

    services.return_plan(
        user=decider, version=version, note="Interview at a neutral site, with an advocate."
    )

    version.refresh_from_db()
    assert version.status == PlanVersion.Status.RETURNED
    assert version.decided_by == decider
    assert version.decision_note == "Interview at a neutral site, with an advocate."
    assert version.classification == rules.DEFICIENT
    assert "interview-plan" in {f["rule"] for f in version.findings}


def test_a_plan_may_be_returned_before_the_reviews_are_in(world):
    version = submitted(world, example("sweep"))
    services.return_plan(user=second_steward(world), version=version, note="This is a sweep.")
    version.refresh_from_db()
    assert version.status == PlanVersion.Status.RETURNED
