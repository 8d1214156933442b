"""Writes carry an Idempotency-Key so that a system can retry after a timeout without writing
twice; whole operations are submitted as NDJSON lines or the standard's CSV files through the
intake importer: all of it or nothing, with the importer's messages, each pointing at its line."""

import json

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from beyondraid.accounts.models import AuditEntry
from beyondraid.intake.models import ImportBatch
from beyondraid.intake.problems import MAX_LISTED_PROBLEMS
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
    # Logged as the submission's count per table, under the token's name (issue 25).
    assert AuditEntry.objects.filter(
        action="create",
        object_type="standard.encounter",
        object_label=f"import {batch.pk}: 1 created",
        actor_label=batch.submitted_by,
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


BAD_AGES = 1500
BAD_GENDERS = 3


def _people_with_bad_cells() -> list[dict]:
    """1,500 people of an age group that does not exist, and three of a gender identity that
    does not exist, each with the role assessment every person needs."""
    people = []
    for number in range(BAD_AGES + BAD_GENDERS):
        code = f"E-{number:04d}-7777"
        bad = {"age_group": "teen"} if number < BAD_AGES else {"gender_identity": "lady"}
        people += [{**SUBMISSION[3], "encounter_code": code, **bad}]
        people += [{**SUBMISSION[4], "encounter_code": code}]
    return people


def test_a_refused_submission_lists_the_first_problems_of_each_kind_and_counts_the_rest(
    world, system
):
    """Issue 19: a large bad file must not give a response as large, listing every problem."""
    body = _lines(*SUBMISSION, *_people_with_bad_cells())
    answer = system.post("/api/v1/submissions/", body, content_type="application/x-ndjson")

    assert answer.status_code == 400
    document = answer.json()
    assert document["problem_count"] == BAD_AGES + BAD_GENDERS
    assert document["detail"] == (
        "Nothing was imported: 1,503 problems to fix, then send the submission again. The first "
        "problems of each kind are listed, with how many more of each kind were found."
    )
    problems = document["problems"]
    assert len(problems) == MAX_LISTED_PROBLEMS
    # Every kind is listed: the three genders are not hidden behind 1,500 age groups.
    genders = [p for p in problems if p["path"].endswith(".gender_identity")]
    assert len(genders) == BAD_GENDERS
    ages = [p for p in problems if p["path"].endswith(".age_group")]
    assert [p.get("more_of_this_kind") for p in ages] == [None] * (len(ages) - 1) + [
        BAD_AGES - len(ages)
    ]
    assert "more_of_other_kinds" not in document
    assert ImportBatch.objects.get().problem_count == BAD_AGES + BAD_GENDERS


def test_more_kinds_of_problem_than_can_be_listed_are_counted_together(world, system):
    odd_lines = [{"table": "operations", f"column_{number}": "x"} for number in range(250)]
    answer = system.post(
        "/api/v1/submissions/", _lines(*odd_lines), content_type="application/x-ndjson"
    )

    assert answer.status_code == 400
    document = answer.json()
    assert len(document["problems"]) == MAX_LISTED_PROBLEMS
    assert document["problem_count"] == 250
    assert document["more_of_other_kinds"] == 50


def test_lines_nested_too_deep_are_listed_as_the_importer_lists_problems(world, system):
    deep = "[" * 40 + "]" * 40
    body = "\n".join([deep] * 250) + "\n"
    answer = system.post("/api/v1/submissions/", body, content_type="application/x-ndjson")

    assert answer.status_code == 400
    document = answer.json()
    assert document["problem_count"] == 250
    assert len(document["problems"]) == MAX_LISTED_PROBLEMS
    assert document["problems"][-1]["more_of_this_kind"] == 50
    assert not ImportBatch.objects.exists()
