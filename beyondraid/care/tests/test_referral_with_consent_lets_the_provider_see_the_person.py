"""A referral sent with the person's consent records one accepted offer per service, to the
provider, which the indicators count as offered and accepted; once the provider accepts the
referral, its caseworkers see the person under the standard's access rule, within the consent."""

import pytest

from beyondraid.care import selectors, services
from beyondraid.standard import access
from beyondraid.standard import services as standard
from beyondraid.standard.tests.builders import make_encounter
from beyondraid.standard.vocabulary import vocabulary

from .builders import ANSWERED, CONSENTED, SENT, accepted, refer

pytestmark = pytest.mark.django_db


@pytest.fixture
def person(world):
    return make_encounter(
        operation=world.operation_a,
        role="suspected_victim",
        age_group="18_24",
        primary_language="es",
        citizenship_status="undocumented",
    )


def test_the_referral_records_who_sent_it_where_and_with_which_consent(world, person):
    referral = refer(world, encounter=person)

    assert referral.code.startswith("RF-")
    assert referral.status == "sent"
    assert referral.sent_on == SENT
    assert referral.sent_by == world.steward_a
    assert referral.referring_agency == world.agency_a
    assert referral.provider == world.provider
    assert referral.services == ["trafficking_shelter", "legal_services"]
    assert referral.consent_given_on == CONSENTED
    assert referral.consent_organisation == world.provider
    assert referral.consent_overridden is False


def test_each_service_is_an_accepted_offer_to_the_provider(world, person):
    referral = refer(world, encounter=person)

    offers = list(person.service_offers.order_by("service_type"))
    assert [offer.service_type for offer in offers] == ["legal_services", "trafficking_shelter"]
    assert {offer.response for offer in offers} == {"accepted"}
    assert {offer.provider for offer in offers} == {world.provider}
    assert {offer.offered_by for offer in offers} == {world.agency_a}
    assert {offer.offered_on for offer in offers} == {SENT}
    assert set(referral.offers.all()) == set(offers)


def test_the_providers_caseworker_sees_the_referral_and_once_accepted_the_person(world, person):
    assert not access.encounters_for(world.caseworker).filter(pk=person.pk).exists()

    referral = refer(world, encounter=person)

    assert selectors.referral_record(world.caseworker, referral.code) == referral
    assert list(selectors.referrals_of_encounter(world.steward_a, person)) == [referral]
    assert not access.encounters_for(world.caseworker).filter(pk=person.pk).exists()

    services.accept_referral(user=world.caseworker, referral=referral, accepted_on=ANSWERED)

    assert access.encounters_for(world.caseworker).filter(pk=person.pk).exists()


def test_until_the_provider_accepts_it_is_told_only_the_referral_itself(world, person):
    referral = refer(world, encounter=person)

    labels = {fact.label for fact in selectors.shared_facts(world.caseworker, referral)}

    assert labels == {"Services asked for", "Referred by", "Sent on"}


def test_the_caseworker_is_told_only_what_the_consent_covers(world, person):
    referral = accepted(world, encounter=person)

    facts = selectors.shared_facts(world.caseworker, referral)

    labels = {fact.label: fact.value for fact in facts}
    assert labels["Services asked for"] == "Trafficking-specific shelter, Legal services"
    assert labels["Primary language"] == "Spanish"
    assert "Citizenship or immigration status" not in labels
    assert "Assessed role" not in labels


def test_a_wider_consent_shares_more(world, person):
    referral = accepted(
        world,
        encounter=person,
        consent_scope=["referral_details", "immigration_status", "role_assessment"],
    )

    labels = {fact.label: fact.value for fact in selectors.shared_facts(world.caseworker, referral)}

    assert labels["Citizenship or immigration status"] == "Undocumented"
    assert labels["Assessed role"].startswith("Suspected victim of trafficking")
    assert "Age group" not in labels


def test_every_scope_of_consent_says_what_it_shares(world, person):
    standard.record_treatment_event(
        encounter=person, kind="sheltered", occurred_on=person.encountered_on
    )
    everything = list(vocabulary("consent_scope").codes)

    referral = accepted(world, encounter=person, consent_scope=everything)

    facts = selectors.shared_facts(world.caseworker, referral)
    assert {fact.scope for fact in facts} == set(everything)
    assert (
        "In the operation",
        f"Placed in shelter or protective placement on {person.encountered_on}",
    ) in [(fact.label, fact.value) for fact in facts]
