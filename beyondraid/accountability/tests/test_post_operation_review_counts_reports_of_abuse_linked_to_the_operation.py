"""The post-operation review names reports of abuse by officers that the investigators linked to
the operation, and how many were found to be true (issue 8)."""

import pytest

from beyondraid.accountability import services
from beyondraid.planning import services as planning
from beyondraid.planning.outcomes import outcome_review
from beyondraid.planning.tests.plan_builders import submitted

from .reporting import open_channel

pytestmark = pytest.mark.django_db


def _comparison(review):
    return next(c for c in review.comparisons if c.subject == "Reports of abuse by officers")


def test_reports_linked_to_the_operation_are_a_departure_from_the_plan(world):
    plan = planning.link_operation(
        user=world.steward_a, plan=submitted(world).plan, operation=world.operation_a
    )
    assert _comparison(outcome_review(plan)).concern == ""

    open_channel(world)
    chief = world.investigator
    for finding in ("sustained", ""):
        report = services.submit_report(conduct=["force"], account="Slammed against a car.").report
        services.acknowledge(user=chief, report=report)
        services.triage(
            user=chief,
            report=report,
            concerned_agency=world.agency_a,
            operation=world.operation_a,
            types=["force"],
        )
        if finding:
            services.assign(user=chief, report=report, investigator=chief)
            services.start_investigation(user=chief, report=report)
            services.adjudicate(user=chief, report=report, finding=finding)

    reports = _comparison(outcome_review(plan))
    assert reports.happened.startswith("2 linked to this operation")
    assert "1 found to be true" in reports.happened
    assert reports.concern == "People reported abuse by officers during this operation."
