"""Every action on a referral changes something, so it is a POST carrying the page's CSRF token:
a link followed or a form from another site changes nothing."""

import pytest
from django.test import Client
from django.urls import reverse

from beyondraid.accounts.testing import sign_in_verified

from .builders import ANSWERED, list_provider, refer

pytestmark = pytest.mark.django_db
ACTIONS = ("accept", "decline", "start", "close", "record_delivery", "record_follow_up")


@pytest.fixture
def referral(world):
    list_provider(world.provider, by=world.caseworker)
    return refer(world)


@pytest.mark.parametrize("action", ACTIONS)
def test_an_action_is_never_a_get(client, world, referral, action):
    sign_in_verified(client, world.caseworker)

    assert client.get(reverse(f"care:{action}", args=[referral.code])).status_code == 405


def test_an_action_without_the_token_is_refused(world, referral):
    client = Client(enforce_csrf_checks=True)
    sign_in_verified(client, world.caseworker)

    response = client.post(
        reverse("care:accept", args=[referral.code]), {"accept-accepted_on": ANSWERED}
    )

    assert response.status_code == 403
    referral.refresh_from_db()
    assert referral.status == "sent"


def test_the_referral_page_carries_the_token_in_each_form(client, world, referral):
    sign_in_verified(client, world.caseworker)

    page = client.get(reverse("care:referral_detail", args=[referral.code])).content.decode()

    assert page.count('name="csrfmiddlewaretoken"') == page.count('method="post"')
