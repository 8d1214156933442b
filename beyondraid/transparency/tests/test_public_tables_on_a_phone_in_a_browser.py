"""On a phone 375 pixels wide, a wide public table never makes the page scroll sideways: a table
kept as a grid scrolls inside its container under a visible hint, and a table of units becomes
cards; on a desktop screen where a table fits there is no hint. The pages pass axe-core at that
width (issue 23, item 6)."""

import pytest

from . import test_browser_public_pages_are_accessible as accessible
from .test_public_sample_release import NAME, make_release

pytestmark = pytest.mark.browser

audited = accessible.audited
PHONE = {"width": 375, "height": 812}
TRENDS = f"/data/{NAME}/v1/trends/"
SCORECARDS = f"/data/{NAME}/v1/agencies/"
RELEASE = f"/data/{NAME}/v1/"
HINT = "Scroll sideways to see every column"
PAGE_SCROLLS_SIDEWAYS = "() => document.documentElement.scrollWidth > window.innerWidth"


def test_a_wide_table_scrolls_in_its_box_under_a_visible_hint_on_a_phone(audited):
    make_release()
    audited.set_viewport_size(PHONE)

    found = accessible.violations(audited, TRENDS)

    assert found == []
    assert audited.evaluate(PAGE_SCROLLS_SIDEWAYS) is False
    by_year = audited.get_by_role("group", name="Outcomes by year")
    assert by_year.evaluate("box => box.scrollWidth > box.clientWidth") is True
    assert audited.locator(".br-scroll-hint:not([hidden])", has_text=HINT).first.is_visible()
    # The container takes the keyboard, so a reader without a mouse can scroll it.
    by_year.focus()
    audited.keyboard.press("ArrowRight")
    # Chromium animates a scroll by the keyboard: wait for it to move rather than read it at once.
    audited.wait_for_function("box => box.scrollLeft > 0", arg=by_year.element_handle())


def test_tables_of_units_become_cards_that_fit_a_phone(audited):
    make_release()
    audited.set_viewport_size(PHONE)

    found = [
        violation
        for url in (SCORECARDS, RELEASE)
        for violation in accessible.violations(audited, url)
    ]
    assert found == []

    for url in (SCORECARDS, RELEASE):
        audited.goto(url)
        assert audited.evaluate(PAGE_SCROLLS_SIDEWAYS) is False, url
    audited.goto(SCORECARDS)
    card = audited.locator("table.usa-table--stacked-header td[data-label='Arrests']").first
    assert card.evaluate("cell => getComputedStyle(cell).display") == "block"


def test_no_hint_where_a_table_fits_the_screen(audited):
    make_release()

    audited.goto(SCORECARDS)

    assert audited.locator(".br-scroll-hint").count() > 0
    assert audited.locator(".br-scroll-hint").first.is_hidden()
