"""A caseworker's referrals page lists only the referrals to their own organisation; another
provider's referral does not exist for them (404), on its page and for every action on it, and
their posting changes nothing. Stewards see their agency's referrals; analysts all of them."""

import pytest
from django.urls import reverse

from beyondraid.accounts.testing import sign_in_verified
from beyondraid.care.models import Referral

from .builders import ANSWERED, accepted, list_provider, refer, second_provider

pytestmark = pytest.mark.django_db
LIST = reverse("care:referral_list")
ACTIONS = {
    "accept": {"accept-accepted_on": ANSWERED.isoformat()},
    "decline": {"decline-decline_reason": "no_capacity", "decline-declined_on": ANSWERED},
    "start": {"start-services_started_on": ANSWERED.isoformat()},
    "close": {"close-closed_on": ANSWERED.isoformat()},
    "record_delivery": {
        "delivery-service_type": "trafficking_shelter",
        "delivery-delivered_on": ANSWERED.isoformat(),
    },
    "record_follow_up": {"follow_up-due_on": ANSWERED.isoformat()},
}


@pytest.fixture
def two_providers(world):
    """Harbor has the world's referral; Bayside one of its own, from the same operation."""
    bayside, bayside_caseworker = second_provider()
    world.bayside_caseworker = bayside_caseworker
    list_provider(world.provider, by=world.caseworker)
    list_provider(bayside, by=bayside_caseworker)
    world.harbor_referral = refer(world)
    world.bayside_referral = refer(world, provider=bayside, encounter=world.encounter_a)
    return world


def _codes(response) -> set[str]:
    return {referral.code for referral in response.context["referrals"]}


def test_each_caseworker_lists_only_referrals_to_their_organisation(client, two_providers):
    sign_in_verified(client, two_providers.caseworker)
    assert _codes(client.get(LIST)) == {two_providers.harbor_referral.code}

    sign_in_verified(client, two_providers.bayside_caseworker)
    page = client.get(LIST)
    assert _codes(page) == {two_providers.bayside_referral.code}
    assert two_providers.harbor_referral.code not in page.content.decode()


def test_stewards_list_their_agencys_referrals_and_analysts_all(client, two_providers):
    both = {two_providers.harbor_referral.code, two_providers.bayside_referral.code}
    sign_in_verified(client, two_providers.steward_a)
    assert _codes(client.get(LIST)) == both
    sign_in_verified(client, two_providers.analyst)
    assert _codes(client.get(LIST)) == both
    sign_in_verified(client, two_providers.steward_b)
    assert _codes(client.get(LIST)) == set()


def test_the_list_narrows_to_a_status(client, two_providers):
    accepted_one = accepted(two_providers, encounter=two_providers.encounter_a)
    sign_in_verified(client, two_providers.caseworker)

    assert _codes(client.get(LIST, {"status": "accepted"})) == {accepted_one.code}
    assert _codes(client.get(LIST, {"status": "sent"})) == {two_providers.harbor_referral.code}
    unknown = client.get(LIST, {"status": "lost"})
    assert unknown.status_code == 400
    assert "There is no status “lost”. Choose one from the list." in unknown.content.decode()


def test_another_providers_referral_does_not_exist_for_a_caseworker(client, two_providers):
    code = two_providers.harbor_referral.code
    sign_in_verified(client, two_providers.bayside_caseworker)

    assert client.get(reverse("care:referral_detail", args=[code])).status_code == 404
    for action, data in ACTIONS.items():
        response = client.post(reverse(f"care:{action}", args=[code]), data)
        assert response.status_code == 404, action
    referral = Referral.objects.get(code=code)
    assert referral.status == "sent"
    assert not referral.deliveries.exists()
    assert not referral.follow_ups.exists()


@pytest.mark.parametrize("persona", ["prosecutor", "investigator", "administrator"])
def test_roles_without_referrals_are_told_so(client, two_providers, persona):
    sign_in_verified(client, getattr(two_providers, persona))

    response = client.get(LIST)

    assert response.status_code == 403
    assert "Your role does not include referrals" in response.content.decode()
    code = two_providers.harbor_referral.code
    assert client.get(reverse("care:referral_detail", args=[code])).status_code == 404
