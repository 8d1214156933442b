"""A referral's page shows facts about a person: each reading is in the audit log under the
referral and the person, and no cache keeps the page; the list of referrals and the unmet-need
log log each person behind their rows, once. The list pages need a signed-in user."""

import pytest
from django.urls import reverse

from beyondraid.accounts.models import AuditEntry
from beyondraid.accounts.testing import sign_in_verified
from beyondraid.care import services
from beyondraid.standard.tests.builders import make_encounter

from .builders import ANSWERED, list_provider, refer

pytestmark = pytest.mark.django_db


@pytest.fixture
def referral(world):
    list_provider(world.provider, by=world.caseworker)
    return refer(world)


def test_reading_a_referral_is_logged_and_never_cached(client, world, referral):
    sign_in_verified(client, world.caseworker)

    response = client.get(reverse("care:referral_detail", args=[referral.code]))

    assert response.status_code == 200
    assert "no-store" in response["Cache-Control"]
    read = AuditEntry.objects.filter(action=AuditEntry.Action.VIEW, actor=world.caseworker)
    assert set(read.values_list("object_type", "object_id")) == {
        ("care.referral", str(referral.pk)),
        ("standard.encounter", str(world.referred_encounter.pk)),
    }


def test_a_referral_out_of_reach_leaves_no_read_in_the_log(client, world, referral):
    sign_in_verified(client, world.steward_b)

    response = client.get(reverse("care:referral_detail", args=[referral.code]))

    assert response.status_code == 404
    assert not AuditEntry.objects.filter(action=AuditEntry.Action.VIEW).exists()


@pytest.mark.parametrize(
    "name", ["care:directory", "care:referral_list", "care:unmet_needs", "care:cooperation_parity"]
)
def test_signed_out_visitors_are_sent_to_sign_in(client, name):
    response = client.get(reverse(name))

    assert response.status_code == 302
    assert response["Location"].startswith(reverse("accounts:sign_in"))


def test_the_referral_list_logs_a_view_of_each_person_it_lists(client, world, referral):
    other = make_encounter(operation=world.operation_a, role="suspected_victim")
    refer(world, encounter=other)
    refer(world, services=["medical_care"])  # a second referral of the same person
    sign_in_verified(client, world.steward_a)

    response = client.get(reverse("care:referral_list"))

    assert response.status_code == 200
    assert "no-store" in response["Cache-Control"]
    read = AuditEntry.objects.filter(
        action=AuditEntry.Action.VIEW, actor=world.steward_a, object_type="standard.encounter"
    )
    assert sorted(read.values_list("object_id", flat=True)) == sorted(
        [str(world.referred_encounter.pk), str(other.pk)]
    )


def test_the_unmet_need_log_logs_a_view_of_each_person_behind_its_rows(client, world, referral):
    services.decline_referral(
        user=world.caseworker, referral=referral, decline_reason="no_capacity", declined_on=ANSWERED
    )  # one row for each of its two services
    sign_in_verified(client, world.analyst)

    response = client.get(reverse("care:unmet_needs"))

    assert response.status_code == 200
    assert "no-store" in response["Cache-Control"]
    read = AuditEntry.objects.filter(
        action=AuditEntry.Action.VIEW, actor=world.analyst, object_type="standard.encounter"
    )
    assert list(read.values_list("object_id", flat=True)) == [str(world.referred_encounter.pk)]
