"""A session ends after 30 minutes without a request; the next page asks to sign in again and
says why. Any request before then keeps the session going."""

import datetime

import pytest
from django.conf import settings
from django.contrib.sessions.models import Session
from django.urls import reverse
from django.utils import timezone

from beyondraid.accounts.middleware import SESSION_ENDED
from beyondraid.accounts.testing import sign_in_verified

pytestmark = pytest.mark.django_db


def _idle(client, minutes: int) -> None:
    """Make the session look as if its last request was ``minutes`` ago."""
    left = datetime.timedelta(seconds=settings.SESSION_COOKIE_AGE - minutes * 60)
    Session.objects.filter(session_key=client.session.session_key).update(
        expire_date=timezone.now() + left
    )


def test_sessions_last_30_minutes_from_the_last_request():
    assert settings.SESSION_COOKIE_AGE == 30 * 60
    assert settings.SESSION_SAVE_EVERY_REQUEST


def test_after_30_idle_minutes_the_user_signs_in_again_and_is_told_why(client, world):
    sign_in_verified(client, world.steward_a)
    assert client.get("/operations/").status_code == 200
    _idle(client, 31)

    response = client.get("/operations/")
    assert response.status_code == 302
    assert response["Location"] == f"{reverse('accounts:sign_in')}?next=/operations/"
    assert response.cookies[settings.SESSION_COOKIE_NAME].value == ""

    page = client.get(response["Location"]).content.decode()
    assert SESSION_ENDED in page
    assert SESSION_ENDED == "Your session ended after 30 minutes without activity. Sign in again."
    # Said once.
    assert SESSION_ENDED not in client.get(reverse("accounts:sign_in")).content.decode()


def test_a_request_within_30_minutes_keeps_the_session(client, world):
    sign_in_verified(client, world.steward_a)
    _idle(client, 29)
    assert client.get("/operations/").status_code == 200
    expiry = Session.objects.get(session_key=client.session.session_key).expire_date
    assert expiry > timezone.now() + datetime.timedelta(minutes=29, seconds=50)


def test_an_expired_session_opening_the_sign_in_page_is_told_why(client, world):
    sign_in_verified(client, world.steward_a)
    _idle(client, 45)
    assert SESSION_ENDED in client.get(reverse("accounts:sign_in")).content.decode()


def test_a_visitor_or_a_user_who_signed_out_is_not_told_about_a_session(client, world):
    assert SESSION_ENDED not in client.get(reverse("accounts:sign_in")).content.decode()
    sign_in_verified(client, world.steward_a)
    client.post(reverse("accounts:sign_out"))
    response = client.get("/operations/", follow=True)
    assert SESSION_ENDED not in response.content.decode()
