import pytest
from django.conf import settings
from django.shortcuts import resolve_url
from django.urls import reverse

from beyondraid.accounts.models import User
from beyondraid.accounts.testing import sign_in_verified

pytestmark = pytest.mark.django_db

LIST_PAGES = [
    "accounts:users",
    "accounts:user_invite",
    "accounts:organisations",
    "accounts:organisation_add",
]
USER_PAGES = [
    ("get", "accounts:user_detail"),
    ("post", "accounts:user_deactivate"),
    ("post", "accounts:user_reactivate"),
    ("post", "accounts:user_reset_two_factor"),
    ("post", "accounts:user_password_link"),
    ("post", "accounts:user_change_role"),
]
NOT_MANAGERS = ["steward_a", "prosecutor", "caseworker", "analyst", "investigator"]


@pytest.mark.parametrize("persona", NOT_MANAGERS)
@pytest.mark.parametrize("name", LIST_PAGES)
def test_list_pages_refuse_with_a_plain_page(client, world, persona, name):
    sign_in_verified(client, getattr(world, persona))
    response = client.get(reverse(name))
    assert response.status_code == 403
    assert "You do not have access to user management" in response.content.decode()


@pytest.mark.parametrize("persona", NOT_MANAGERS)
@pytest.mark.parametrize(("method", "name"), USER_PAGES)
def test_pages_about_a_user_are_not_found(client, world, persona, method, name):
    sign_in_verified(client, getattr(world, persona))
    person = world.steward_b
    send = getattr(client, method)
    response = send(
        reverse(name, args=[person.pk]), {"deactivate-confirm": "on", "reset-confirm": "on"}
    )
    assert response.status_code == 404
    person.refresh_from_db()
    assert person.is_active


@pytest.mark.parametrize("persona", NOT_MANAGERS)
def test_a_user_that_does_not_exist_looks_the_same(client, world, persona):
    sign_in_verified(client, getattr(world, persona))
    assert client.get(reverse("accounts:user_detail", args=[999_999])).status_code == 404


def test_anonymous_visitors_are_sent_to_sign_in(client, world):
    person = world.steward_b
    requests = [("get", reverse(name)) for name in LIST_PAGES] + [
        (method, reverse(name, args=[person.pk])) for method, name in USER_PAGES
    ]
    for method, url in requests:
        response = getattr(client, method)(url)
        assert response.status_code == 302, url
        assert response["Location"].startswith(resolve_url(settings.LOGIN_URL)), url


def test_a_deactivated_administrator_is_signed_out(client, world):
    sign_in_verified(client, world.administrator)
    world.administrator.is_active = False
    world.administrator.save()
    assert client.get(reverse("accounts:users")).status_code == 302


def test_an_organisation_admin_flag_without_an_organisation_manages_nobody(client, world):
    loner = User.objects.create_user(username="loner", is_organisation_admin=True)
    sign_in_verified(client, loner)
    assert client.get(reverse("accounts:users")).status_code == 403
