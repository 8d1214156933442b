"""A reader with no account goes from the public data overview to an agency's scorecard and
downloads its report and a table, in a real browser."""

import pytest
from playwright.sync_api import expect

from .test_public_sample_release import make_release

pytestmark = pytest.mark.browser


def test_a_reader_goes_from_the_overview_to_an_agency_and_downloads_its_report(page, tmp_path):
    make_release()

    page.goto("/")
    page.get_by_role("navigation", name="Primary navigation").get_by_role(
        "link", name="Public data"
    ).click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Public data")
    page.get_by_role("link", name="Explore All agencies, 2018–2020").click()

    expect(page.get_by_role("heading", level=1)).to_have_text("All agencies, 2018–2020")
    expect(page.locator("svg[role=img]")).to_have_count(2)
    page.get_by_role("link", name="Scorecards of the agencies").click()

    expect(page.get_by_role("heading", name="Serves 100,000–999,999 people")).to_be_visible()
    page.get_by_role("link", name="Harbor City Police Department").click()

    expect(page.get_by_role("heading", level=1)).to_have_text("Harbor City Police Department")
    figures = page.get_by_role("table", name="The agency's figures, with what each counts")
    arrests = figures.get_by_role("row").filter(
        has=page.get_by_role("rowheader", name="Arrests", exact=True)
    )
    expect(arrests.get_by_role("cell").first).to_have_text("268")

    with page.expect_download() as report:
        page.get_by_role(
            "link", name="Printable report of Harbor City Police Department (PDF)"
        ).click()
    assert report.value.suggested_filename == (
        "all-agencies-2018-2020-v1-harbor-city-police-department.pdf"
    )
    saved = tmp_path / "report.pdf"
    report.value.save_as(saved)
    assert saved.read_bytes().startswith(b"%PDF-")

    page.get_by_role("link", name="Every table of the release (CSV and Data Package)").click()
    with page.expect_download() as table:
        page.get_by_role("link", name="Outcomes by lead agency (CSV)").click()
    saved = tmp_path / "table.csv"
    table.value.save_as(saved)
    assert "Harbor City Police Department" in saved.read_text(encoding="utf-8")
