"""The navigation in a real browser (issue 23): at 1280 px every top item of every role stays on
one line and in one row, its groups open as USWDS submenus, and on a phone the menu button opens
it; the error pages pass axe-core like the rest of the site."""

import re

import pytest
from playwright.sync_api import expect

from beyondraid.accounts.testing import sign_in_in_browser, totp_device
from beyondraid.conftest import PASSWORD
from beyondraid.transparency.tests.test_browser_public_pages_are_accessible import AXE, RUN_AXE

from .test_navigation import PERSONA_OF_ROLE

pytestmark = pytest.mark.browser

# Each top item: its text's line boxes (1 when it does not wrap) and where its row starts.
TOP_ITEMS = """() => [...document.querySelectorAll(
  ".usa-nav__primary > .usa-nav__primary-item")].map((item) => {
    const words = item.querySelector("span");
    return {
      name: words.textContent.trim(),
      lines: words.getClientRects().length,
      top: Math.round(item.getBoundingClientRect().top),
    };
  })"""


def _sign_in(page, user):
    page.goto("/accounts/sign-in/")
    sign_in_in_browser(page, username=user.username, password=PASSWORD, device=totp_device(user))
    expect(page).to_have_url(re.compile(r"/start/$"))


def _sign_out(page):
    page.goto("/")
    page.get_by_role("button", name="Sign out").click()


def test_every_roles_navigation_fits_one_row_at_1280_px(page, world):
    page.add_init_script(path=str(AXE))
    for role in sorted(PERSONA_OF_ROLE):
        _sign_in(page, world.personas[PERSONA_OF_ROLE[role]])
        page.goto("/")
        items = page.evaluate(TOP_ITEMS)
        assert len(items) <= 7, (role, items)
        assert all(item["lines"] == 1 for item in items), (role, items)
        assert len({item["top"] for item in items}) == 1, (role, items)
        assert page.evaluate(RUN_AXE) == [], role
        _sign_out(page)


def test_a_group_opens_and_its_link_is_followed(page, world):
    _sign_in(page, world.steward_a)
    page.goto("/")
    navigation = page.get_by_role("navigation", name="Primary navigation")
    plans = navigation.get_by_role("link", name="Plans")
    expect(plans).to_be_hidden()
    navigation.get_by_role("button", name="Operations").click()
    expect(plans).to_be_visible()
    plans.click()
    expect(page).to_have_url(re.compile(r"/plans/$"))
    # The page's group is marked as the current section.
    expect(navigation.get_by_role("button", name="Operations")).to_have_class(
        "usa-accordion__button usa-nav__link usa-current"
    )


def test_the_phone_menu_opens_the_navigation(page, world):
    page.set_viewport_size({"width": 375, "height": 740})
    _sign_in(page, world.caseworker)
    page.goto("/")
    navigation = page.get_by_role("navigation", name="Primary navigation")
    expect(navigation).to_be_hidden()
    page.get_by_role("button", name="Menu").click()
    expect(navigation).to_be_visible()
    navigation.get_by_role("button", name="People").click()
    navigation.get_by_role("link", name="Referrals").click()
    expect(page.get_by_role("heading", level=1)).to_be_visible()
    expect(page).to_have_url(re.compile(r"/care/referrals/$"))


def test_the_error_pages_have_no_accessibility_violation(page):
    page.add_init_script(path=str(AXE))
    # Chromium reports every page answered with 404 on its console, which the ``page`` fixture
    # counts as a fault; the page is audited as served, under the status a link would get.
    page.route("**/no-such-page/", lambda route: route.fulfill(response=route.fetch(), status=200))
    for url in ("/no-such-page/", "/oversight/", "/api/"):
        page.goto(url)
        expect(page.get_by_role("heading", level=1)).to_be_visible()
        assert page.evaluate(RUN_AXE) == [], url
    response = page.request.get("/accounts/sign-out/")
    assert response.status == 405


def test_the_records_administrations_dates_carry_no_time_zone_note(
    browser, live_server, transactional_db, world
):
    # A browser in Tokyo, hours away from the deployment's TIME_ZONE (Los Angeles by default).
    context = browser.new_context(base_url=live_server.url, timezone_id="Asia/Tokyo")
    page = context.new_page()
    _sign_in(page, world.steward_a)
    page.goto("/admin/standard/operation/add/")
    expect(page.get_by_label("Start date")).to_be_visible()
    # Django's script still writes its note beside each date; the site's style keeps it unseen.
    notes = page.locator(".timezonewarning")
    expect(notes.first).to_be_attached()
    for index in range(notes.count()):
        expect(notes.nth(index)).to_be_hidden()
    context.close()
