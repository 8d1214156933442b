"""In a real browser: an oversight analyst files a request already sent, records the agency's
denial with the exemption it cited, and reads the scorecard counting the request as denied."""

import datetime

import pytest
from django.utils import timezone
from playwright.sync_api import expect

from beyondraid.accounts.testing import sign_in_in_browser, totp_device
from beyondraid.conftest import PASSWORD
from beyondraid.records.models import RecordsRequest

pytestmark = pytest.mark.browser


def test_an_analyst_files_a_request_records_a_denial_and_reads_the_scorecard(page, world):
    today = timezone.localdate()
    sent = today - datetime.timedelta(days=12)
    page.goto("/records/")
    sign_in_in_browser(
        page, username=world.analyst.username, password=PASSWORD, device=totp_device(world.analyst)
    )
    expect(page.get_by_role("heading", level=1)).to_have_text("Records requests")
    page.get_by_role("link", name="File a request").click()

    page.get_by_label("Agency asked for records").select_option(label="Agency A Police Department")
    page.get_by_label("Law", exact=True).select_option(label="California Public Records Act")
    page.get_by_label("Subject").fill("Operation Reclaim and Rebuild: plans and arrests")
    categories = page.get_by_role("group", name="Categories of records asked for")
    # USWDS draws its own tick-boxes over the labels; people click those.
    categories.get_by_text("Records of execution, planning and staffing", exact=True).click()
    categories.get_by_text("Arrests, charges and convictions", exact=True).click()
    page.get_by_label("Date sent (optional)").fill(sent.isoformat())
    page.get_by_label("Channel (optional)").select_option(label="Email")
    page.get_by_role("button", name="File the request").click()

    request = RecordsRequest.objects.get()
    expect(
        page.get_by_text(f"Request {request.code} to Agency A Police Department is sent.")
    ).to_be_visible()
    expect(page.get_by_role("heading", level=1)).to_have_text(f"Request {request.code}")

    page.get_by_label("Step", exact=True).select_option(label="Denied")
    page.get_by_label("Date", exact=True).fill((sent + datetime.timedelta(days=5)).isoformat())
    page.get_by_role(
        "group", name="Exemptions or reasons the agency cited (for a denial)"
    ).get_by_text(
        "Records of investigations, intelligence and security of law enforcement agencies",
        exact=True,
    ).click()
    page.get_by_label("The agency's own words (optional)").fill("Exempt under § 6254(f).")
    page.get_by_role("button", name="Record the step").click()

    expect(page.get_by_text(f"“Denied” is recorded for request {request.code}.")).to_be_visible()
    timeline = page.get_by_role("table", name="Each dated step of the request")
    expect(timeline).to_contain_text("Denied")
    expect(timeline).to_contain_text("Cal. Gov. Code § 6254(f)")
    request.refresh_from_db()
    assert request.status == "denied"

    page.get_by_role("link", name="All requests").click()
    page.get_by_role("link", name="Agency transparency scorecard").click()
    total = page.get_by_role("table", name="All requests")
    expect(_figure(page, total, "Denied")).to_contain_text("100% (1 of 1)")
    expect(_figure(page, total, "Released")).to_contain_text("0% (0 of 1)")


def _figure(page, table, label: str):
    """The row of one figure, found by its heading cell."""
    heading = page.get_by_role("rowheader", name=label, exact=True)
    return table.get_by_role("row").filter(has=heading)
