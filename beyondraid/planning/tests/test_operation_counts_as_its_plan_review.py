"""Every operation counts as what its plan review found, and a sweep is a sweep whatever it was
called (principle 7, docs/principles.md)."""

import json
from pathlib import Path

import pytest

from beyondraid.planning import services
from beyondraid.planning.selectors import operation_reviews
from beyondraid.standard.tests.builders import make_operation

pytestmark = pytest.mark.django_db

PLANS = Path(__file__).resolve().parents[3] / "docs" / "examples" / "plans"


def _linked(world, operation, example="justified"):
    content = json.loads((PLANS / f"{example}.json").read_text())
    content |= {
        "planned_start": operation.start_date.isoformat(),
        "planned_end": operation.end_date.isoformat(),
    }
    for notice in content.get("provider_notifications", []):
        notice["notified_on"] = "2020-01-01"
    plan = services.start_plan(
        user=world.steward_a,
        prosecutor_office=world.prosecutor_office,
        service_partner=world.provider,
        content=content,
    )
    services.submit(user=world.steward_a, version=plan.latest)
    return services.link_operation(user=world.steward_a, plan=plan, operation=operation)


def test_a_justified_plan_makes_a_justified_operation(world):
    plan = _linked(world, world.operation_a)
    review = operation_reviews([world.operation_a.pk])[world.operation_a.pk]
    assert (review.classification, review.plan_code, review.waivers) == (
        "justified",
        plan.code,
        0,
    )


def test_an_operation_recorded_as_a_sweep_is_a_sweep_whatever_its_plan_said(world):
    operation = make_operation(lead_agency=world.agency_a, operation_type="sweep")
    _linked(world, operation)
    assert operation_reviews([operation.pk])[operation.pk].classification == "sweep"


def test_without_a_plan_the_trigger_decides_between_sweep_and_not_reviewed(world):
    complaint = make_operation(lead_agency=world.agency_a, trigger="community_complaint_sex_work")
    investigated = make_operation(lead_agency=world.agency_a, trigger="targeted_investigation")
    reviews = operation_reviews([complaint.pk, investigated.pk])
    assert reviews[complaint.pk].classification == "sweep"
    assert reviews[investigated.pk].classification == "not_reviewed"
    assert reviews[investigated.pk].label == "No plan reviewed"


def test_the_plan_in_force_speaks_for_the_operation_with_its_waivers(world, django_user_model):
    plan = _linked(world, world.operation_a, example="deficient")
    version = plan.latest
    approver = django_user_model.objects.create_user(
        username="steward.a2", password="x" * 20, organisation=world.agency_a, role="steward"
    )
    for reviewer in (world.prosecutor, world.caseworker):
        services.record_review(
            user=reviewer, version=version, recommendation="approve", comments="Seen."
        )
    assert operation_reviews([world.operation_a.pk])[world.operation_a.pk].classification == (
        "deficient"
    )
    for rule in sorted({f.rule for f in services.current_review(version).blocking}):
        services.waive(user=approver, version=version, rule=rule, reason="Accepted risk.")
    services.approve(user=approver, version=version)
    review = operation_reviews([world.operation_a.pk])[world.operation_a.pk]
    assert review.classification == "justified"
    assert review.waivers == version.waivers.count() > 0
