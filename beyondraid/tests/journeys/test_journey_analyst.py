"""An oversight analyst signs in, creates a release of the records, runs the disclosure check
and publishes it, with axe-core run on every page on the way."""

import pytest
from playwright.sync_api import expect

from beyondraid.transparency.models import Release
from beyondraid.transparency.tests.conftest import load_synthetic

pytestmark = pytest.mark.browser


def test_an_analyst_makes_checks_and_publishes_a_release(walk, world, tmp_path):
    load_synthetic(tmp_path / "synthetic", operations=6, seed=11)
    page = walk.page

    walk.sign_in(world.analyst)
    walk.goto("/releases/")
    page.get_by_label("Name", exact=True).fill("california-2024")
    page.get_by_label("Title").fill("California, 2021–2024")
    page.get_by_label("First year").fill("2021")
    page.get_by_label("Last year").fill("2024")
    page.get_by_label("Scope").select_option(label="One state")
    page.get_by_label("State").fill("CA")
    page.get_by_role("button", name="Create the release").click()
    expect(page.get_by_text("Created california-2024 (version 1)")).to_be_visible()
    walk.audit()

    page.get_by_role("button", name="Run the check").click()
    expect(page.get_by_text("passes the disclosure check")).to_be_visible()
    walk.audit()

    page.get_by_role("button", name="Check again and publish").click()
    expect(page.get_by_text("Published california-2024 (version 1)")).to_be_visible()
    walk.audit()

    release = Release.objects.get(name="california-2024")
    assert release.is_published and release.published_by == world.analyst
    assert release.scope_state == "CA"
    walk.assert_accessible()
