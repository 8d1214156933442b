"""A plan submitted for review: the prosecutor signs in, finds it in their list, reads it and
recommends approval; the agency's supervisor then signs in and approves it. Axe-core runs on
every page on the way."""

import re

import pytest
from playwright.sync_api import expect

from beyondraid.planning import services
from beyondraid.planning.models import PlanVersion
from beyondraid.planning.tests.plan_builders import second_steward, submitted

pytestmark = pytest.mark.browser

COMMENTS = "The financial records will carry a § 236.1 case."


def test_the_prosecutor_reviews_and_the_supervisor_approves_a_plan(walk, world):
    version = submitted(world)
    # The victim-service partner's review is the caseworker's journey, not this one.
    services.record_review(
        user=world.caseworker,
        version=version,
        recommendation="approve",
        comments="Shelter places and two advocates are ready.",
    )
    supervisor = second_steward(world, username="supervisor", is_organisation_admin=True)
    plan = version.plan
    page = walk.page

    walk.sign_in(world.prosecutor)
    walk.goto("/plans/")
    page.get_by_role("row", name=re.compile(plan.code)).get_by_role("link").click()
    expect(page.get_by_role("button", name="Record your review")).to_be_visible()
    walk.audit()
    # USWDS draws its radio buttons over their labels; people click those.
    page.locator("label", has_text="Approve").first.click()
    page.get_by_label("Your comments").fill(COMMENTS)
    page.get_by_role("button", name="Record your review").click()
    expect(page.get_by_text("Your review was recorded.")).to_be_visible()
    walk.audit()
    walk.sign_out()

    walk.sign_in(supervisor)
    walk.goto("/plans/")
    page.get_by_role("row", name=re.compile(plan.code)).get_by_role("link").click()
    expect(page.get_by_text(COMMENTS)).to_be_visible()
    walk.audit()
    page.get_by_label("Note (optional)").fill("Approved for 10 December.")
    page.get_by_role("button", name="Approve version 1").click()
    expect(page.get_by_text("Version 1 is approved.")).to_be_visible()
    walk.audit()

    version.refresh_from_db()
    assert version.status == PlanVersion.Status.APPROVED
    assert version.reviews.get(reviewer=world.prosecutor).recommendation == "approve"
    walk.assert_accessible()
