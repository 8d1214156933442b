"""A reader with no account opens a release protected by differential privacy in a real browser:
the overview and the release page say how it is protected, every figure reads "about N (95 %
interval A to B)", an agency's figures too, and its CSV carries each figure's interval; and those
pages pass axe-core as the suppressed ones do."""

import csv
import datetime
import re

import pytest
from playwright.sync_api import expect

from beyondraid.transparency import releases

from .conftest import load_synthetic
from .test_browser_public_pages_are_accessible import AXE, violations

pytestmark = pytest.mark.browser

# The include that writes a figure ends with a line break, which the text keeps.
ABOUT = re.compile(r"^about [\d,.]+%? \(95 % interval [\d,.]+%? (to [\d,.]+%?|or more)\)\s*$")


def test_a_reader_reads_a_dp_release_from_the_overview_to_an_agency_and_its_csv(page, tmp_path):
    page.add_init_script(path=str(AXE))
    load_synthetic(tmp_path / "synthetic", operations=12, seed=7)
    release = releases.publish_release(
        releases.create_release(
            name="noisy",
            title="All agencies, with noise",
            period_start=datetime.date(2000, 1, 1),
            period_end=datetime.date(2030, 12, 31),
            rules=releases.parameters(method="dp", epsilon=3.0),
        )
    )

    page.goto("/data/")
    expect(
        page.get_by_text("protected by differential privacy (privacy budget ε = 3)")
    ).to_be_visible()
    headline = page.locator(".br-headline__figure").first
    expect(headline).to_have_text(ABOUT)
    page.get_by_role("link", name="Explore All agencies, with noise").click()

    expect(page.get_by_role("heading", level=1)).to_have_text("All agencies, with noise")
    facts = page.locator(".br-facts")
    expect(facts.get_by_text("Privacy budget (ε)")).to_be_visible()
    expect(facts.get_by_text("Discrete Laplace noise from OpenDP", exact=False)).to_be_visible()
    page.get_by_role("link", name="Scorecards of the agencies").click()

    agency = release.tables.get(slug="outcomes_by_agency").rows[0]["agency"]
    page.get_by_role("link", name=agency).click()
    expect(page.get_by_role("heading", level=1)).to_have_text(agency)
    agency_page = page.url
    figures = page.get_by_role("table", name="The agency's figures, with what each counts")
    arrests = figures.get_by_role("row").filter(
        has=page.get_by_role("rowheader", name="Arrests", exact=True)
    )
    expect(arrests.get_by_role("cell").first).to_have_text(ABOUT)
    # The legend under each table of the page says what "about" means.
    expect(page.get_by_text("random noise was added to every figure").first).to_be_visible()

    page.get_by_role("link", name="Every table of the release (CSV and Data Package)").click()
    with page.expect_download() as table:
        page.get_by_role("link", name="Outcomes by lead agency (CSV)").click()
    saved = tmp_path / "table.csv"
    table.value.save_as(saved)
    rows = list(csv.DictReader(saved.open(encoding="utf-8")))
    assert agency in {row["agency"] for row in rows}
    for row in rows:
        assert int(row["arrests_low"]) <= int(row["arrests"]) <= int(row["arrests_high"])

    audited = ["/data/", "/data/noisy/v1/", "/data/noisy/v1/agencies/", agency_page]
    assert [problem for url in audited for problem in violations(page, url)] == []
