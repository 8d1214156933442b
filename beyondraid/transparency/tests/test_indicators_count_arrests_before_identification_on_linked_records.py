"""Issue 21, item 4: on records linked with a booking or case number, the indicators count the
victims arrested or cited before they were identified (R-019), those with repeated contacts, and
the median days from first contact to identification. A person counts once, at their first
identification as a victim; links meet only within a linkage group."""

import datetime

import pytest

from beyondraid.standard import linkage, services
from beyondraid.standard.tests.builders import make_agency, make_encounter, make_operation
from beyondraid.transparency import indicators

pytestmark = pytest.mark.django_db

GROUP = "County linkage group"
START = datetime.date(2020, 10, 12)


def _values(level: str) -> dict[tuple[str, str], indicators.IndicatorRow]:
    codes = {
        "victims_arrested_before_identification",
        "victims_with_repeated_contacts",
        "days_from_first_contact_to_identification",
    }
    return {
        (row.indicator.code, row.unit_label): row
        for row in indicators.compute(level)
        if row.indicator.code in codes
    }


@pytest.fixture
def linked_world(db):
    police = make_agency(name="County Police", linkage_group=GROUP)
    provider = make_agency(
        name="County Survivor Services", kind="victim_service_provider", linkage_group=GROUP
    )
    alone = make_agency(name="Other Police")
    first = make_operation(lead_agency=police, start_date=START, end_date=START)
    second = make_operation(
        lead_agency=police,
        start_date=START + datetime.timedelta(days=30),
        end_date=START + datetime.timedelta(days=30),
    )
    elsewhere = make_operation(lead_agency=alone, start_date=START, end_date=START)

    def link(number, organisation):
        return linkage.person_link(number, organisation)

    # Arrested as a seller, then identified by the provider 90 days later.
    seller = make_encounter(
        operation=first, role="adult_in_commercial_sex", person_link=link("BK-0001", police)
    )
    services.record_treatment_event(
        encounter=seller, kind="arrested", occurred_on=START, arrest_basis="probable_cause"
    )
    services.record_encounter(
        encountered_on=START + datetime.timedelta(days=90),
        identified_by=provider,
        identification_pathway="self_referral",
        role="suspected_victim",
        person_link=link("bk 0001", provider),
    )
    # Met as a witness, then identified as a victim in a later operation: not arrested.
    make_encounter(operation=first, role="witness", person_link=link("BK-0002", police))
    make_encounter(
        operation=second,
        role="confirmed_victim",
        role_basis="investigation",
        person_link=link("BK-0002", police),
    )
    # Identified once, linked, with no other contact.
    make_encounter(operation=second, role="suspected_victim", person_link=link("BK-0003", police))
    # Identified in an operation, then again by the provider: counted once, at the first.
    make_encounter(operation=first, role="suspected_victim", person_link=link("BK-0004", police))
    services.record_encounter(
        encountered_on=START + datetime.timedelta(days=200),
        identified_by=provider,
        identification_pathway="hotline",
        role="confirmed_victim",
        role_basis="investigation",
        person_link=link("BK-0004", provider),
    )
    # Outside the group, the same number is another person: this seller's arrest is not the
    # provider's person's.
    other_seller = make_encounter(
        operation=elsewhere, role="adult_in_commercial_sex", person_link=link("BK-0001", alone)
    )
    services.record_treatment_event(encounter=other_seller, kind="cited", occurred_on=START)
    # A victim who is not linked is not counted.
    make_encounter(operation=second, role="suspected_victim")
    return police, provider


def test_the_linked_victims_are_counted_once_each_at_their_identification(linked_world):
    values = _values("all")
    arrested = values["victims_arrested_before_identification", "All operations"]
    assert (arrested.numerator, arrested.denominator, arrested.display_value) == (1, 4, "25.0 %")
    repeated = values["victims_with_repeated_contacts", "All operations"]
    assert (repeated.numerator, repeated.denominator) == (3, 4)
    days = values["days_from_first_contact_to_identification", "All operations"]
    assert (days.value, days.display_value) == (60, "60 days")


def test_each_identification_is_counted_where_it_was_made(linked_world):
    values = _values("agency")
    provider = values["victims_arrested_before_identification", "County Survivor Services"]
    assert (provider.numerator, provider.denominator) == (1, 1)
    police = values["victims_arrested_before_identification", "County Police"]
    assert (police.numerator, police.denominator) == (0, 3)
    assert values["days_from_first_contact_to_identification", "County Police"].value == 30
    other = values["days_from_first_contact_to_identification", "Other Police"]
    assert other.value is None and other.note == indicators.NO_EARLIER_CONTACT
