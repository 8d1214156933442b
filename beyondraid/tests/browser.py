"""A real Chromium for the browser tests, driven through Playwright's sync API.

Chromium is Debian's (``/usr/bin/chromium``, or ``BEYONDRAID_CHROMIUM``); Playwright never
downloads a browser here. When it cannot start, the browser tests fail with the reason: a
missing browser must never pass unnoticed as skipped tests.
"""

import os

import pytest
from playwright.sync_api import Error as PlaywrightError
from playwright.sync_api import sync_playwright

CHROMIUM = os.environ.get("BEYONDRAID_CHROMIUM", "/usr/bin/chromium")
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
    "--disable-quic",
]


@pytest.fixture(scope="module")
def browser():
    # Playwright's sync API keeps an event loop in the test thread, and Django refuses database
    # work in a thread with a running loop unless told that this is deliberate. The permission
    # lasts only as long as the browser: per module, so that later tests (and the processes they
    # start, such as the deployment check) never inherit it.
    previous = os.environ.get("DJANGO_ALLOW_ASYNC_UNSAFE")
    os.environ["DJANGO_ALLOW_ASYNC_UNSAFE"] = "true"
    try:
        with sync_playwright() as playwright:
            try:
                chromium = playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
            except PlaywrightError as error:
                pytest.fail(
                    f"Chromium could not start from {CHROMIUM} (install Debian's chromium or set "
                    f"BEYONDRAID_CHROMIUM): {error}",
                    pytrace=False,
                )
            yield chromium
            chromium.close()
    finally:
        if previous is None:
            os.environ.pop("DJANGO_ALLOW_ASYNC_UNSAFE", None)
        else:
            os.environ["DJANGO_ALLOW_ASYNC_UNSAFE"] = previous


@pytest.fixture
def page(browser, live_server, transactional_db):
    """A fresh browser tab on the live test server; a page error or a failed request fails the
    test, since the pages must work with no console errors."""
    context = browser.new_context(base_url=live_server.url, viewport={"width": 1280, "height": 900})
    context.set_default_timeout(10_000)
    tab = context.new_page()
    problems: list[str] = []
    tab.on("pageerror", lambda error: problems.append(f"page error: {error}"))
    tab.on(
        "console",
        lambda message: (
            problems.append(f"console: {message.text}") if message.type == "error" else None
        ),
    )
    yield tab
    context.close()
    assert problems == []
