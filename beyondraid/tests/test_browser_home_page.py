"""The home page in a real browser: styled by the U.S. Web Design System served from this site,
with the demo notice visible and a skip link that appears for keyboard users."""

import pytest
from playwright.sync_api import expect

pytestmark = pytest.mark.browser


def test_the_home_page_is_styled_by_uswds_and_shows_the_demo_notice(page, tmp_path):
    stylesheets = []
    page.on(
        "response",
        lambda response: (
            stylesheets.append(response.status)
            if response.url.endswith("/static/uswds/css/uswds.min.css")
            else None
        ),
    )
    page.goto("/")

    expect(page.get_by_role("heading", level=1)).to_have_text("Beyond the Raid")
    notice = page.get_by_role("region", name="Demo notice")
    expect(notice).to_be_visible()
    expect(notice).to_contain_text("synthetic records")
    expect(notice).to_contain_text("must not hold real data")

    assert stylesheets == [200]
    assert "Source Sans Pro Web" in page.evaluate("getComputedStyle(document.body).fontFamily")
    assert page.evaluate("window.uswdsPresent") is True

    skip_link = page.get_by_role("link", name="Skip to main content")
    expect(skip_link).not_to_be_in_viewport()
    page.keyboard.press("Tab")
    expect(skip_link).to_be_focused()
    expect(skip_link).to_be_in_viewport()

    screenshot = tmp_path / "home.png"
    page.screenshot(path=screenshot, full_page=True)
    assert screenshot.stat().st_size > 50_000
