import pytest
from django.urls import reverse

from beyondraid.accounts.models import User
from beyondraid.accounts.testing import sign_in_verified
from beyondraid.standard.models import Agency

pytestmark = pytest.mark.django_db


@pytest.fixture
def admin_client(client, world):
    sign_in_verified(client, world.administrator)
    return client


def test_the_list_shows_the_users_of_every_organisation(admin_client, world):
    page = admin_client.get(reverse("accounts:users")).content.decode()
    for username in ("steward.a", "steward.b", "prosecutor", "caseworker", "administrator"):
        assert f">{username}</a>" in page
    assert "Harbor Survivor Services" in page


def test_the_list_filters_by_organisation_and_by_status(admin_client, world):
    world.steward_b.is_active = False
    world.steward_b.save()
    by_agency = admin_client.get(
        reverse("accounts:users"), {"organisation": world.agency_b.pk}
    ).content.decode()
    assert ">steward.b</a>" in by_agency
    assert ">steward.a</a>" not in by_agency
    deactivated = admin_client.get(reverse("accounts:users"), {"active": "no"}).content.decode()
    assert ">steward.b</a>" in deactivated
    assert ">steward.a</a>" not in deactivated


def test_an_administrator_invites_into_any_organisation_with_any_role(admin_client, world):
    response = admin_client.post(
        reverse("accounts:user_invite"),
        {
            "username": "lead.b",
            "first_name": "Lee",
            "last_name": "Baker",
            "email": "lee.baker@agency-b.example",
            "organisation": world.agency_b.pk,
            "role": "steward",
            "is_organisation_admin": "on",
        },
    )
    invited = User.objects.get(username="lead.b")
    assert response.status_code == 302
    assert response["Location"] == reverse("accounts:user_detail", args=[invited.pk])
    assert invited.organisation == world.agency_b
    assert not invited.has_usable_password()
    # The role waits for a second administrator (test_a_role_takes_effect_once_confirmed).
    assert invited.role == ""
    grant = invited.role_grants.get()
    assert (grant.role, grant.is_organisation_admin, grant.status) == ("steward", True, "pending")


def test_an_administrator_may_invite_another_administrator(admin_client, world):
    admin_client.post(
        reverse("accounts:user_invite"),
        {
            "username": "admin.two",
            "first_name": "Ada",
            "last_name": "Two",
            "email": "ada@oversight.example",
            "organisation": world.oversight.pk,
            "role": "administrator",
        },
    )
    assert User.objects.get(username="admin.two").role_grants.get().role == "administrator"


def test_a_taken_username_is_refused_with_a_message(admin_client, world):
    response = admin_client.post(
        reverse("accounts:user_invite"),
        {
            "username": "steward.a",
            "first_name": "Sam",
            "last_name": "Other",
            "email": "sam@agency-a.example",
            "organisation": world.agency_a.pk,
            "role": "steward",
        },
    )
    assert response.status_code == 200
    assert "already exists" in response.content.decode()
    assert User.objects.filter(username="steward.a").count() == 1


def test_an_administrator_opens_and_deactivates_a_user_of_another_organisation(admin_client, world):
    assert (
        admin_client.get(reverse("accounts:user_detail", args=[world.caseworker.pk])).status_code
        == 200
    )
    admin_client.post(
        reverse("accounts:user_deactivate", args=[world.caseworker.pk]),
        {"deactivate-confirm": "on"},
    )
    world.caseworker.refresh_from_db()
    assert not world.caseworker.is_active
    admin_client.post(reverse("accounts:user_reactivate", args=[world.caseworker.pk]))
    world.caseworker.refresh_from_db()
    assert world.caseworker.is_active


def test_an_administrator_lists_and_adds_organisations(admin_client, world):
    assert (
        "Civilian Oversight Commission"
        in admin_client.get(reverse("accounts:organisations")).content.decode()
    )
    response = admin_client.post(
        reverse("accounts:organisation_add"),
        {"name": "Bay City Police", "kind": "local_police", "state": "ca", "city": "Bay City"},
    )
    assert response.status_code == 302
    agency = Agency.objects.get(name="Bay City Police")
    assert (agency.kind, agency.state, agency.city, agency.entered_by) == (
        "local_police",
        "CA",
        "Bay City",
        world.administrator,
    )


def test_a_bad_organisation_is_refused_with_a_message(admin_client, world):
    response = admin_client.post(
        reverse("accounts:organisation_add"),
        {"name": world.agency_a.name, "kind": "local_police", "state": "C1"},
    )
    page = response.content.decode()
    assert response.status_code == 200
    assert "already exists" in page
    assert "two-letter code" in page
