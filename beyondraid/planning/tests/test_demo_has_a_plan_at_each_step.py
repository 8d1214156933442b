"""The demo shows the review at work: a plan approved and tied to its operation, one returned,
one sweep and one waiting for its reviews; running it again writes nothing more."""

import pytest
from django.core.management import call_command

from beyondraid.planning.models import Plan
from beyondraid.planning.outcomes import outcome_review

pytestmark = pytest.mark.django_db


def test_the_demo_writes_a_plan_at_each_step():
    call_command("demo", no_serve=True, port=8124)
    plans = {plan.latest.status: plan for plan in Plan.objects.all()}
    assert set(plans) == {"approved", "returned", "submitted"}
    assert plans["approved"].latest.classification == "justified"
    assert plans["returned"].latest.classification == "deficient"
    assert outcome_review(plans["approved"]) is not None
    assert sorted(
        p.latest.classification for p in Plan.objects.filter(versions__status="submitted")
    ) == ["justified", "sweep"]
    count = Plan.objects.count()
    call_command("demo", no_serve=True, port=8124)
    assert Plan.objects.count() == count == 4
