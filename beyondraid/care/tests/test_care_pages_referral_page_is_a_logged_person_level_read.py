"""A referral's page shows facts about a person: each reading is in the audit log under the
referral and the person, and no cache keeps the page. The list pages need a signed-in user."""

import pytest
from django.urls import reverse

from beyondraid.accounts.models import AuditEntry
from beyondraid.accounts.testing import sign_in_verified

from .builders import list_provider, refer

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
    assert set(read.values_list("object_type", "object_label")) == {
        ("care.referral", referral.code),
        ("standard.encounter", world.referred_encounter.code),
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
