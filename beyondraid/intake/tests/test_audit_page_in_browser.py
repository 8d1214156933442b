"""An analyst signs in, uploads two published tables and a manifest, and reads the report in a
real browser."""

import pytest
from playwright.sync_api import expect

from beyondraid.accounts.testing import sign_in_in_browser, totp_device
from beyondraid.conftest import PASSWORD
from beyondraid.standard.published import find_published_dir

pytestmark = pytest.mark.browser

MANIFEST = """
[[table]]
file = "table02_ca_statewide_arrests_by_individual_type.csv"
title = "Table 2. California"
scope = "California"

[[table]]
file = "table04_lapd_lasd_larhttf_arrests_by_individual_type.csv"
title = "Table 4. LAPD + LASD task force"
scope = "LAPD + LASD LARHTTF"
within = "California"
"""


def test_an_analyst_uploads_tables_and_reads_the_audit(page, world, tmp_path):
    directory = find_published_dir()
    manifest = tmp_path / "published.toml"
    manifest.write_text(MANIFEST, encoding="utf-8")

    page.goto("/intake/audit/")
    sign_in_in_browser(
        page, username="analyst", password=PASSWORD, device=totp_device(world.analyst)
    )
    page.goto("/intake/audit/")
    expect(page.get_by_role("heading", name="Audit a released sheet")).to_be_visible()
    page.get_by_role("button", name="Operations").click()  # the group that holds the page
    expect(page.get_by_role("link", name="Audit a sheet")).to_have_attribute("aria-current", "page")

    # USWDS turns the file input into a drop zone whose accessible name is its instructions.
    page.locator("#id_files").set_input_files(
        [
            directory / "table02_ca_statewide_arrests_by_individual_type.csv",
            directory / "table04_lapd_lasd_larhttf_arrests_by_individual_type.csv",
        ]
    )
    page.locator("#id_manifest").set_input_files(manifest)
    page.get_by_role("button", name="Audit").click()

    expect(page.get_by_role("heading", name="Audit report")).to_be_visible()
    expect(page.get_by_role("heading", name="Table 4. LAPD + LASD task force")).to_be_visible()
    structure = page.get_by_role("table", name="Rows of Table 4. LAPD + LASD task force")
    expect(structure.get_by_role("row", name="Total Rescues")).to_contain_text("Juvenile")
    across = page.locator("#audit-across")
    expect(across).to_contain_text("subset-exceeds-superset")
    expect(across).to_contain_text("more than the 236 reported for California")
    expect(page.locator("#audit-table-2")).to_contain_text("the row “Adult” is missing")
