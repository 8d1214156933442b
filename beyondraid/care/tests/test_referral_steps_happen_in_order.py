"""A referral goes sent → accepted or declined → services started → closed, each step dated no
earlier than the one before. Steps out of order are refused in plain words and change
nothing."""

import datetime

import pytest
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction

from beyondraid.care import services
from beyondraid.care.models import Referral

from .builders import ANSWERED, CLOSED, SENT, STARTED, accepted, refer

pytestmark = pytest.mark.django_db
DAY = datetime.timedelta(days=1)


def test_the_whole_way_with_dates(world):
    referral = accepted(world)
    services.start_services(user=world.caseworker, referral=referral, services_started_on=STARTED)
    services.close_referral(user=world.caseworker, referral=referral, closed_on=CLOSED)

    referral = Referral.objects.get(pk=referral.pk)
    assert referral.status == "closed"
    assert (referral.sent_on, referral.accepted_on) == (SENT, ANSWERED)
    assert (referral.services_started_on, referral.closed_on) == (STARTED, CLOSED)


def test_an_answer_cannot_come_before_the_referral_was_sent(world):
    referral = refer(world)

    with pytest.raises(ValidationError) as refused:
        services.accept_referral(user=world.caseworker, referral=referral, accepted_on=SENT - DAY)
    assert refused.value.message_dict["accepted_on"] == [
        f"A referral cannot be accepted before it was sent ({SENT})."
    ]

    with pytest.raises(ValidationError) as declined:
        services.decline_referral(
            user=world.caseworker,
            referral=referral,
            decline_reason="no_capacity",
            declined_on=SENT - DAY,
        )
    assert "cannot be declined before it was sent" in declined.value.message_dict["declined_on"][0]
    assert Referral.objects.get(pk=referral.pk).status == "sent"


def test_services_cannot_start_before_acceptance_nor_close_before_they_started(world):
    referral = accepted(world)
    with pytest.raises(ValidationError) as early:
        services.start_services(
            user=world.caseworker, referral=referral, services_started_on=ANSWERED - DAY
        )
    assert "before the referral was accepted" in early.value.message_dict["services_started_on"][0]

    services.start_services(user=world.caseworker, referral=referral, services_started_on=STARTED)
    with pytest.raises(ValidationError) as closed:
        services.close_referral(user=world.caseworker, referral=referral, closed_on=STARTED - DAY)
    assert "before services started" in closed.value.message_dict["closed_on"][0]


def test_steps_out_of_order_are_refused_in_plain_words(world):
    referral = refer(world)

    with pytest.raises(ValidationError, match="Services start once the referral is accepted"):
        services.start_services(user=world.caseworker, referral=referral)
    with pytest.raises(ValidationError, match="Only an accepted referral can be closed"):
        services.close_referral(user=world.caseworker, referral=referral)

    declined = services.decline_referral(
        user=world.caseworker, referral=referral, decline_reason="no_capacity"
    )
    with pytest.raises(ValidationError, match="this one is declined by the provider"):
        services.accept_referral(user=world.caseworker, referral=declined)
    with pytest.raises(ValidationError, match="this one is declined by the provider"):
        services.start_services(user=world.caseworker, referral=declined)


def test_a_closed_referral_stays_closed(world):
    referral = accepted(world)
    services.close_referral(user=world.caseworker, referral=referral, closed_on=CLOSED)

    with pytest.raises(ValidationError, match="this one is closed"):
        services.start_services(user=world.caseworker, referral=referral)
    with pytest.raises(ValidationError, match="this one is closed"):
        services.close_referral(user=world.caseworker, referral=referral)


def test_the_database_refuses_dates_out_of_order_whatever_path_they_take(world):
    referral = refer(world)
    with pytest.raises(IntegrityError), transaction.atomic():
        Referral.objects.filter(pk=referral.pk).update(status="accepted", accepted_on=SENT - DAY)
    with pytest.raises(IntegrityError), transaction.atomic():
        Referral.objects.filter(pk=referral.pk).update(status="accepted")
