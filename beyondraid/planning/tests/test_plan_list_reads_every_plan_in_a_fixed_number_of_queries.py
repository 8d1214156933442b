"""The plans page reads each plan's newest readable version with the plans, not one query per plan,
and still shows a reviewer only versions past the draft."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from beyondraid.planning import selectors, services
from beyondraid.planning.tests.plan_builders import second_steward, submitted

pytestmark = pytest.mark.django_db


def test_the_list_costs_the_same_queries_for_one_plan_or_three(world):
    submitted(world)
    with CaptureQueriesContext(connection) as one:
        selectors.plan_rows(world.steward_a)
    submitted(world)
    submitted(world)
    with CaptureQueriesContext(connection) as three:
        rows = selectors.plan_rows(world.steward_a)
    assert len(rows) == 3
    assert len(three) == len(one)


def test_a_reviewer_sees_the_returned_version_not_the_newer_draft(world):
    version = submitted(world)
    services.return_plan(
        user=second_steward(world), version=version, note="Name the interview site."
    )
    services.new_version(user=world.steward_a, plan=version.plan)
    (steward_row,) = selectors.plan_rows(world.steward_a)
    (prosecutor_row,) = selectors.plan_rows(world.prosecutor)
    assert (steward_row.version.number, steward_row.version.status) == (2, "draft")
    assert (prosecutor_row.version.number, prosecutor_row.version.status) == (1, "returned")
