import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse

from beyondraid.accounts import services
from beyondraid.accounts.models import User
from beyondraid.accounts.testing import sign_in_verified

pytestmark = pytest.mark.django_db


@pytest.fixture
def org_admin(world):
    world.steward_a.is_organisation_admin = True
    world.steward_a.save()
    return world.steward_a


@pytest.fixture
def org_admin_client(client, org_admin):
    sign_in_verified(client, org_admin)
    return client


def _invite(client, **changes):
    data = {
        "username": "analyst.a",
        "first_name": "Ana",
        "last_name": "Lopez",
        "email": "ana@agency-a.example",
        "role": "steward",
    }
    data.update(changes)
    return client.post(reverse("accounts:user_invite"), data)


def test_the_list_shows_only_the_own_organisation(org_admin_client, world):
    User.objects.create_user(username="clerk.a", organisation=world.agency_a, role="steward")
    page = org_admin_client.get(reverse("accounts:users")).content.decode()
    assert ">steward.a</a>" in page
    assert ">clerk.a</a>" in page
    assert ">steward.b</a>" not in page
    assert ">caseworker</a>" not in page


def test_users_of_another_organisation_are_not_found(org_admin_client, world):
    other = world.steward_b
    assert org_admin_client.get(reverse("accounts:user_detail", args=[other.pk])).status_code == 404
    response = org_admin_client.post(
        reverse("accounts:user_deactivate", args=[other.pk]), {"deactivate-confirm": "on"}
    )
    assert response.status_code == 404
    other.refresh_from_db()
    assert other.is_active


def test_an_administrator_in_the_same_organisation_is_not_theirs_to_manage(org_admin_client, world):
    admin_a = User.objects.create_user(
        username="admin.a", organisation=world.agency_a, role="administrator"
    )
    assert (
        org_admin_client.get(reverse("accounts:user_detail", args=[admin_a.pk])).status_code == 404
    )
    assert ">admin.a</a>" not in org_admin_client.get(reverse("accounts:users")).content.decode()


def test_an_invitation_always_goes_to_the_own_organisation(org_admin_client, world):
    _invite(org_admin_client, organisation=world.agency_b.pk, is_organisation_admin="on")
    invited = User.objects.get(username="analyst.a")
    assert invited.organisation == world.agency_a
    assert not invited.is_organisation_admin


def test_the_invite_form_offers_no_administrator_role_and_no_admin_tick_box(
    org_admin_client, world
):
    page = org_admin_client.get(reverse("accounts:user_invite")).content.decode()
    assert 'value="administrator"' not in page
    assert "is_organisation_admin" not in page


def test_an_administrator_role_is_refused(org_admin_client, world):
    response = _invite(org_admin_client, role="administrator")
    assert response.status_code == 200
    assert "Choose a role from the list." in response.content.decode()
    assert not User.objects.filter(username="analyst.a").exists()


def test_the_service_refuses_what_the_form_does_not_offer(org_admin, world):
    invitation = {
        "username": "x.b",
        "first_name": "X",
        "last_name": "B",
        "email": "x@b.example",
        "by": org_admin,
        "site_url": "http://testserver/",
    }
    with pytest.raises(ValidationError) as refused:
        services.invite_user(
            **invitation,
            organisation=world.agency_b,
            role="administrator",
            is_organisation_admin=True,
        )
    assert set(refused.value.message_dict) == {"organisation", "role", "is_organisation_admin"}
    assert not User.objects.filter(username="x.b").exists()


def test_an_organisation_admin_manages_own_users(org_admin_client, world):
    colleague = User.objects.create_user(
        username="clerk.a", organisation=world.agency_a, role="steward"
    )
    assert (
        org_admin_client.get(reverse("accounts:user_detail", args=[colleague.pk])).status_code
        == 200
    )
    org_admin_client.post(
        reverse("accounts:user_deactivate", args=[colleague.pk]), {"deactivate-confirm": "on"}
    )
    colleague.refresh_from_db()
    assert not colleague.is_active


def test_organisations_are_for_administrators_only(org_admin_client, world):
    for name in ("accounts:organisations", "accounts:organisation_add"):
        response = org_admin_client.get(reverse(name))
        assert response.status_code == 403
        assert "You do not have access to user management" in response.content.decode()
