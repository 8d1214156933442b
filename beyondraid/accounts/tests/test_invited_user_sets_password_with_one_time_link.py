import re
import time
from dataclasses import dataclass
from unittest import mock

import pytest
from django.conf import settings
from django.shortcuts import resolve_url
from django.urls import reverse

from beyondraid.accounts import selectors, services
from beyondraid.accounts.testing import sign_in_verified

pytestmark = pytest.mark.django_db

NEW_PASSWORD = "a long and private passphrase 7"
SITE = "http://testserver/"


@dataclass
class Invitation:
    user: object
    url: str


def _link_in(message) -> str:
    """The path of the link to choose a password in an e-mail."""
    sent = re.search(r"http://testserver(/accounts/welcome/\S+/)", message.body)
    assert sent is not None
    return sent.group(1)


def _invite(world, mailoutbox, username: str, email: str) -> Invitation:
    grant = services.invite_user(
        username=username,
        first_name="Noor",
        last_name="Haddad",
        email=email,
        organisation=world.agency_a,
        role="steward",
        by=world.administrator,
        site_url=SITE,
    )
    return Invitation(user=grant.user, url=_link_in(mailoutbox[-1]))


@pytest.fixture
def invitation(world, mailoutbox):
    return _invite(world, mailoutbox, "new.steward", "noor@agency-a.example")


def _choose(client, url, password=NEW_PASSWORD):
    return client.post(url, {"new_password1": password, "new_password2": password})


def test_the_invitee_chooses_a_password_and_is_sent_to_sign_in(client, invitation):
    url = invitation.url
    page = client.get(url)
    assert page.status_code == 200
    assert "new.steward" in page.content.decode()
    response = _choose(client, url)
    assert response.status_code == 302
    assert response["Location"] == resolve_url(settings.LOGIN_URL)
    invitation.user.refresh_from_db()
    assert invitation.user.check_password(NEW_PASSWORD)


def test_the_link_works_once(client, invitation):
    url = invitation.url
    _choose(client, url)
    again = client.get(url)
    assert again.status_code == 404
    assert "has expired or has already been used" in again.content.decode()
    assert _choose(client, url, "another long passphrase 99").status_code == 404
    invitation.user.refresh_from_db()
    assert invitation.user.check_password(NEW_PASSWORD)


def test_a_weak_password_is_refused_with_the_reason(client, invitation):
    response = _choose(client, invitation.url, "password")
    page = response.content.decode()
    assert response.status_code == 200
    assert "too short" in page
    assert "too common" in page
    invitation.user.refresh_from_db()
    assert not invitation.user.has_usable_password()


def test_the_link_expires_after_three_days(client, invitation):
    user = invitation.user
    now = time.time()
    with mock.patch("time.time", return_value=now - 3 * 24 * 3600 + 60):
        fresh_enough = selectors.password_link(user)
    with mock.patch("time.time", return_value=now - 3 * 24 * 3600 - 60):
        too_old = selectors.password_link(user)
    assert client.get(reverse("accounts:welcome", args=fresh_enough)).status_code == 200
    expired = client.get(reverse("accounts:welcome", args=too_old))
    assert expired.status_code == 404
    assert "has expired" in expired.content.decode()


@pytest.mark.parametrize(
    ("uidb64", "token"),
    [("MQ", "not-a-token"), ("%%%", "x"), ("OTk5OTk", "eyJhIjoxfQ:1:2")],
)
def test_an_invalid_link_gives_a_plain_page(client, invitation, uidb64, token):
    response = client.get(reverse("accounts:welcome", args=[uidb64, token]))
    assert response.status_code == 404
    assert "Ask the person who invited you for a new link" in response.content.decode()


def test_a_link_for_one_user_does_not_open_another(client, world, mailoutbox, invitation):
    other = _invite(world, mailoutbox, "other.steward", "o@agency-a.example")
    other_uidb64 = other.url.split("/")[-3]
    invitation_token = invitation.url.split("/")[-2]
    mixed = reverse("accounts:welcome", args=[other_uidb64, invitation_token])
    assert client.get(mixed).status_code == 404


def test_a_new_link_replaces_the_old_one(client, world, mailoutbox, invitation):
    sign_in_verified(client, world.administrator)
    response = client.post(
        reverse("accounts:user_password_link", args=[invitation.user.pk]), follow=True
    )
    assert "/accounts/welcome/" not in response.content.decode()
    assert "An e-mail with the link to choose a password was sent" in response.content.decode()
    assert mailoutbox[-1].to == ["noor@agency-a.example"]
    renewed = _link_in(mailoutbox[-1])
    client.logout()
    assert client.get(invitation.url).status_code == 404
    assert client.get(renewed).status_code == 200


def test_a_deactivated_invitee_cannot_use_the_link(client, world, invitation):
    services.deactivate_user(user=invitation.user, by=world.administrator)
    assert client.get(invitation.url).status_code == 404
