"""A provider's caseworker reads a referred person only once the provider accepted a referral the
person consented to, and then only what that consent shares (docs/principles.md, Who uses it), on
every page they reach: the person's page, the immigration relief and support pages, and the
alerts. Until then the referral itself is all they are told (issue 19, item 1)."""

import pytest
from django.urls import reverse

from beyondraid.accounts.testing import sign_in_verified
from beyondraid.care.alerts import refresh_alerts
from beyondraid.standard import access
from beyondraid.standard import services as standard
from beyondraid.standard.tests.builders import make_encounter
from beyondraid.standard.vocabulary import vocabulary

from .builders import accepted, refer

pytestmark = pytest.mark.django_db

AGE, RACE, STATUS, ROLE = "18 to 24", "Hispanic or Latino", "Undocumented", "Suspected victim"


@pytest.fixture
def person(world):
    return make_encounter(
        operation=world.operation_a,
        role="suspected_victim",
        age_group="18_24",
        race_ethnicity=["hispanic_latino"],
        citizenship_status="undocumented",
        primary_language="es",
    )


def _page(client, user, name: str, code: str):
    client.logout()
    sign_in_verified(client, user)
    return client.get(reverse(name, args=[code]))


def test_before_the_provider_accepts_the_caseworker_is_told_only_the_referral(
    client, world, person
):
    referral = refer(world, encounter=person, consent_scope=["referral_details"])

    assert not access.encounters_for(world.caseworker).filter(pk=person.pk).exists()
    for name in ("standard:encounter_detail", "care:support", "care:relief"):
        assert _page(client, world.caseworker, name, person.code).status_code == 404, name
    page = _page(client, world.caseworker, "care:referral_detail", referral.code).text
    assert "Trafficking-specific shelter" in page
    for withheld in (AGE, RACE, STATUS, ROLE):
        assert withheld not in page, withheld


def test_a_consent_without_immigration_status_keeps_it_off_the_persons_pages(client, world, person):
    accepted(world, encounter=person)  # the referral itself, age group, gender and language

    page = _page(client, world.caseworker, "standard:encounter_detail", person.code)

    assert page.status_code == 200
    assert AGE in page.text and "Spanish" in page.text
    for withheld in (
        "Citizenship or immigration status",
        STATUS,
        "Immigration relief",
        "Race and ethnicity",
        RACE,
        "Encountered on",
        person.encountered_on.isoformat(),
        world.operation_a.name,
        ROLE,
    ):
        assert withheld not in page.text, withheld
    assert _page(client, world.caseworker, "care:relief", person.code).status_code == 404
    assert _page(client, world.caseworker, "care:support", person.code).status_code == 200


def test_a_wider_consent_shows_what_it_shares_and_no_more(client, world, person):
    accepted(
        world,
        encounter=person,
        consent_scope=["referral_details", "immigration_status", "role_assessment"],
    )

    page = _page(client, world.caseworker, "standard:encounter_detail", person.code).text

    assert STATUS in page and ROLE in page
    for withheld in (AGE, RACE, "Cooperation with law enforcement"):
        assert withheld not in page, withheld
    assert _page(client, world.caseworker, "care:relief", person.code).status_code == 200


def test_the_widest_consent_still_keeps_cooperation_race_and_the_operation_back(
    client, world, person
):
    standard.record_cooperation(
        encounter=person, status="declined", recorded_on=person.encountered_on
    )
    standard.record_treatment_event(
        encounter=person,
        kind="arrested",
        occurred_on=person.encountered_on,
        arrest_basis="probable_cause",
    )
    accepted(world, encounter=person, consent_scope=list(vocabulary("consent_scope").codes))

    page = _page(client, world.caseworker, "standard:encounter_detail", person.code).text

    for shared in (AGE, STATUS, ROLE, "What was done", "Charges", "Victim arrested"):
        assert shared in page, shared
    for withheld in ("Cooperation with law enforcement", RACE, "Encountered on"):
        assert withheld not in page, withheld
    assert world.operation_a.name not in page


def test_the_person_page_shows_the_caseworker_only_their_own_organisations_referral(
    client, world, person
):
    standard.offer_service(
        encounter=person,
        service_type="medical_care",
        offered_on=person.encountered_on,
        offered_by=world.agency_a,
    )
    accepted(world, encounter=person)

    page = _page(client, world.caseworker, "standard:encounter_detail", person.code).text

    assert "Trafficking-specific shelter" in page
    assert "Medical care" not in page


def test_a_service_offer_naming_the_provider_without_a_referral_shares_nothing(world):
    # The shared world records an accepted offer to the provider, but no referral with consent.
    assert world.referred_encounter.service_offers.filter(provider=world.provider).exists()

    assert not access.encounters_for(world.caseworker).exists()


def test_the_person_declining_the_offers_ends_what_the_provider_reads(world, person):
    accepted(world, encounter=person)
    assert access.encounters_for(world.caseworker).filter(pk=person.pk).exists()

    person.service_offers.update(response="declined")

    assert not access.encounters_for(world.caseworker).filter(pk=person.pk).exists()


def test_a_caseworkers_alerts_are_about_people_whose_referral_was_accepted(client, world, person):
    waiting = make_encounter(operation=world.operation_a, role="suspected_victim")
    refer(world, encounter=waiting)
    accepted(world, encounter=person)
    refresh_alerts()

    sign_in_verified(client, world.caseworker)
    page = client.get(reverse("care:alerts")).text

    assert person.code in page
    assert waiting.code not in page
    assert world.referred_encounter.code not in page


def test_an_alert_says_only_what_the_consent_shares(client, world, person):
    accepted(world, encounter=person)  # neither the operation record nor the role
    standard.record_treatment_event(
        encounter=person,
        kind="arrested",
        occurred_on=person.encountered_on,
        arrest_basis="probable_cause",
    )
    refresh_alerts()

    sign_in_verified(client, world.caseworker)
    caseworkers = client.get(reverse("care:alerts")).text
    client.logout()
    sign_in_verified(client, world.steward_a)
    stewards = client.get(reverse("care:alerts")).text

    assert 'data-kind="non_punishment"' in stewards
    assert 'data-kind="follow_up_due"' in caseworkers
    assert 'data-kind="non_punishment"' not in caseworkers
    assert 'data-kind="record_clearing_due"' not in caseworkers
