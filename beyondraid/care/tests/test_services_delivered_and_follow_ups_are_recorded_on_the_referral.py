"""The provider's caseworker records the services delivered and the follow-ups under a referral
their organisation accepted: only the services referred, never before the acceptance."""

import datetime

import pytest
from django.core.exceptions import ValidationError

from beyondraid.care import services
from beyondraid.care.models import Referral, ServiceDelivery
from beyondraid.standard.models import FollowUp

from .builders import ANSWERED, CLOSED, STARTED, accepted, refer

pytestmark = pytest.mark.django_db
SIX_MONTHS = ANSWERED + datetime.timedelta(days=182)


def test_the_first_delivery_is_the_start_of_services(world):
    referral = accepted(world)

    delivery = services.record_delivery(
        user=world.caseworker,
        referral=referral,
        service_type="trafficking_shelter",
        delivered_on=STARTED,
    )

    assert delivery.recorded_by == world.caseworker
    referral = Referral.objects.get(pk=referral.pk)
    assert referral.status == "services_started"
    assert referral.services_started_on == STARTED
    services.record_delivery(
        user=world.caseworker,
        referral=referral,
        service_type="legal_services",
        delivered_on=STARTED + datetime.timedelta(days=5),
    )
    assert referral.deliveries.count() == 2


def test_only_the_services_referred_are_recorded(world):
    referral = accepted(world)

    with pytest.raises(ValidationError) as refused:
        services.record_delivery(
            user=world.caseworker,
            referral=referral,
            service_type="education",
            delivered_on=STARTED,
        )

    assert refused.value.message_dict["service_type"] == [
        "This referral is for: Trafficking-specific shelter, Legal services. Record only those "
        "services under it."
    ]
    assert Referral.objects.get(pk=referral.pk).status == "accepted"


def test_no_service_is_delivered_before_acceptance(world):
    with pytest.raises(ValidationError, match="Services are recorded on an accepted referral"):
        services.record_delivery(
            user=world.caseworker, referral=refer(world), service_type="legal_services"
        )

    referral = accepted(world)
    with pytest.raises(ValidationError) as early:
        services.record_delivery(
            user=world.caseworker,
            referral=referral,
            service_type="legal_services",
            delivered_on=ANSWERED - datetime.timedelta(days=1),
        )
    assert early.value.message_dict["delivered_on"] == [
        f"A service cannot be delivered before the referral was accepted ({ANSWERED})."
    ]
    assert not ServiceDelivery.objects.exists()


def test_a_referral_does_not_close_before_its_last_delivery(world):
    referral = accepted(world)
    services.record_delivery(
        user=world.caseworker, referral=referral, service_type="legal_services", delivered_on=CLOSED
    )

    with pytest.raises(ValidationError) as refused:
        services.close_referral(
            user=world.caseworker, referral=referral, closed_on=CLOSED - datetime.timedelta(days=1)
        )
    assert "cannot close before that" in refused.value.message_dict["closed_on"][0]


def test_a_follow_up_is_a_follow_up_of_the_standard_linked_to_the_referral(world):
    referral = accepted(world)
    services.close_referral(user=world.caseworker, referral=referral, closed_on=CLOSED)

    follow_up = services.record_follow_up(
        user=world.caseworker,
        referral=referral,
        due_on=SIX_MONTHS,
        done_on=SIX_MONTHS,
        reached="yes",
        still_receiving_services="yes",
        re_trafficking="no",
    )

    assert follow_up.encounter == world.referred_encounter
    assert follow_up.entered_by == world.caseworker
    assert list(referral.follow_ups.all()) == [follow_up]


def test_no_follow_up_on_a_referral_the_provider_has_not_accepted(world):
    with pytest.raises(ValidationError, match="Follow-ups are recorded on a referral your"):
        services.record_follow_up(user=world.caseworker, referral=refer(world), due_on=SIX_MONTHS)
    assert not FollowUp.objects.exists()


def test_a_bad_follow_up_is_refused_by_the_standards_own_rules(world):
    referral = accepted(world)

    with pytest.raises(ValidationError):
        services.record_follow_up(
            user=world.caseworker, referral=referral, due_on=SIX_MONTHS, done_on=SIX_MONTHS
        )
    assert not referral.follow_ups.exists()
