"""In a real browser: from a suspected victim's page, a data steward refers the person with
their consent to a provider in the directory; the provider's caseworker accepts the referral and
records the six-month follow-up."""

import datetime

import pytest
from django.utils import timezone
from playwright.sync_api import expect

from beyondraid.accounts.testing import sign_in_in_browser, totp_device
from beyondraid.care.models import Referral
from beyondraid.conftest import PASSWORD

from .builders import list_provider

pytestmark = pytest.mark.browser


def _sign_in(page, user, path: str) -> None:
    """Sign in as ``user`` on the way to ``path``, signing out whoever was signed in."""
    sign_out = page.get_by_role("button", name="Sign out")
    if sign_out.count():
        sign_out.click()
    page.goto(path)
    sign_in_in_browser(page, username=user.username, password=PASSWORD, device=totp_device(user))


def _tick(page, group: str, label: str) -> None:
    # USWDS draws its own tick-boxes and radio buttons over the labels; people click those.
    page.get_by_role("group", name=group).get_by_text(label, exact=True).click()


def test_a_steward_refers_with_consent_and_the_caseworker_accepts_and_follows_up(page, world):
    list_provider(world.provider, by=world.caseworker)
    person = world.referred_encounter
    met = person.encountered_on

    _sign_in(page, world.steward_a, f"/people/{person.code}/")
    page.get_by_role("link", name="Refer to a service provider").click()
    expect(page.get_by_role("heading", level=1)).to_have_text(
        f"Refer person {person.code} to a service provider"
    )
    matching = page.get_by_role("table", name="Providers meeting the person's needs")
    expect(matching.get_by_role("row", name="Harbor Survivor Services")).to_contain_text("Open")
    page.get_by_label("Provider", exact=True).select_option(label="Harbor Survivor Services (open)")
    _tick(page, "Services to refer the person for", "Trafficking-specific shelter")
    _tick(page, "Services to refer the person for", "Legal services")
    page.get_by_label("Consent given on").fill(met.isoformat())
    page.get_by_text("The consent covers the provider chosen above").click()
    _tick(page, "What the person agreed to share", "Age group, gender identity and language")
    page.get_by_role("button", name="Send the referral").click()

    expect(page.get_by_text("was sent to Harbor Survivor Services")).to_be_visible()
    referral = Referral.objects.get()
    assert referral.consent_scope == ["referral_details", "age_gender_language"]
    assert referral.services == ["trafficking_shelter", "legal_services"]

    _sign_in(page, world.caseworker, "/care/referrals/")
    page.get_by_role("link", name=referral.code).click()
    # Until the provider accepts, it is told the referral itself; then what the consent shares.
    expect(page.get_by_role("row", name="Services asked for")).to_be_visible()
    expect(page.get_by_role("row", name="Age group")).to_have_count(0)
    page.get_by_role("button", name="Accept the referral").click()
    expect(page.get_by_text("The referral was accepted.")).to_be_visible()
    expect(page.get_by_role("row", name="Age group")).to_be_visible()

    due = met + datetime.timedelta(days=182)
    done = min(due + datetime.timedelta(days=3), timezone.localdate())
    page.get_by_label("Due on", exact=True).fill(due.isoformat())
    page.get_by_label("Done on").fill(done.isoformat())
    page.get_by_label("Was the person reached?").select_option(label="Yes")
    page.get_by_label("Still receiving services").select_option(label="Yes")
    page.get_by_label("Re-trafficked since").select_option(label="No")
    page.get_by_role("button", name="Record the follow-up").click()

    expect(page.get_by_text("The follow-up was recorded.")).to_be_visible()
    follow_ups = page.get_by_role("table", name="Follow-ups recorded under this referral")
    expect(follow_ups).to_contain_text(due.isoformat())
    (follow_up,) = referral.follow_ups.all()
    assert (follow_up.reached, follow_up.still_receiving_services) == ("yes", "yes")
    referral.refresh_from_db()
    assert referral.status == "accepted"
