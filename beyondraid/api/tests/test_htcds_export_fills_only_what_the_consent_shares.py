"""A case row holds only what the person's consent lets the provider be told: a column outside
the consent's scope is absent from the row (empty in the CSV file), never filled; under a consent
override, only what the consent_scope vocabulary shares without consent."""

import csv
import io

import pytest

from beyondraid.api import htcds
from beyondraid.care import services
from beyondraid.care.tests.builders import (
    ANSWERED,
    SENT,
    accepted,
    administrator_steward,
    list_provider,
    refer,
)
from beyondraid.standard.vocabulary import vocabulary

pytestmark = pytest.mark.django_db

IMMIGRATION = {
    "prs_Citizenship",
    "btr_CitizenshipStatus",
    *(
        f"btr_{kind}{part}"
        for kind in ("ContinuedPresence", "TVisaDeclaration", "UVisaCertification")
        for part in ("Status", "RequestedOn", "DecidedOn")
    ),
}
ROLE = {"vic_TraffickingStatus", "btr_AssessedRole"}
PERSON = {
    "btr_AgeGroup",
    "prs_Gender",
    "btr_GenderIdentity",
    "prs_PrimaryLanguage",
    "btr_PrimaryLanguage",
    "btr_Interpreter",
}


@pytest.fixture
def listed(world):
    list_provider(world.provider, by=world.caseworker)
    services.record_relief_request(
        user=world.steward_a,
        encounter=world.referred_encounter,
        kind="t_visa_declaration",
        requested_on=SENT,
    )


def only_row(world) -> dict:
    rows = htcds.htcds_rows(world.caseworker)
    assert len(rows) == 1
    return rows[0]


def test_immigration_status_and_relief_stay_out_without_that_consent(world, listed):
    accepted(world, consent_scope=["referral_details", "age_gender_language"])

    row = only_row(world)

    assert not (IMMIGRATION | ROLE) & row.keys()
    assert row.keys() >= PERSON
    assert row["btr_SharedScope"] == ["referral_details", "age_gender_language"]
    assert row["btr_SharedUnder"] == "consent"
    [cells] = csv.DictReader(io.StringIO(htcds.as_csv([row])))
    assert all(cells[name] == "" for name in IMMIGRATION | ROLE)
    assert cells["btr_SharedScope"] == "referral_details;age_gender_language"


def test_the_referral_itself_is_all_a_minimal_consent_shares(world, listed):
    accepted(world, consent_scope=["referral_details"])

    row = only_row(world)

    assert {
        column.name for column in htcds.mapping().columns if column.scope == "referral_details"
    } == row.keys()


def test_every_scope_consented_fills_every_column(world, listed):
    referral = accepted(world, consent_scope=list(vocabulary("consent_scope").codes))

    row = only_row(world)

    assert row.keys() == set(htcds.column_names())
    assert row["btr_CaseId"] == referral.code
    assert row["cas_Status"] == "Active"
    assert row["cas_IncomingReferralDate"] == ANSWERED.isoformat()
    assert row["btr_TVisaDeclarationStatus"] == "pending"
    assert row["btr_TVisaDeclarationRequestedOn"] == SENT.isoformat()
    assert row["btr_ContinuedPresenceStatus"] is None
    assert row["vic_TraffickingStatus"] == "PossibleVictimOfTrafficking"
    assert row["btr_AssessedRole"] == "suspected_victim"


def test_under_a_consent_override_only_what_is_shared_without_consent(world, listed):
    # The person consented to one referral, with everything; a second one went under an override.
    accepted(world, consent_scope=list(vocabulary("consent_scope").codes))
    overridden = refer(
        world,
        by=administrator_steward(world),
        services=["medical_care"],
        consent_given_on=None,
        consent_organisation=None,
        consent_scope=[],
        override_reason="The person needs urgent medical care tonight and cannot be asked now.",
    )
    services.accept_referral(user=world.caseworker, referral=overridden, accepted_on=ANSWERED)

    rows = {row["btr_CaseId"]: row for row in htcds.htcds_rows(world.caseworker)}

    row = rows[overridden.code]
    shared = set(vocabulary("consent_scope").codes_where("shared_under_override", True))
    assert row["btr_SharedUnder"] == "override"
    assert set(row["btr_SharedScope"]) == shared
    assert not (IMMIGRATION | ROLE) & row.keys()
    assert {
        column.name for column in htcds.mapping().columns if column.scope in shared
    } == row.keys()


def test_no_name_of_the_referring_agency_and_no_encounter_code_leave(world, listed):
    accepted(world, consent_scope=list(vocabulary("consent_scope").codes))

    text = htcds.as_csv(htcds.htcds_rows(world.caseworker))

    assert world.agency_a.name not in text
    assert world.referred_encounter.code not in text
    assert "LawEnforcement" in text
