"""An investigator of the oversight body signs in, opens a new report from the list, unlocks the
oversight key to read it and acknowledges it, with axe-core run on every page on the way."""

import pytest
from playwright.sync_api import expect

from beyondraid.accountability.models import Report
from beyondraid.accountability.tests.reporting import (
    ACCOUNT,
    KEY_PASSPHRASE,
    open_channel,
    send_report,
)

pytestmark = pytest.mark.browser


def test_an_investigator_unlocks_the_key_and_acknowledges_a_report(walk, world):
    open_channel(world)
    send_report()
    report = Report.objects.get()
    page = walk.page

    walk.sign_in(world.investigator)
    walk.goto("/oversight/reports/")
    page.get_by_role("link", name=report.reference).click()
    expect(page.get_by_role("heading", level=1)).to_contain_text(report.reference)
    walk.audit()

    page.get_by_role("link", name="Unlock the oversight key").first.click()
    expect(page.get_by_label("Your oversight-key passphrase")).to_be_visible()
    walk.audit()
    page.get_by_label("Your oversight-key passphrase").fill(KEY_PASSPHRASE)
    page.get_by_role("button", name="Unlock").click()
    expect(page.get_by_text(ACCOUNT)).to_be_visible()
    walk.audit()

    page.get_by_role("button", name="Acknowledge the report").click()
    expect(page.get_by_text("The report is acknowledged")).to_be_visible()
    walk.audit()

    report.refresh_from_db()
    assert report.state == Report.State.ACKNOWLEDGED
    assert report.acknowledged_on is not None
    walk.assert_accessible()
