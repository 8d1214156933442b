"""The provider accepts a referral or declines it with a reason; every service of a declined
referral goes to the unmet-need log that the indicators count."""

import pytest
from django.core.exceptions import ValidationError

from beyondraid.care import selectors, services
from beyondraid.care.models import Referral, UnmetNeed

from .builders import ANSWERED, refer, second_provider

pytestmark = pytest.mark.django_db


def test_the_providers_caseworker_accepts(world):
    referral = services.accept_referral(
        user=world.caseworker, referral=refer(world), accepted_on=ANSWERED
    )

    assert referral.status == "accepted"
    assert referral.accepted_on == ANSWERED
    assert referral.answered_by == world.caseworker
    assert not UnmetNeed.objects.exists()


def test_a_decline_logs_each_service_as_an_unmet_need(world):
    referral = services.decline_referral(
        user=world.caseworker,
        referral=refer(world),
        decline_reason="no_capacity",
        declined_on=ANSWERED,
    )

    assert referral.status == "declined"
    assert referral.declined_on == ANSWERED
    needs = UnmetNeed.objects.order_by("service_type")
    assert [(n.service_type, n.reason, n.declined_on) for n in needs] == [
        ("legal_services", "no_capacity", ANSWERED),
        ("trafficking_shelter", "no_capacity", ANSWERED),
    ]
    assert {n.operation for n in needs} == {world.operation_a}
    assert {n.provider for n in needs} == {world.provider}


def test_a_decline_without_a_reason_is_refused_and_nothing_is_written(world):
    referral = refer(world)

    with pytest.raises(ValidationError) as refused:
        services.decline_referral(
            user=world.caseworker, referral=referral, decline_reason="", declined_on=ANSWERED
        )

    assert refused.value.message_dict == {"decline_reason": ["Say why the referral is declined."]}
    assert Referral.objects.get(pk=referral.pk).status == "sent"
    assert not UnmetNeed.objects.exists()


def test_other_needs_an_explanation(world):
    referral = refer(world)

    with pytest.raises(ValidationError) as refused:
        services.decline_referral(
            user=world.caseworker, referral=referral, decline_reason="other", declined_on=ANSWERED
        )
    assert "Explain the reason" in refused.value.message_dict["decline_explanation"][0]
    assert not UnmetNeed.objects.exists()

    services.decline_referral(
        user=world.caseworker,
        referral=referral,
        decline_reason="other",
        decline_explanation="Our shelter is closed for repairs until March.",
        declined_on=ANSWERED,
    )
    assert UnmetNeed.objects.filter(reason="other").count() == 2


def test_an_unknown_reason_is_named(world):
    with pytest.raises(ValidationError) as refused:
        services.decline_referral(
            user=world.caseworker, referral=refer(world), decline_reason="busy"
        )
    assert "decline_reason" in refused.value.message_dict
    assert not UnmetNeed.objects.exists()


def test_an_answered_referral_cannot_be_answered_again(world):
    referral = services.accept_referral(
        user=world.caseworker, referral=refer(world), accepted_on=ANSWERED
    )

    with pytest.raises(ValidationError, match="this one is accepted"):
        services.decline_referral(
            user=world.caseworker, referral=referral, decline_reason="no_capacity"
        )


def test_the_unmet_need_log_follows_who_may_read_the_referral(world):
    services.decline_referral(
        user=world.caseworker,
        referral=refer(world),
        decline_reason="not_eligible_age",
        declined_on=ANSWERED,
    )
    _, other_caseworker = second_provider()

    assert selectors.unmet_needs_for(world.caseworker).count() == 2
    assert selectors.unmet_needs_for(world.steward_a).count() == 2
    assert selectors.unmet_needs_for(world.analyst).count() == 2
    assert not selectors.unmet_needs_for(world.steward_b).exists()
    assert not selectors.unmet_needs_for(other_caseworker).exists()
