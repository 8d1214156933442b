"""The public pages pass axe-core in a real browser (WCAG 2.1 A and AA and axe's best practices),
with the styles and scripts they really load and the Content Security Policy they really run
under."""

from pathlib import Path

import pytest
from django.conf import settings

from . import test_public_pages_show_the_peer_group_of_an_agency_mostly_suppressed as groups
from . import test_public_pages_show_where_identifications_come_from_and_the_money as money
from .test_public_sample_release import NAME, ORR_2020, make_release

pytestmark = pytest.mark.browser

AXE = Path(settings.REPO_DIR) / "node_modules" / "axe-core" / "axe.min.js"
PAGES = [
    "/data/",
    "/data/methodology/",
    f"/data/{NAME}/",
    f"/data/{NAME}/v1/agencies/",
    f"/data/{NAME}/v1/agencies/harbor-city-police-department/",
    f"/data/{NAME}/v1/agencies/desert-springs-police-department/",
    f"/data/{NAME}/v1/states/CA/",
    f"/data/{NAME}/v1/states/NV/",
    f"/data/{NAME}/v1/operations/",
    f"/data/{NAME}/v1/operations/OP-HC20-7K3M/",
    f"/data/{NAME}/v1/operations/{ORR_2020}/",
    f"/data/{NAME}/v1/trends/",
    # With no request made public; test_public_records_pages_are_accessible_in_a_browser.py
    # audits the records pages with the 2021 study loaded.
    "/data/records-requests/",
]
RUN_AXE = """async () => {
  const results = await axe.run(document, {resultTypes: ["violations"]});
  const where = (v) => v.nodes.map((n) => n.target.join(" ")).join(", ");
  return results.violations.map((v) => `${v.id} (${v.impact}): ${v.help} at ${where(v)}`);
}"""


@pytest.fixture
def audited(page):
    if not AXE.is_file():
        pytest.fail(f"axe-core is missing at {AXE}: run `npm ci`.", pytrace=False)
    # An init script runs before the page's own and outside its Content Security Policy, which
    # forbids inline scripts.
    page.add_init_script(path=str(AXE))
    return page


def violations(page, url: str) -> list[str]:
    page.goto(url)
    return [f"{url}: {violation}" for violation in page.evaluate(RUN_AXE)]


def test_every_public_page_has_no_accessibility_violation(audited):
    make_release()

    found = [violation for url in PAGES for violation in violations(audited, url)]

    assert found == []


def test_the_overview_with_nothing_published_has_no_accessibility_violation(audited):
    assert violations(audited, "/data/") == []


def test_the_pages_that_show_a_peer_group_taken_together_have_no_accessibility_violation(audited):
    groups.make_release(agencies=[groups.BIRCH, groups.DOGWOOD], groups=groups.GROUPS)
    pages = [
        f"/data/{groups.NAME}/v1/agencies/",
        f"/data/{groups.NAME}/v1/agencies/{groups.BIRCH['agency_key']}/",
        f"/data/{groups.NAME}/v1/agencies/{groups.DOGWOOD['agency_key']}/",
    ]

    assert [violation for url in pages for violation in violations(audited, url)] == []


def test_the_panel_of_pathways_and_the_money_page_have_no_accessibility_violation(audited):
    money.add_tables(make_release(), money.PATHWAYS, money.FUNDING)
    pages = ["/data/", f"/data/{NAME}/v1/", f"/data/{NAME}/v1/funding/"]

    assert [violation for url in pages for violation in violations(audited, url)] == []
