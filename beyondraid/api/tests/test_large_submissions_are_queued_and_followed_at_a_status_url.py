"""A submission too large to import within its request, or one sent with ``Prefer:
respond-async``, is checked for what can be checked at once, kept and queued for a task worker:
the answer is 202 with the address of its status, which says where the import is (rows done of
rows to write), what it created, or, when nothing was imported, the same problem document a
submission refused at once gets (issue 25)."""

import datetime
import json
from typing import cast

import pytest
from django.core.cache import cache
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from django.utils import timezone
from django_tasks_db.management.commands import db_worker
from django_tasks_db.models import DBTaskResult

from beyondraid.accounts.models import User
from beyondraid.api import services, tokens
from beyondraid.intake import interruptions, tasks
from beyondraid.intake.importing import UNEXPECTED_STOP
from beyondraid.intake.models import ImportBatch
from beyondraid.standard.models import Encounter, Operation

from .test_writes_are_safe_to_retry_and_submissions_go_through_the_importer import (
    AGENCY,
    SUBMISSION,
    _lines,
    _people_with_bad_cells,
)
from .token_builders import ALL_RECORD_TYPES, TokenClient, agency_a_token, agency_b_token

pytestmark = pytest.mark.django_db

NDJSON = "application/x-ndjson"
ASYNC = {"Prefer": "respond-async"}


class System(TokenClient):
    """An agency's system that may send extra headers, such as ``Prefer``."""

    def send(self, body: str, **headers):
        return self.client.post(
            "/api/v1/submissions/", body, content_type=NDJSON, headers={**self.headers, **headers}
        )

    def send_files(self, files, **headers):
        return self.client.post(
            "/api/v1/submissions/", {"files": files}, headers={**self.headers, **headers}
        )


@pytest.fixture
def system(world):
    return System(agency_a_token(world))


def another_agency_a_token(world, *, can_write=True, record_types=ALL_RECORD_TYPES) -> str:
    """A second token of agency A, made by the administrator who made the first."""
    return tokens.issue(
        user=User.objects.get(username="steward.a.admin"),
        agency=world.agency_a,
        name="Another system",
        can_read=True,
        can_write=can_write,
        record_types=list(record_types),
        expires_on=timezone.localdate() + datetime.timedelta(days=30),
    ).text


def run_the_task_worker(monkeypatch) -> None:
    """What ``beyondraid db_worker --batch`` does: run every queued task, then stop. Its check for
    stale connections between tasks would end the test's transaction, as it would a request's
    if the test client did not stop it."""
    monkeypatch.setattr(db_worker, "close_old_connections", lambda: None)
    db_worker.Worker(
        queue_names=["default"],
        interval=0,
        batch=True,
        backend_name="default",
        startup_delay=False,
        max_tasks=None,
        worker_id="test-worker",
        excluded_queue_names=[],
    ).run()


def test_a_submission_over_the_size_limit_is_queued_and_followed_to_completed(
    world, system, monkeypatch
):
    body = _lines(*SUBMISSION)
    monkeypatch.setattr(services, "QUEUED_ABOVE_BYTES", len(body.encode()) - 1)

    answer = system.send(body)

    assert answer.status_code == 202, answer.json()
    status_url = answer["Location"]
    queued = answer.json()
    assert queued["url"] == status_url and queued["status"] == "queued"
    assert "Preference-Applied" not in answer  # queued for its size, not because it was asked
    assert not Encounter.objects.filter(code="E-7K3M-0001").exists()
    task = DBTaskResult.objects.get()
    assert task.task_path == "beyondraid.intake.tasks.run_import"
    assert task.args_kwargs["args"] == [queued["batch"]]

    waiting = system.get(status_url)
    assert waiting.status_code == 200
    assert waiting.json()["status"] == "queued" and waiting["Retry-After"] == "5"
    assert "task worker" in waiting.json()["summary"]

    # While the worker imports, the status says so, with the rows written of the rows to write.
    while_running: list = []
    publisher = tasks.publisher

    def observed(batch_id):
        publish = publisher(batch_id)

        def publish_and_look(done, total):
            publish(done, total)
            if not while_running:
                while_running.append(system.get(status_url))

        return publish_and_look

    monkeypatch.setattr(tasks, "publisher", observed)
    run_the_task_worker(monkeypatch)

    assert DBTaskResult.objects.get().status == "SUCCESSFUL"
    running = while_running[0]
    assert running.json()["status"] == "running" and running["Retry-After"] == "5"
    assert 0 <= running.json()["rows_done"] <= running.json()["rows_total"]
    assert running.json()["rows_total"] > 0

    finished = system.get(status_url)
    document = finished.json()
    assert document["status"] == "completed" and "Retry-After" not in finished
    assert document["created"]["encounters"] == 1
    assert document["rows_done"] == document["rows_total"] >= running.json()["rows_total"]
    assert document["summary"].startswith("Created 1 operation")
    assert document["finished_at"] is not None
    encounter = Encounter.objects.get(code="E-7K3M-0001", operation__code="OP-7K3M-9QX2")
    assert encounter.source == "api"
    batch = ImportBatch.objects.get(pk=document["batch"])
    assert batch.channel == "api" and batch.agency == world.agency_a
    assert batch.files.get().content == b""  # kept only until the worker imported it


