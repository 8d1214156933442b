"""Five wrong passwords for one username from one address lock that pair out for 15 minutes with
a plain page (HTTP 429); the right password is refused meanwhile, and nobody else is affected."""

import datetime

import pytest
from axes.models import AccessAttempt
from django.urls import reverse

from beyondraid.accounts.forms_signin import SIGN_IN_REFUSED
from beyondraid.conftest import PASSWORD

pytestmark = pytest.mark.django_db

LOCKED = (
    "Too many wrong tries. This account is locked for 15 minutes from this address. "
    "Ask your organisation's administrator if you need help sooner."
)


def _sign_in(client, username, password, address="127.0.0.1"):
    return client.post(
        reverse("accounts:sign_in"),
        {"username": username, "password": password},
        REMOTE_ADDR=address,
    )


def _text(response) -> str:
    return " ".join(response.content.decode().split())


def _five_wrong(client, username="steward.a"):
    responses = [_sign_in(client, username, f"wrong {n}") for n in range(5)]
    for response in responses[:4]:
        assert response.status_code == 200
        assert SIGN_IN_REFUSED in _text(response)
    return responses[4]


def test_the_fifth_wrong_password_locks_the_account_with_a_plain_page(client, world):
    response = _five_wrong(client)
    assert response.status_code == 429
    assert LOCKED in _text(response)
    assert "steward.a" not in response.content.decode()


def test_the_right_password_is_refused_while_locked(client, world):
    _five_wrong(client)
    response = _sign_in(client, "steward.a", PASSWORD)
    assert response.status_code == 429
    assert LOCKED in _text(response)
    assert "_auth_user_id" not in client.session


def test_other_usernames_and_other_addresses_are_not_locked(client, world):
    _five_wrong(client)
    assert _sign_in(client, "steward.b", PASSWORD).status_code == 302
    client.logout()
    assert _sign_in(client, "steward.a", PASSWORD, address="192.0.2.7").status_code == 302


def test_an_unknown_username_is_locked_the_same_way(client, world):
    response = _five_wrong(client, username="nobody.here")
    assert response.status_code == 429
    assert LOCKED in _text(response)


def test_the_lock_ends_after_15_minutes(client, world, settings):
    _five_wrong(client)
    assert datetime.timedelta(minutes=15) == settings.AXES_COOLOFF_TIME
    AccessAttempt.objects.update(
        attempt_time=AccessAttempt.objects.get().attempt_time - datetime.timedelta(minutes=16)
    )
    assert _sign_in(client, "steward.a", PASSWORD).status_code == 302
