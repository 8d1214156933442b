"""Issue 21 through the API: an agency's system records a person its agency identified outside any
operation (no operation_code), with the pathway, the sector and the form of trafficking alleged,
and reads every person back with those fields; it records no one for another organisation, and
another agency's token never sees the person."""

import pytest

from beyondraid.standard.models import Encounter

from .token_builders import TokenClient, agency_a_token, agency_b_token

pytestmark = pytest.mark.django_db

PERSON = {
    "encountered_on": "2024-05-02",
    "identification_pathway": "other_law_enforcement",
    "work_sector": "construction",
    "trafficking_form": "labour",
    "role": "suspected_victim",
    "role_basis": "screening_indicators",
}


def test_a_system_records_and_reads_a_person_identified_outside_any_operation(world):
    system = TokenClient(agency_a_token(world))

    answer = system.post("/api/v1/encounters/", PERSON)

    assert answer.status_code == 201, answer.json()
    person = answer.json()
    assert person["operation_code"] is None
    assert person["identified_by"] == "Agency A Police Department"
    assert (person["identification_pathway"], person["work_sector"]) == (
        "other_law_enforcement",
        "construction",
    )
    assert person["trafficking_form"] == "labour"
    stored = Encounter.objects.get(code=person["encounter_code"])
    assert stored.identified_by == world.agency_a and stored.source == "api"

    met = system.get(f"/api/v1/encounters/{world.referred_encounter.code}/").json()
    assert met["identification_pathway"] == "law_enforcement_operation"
    assert met["identified_by"] is None and met["work_sector"] == "not_recorded"

    other = TokenClient(agency_b_token(world))
    assert other.get(f"/api/v1/encounters/{person['encounter_code']}/").status_code == 404


def test_a_system_records_no_one_for_another_organisation_and_names_the_field(world):
    system = TokenClient(agency_a_token(world))

    for_another = system.post(
        "/api/v1/encounters/", {**PERSON, "identified_by": "Harbor Survivor Services"}
    )
    unknown_sector = system.post("/api/v1/encounters/", {**PERSON, "work_sector": "fishing"})
    no_pathway = system.post(
        "/api/v1/encounters/", {k: v for k, v in PERSON.items() if k != "identification_pathway"}
    )

    assert for_another.status_code == 400
    assert "identified_by" in str(for_another.json())
    assert unknown_sector.status_code == 400
    assert "'fishing' is not in the list 'Sector of work'" in str(unknown_sector.json())
    assert no_pathway.status_code == 400
    assert "Say how the person was identified or came forward" in str(no_pathway.json())
    assert not Encounter.objects.filter(operation=None).exists()


def test_who_identified_a_person_is_not_corrected(world):
    system = TokenClient(agency_a_token(world))
    code = system.post("/api/v1/encounters/", PERSON).json()["encounter_code"]

    answer = system.patch(
        f"/api/v1/encounters/{code}/", {"identified_by": "Agency B Police Department"}
    )
    corrected = system.patch(f"/api/v1/encounters/{code}/", {"work_sector": "agriculture"})

    assert answer.status_code == 400
    assert "never changes" in str(answer.json())
    assert corrected.status_code == 200, corrected.json()
    assert corrected.json()["work_sector"] == "agriculture"
