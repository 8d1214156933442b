import pytest
from django.conf import settings
from django.contrib.auth import authenticate
from django.shortcuts import resolve_url
from django.test import RequestFactory
from django.urls import reverse

from beyondraid.accounts.testing import sign_in_verified
from beyondraid.conftest import PASSWORD

pytestmark = pytest.mark.django_db


def _can_authenticate(user) -> bool:
    # django-axes needs the request a sign-in comes with.
    request = RequestFactory().post("/")
    return authenticate(request, username=user.username, password=PASSWORD) is not None


def _deactivate(client, person, **data):
    return client.post(reverse("accounts:user_deactivate", args=[person.pk]), data)


def test_a_deactivated_user_cannot_sign_in_and_a_reactivated_one_can(client, world):
    sign_in_verified(client, world.administrator)
    assert _can_authenticate(world.steward_a)
    _deactivate(client, world.steward_a, **{"deactivate-confirm": "on"})
    assert not _can_authenticate(world.steward_a)
    client.post(reverse("accounts:user_reactivate", args=[world.steward_a.pk]))
    assert _can_authenticate(world.steward_a)


def test_a_signed_in_user_is_signed_out_when_deactivated(client, world):
    sign_in_verified(client, world.steward_a)
    assert client.get(reverse("accounts:users")).status_code == 403
    world.steward_a.is_active = False
    world.steward_a.save()
    response = client.get(reverse("accounts:users"))
    assert response.status_code == 302
    assert response["Location"].startswith(resolve_url(settings.LOGIN_URL))


def test_deactivating_needs_the_confirmation(client, world):
    sign_in_verified(client, world.administrator)
    response = _deactivate(client, world.steward_a)
    assert response.status_code == 400
    assert "Tick the box to confirm" in response.content.decode()
    world.steward_a.refresh_from_db()
    assert world.steward_a.is_active


def test_nobody_can_deactivate_themselves(client, world):
    sign_in_verified(client, world.administrator)
    page = client.get(reverse("accounts:user_detail", args=[world.administrator.pk]))
    assert "You cannot deactivate yourself" in page.content.decode()
    response = _deactivate(client, world.administrator, **{"deactivate-confirm": "on"})
    assert response.status_code == 400
    assert "You cannot deactivate yourself" in response.content.decode()
    world.administrator.refresh_from_db()
    assert world.administrator.is_active
