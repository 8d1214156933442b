"""Writes carry an Idempotency-Key so that a system can retry after a timeout without writing
twice; whole operations are submitted as NDJSON lines or the standard's CSV files through the
intake importer: all of it or nothing, with the importer's messages, each pointing at its line."""

import json

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from beyondraid.accounts.models import AuditEntry
from beyondraid.intake.models import ImportBatch
from beyondraid.standard.models import Encounter, Operation

from .test_agency_systems_record_and_correct_records_through_the_api import OPERATION
from .token_builders import TokenClient, agency_a_token

pytestmark = pytest.mark.django_db

AGENCY = "Agency A Police Department"


@pytest.fixture
def system(world):
    return TokenClient(agency_a_token(world))


def test_the_same_write_with_the_same_key_is_answered_again_and_written_once(world, system):
    first = system.post("/api/v1/operations/", OPERATION, key="op-2024-03-harbor")
    again = system.post("/api/v1/operations/", OPERATION, key="op-2024-03-harbor")
    assert first.status_code == again.status_code == 201
    assert again.json() == first.json()
    assert again["Idempotent-Replayed"] == "true"
    assert again["Location"] == first["Location"]
    assert Operation.objects.filter(name="Harbor sweep").count() == 1


def test_a_key_reused_for_another_request_is_refused(world, system):
    system.post("/api/v1/operations/", OPERATION, key="k-1")
    other = system.post("/api/v1/operations/", {**OPERATION, "name": "Other"}, key="k-1")
    assert other.status_code == 422
    assert other["Content-Type"] == "application/problem+json"
    assert "different request" in other.json()["detail"]
    assert not Operation.objects.filter(name="Other").exists()


def test_a_failed_write_keeps_no_key_so_the_corrected_request_can_use_it(world, system):
    bad = system.post("/api/v1/operations/", {**OPERATION, "trigger": "hunch"}, key="k-2")
    assert bad.status_code == 400
    good = system.post("/api/v1/operations/", {**OPERATION, "trigger": "hunch"}, key="k-2")
    assert good.status_code == 400  # same bad request, same answer, still nothing written
    assert system.post("/api/v1/operations/", OPERATION, key="k-3").status_code == 201


def test_a_key_that_is_too_long_is_a_problem_of_the_header(world, system):
    answer = system.post("/api/v1/operations/", OPERATION, key="x" * 300)
    assert answer.status_code == 400
    assert answer.json()["problems"][0]["path"] == "Idempotency-Key"


def _lines(*records) -> str:
    return "\n".join(json.dumps(record) for record in records) + "\n"


SUBMISSION = [
    {"table": "agencies", "name": AGENCY, "kind": "local_police", "state": "CA"},
    {
        "table": "operations",
        "operation_code": "OP-7K3M-9QX2",
        "name": "Bay sweep",
        "initiative": "local",
        "operation_type": "sting",
        "start_date": "2024-05-01",
        "end_date": "2024-05-02",
        "stated_objective": "Identify minors exploited in commercial sex.",
        "trigger": "targeted_investigation",
    },
    {
        "table": "operation_agencies",
        "operation_code": "OP-7K3M-9QX2",
        "agency": AGENCY,
        "part": "lead",
    },
    {
        "table": "encounters",
        "encounter_code": "E-7K3M-0001",
        "operation_code": "OP-7K3M-9QX2",
        "encountered_on": "2024-05-01",
        "race_ethnicity": ["asian"],
    },
    {
        "table": "role_assessments",
        "encounter_code": "E-7K3M-0001",
        "role": "buyer",
        "basis": "investigation",
        "stage": "at_encounter",
        "assessed_on": "2024-05-01",
    },
]


