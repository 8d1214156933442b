"""Issue 19, item 16 (corrections): a PATCH that gives a field a correction cannot change — a
record's code, what it belongs to, a person's role — or a field the record does not have is
refused with a problem naming the field, why it cannot change and what to do instead. It is never
answered 200 with the field ignored, which a system would take for a change made."""

import pytest

from beyondraid.standard.models import Encounter
from beyondraid.standard.tests.builders import make_operation

from .token_builders import TokenClient, agency_a_token

pytestmark = pytest.mark.django_db


@pytest.fixture
def system(world):
    return TokenClient(agency_a_token(world))


def _refused(answer) -> dict[str, str]:
    assert answer.status_code == 400, answer.content
    assert answer["Content-Type"] == "application/problem+json"
    return {problem["path"]: problem["message"] for problem in answer.json()["problems"]}


def test_what_a_person_belongs_to_their_code_and_their_role_are_refused(world, system):
    person = world.encounter_a
    path = f"/api/v1/encounters/{person.code}/"
    other_operation = make_operation(lead_agency=world.agency_a)

    moved = _refused(system.patch(path, {"operation_code": other_operation.code}))
    assert list(moved) == ["operation_code"]
    assert "never changes" in moved["operation_code"]
    assert "record it again" in moved["operation_code"]

    recoded = _refused(system.patch(path, {"encounter_code": "E-7K3M-9QX9"}))
    assert "code never changes" in recoded["encounter_code"]

    reassessed = _refused(system.patch(path, {"role": "confirmed_victim", "role_basis": "other"}))
    assert set(reassessed) == {"role", "role_basis"}
    assert "new assessment on the person's page" in reassessed["role"]

    person.refresh_from_db()
    assert person.operation == world.operation_a and person.current_role == "buyer"


def test_nothing_changes_when_one_field_of_a_correction_is_refused(world, system):
    path = f"/api/v1/encounters/{world.encounter_a.code}/"
    refused = _refused(
        system.patch(path, {"age_group": "25_34", "operation_code": world.operation_a.code})
    )
    assert list(refused) == ["operation_code"]
    assert Encounter.objects.get(pk=world.encounter_a.pk).age_group == "35_and_over"


def test_an_unknown_field_is_refused_naming_the_fields_a_correction_takes(world, system):
    path = f"/api/v1/encounters/{world.encounter_a.code}/"
    refused = _refused(system.patch(path, {"age_grup": "25_34", "age_group": "ancient"}))
    assert set(refused) == {"age_grup", "age_group"}  # both problems at once
    assert "'age_grup' is not a field of encounters" in refused["age_grup"]
    assert "age_group" in refused["age_grup"].split("among:")[1]


def test_an_operations_code_and_agencies_and_a_records_person_and_id_are_refused(world, system):
    operation = f"/api/v1/operations/{world.operation_a.code}/"
    refused = _refused(
        system.patch(
            operation,
            {
                "operation_code": "OP-7K3M-9QX9",
                "participants": [{"agency": "Agency B Police Department", "part": "lead"}],
            },
        )
    )
    assert set(refused) == {"operation_code", "participants"}
    assert "operation's page" in refused["participants"]

    offer = world.referred_encounter.service_offers.get()
    path = f"/api/v1/service-offers/{offer.pk}/"
    refused = _refused(
        system.patch(path, {"encounter_code": world.encounter_a.code, "id": offer.pk + 1})
    )
    assert set(refused) == {"encounter_code", "id"}
    assert "Which person a record belongs to never changes" in refused["encounter_code"]
    offer.refresh_from_db()
    assert offer.encounter == world.referred_encounter


def test_a_correction_of_facts_alone_still_succeeds(world, system):
    path = f"/api/v1/encounters/{world.encounter_a.code}/"
    answer = system.patch(path, {"age_group": "25_34"})
    assert answer.status_code == 200 and answer.json()["age_group"] == "25_34"
    assert system.patch(path, {}).status_code == 200


def test_the_schema_says_a_correction_takes_no_other_field(system):
    schema = system.get("/api/schema/", format="json").json()["components"]["schemas"]
    correction = schema["PatchedEncounterCorrectionRequest"]
    assert correction["additionalProperties"] is False
    assert {"operation_code", "encounter_code", "role"}.isdisjoint(correction["properties"])
    assert "age_group" in correction["properties"]
