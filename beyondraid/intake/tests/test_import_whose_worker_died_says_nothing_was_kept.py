"""A batch whose task worker died mid-import does not stay "importing" for ever: the next time its
status is shown it is settled as interrupted, saying nothing was kept, and nothing was.

On PostgreSQL the worker holds its batch's row locked while it writes, so a running batch nobody
holds has no worker; on SQLite (the demo) a batch is settled after a long silence of its worker.
"""

import datetime
import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest
from django.core.cache import cache
from django.db import connection
from django.urls import reverse
from django.utils import timezone

from beyondraid.accounts.testing import sign_in_verified
from beyondraid.intake import interruptions
from beyondraid.intake.importing import SourceFile, queue_batch
from beyondraid.intake.interruptions import settle_if_abandoned
from beyondraid.intake.models import ImportBatch
from beyondraid.intake.progress import progress_of, publisher
from beyondraid.intake.tasks import run_import
from beyondraid.standard import synth
from beyondraid.standard.models import Encounter, Operation

# Large enough that the worker is still writing when it is killed.
OPERATIONS = 150
WAIT_SECONDS = 180


def _running_batch(**fields) -> ImportBatch:
    return ImportBatch.objects.create(
        channel=ImportBatch.Channel.UPLOAD_PAGE, status=ImportBatch.Status.RUNNING, **fields
    )


def _long_ago() -> datetime.datetime:
    return timezone.now() - datetime.timedelta(hours=1)


@pytest.mark.django_db
def test_a_batch_that_just_started_is_left_running_whatever_its_lock_says():
    batch = _running_batch(started_at=timezone.now())

    assert settle_if_abandoned(batch).status == ImportBatch.Status.RUNNING


@pytest.mark.django_db
def test_a_finished_batch_is_left_as_it_is():
    batch = ImportBatch.objects.create(
        channel=ImportBatch.Channel.UPLOAD_PAGE, status=ImportBatch.Status.COMPLETED
    )

    assert settle_if_abandoned(batch).status == ImportBatch.Status.COMPLETED


@pytest.mark.postgresql
@pytest.mark.django_db
def test_on_postgresql_a_running_batch_nobody_holds_is_interrupted_and_drops_its_files():
    batch = _running_batch(started_at=_long_ago())
    batch.files.create(name="encounters.csv", sha256="0" * 64, size=3, content=b"abc")

    settled = settle_if_abandoned(batch)

    assert settled.status == ImportBatch.Status.INTERRUPTED
    assert settled.problems == [interruptions.WORKER_STOPPED]
    assert settled.finished_at is not None
    assert bytes(settled.files.get().content) == b""


@pytest.mark.sqlite
@pytest.mark.django_db
def test_on_sqlite_a_running_batch_is_interrupted_only_after_a_long_silence():
    # Batch numbers come again after a rolled-back test on SQLite; so would their progress.
    cache.clear()
    batch = _running_batch(started_at=_long_ago())
    publisher(batch.pk)(10, 1000)

    assert settle_if_abandoned(batch).status == ImportBatch.Status.RUNNING

    silent = _running_batch(started_at=_long_ago())

    assert settle_if_abandoned(silent).status == ImportBatch.Status.INTERRUPTED


def _synthetic_files(directory) -> list[SourceFile]:
    synth.write(
        synth.generate(operations=OPERATIONS, seed=5), directory, operations=OPERATIONS, seed=5
    )
    return [SourceFile(path.name, path.read_bytes()) for path in sorted(directory.glob("*.csv"))]


def _worker(tmp_path) -> subprocess.Popen:
    """The project's task worker, as `beyondraid db_worker` runs in production, on the test
    database, sharing the test's cache (where it publishes progress)."""
    database = connection.settings_dict
    address = (
        f"postgres://{database['USER']}@{database['HOST'] or '127.0.0.1'}:"
        f"{database['PORT'] or 5432}/{database['NAME']}"
    )
    environment = {**os.environ, "DATABASE_URL": address, "BEYONDRAID_DATA_DIR": str(tmp_path)}
    environment.pop("REDIS_URL", None)
    with (tmp_path / "worker.log").open("wb") as log:
        return subprocess.Popen(  # noqa: S603 - our own console script, fixed arguments
            [
                sys.executable,
                "-m",
                "beyondraid.cli",
                "db_worker",
                "--interval",
                "0.2",
                "--no-startup-delay",
                "--no-reload",
            ],
            env=environment,
            stdout=subprocess.DEVNULL,
            stderr=log,
        )


def _wait_for(condition, what: str, worker: subprocess.Popen, log: Path) -> None:
    deadline = time.monotonic() + WAIT_SECONDS
    while not condition():
        if worker.poll() is not None:
            pytest.fail(f"The worker ended before {what}: {log.read_text()[-2000:]}")
        if time.monotonic() > deadline:
            pytest.fail(f"Gave up waiting for {what}.")
        time.sleep(0.1)


@pytest.mark.postgresql
@pytest.mark.django_db(transaction=True)
def test_a_worker_killed_mid_import_leaves_nothing_and_its_batch_says_so(
    world, client, settings, tmp_path, monkeypatch
):
    settings.TASKS = {
        "default": {"BACKEND": "django_tasks_db.DatabaseBackend", "QUEUES": ["default"]}
    }
    settings.CACHES = {
        "default": {
            "BACKEND": "django.core.cache.backends.filebased.FileBasedCache",
            "LOCATION": str(tmp_path / "cache"),
        }
    }
    before = (Encounter.objects.count(), Operation.objects.count())
    batch = queue_batch(
        _synthetic_files(tmp_path / "files"),
        mapping=None,
        user=None,
        channel=ImportBatch.Channel.COMMAND_LINE,
    )
    run_import.enqueue(batch.pk)
    worker = _worker(tmp_path)
    try:
        _wait_for(
            lambda: progress_of(ImportBatch.objects.get(pk=batch.pk))[0] > 0,
            "rows",
            worker,
            tmp_path / "worker.log",
        )
        # Past the start, the worker's lock alone says it is alive.
        monkeypatch.setattr(interruptions, "STARTING_SECONDS", 0)
        alive = settle_if_abandoned(ImportBatch.objects.get(pk=batch.pk))
        done, total = progress_of(alive)
        assert alive.status == ImportBatch.Status.RUNNING and done < total

        os.kill(worker.pid, signal.SIGKILL)
        worker.wait(timeout=30)
    finally:
        if worker.poll() is None:
            worker.kill()
            worker.wait()

    # PostgreSQL ends the worker's session, rolling its transaction back, as soon as it sees
    # the connection closed.
    deadline = time.monotonic() + 30
    settled = settle_if_abandoned(ImportBatch.objects.get(pk=batch.pk))
    while settled.status == ImportBatch.Status.RUNNING and time.monotonic() < deadline:
        time.sleep(0.2)
        settled = settle_if_abandoned(settled)
    assert settled.status == ImportBatch.Status.INTERRUPTED
    assert settled.problems == [interruptions.WORKER_STOPPED]
    assert (Encounter.objects.count(), Operation.objects.count()) == before
    assert not settled.operations.exists() and not settled.encounters.exists()

    sign_in_verified(client, world.administrator)
    page = client.get(reverse("intake:import_detail", args=[batch.pk])).content.decode()
    assert f"Import {batch.pk}: stopped before the end; nothing kept" in page
    assert "The task worker running the import stopped before the end" in page
    assert 'http-equiv="refresh"' not in page
