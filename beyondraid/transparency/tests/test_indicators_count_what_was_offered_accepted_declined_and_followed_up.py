"""The indicators count what was offered, accepted and declined — by the person and by providers
(the unmet-need log) — and who was followed up (issue 7, done when)."""

import datetime

import pytest

from beyondraid.care import services as care
from beyondraid.care.tests.builders import ANSWERED, SENT, refer
from beyondraid.standard import services as standard
from beyondraid.standard.tests.builders import make_encounter
from beyondraid.transparency import indicators
from beyondraid.transparency.models import COMPUTED

pytestmark = pytest.mark.django_db


def _value(code: str) -> int:
    (row,) = [
        row
        for row in indicators.compute("all")
        if row.indicator.code == code and row.provenance == COMPUTED
    ]
    return row.value


def test_offers_referrals_declines_and_follow_ups_are_counted(world):
    # The referred person accepted a shelter place (the world's offer) and declines counselling.
    referred = world.referred_encounter
    standard.offer_service(
        encounter=referred,
        service_type="crisis_counselling",
        offered_on=referred.encountered_on,
        offered_by=world.agency_a,
        response="declined",
    )
    # A second victim is referred to the provider, who has no room and says so.
    turned_away = make_encounter(operation=world.operation_a, role="suspected_victim")
    declined = refer(world, encounter=turned_away)
    care.decline_referral(
        user=world.caseworker,
        referral=declined,
        decline_reason="no_capacity",
        declined_on=ANSWERED,
    )
    # The referred person's referral is accepted and followed up six months on.
    accepted = care.accept_referral(
        user=world.caseworker, referral=refer(world), accepted_on=ANSWERED
    )
    care.record_follow_up(
        user=world.caseworker,
        referral=accepted,
        due_on=SENT + datetime.timedelta(days=183),
        done_on=SENT + datetime.timedelta(days=183),
        reached="yes",
        still_receiving_services="yes",
    )

    assert _value("victims_identified") == 3  # with the victim of agency B, never offered
    # A referral made with consent records its services as offered and accepted by the person:
    # the person the provider turned away had said yes too.
    assert _value("victims_offered_services") == 2
    assert _value("victims_accepted_services") == 2
    assert _value("victims_declined_services") == 1
    assert _value("victims_referred") == 2
    assert _value("victims_turned_away_by_provider") == 1
    assert _value("victims_followed_up") == 1
