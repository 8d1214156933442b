"""The export holds the referrals the provider accepted, of people who accepted a referral to
it: a referral waiting for an answer or declined, a person referred only under an override, a
person never referred, and another provider's cases never appear."""

import pytest

from beyondraid.api import htcds
from beyondraid.care import services
from beyondraid.care.tests.builders import (
    ANSWERED,
    accepted,
    administrator_steward,
    list_provider,
    refer,
    second_provider,
)
from beyondraid.standard.tests.builders import make_encounter

pytestmark = pytest.mark.django_db


@pytest.fixture
def listed(world):
    list_provider(world.provider, by=world.caseworker)


def case_ids(reader) -> set[str]:
    return {row["btr_CaseId"] for row in htcds.htcds_rows(reader)}


def test_a_referral_not_answered_or_declined_is_not_a_case(world, listed):
    refer(world)
    declined = refer(world, services=["medical_care"])
    services.decline_referral(
        user=world.caseworker, referral=declined, decline_reason="no_capacity", declined_on=ANSWERED
    )

    assert case_ids(world.caseworker) == set()


def test_an_accepted_referral_is_a_case_once_and_the_provider_reads_as_its_caseworkers(
    world, listed
):
    referral = accepted(world)

    assert case_ids(world.caseworker) == {referral.code}
    assert case_ids(world.provider) == {referral.code}


def test_a_person_referred_only_under_an_override_is_not_exported(world, listed):
    person = make_encounter(operation=world.operation_a, role="suspected_victim")
    overridden = refer(
        world,
        encounter=person,
        by=administrator_steward(world),
        consent_given_on=None,
        consent_organisation=None,
        consent_scope=[],
        override_reason="The person is fourteen and state law requires an immediate referral.",
    )
    services.accept_referral(user=world.caseworker, referral=overridden, accepted_on=ANSWERED)

    assert case_ids(world.caseworker) == set()


def test_another_providers_caseworker_gets_none_of_these_cases(world, listed):
    accepted(world)
    other, other_caseworker = second_provider()

    assert case_ids(other_caseworker) == set()
    assert case_ids(other) == set()


def test_only_caseworkers_and_providers_have_cases_to_export(world):
    for persona in ("steward_a", "prosecutor", "analyst", "investigator", "administrator"):
        with pytest.raises(htcds.NotAProvider):
            htcds.htcds_rows(getattr(world, persona))
    with pytest.raises(htcds.NotAProvider, match="is not a victim-service provider"):
        htcds.htcds_rows(world.agency_a)
