"""Principle 3 (docs/principles.md): cooperation is recorded apart, and nothing can make an offer
depend on it."""

import inspect
import re

import pytest
from django.core.exceptions import ValidationError

from beyondraid.standard import services
from beyondraid.standard.models import CooperationRecord, ServiceOffer
from beyondraid.standard.tests.builders import make_agency, make_encounter

pytestmark = pytest.mark.django_db
COOPERATION_WORDS = re.compile(r"cooperat|condition|testif|statement|information_given")


def test_a_service_offer_has_no_field_that_could_make_it_conditional():
    fields = [field.name for field in ServiceOffer._meta.get_fields()]
    assert not [name for name in fields if COOPERATION_WORDS.search(name)]
    assert not [
        field
        for field in ServiceOffer._meta.get_fields()
        if getattr(field, "related_model", None) is CooperationRecord
    ]


def test_offering_a_service_takes_no_cooperation_argument():
    parameters = inspect.signature(services.offer_service).parameters
    assert not [name for name in parameters if COOPERATION_WORDS.search(name)]


def test_a_person_who_declined_to_cooperate_is_offered_and_referred_all_the_same():
    encounter = make_encounter(role="suspected_victim", role_basis="screening_indicators")
    services.record_cooperation(
        encounter=encounter, status="declined", recorded_on=encounter.encountered_on
    )
    provider = make_agency(kind="victim_service_provider", name="Safe Harbor Services")
    offer = services.offer_service(
        encounter=encounter,
        service_type="trafficking_shelter",
        offered_on=encounter.encountered_on,
        offered_by=encounter.operation.lead_agency,
        response="accepted",
        provider=provider,
    )
    assert offer.provider == provider
    assert encounter.cooperation_records.get().status == "declined"


def test_referrals_go_only_to_victim_service_providers():
    encounter = make_encounter(role="suspected_victim", role_basis="self_identified")
    with pytest.raises(ValidationError, match="victim-service provider"):
        services.offer_service(
            encounter=encounter,
            service_type="legal_services",
            offered_on=encounter.encountered_on,
            offered_by=encounter.operation.lead_agency,
            provider=make_agency(kind="sheriff"),
        )