def test_a_small_submission_sent_with_prefer_respond_async_is_queued_too(world, system):
    answer = system.send(_lines(*SUBMISSION), Prefer="return=minimal, Respond-Async; wait=10")

    assert answer.status_code == 202
    assert answer["Preference-Applied"] == "respond-async"
    assert system.get(answer["Location"]).json()["status"] == "queued"


def test_a_small_submission_is_imported_within_its_request_as_before(world, system):
    answer = system.send(_lines(*SUBMISSION), Prefer="return=minimal")

    assert answer.status_code == 201
    assert answer.json()["status"] == "imported" and "Location" not in answer
    assert not DBTaskResult.objects.exists()
    # Its batch can be read at the status address all the same.
    status = system.get(f"/api/v1/submissions/{answer.json()['batch']}/").json()
    assert status["status"] == "completed" and status["created"]["encounters"] == 1


def test_the_same_files_queued_again_are_unchanged(world, system, monkeypatch):
    first = system.send(_lines(*SUBMISSION), **ASYNC)
    run_the_task_worker(monkeypatch)
    again = system.send(_lines(*SUBMISSION), **ASYNC)
    run_the_task_worker(monkeypatch)

    assert system.get(first["Location"]).json()["status"] == "completed"
    unchanged = system.get(again["Location"]).json()
    assert unchanged["status"] == "unchanged" and unchanged["created"] == {}
    assert Encounter.objects.filter(code="E-7K3M-0001").count() == 1


def _refusal_at_the_status_url(system, monkeypatch, send) -> dict:
    queued = send(**ASYNC)
    assert queued.status_code == 202
    run_the_task_worker(monkeypatch)
    status = system.get(queued["Location"])
    assert status.status_code == 200 and "Retry-After" not in status
    assert status.json()["status"] == "rejected"
    return status.json()["refusal"]


def test_a_refused_ndjson_submission_lists_at_its_status_url_what_a_refusal_at_once_lists(
    world, system, monkeypatch
):
    encounter, assessment = cast(list[dict], SUBMISSION[3:5])
    bad_encounter = {**encounter, "encountered_on": "2024-13-01"}
    unknown_column = {**assessment, "mood": "calm"}
    body = _lines(
        *SUBMISSION[:3],
        bad_encounter,
        unknown_column,
        {"table": "nonsense"},
        "[1]",
        *_people_with_bad_cells(),
    )

    at_once = system.send(body)
    refusal = _refusal_at_the_status_url(system, monkeypatch, lambda **h: system.send(body, **h))

    assert at_once.status_code == 400
    assert refusal == at_once.json()
    paths = [problem["path"] for problem in refusal["problems"]]
    assert {"lines[4].encountered_on", "lines[5].mood", "lines[6].table", "lines[7]"} <= set(paths)
    assert refusal["problem_count"] == 1503 + 4
    assert any("more_of_this_kind" in problem for problem in refusal["problems"])
    assert not Operation.objects.filter(code="OP-7K3M-9QX2").exists()


