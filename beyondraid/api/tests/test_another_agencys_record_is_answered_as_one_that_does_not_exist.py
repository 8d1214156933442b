"""Issue 19, item 7: a token cannot learn that another agency's record exists. Wherever a request
names a record by its code or id — reading or correcting it, filtering by it, referring to it from
a new record or a submitted line — another agency's record gets byte for byte the answer a record
that does not exist gets.

Codes are used once across every agency's records, so a new record or submitted line cannot take
a code that is taken. That refusal is the same whoever holds the code, the token's own agency or
another, and says nothing of the record holding it (no operation, no agency, no date).
"""

from typing import Any, cast

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from beyondraid.intake.models import ImportBatch
from beyondraid.standard import services
from beyondraid.standard.models import Encounter, Operation

from .test_agency_systems_record_and_correct_records_through_the_api import OPERATION
from .test_writes_are_safe_to_retry_and_submissions_go_through_the_importer import (
    SUBMISSION as LINES,
)
from .test_writes_are_safe_to_retry_and_submissions_go_through_the_importer import _lines
from .token_builders import TokenClient, agency_a_token, agency_b_token

pytestmark = pytest.mark.django_db

# Its lines are dictionaries; mypy sees a list of objects.
SUBMISSION = cast(list[dict[str, Any]], LINES)
NOWHERE_OPERATION = "OP-7K3M-ZZZZ"
NOWHERE_ENCOUNTER = "E-7K3M-ZZZZ"


@pytest.fixture
def system(world):
    return TokenClient(agency_a_token(world))


def _same_answer(first, first_code: str, second, second_code: str) -> None:
    """The two answers are the same, byte for byte, once each names its own code the same way."""
    assert first.status_code == second.status_code
    assert first["Content-Type"] == second["Content-Type"]
    assert first.content.replace(first_code.encode(), b"CODE") == second.content.replace(
        second_code.encode(), b"CODE"
    )


def _with_person(code: str) -> list[dict]:
    """The submission of a new operation, its one person given ``code``."""
    person, role = ({**line, "encounter_code": code} for line in SUBMISSION[3:])
    return [*SUBMISSION[:3], person, role]


def _submitted(system, lines):
    return system.post("/api/v1/submissions/", _lines(*lines), content_type="application/x-ndjson")


def test_a_submitted_person_with_another_agencys_code_is_refused_as_with_its_own(world, system):
    theirs, ours = world.encounter_b.code, world.encounter_a.code
    refused = _submitted(system, _with_person(theirs))
    assert refused.status_code == 400
    assert refused.json()["problems"] == [
        {
            "path": "lines[4].encounter_code",
            "message": f"encounter code {theirs} cannot be used: each code is used once, across "
            "every agency's records; give this row another code.",
        }
    ]
    assert world.operation_b.code.encode() not in refused.content
    _same_answer(refused, theirs, _submitted(system, _with_person(ours)), ours)


def test_a_submitted_operation_with_another_agencys_code_is_refused_naming_nothing_of_it(
    world, system
):
    taken = world.operation_b
    lines = [
        {**line, "operation_code": taken.code} if "operation_code" in line else line
        for line in SUBMISSION
    ]
    refused = _submitted(system, lines)
    assert refused.status_code == 400
    assert [problem["path"] for problem in refused.json()["problems"]] == [
        "lines[2].operation_code"
    ]
    for held in (taken.name, world.agency_b.name, world.encounter_b.code, str(taken.start_date)):
        assert held.encode() not in refused.content
    assert not Encounter.objects.filter(code=SUBMISSION[3]["encounter_code"]).exists()


def test_a_submitted_line_naming_another_agencys_person_is_answered_as_for_no_one(world, system):
    event = {
        "table": "treatment_events",
        "kind": "released",
        "occurred_on": "2024-05-01",
    }
    theirs = _submitted(system, [*SUBMISSION, {**event, "encounter_code": world.encounter_b.code}])
    nobody = _submitted(system, [*SUBMISSION, {**event, "encounter_code": NOWHERE_ENCOUNTER}])
    assert theirs.status_code == 400
    _same_answer(theirs, world.encounter_b.code, nobody, NOWHERE_ENCOUNTER)


def test_files_another_agency_submitted_are_checked_as_the_tokens_own(world, system):
    """Answering 200 "already imported in import N on <date>" would tell agency B that agency A
    holds these exact lines, and when. B's submission is checked as its own, and the code it
    gives is refused as one held by a record B never saw submitted."""
    body = _lines(*SUBMISSION)
    submitted = system.post("/api/v1/submissions/", body, content_type="application/x-ndjson")
    assert submitted.status_code == 201
    agency_b = TokenClient(agency_b_token(world))

    refused = agency_b.post("/api/v1/submissions/", body, content_type="application/x-ndjson")

    assert refused.status_code == 400
    code = SUBMISSION[1]["operation_code"]
    assert refused.json()["problems"] == [
        {
            "path": "lines[2].operation_code",
            "message": f"operation code {code} cannot be used: each code is used once, across "
            "every agency's records; give this row another code.",
        }
    ]
    assert Operation.objects.filter(code=code).count() == 1
    assert ImportBatch.objects.filter(agency=world.agency_b).get().status == "rejected"
    # The same answer as for the code of an operation that no submission brought in.
    held = world.operation_a.code
    lines = [
        {**line, "operation_code": held} if "operation_code" in line else line
        for line in SUBMISSION
    ]
    never_submitted = _submitted(agency_b, lines)
    _same_answer(refused, code, never_submitted, held)


