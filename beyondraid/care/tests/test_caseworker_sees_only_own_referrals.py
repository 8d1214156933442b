"""A caseworker sees and acts on the referrals to their own organisation only: another
provider's referrals do not exist for them. Stewards see the referrals of their agency's people,
analysts all of them without the free texts, everyone else none."""

import pytest
from django.core.exceptions import ValidationError

from beyondraid.care import permissions, selectors, services
from beyondraid.care.models import Referral, ServiceDelivery
from beyondraid.standard import access

from .builders import (
    ANSWERED,
    OVERRIDE_REASON,
    accepted,
    administrator_steward,
    refer,
    second_provider,
)

pytestmark = pytest.mark.django_db


@pytest.fixture
def referral(world):
    return refer(world)


def test_another_providers_caseworker_sees_nothing(world, referral):
    _, other = second_provider()

    assert not selectors.referrals_for(other).exists()
    assert selectors.referral_record(other, referral.code) is None
    assert selectors.shared_facts(other, referral) is None
    assert not access.encounters_for(other).filter(pk=referral.encounter_id).exists()


def test_another_providers_caseworker_cannot_act_and_is_not_told_the_referral_exists(
    world, referral
):
    _, other = second_provider()

    for act in (
        lambda: services.accept_referral(user=other, referral=referral),
        lambda: services.decline_referral(
            user=other, referral=referral, decline_reason="no_capacity"
        ),
    ):
        with pytest.raises(ValidationError) as refused:
            act()
        assert refused.value.message_dict == {
            "referral": [f"There is no referral {referral.code} among those you can see."]
        }
    assert Referral.objects.get(pk=referral.pk).status == "sent"


def test_another_providers_caseworker_cannot_record_services_on_an_accepted_referral(world):
    referral = accepted(world)
    _, other = second_provider()

    with pytest.raises(ValidationError) as refused:
        services.record_delivery(
            user=other, referral=referral, service_type="legal_services", delivered_on=ANSWERED
        )
    assert "referral" in refused.value.message_dict
    with pytest.raises(ValidationError):
        services.close_referral(user=other, referral=referral)
    assert not ServiceDelivery.objects.exists()


def test_each_caseworker_sees_the_referrals_to_their_own_organisation(world, referral):
    other_provider, other = second_provider()
    theirs = refer(world, provider=other_provider)

    assert list(selectors.referrals_for(world.caseworker)) == [referral]
    assert list(selectors.referrals_for(other)) == [theirs]


def test_a_steward_who_may_read_a_referral_still_cannot_answer_it(world, referral):
    with pytest.raises(ValidationError, match="Only a caseworker of Harbor Survivor Services"):
        services.accept_referral(user=world.steward_a, referral=referral)


def test_who_reads_referrals(world, referral):
    assert list(selectors.referrals_for(world.steward_a)) == [referral]
    assert list(selectors.referrals_for(world.analyst)) == [referral]
    assert list(selectors.referrals_for(world.caseworker, status="sent")) == [referral]
    assert not selectors.referrals_for(world.caseworker, status="closed").exists()
    for persona in ("steward_b", "prosecutor", "investigator", "administrator"):
        assert not selectors.referrals_for(getattr(world, persona)).exists(), persona
        assert selectors.referral_record(getattr(world, persona), referral.code) is None


def test_analysts_never_read_the_free_texts(world):
    admin = administrator_steward(world)
    referral = refer(
        world,
        by=admin,
        override_reason=OVERRIDE_REASON,
        consent_given_on=None,
        consent_organisation=None,
        consent_scope=[],
    )

    assert permissions.may_read_free_text(world.caseworker, referral)
    assert permissions.may_read_free_text(world.steward_a, referral)
    assert not permissions.may_read_free_text(world.analyst, referral)
    assert not permissions.may_read_free_text(world.steward_b, referral)