def test_a_refused_csv_submission_points_at_its_cells_at_the_status_url(world, system, monkeypatch):
    def files():
        def csv(name, *rows):
            text = "\n".join(",".join(row) for row in rows) + "\n"
            return SimpleUploadedFile(f"{name}.csv", text.encode(), content_type="text/csv")

        return [
            csv("agencies", ["name", "kind", "state"], [AGENCY, "local_police", "CA"]),
            csv(
                "operation_agencies",
                ["operation_code", "agency", "part"],
                ["OP-7K3M-9QX3", AGENCY, "lead"],
            ),
            csv(
                "encounters",
                ["encounter_code", "operation_code", "encountered_on", "age_group"],
                ["E-7K3M-0002", "OP-7K3M-9QX3", "2024-05-01", "teen"],
            ),
        ]

    at_once = system.send_files(files())
    refusal = _refusal_at_the_status_url(
        system, monkeypatch, lambda **h: system.send_files(files(), **h)
    )

    assert at_once.status_code == 400
    assert refusal == at_once.json()
    assert "encounters.csv[2].age_group" in [problem["path"] for problem in refusal["problems"]]


def test_an_import_stopped_by_an_unexpected_error_says_so_at_the_status_url(
    world, system, monkeypatch
):
    queued = system.send(_lines(*SUBMISSION), **ASYNC)

    def fail(*args, **kwargs):
        raise RuntimeError("disk full")

    monkeypatch.setattr("beyondraid.intake.importing.load_tables", fail)
    run_the_task_worker(monkeypatch)

    refusal = system.get(queued["Location"]).json()["refusal"]
    assert refusal["problems"] == [{"path": "", "message": UNEXPECTED_STOP}]
    assert "disk full" not in json.dumps(refusal)


def test_a_submission_whose_worker_died_is_interrupted_at_the_status_url(world, system):
    encounters_before = Encounter.objects.count()
    queued = system.send(_lines(*SUBMISSION), **ASYNC)
    # The worker took it, then died: no lock held on PostgreSQL, no word for long on SQLite.
    ImportBatch.objects.filter(pk=queued.json()["batch"]).update(
        status=ImportBatch.Status.RUNNING,
        started_at=timezone.now() - datetime.timedelta(hours=1),
    )
    cache.clear()

    answer = system.get(queued["Location"])

    assert answer.json()["status"] == "interrupted"
    assert answer.json()["summary"] == interruptions.WORKER_STOPPED
    assert "Retry-After" not in answer
    assert Encounter.objects.count() == encounters_before


def test_what_can_be_checked_at_once_is_refused_at_once(world, system):
    deep = "[" * 40 + "]" * 40
    too_deep = system.send(_lines(*SUBMISSION) + deep + "\n", **ASYNC)
    assert too_deep.status_code == 400
    assert [problem["path"] for problem in too_deep.json()["problems"]] == ["lines[6]"]

    operations_only = System(another_agency_a_token(world, record_types=["operations"]))
    assert operations_only.send(_lines(*SUBMISSION), **ASYNC).status_code == 403
    assert not ImportBatch.objects.exists() and not DBTaskResult.objects.exists()


def test_the_same_idempotency_key_gets_the_same_202_and_queues_once(world, system):
    first = system.send(_lines(*SUBMISSION), **ASYNC, **{"Idempotency-Key": "sub-1"})
    again = system.send(_lines(*SUBMISSION), **ASYNC, **{"Idempotency-Key": "sub-1"})

    assert first.status_code == again.status_code == 202
    assert again["Idempotent-Replayed"] == "true"
    assert again["Location"] == first["Location"] and again.json() == first.json()
    assert ImportBatch.objects.count() == 1 and DBTaskResult.objects.count() == 1


def test_another_agencys_submission_does_not_exist_for_a_token(world, system):
    queued = system.send(_lines(*SUBMISSION), **ASYNC)
    status_url = queued["Location"]

    agency_b = TokenClient(agency_b_token(world))
    not_theirs = agency_b.get(status_url)
    never_was = system.get("/api/v1/submissions/999999/")
    beyond_any_id = system.get(f"/api/v1/submissions/{2**64}/")

    for answer in (not_theirs, never_was, beyond_any_id):
        assert answer.status_code == 404
        assert answer["Content-Type"] == "application/problem+json"
    assert not_theirs.json() == never_was.json()
    assert Client().get(status_url).status_code == 401


def test_a_token_that_does_not_submit_does_not_follow_submissions(world, system):
    queued = system.send(_lines(*SUBMISSION), **ASYNC)
    reader = TokenClient(another_agency_a_token(world, can_write=False))

    answer = reader.get(queued["Location"])

    assert answer.status_code == 403
    assert "writes operations" in answer.json()["detail"]
