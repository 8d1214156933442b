"""Signing in in a real browser: a steward gives the password and a code from the app, lands on
the home page signed in, opens their agency's operation page (and sees no other agency's), and
opens the records administration without being asked again. A new
user sets up the app from the page. No page breaks the Content Security Policy (the ``page``
fixture fails a test on any console error, which includes a refused style or script)."""

import re
from base64 import b32decode

import pytest
from django.contrib.auth import get_user_model
from django_otp.oath import TOTP
from playwright.sync_api import expect

from beyondraid.accounts import two_factor
from beyondraid.accounts.testing import sign_in_in_browser
from beyondraid.standard.tests.builders import make_agency, make_operation

pytestmark = pytest.mark.browser

PASSWORD = "a-long-test-password"
SECRET = "JBSW Y3DP EHPK 3PXP JBSW Y3DP EHPK 3PXP"


def _steward():
    return get_user_model().objects.create_user(
        "steward.a",
        password=PASSWORD,
        organisation=make_agency(name="Metro Police Department"),
        role="steward",
    )


def test_a_steward_signs_in_with_a_code_and_then_opens_the_administration(page):
    steward = _steward()
    device = two_factor.enrol_with_secret(user=steward, secret=SECRET)
    own = make_operation(lead_agency=steward.organisation, name="Operation Harbor Light")
    other = make_operation(name="Another agency's sweep")

    page.goto("/")
    page.get_by_role("link", name="Sign in").click()
    expect(page.get_by_role("heading", name="Sign in", exact=True)).to_be_visible()
    sign_in_in_browser(page, username="steward.a", password=PASSWORD, device=device)

    expect(page).to_have_url(re.compile(r"/start/$"))
    expect(page.get_by_role("banner")).to_contain_text(
        "Signed in as steward.a, Metro Police Department"
    )
    expect(page.get_by_role("button", name="Sign out")).to_be_visible()

    # The operation page, reached from the navigation, shows the agency's own operation only.
    navigation = page.get_by_role("navigation", name="Primary navigation")
    navigation.get_by_role("button", name="Operations").click()
    navigation.get_by_role("link", name="Operations").click()
    page.get_by_role("link", name=own.name).click()
    expect(page.get_by_role("heading", name=own.name)).to_be_visible()
    expect(page.get_by_text(own.code)).to_be_visible()
    page.goto("/operations/")
    expect(page.get_by_role("link", name=other.name)).to_have_count(0)

    page.goto("/admin/")
    expect(page.get_by_role("heading", name="Records of the data standard")).to_be_visible()
    page.goto("/admin/standard/operation/")
    expect(page.get_by_role("heading", name="Select operation to change")).to_be_visible()
    page.goto("/admin/standard/operation/add/")
    expect(page.get_by_role("heading", name="Add operation")).to_be_visible()

    page.goto("/")
    page.get_by_role("button", name="Sign out").click()
    expect(page.get_by_role("heading", name="You are signed out")).to_be_visible()
    page.goto("/admin/")
    expect(page.get_by_role("heading", name="Sign in", exact=True)).to_be_visible()


def test_a_new_user_sets_up_the_app_and_gets_recovery_codes(page):
    _steward()

    page.goto("/admin/")
    page.get_by_label("Username").fill("steward.a")
    page.get_by_label("Password").fill(PASSWORD)
    page.get_by_role("button", name="Continue").click()

    expect(page.get_by_role("heading", name="Set up two-factor sign-in")).to_be_visible()
    qr_code = page.get_by_role("img", name=re.compile("QR code"))
    expect(qr_code).to_be_visible()
    assert page.evaluate("(img) => img.naturalWidth", qr_code.element_handle()) > 100
    secret = page.locator("#secret").inner_text().replace(" ", "")
    code = TOTP(b32decode(secret + "=" * (-len(secret) % 8))).token()
    page.get_by_label("Code").fill(f"{code:06d}")
    page.get_by_role("button", name="Turn on two-factor sign-in").click()

    expect(page.get_by_role("heading", name="Two-factor sign-in is on")).to_be_visible()
    expect(page.get_by_role("list", name="Recovery codes").get_by_role("listitem")).to_have_count(
        10
    )
    page.get_by_role("link", name="Continue").click()
    expect(page.get_by_role("heading", name="Records of the data standard")).to_be_visible()