def _csv_files(encounter_code: str) -> list[SimpleUploadedFile]:
    """The submission of ``_with_person`` as the standard's CSV files."""
    by_table: dict[str, list[dict]] = {}
    for line in _with_person(encounter_code):
        row = {name: value for name, value in line.items() if name != "table"}
        by_table.setdefault(line["table"], []).append(row)
    files = []
    for table, rows in by_table.items():
        header = list(rows[0])
        text = "\n".join(
            [",".join(header)]
            + [
                ",".join(";".join(v) if isinstance(v, list) else v for v in r.values())
                for r in rows
            ]
        )
        files.append(SimpleUploadedFile(f"{table}.csv", text.encode(), content_type="text/csv"))
    return files


def test_csv_files_with_another_agencys_code_are_refused_as_with_its_own(world, system):
    theirs, ours = world.encounter_b.code, world.encounter_a.code
    refused = system.upload("/api/v1/submissions/", _csv_files(theirs))
    assert refused.status_code == 400
    assert [problem["path"] for problem in refused.json()["problems"]] == [
        "encounters.csv[2].encounter_code"
    ]
    assert world.operation_b.code.encode() not in refused.content
    _same_answer(refused, theirs, system.upload("/api/v1/submissions/", _csv_files(ours)), ours)


def test_a_new_record_with_another_agencys_code_is_refused_as_with_its_own(world, system):
    def operation(code):
        return system.post("/api/v1/operations/", {**OPERATION, "operation_code": code})

    theirs, ours = world.operation_b.code, world.operation_a.code
    refused = operation(theirs)
    assert refused.status_code == 400
    problem = refused.json()["problems"][0]
    assert problem["path"] == "operation_code"
    assert "cannot be used" in problem["message"] and "exist" not in problem["message"]
    _same_answer(refused, theirs, operation(ours), ours)

    def person(code):
        body = {
            "operation_code": world.operation_a.code,
            "encounter_code": code,
            "encountered_on": world.operation_a.start_date.isoformat(),
            "role": "buyer",
            "role_basis": "investigation",
        }
        return system.post("/api/v1/encounters/", body)

    theirs, ours = world.encounter_b.code, world.encounter_a.code
    _same_answer(person(theirs), theirs, person(ours), ours)
    assert Encounter.objects.filter(code=theirs).get().operation == world.operation_b


def test_a_new_record_naming_another_agencys_record_is_answered_as_for_none(world, system):
    def person_in(operation_code):
        body = {
            "operation_code": operation_code,
            "encountered_on": "2024-03-01",
            "role": "buyer",
            "role_basis": "investigation",
        }
        return system.post("/api/v1/encounters/", body)

    theirs = person_in(world.operation_b.code)
    assert theirs.status_code == 400
    _same_answer(theirs, world.operation_b.code, person_in(NOWHERE_OPERATION), NOWHERE_OPERATION)

    def charge_of(encounter_code):
        body = {
            "encounter_code": encounter_code,
            "statute_code": "ca-pc-647b",
            "charged_on": "2024-03-02",
        }
        return system.post("/api/v1/charges/", body)

    theirs = charge_of(world.encounter_b.code)
    assert theirs.status_code == 400
    _same_answer(theirs, world.encounter_b.code, charge_of(NOWHERE_ENCOUNTER), NOWHERE_ENCOUNTER)


def test_reading_or_correcting_another_agencys_record_is_answered_as_for_none(world, system):
    offer = services.offer_service(
        encounter=world.encounter_b,
        service_type="trafficking_shelter",
        offered_on=world.encounter_b.encountered_on,
        offered_by=world.agency_b,
    )
    nowhere_id = str(offer.pk + 1000)
    for theirs, nowhere, path in [
        (world.operation_b.code, NOWHERE_OPERATION, "/api/v1/operations/{}/"),
        (world.encounter_b.code, NOWHERE_ENCOUNTER, "/api/v1/encounters/{}/"),
        (str(offer.pk), nowhere_id, "/api/v1/service-offers/{}/"),
    ]:
        read = system.get(path.format(theirs))
        assert read.status_code == 404
        _same_answer(read, theirs, system.get(path.format(nowhere)), nowhere)
        for body in ({"age_group": "unknown"}, {"operation_code": "x", "no_such_field": 1}):
            corrected = system.patch(path.format(theirs), body)
            assert corrected.status_code == 404
            _same_answer(corrected, theirs, system.patch(path.format(nowhere), body), nowhere)


def test_filtering_by_another_agencys_code_is_answered_as_for_none(world, system):
    for path, name, theirs, nowhere in [
        ("/api/v1/encounters/", "operation_code", world.operation_b.code, NOWHERE_OPERATION),
        ("/api/v1/service-offers/", "operation_code", world.operation_b.code, NOWHERE_OPERATION),
        ("/api/v1/service-offers/", "encounter_code", world.encounter_b.code, NOWHERE_ENCOUNTER),
    ]:
        filtered = system.get(path, **{name: theirs})
        assert filtered.status_code == 200 and filtered.json()["results"] == []
        _same_answer(filtered, theirs, system.get(path, **{name: nowhere}), nowhere)
