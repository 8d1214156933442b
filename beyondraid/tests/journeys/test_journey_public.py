"""A reader with no account goes from the home page to the public data, reads an agency's
scorecard and downloads a table of the release as CSV, with axe-core run on every page on the
way."""

import csv
import io

import pytest
from playwright.sync_api import expect

from beyondraid.transparency.datapackage import table_csv
from beyondraid.transparency.tests.test_public_sample_release import make_release

pytestmark = pytest.mark.browser


def test_a_reader_reads_a_scorecard_and_downloads_a_csv(walk, tmp_path):
    release = make_release()
    page = walk.page

    walk.goto("/")
    page.get_by_role("link", name="Public data").first.click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Public data")
    walk.audit()
    page.get_by_role("link", name="Explore All agencies, 2018–2020").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("All agencies, 2018–2020")
    walk.audit()
    page.get_by_role("link", name="Scorecards of the agencies").click()
    expect(page.get_by_role("heading", name="Serves 100,000–999,999 people")).to_be_visible()
    walk.audit()
    page.get_by_role("link", name="Harbor City Police Department").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Harbor City Police Department")
    expect(
        page.get_by_role("table", name="The agency's figures, with what each counts")
    ).to_be_visible()
    walk.audit()

    page.get_by_role("link", name="Every table of the release (CSV and Data Package)").click()
    walk.audit()
    with page.expect_download() as download:
        page.get_by_role("link", name="Outcomes by lead agency (CSV)").click()
    saved = tmp_path / "table.csv"
    download.value.save_as(saved)

    assert download.value.suggested_filename == "all-agencies-2018-2020-v1-outcomes_by_agency.csv"
    header, *rows = csv.reader(io.StringIO(saved.read_text(encoding="utf-8")))
    table = release.tables.get(slug="outcomes_by_agency")
    assert header == next(csv.reader(io.StringIO(table_csv(table))))
    # Each column of the table, and beside each rate the flag saying whether it is unstable.
    shown = [name for name in header if not name.endswith("_unstable")]
    assert shown == [column["name"] for column in table.columns]
    assert any("Harbor City Police Department" in row for row in rows)
    walk.assert_accessible()
