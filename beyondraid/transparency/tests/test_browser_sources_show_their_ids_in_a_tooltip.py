"""In a real browser: a source on the indicator definitions and on a plan's findings names a
document and its section; moving to it with the keyboard shows its requirement ids in a USWDS
tooltip, and both pages pass axe-core."""

import pytest
from playwright.sync_api import expect

from beyondraid.accounts.testing import sign_in_in_browser, totp_device
from beyondraid.conftest import PASSWORD
from beyondraid.planning.tests.plan_builders import justified, submitted

from . import test_browser_public_pages_are_accessible as accessible

pytestmark = pytest.mark.browser

audited = accessible.audited


def _sign_in(page, user, path: str) -> None:
    page.goto(path)
    sign_in_in_browser(page, username=user.username, password=PASSWORD, device=totp_device(user))


def test_an_indicator_source_shows_its_ids_on_focus(audited, live_server, world):
    _sign_in(audited, world.analyst, "/indicators/definitions/")
    source = audited.get_by_text("Over-Policing Sex Trafficking (2021), Recommendation 3.2").first

    source.focus()

    expect(audited.get_by_role("tooltip").filter(has_text="Cited as Rec 3.2; R83")).to_be_visible()
    assert accessible.violations(audited, "/indicators/definitions/") == []


def test_a_finding_source_shows_its_ids_on_focus(audited, live_server, world):
    content = justified()
    content["media_invited"] = True
    version = submitted(world, content)
    detail = f"/plans/{version.plan.code}/"
    _sign_in(audited, world.steward_a, detail)
    source = audited.get_by_text(
        "Trafficking in Persons Report (U.S. Department of State), NGO Involvement"
    )

    source.focus()

    expect(
        audited.get_by_role("tooltip").filter(has_text="Cited as R22 (004:112-114)")
    ).to_be_visible()
    assert accessible.violations(audited, detail) == []
