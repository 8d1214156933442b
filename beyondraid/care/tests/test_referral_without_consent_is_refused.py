"""A referral needs the person's recorded consent to share with the provider it goes to, given
before it is sent and covering at least the referral itself. Without it, the referral is
refused with the field at fault named, and nothing is written."""

import datetime

import pytest
from django.core.exceptions import ValidationError

from beyondraid.care.models import Referral
from beyondraid.standard.models import ServiceOffer
from beyondraid.standard.tests.builders import make_agency

from .builders import SENT, refer

pytestmark = pytest.mark.django_db


def _refused(world, **overrides) -> dict[str, list[str]]:
    offers = ServiceOffer.objects.count()
    with pytest.raises(ValidationError) as refused:
        refer(world, **overrides)
    assert not Referral.objects.exists()
    assert ServiceOffer.objects.count() == offers
    return refused.value.message_dict


def test_no_consent_and_no_override_is_refused(world):
    errors = _refused(world, consent_given_on=None, consent_organisation=None, consent_scope=[])

    assert "Record the day the person consented" in errors["consent_given_on"][0]
    assert "only under a consent override" in errors["consent_given_on"][0]
    assert "Say which organisation the consent covers" in errors["consent_organisation"][0]
    assert "must at least cover the referral itself" in errors["consent_scope"][0]


def test_consent_for_another_organisation_does_not_cover_this_provider(world):
    other = make_agency(name="Another Shelter", kind="victim_service_provider")

    errors = _refused(world, consent_organisation=other)

    assert errors["consent_organisation"] == [
        "The consent covers Another Shelter, not Harbor Survivor Services, where this referral "
        "goes. Ask the person's consent for this provider."
    ]


def test_consent_given_after_the_referral_went_is_refused(world):
    errors = _refused(world, consent_given_on=SENT + datetime.timedelta(days=1))

    assert "before or on the day the referral is sent" in errors["consent_given_on"][0]


def test_the_scope_must_be_known_codes(world):
    errors = _refused(world, consent_scope=["referral_details", "everything"])

    assert "Unknown consent scope code(s) everything" in errors["consent_scope"][0]


def test_a_referral_needs_services_and_goes_to_a_victim_service_provider(world):
    assert "at least one service" in _refused(world, services=[])["services"][0]
    assert "Unknown service code(s) spa" in _refused(world, services=["spa"])["services"][0]

    errors = _refused(world, provider=world.agency_b, consent_organisation=world.agency_b)
    assert "not one" in errors["provider"][0]


def test_dates_before_the_encounter_or_in_the_future_are_refused(world):
    encountered = world.referred_encounter.encountered_on
    early = _refused(world, sent_on=encountered - datetime.timedelta(days=1))
    assert "cannot be sent before the encounter" in early["sent_on"][0]

    future = _refused(world, sent_on=datetime.date.today() + datetime.timedelta(days=3))
    assert "in the future" in future["sent_on"][0]