def test_an_ndjson_submission_imports_whole_operations_once(world, system):
    body = _lines(*SUBMISSION)
    first = system.post("/api/v1/submissions/", body, content_type="application/x-ndjson")
    assert first.status_code == 201, first.json()
    assert first.json()["created"]["encounters"] == 1
    encounter = Encounter.objects.get(code="E-7K3M-0001")
    assert encounter.source == "api" and encounter.race_ethnicity == ["asian"]
    batch = ImportBatch.objects.get(pk=first.json()["batch"])
    assert batch.channel == "api" and batch.agency == world.agency_a
    assert "token" in batch.submitted_by
    assert AuditEntry.objects.filter(
        action="create", object_id=str(encounter.pk), actor_label=batch.submitted_by
    ).exists()

    again = system.post("/api/v1/submissions/", body, content_type="application/x-ndjson")
    assert again.status_code == 200 and again.json()["status"] == "unchanged"
    assert Encounter.objects.filter(code="E-7K3M-0001").count() == 1


def test_a_bad_submission_keeps_nothing_and_points_at_each_line(world, system):
    bad_encounter = {**SUBMISSION[3], "encountered_on": "2024-13-01"}
    body = _lines(*SUBMISSION[:3], bad_encounter, SUBMISSION[4], {"table": "nonsense"}, "[1]")
    answer = system.post("/api/v1/submissions/", body, content_type="application/x-ndjson")
    assert answer.status_code == 400
    problems = {problem["path"]: problem["message"] for problem in answer.json()["problems"]}
    assert "lines[4].encountered_on" in problems
    assert "not a real date" in problems["lines[4].encountered_on"]
    assert "lines[6].table" in problems
    assert "lines[7]" in problems
    assert not Operation.objects.filter(code="OP-7K3M-9QX2").exists()
    assert ImportBatch.objects.get().status == "rejected"


def test_the_standards_csv_files_are_submitted_as_files(world, system):
    def csv(name, header, *rows):
        text = "\n".join([",".join(header), *(",".join(row) for row in rows)]) + "\n"
        return SimpleUploadedFile(f"{name}.csv", text.encode(), content_type="text/csv")

    files = [
        csv("agencies", ["name", "kind", "state"], [AGENCY, "local_police", "CA"]),
        csv(
            "operations",
            [
                "operation_code",
                "name",
                "initiative",
                "operation_type",
                "start_date",
                "end_date",
                "stated_objective",
                "trigger",
            ],
            [
                "OP-7K3M-9QX3",
                "Files sweep",
                "local",
                "sting",
                "2024-05-01",
                "2024-05-02",
                "Identify minors.",
                "targeted_investigation",
            ],
        ),
        csv(
            "operation_agencies",
            ["operation_code", "agency", "part"],
            ["OP-7K3M-9QX3", AGENCY, "lead"],
        ),
        csv(
            "encounters",
            ["encounter_code", "operation_code", "encountered_on"],
            ["E-7K3M-0002", "OP-7K3M-9QX3", "2024-05-01"],
        ),
        csv(
            "role_assessments",
            ["encounter_code", "role", "basis", "assessed_on"],
            ["E-7K3M-0002", "buyer", "investigation", "2024-05-09"],
        ),
    ]
    answer = system.upload("/api/v1/submissions/", files)
    assert answer.status_code == 400
    paths = [problem["path"] for problem in answer.json()["problems"]]
    assert paths == ["role_assessments.csv[2].assessed_on"]


def test_another_agencys_operation_cannot_be_submitted(world, system):
    other = {**SUBMISSION[2], "agency": "Agency B Police Department"}
    body = _lines(
        *SUBMISSION[:1],
        {"table": "agencies", "name": "Agency B Police Department", "kind": "local_police"},
        SUBMISSION[1],
        other,
        *SUBMISSION[3:],
    )
    answer = system.post("/api/v1/submissions/", body, content_type="application/x-ndjson")
    assert answer.status_code == 400
    assert "own agency" in json.dumps(answer.json()["problems"])


def test_a_submission_needs_write_scopes_for_what_it_writes(world):
    operations_only = TokenClient(agency_a_token(world, record_types=["operations"]))
    answer = operations_only.post(
        "/api/v1/submissions/", _lines(*SUBMISSION), content_type="application/x-ndjson"
    )
    assert answer.status_code == 403
    assert "encounters" in answer.json()["detail"]
