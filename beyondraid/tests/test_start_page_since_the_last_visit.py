"""Issue 23, item 2: every sign-in lands on the start page, which lists what others changed since
the person's previous sign-in (read from the audit log: signing in overwrites ``last_login``)."""

import pytest
from django.urls import reverse

from beyondraid.accounts.audit import record
from beyondraid.accounts.models import AuditEntry
from beyondraid.accounts.testing import current_code, sign_in_verified, totp_device
from beyondraid.care import services as care_services
from beyondraid.care.tests.builders import ANSWERED, refer
from beyondraid.conftest import PASSWORD
from beyondraid.start.selectors import previous_sign_in

pytestmark = pytest.mark.django_db

SINCE = 'data-testid="start-since"'


def _sign_in_through_the_pages(client, user, **extra):
    """Password, then the code the app shows now: the response of the code step."""
    device = totp_device(user)
    client.post(
        reverse("accounts:sign_in"), {"username": user.username, "password": PASSWORD, **extra}
    )
    return client.post(
        reverse("accounts:two_factor"),
        {"code": current_code(device), "next": extra.get("next", "")},
    )


def _since(client) -> str:
    html = client.get(reverse("start")).content.decode()
    return html.split(SINCE, 1)[1].split("</section>", 1)[0]


def test_signing_in_lands_on_the_start_page(client, world):
    response = _sign_in_through_the_pages(client, world.steward_a)
    assert response.status_code == 302
    assert response["Location"] == reverse("start")
    assert "This is your first visit" in _since(client)


def test_a_page_asked_for_before_signing_in_comes_first(client, world):
    response = _sign_in_through_the_pages(client, world.steward_a, next="/care/alerts/")
    assert response["Location"] == "/care/alerts/"


def test_a_change_made_after_the_previous_sign_in_is_listed(client, world):
    referral = refer(world)  # by the steward, before: neither theirs to be told nor new
    record(AuditEntry.Action.SIGN_IN, user=world.steward_a)
    care_services.accept_referral(user=world.caseworker, referral=referral, accepted_on=ANSWERED)

    assert _sign_in_through_the_pages(client, world.steward_a)["Location"] == reverse("start")
    since = _since(client)
    assert "Your last visit" in since
    assert "<strong>1</strong> referrals of your people answered or moved on by the provider" in (
        since
    )


def test_changes_made_before_the_previous_sign_in_are_not_listed(client, world):
    referral = refer(world)
    care_services.accept_referral(user=world.caseworker, referral=referral, accepted_on=ANSWERED)
    record(AuditEntry.Action.SIGN_IN, user=world.steward_a)

    sign_in_verified(client, world.steward_a)
    since = _since(client)
    assert "Your last visit" in since
    assert "Nothing you follow has changed since then." in since


def test_the_previous_sign_in_is_the_one_before_this_session(client, world):
    record(AuditEntry.Action.SIGN_IN, user=world.caseworker)
    earlier = AuditEntry.objects.get(actor=world.caseworker).at
    _sign_in_through_the_pages(client, world.caseworker)
    world.caseworker.refresh_from_db()
    assert AuditEntry.objects.filter(actor=world.caseworker, action="sign_in").count() == 2
    assert previous_sign_in(world.caseworker) == earlier


def test_a_referral_sent_to_the_caseworker_since_is_listed(client, world):
    record(AuditEntry.Action.SIGN_IN, user=world.caseworker)
    refer(world)
    sign_in_verified(client, world.caseworker)
    assert "<strong>1</strong> referrals sent to your organisation" in _since(client)
