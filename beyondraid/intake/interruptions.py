"""Imports that the server stopped before the end: what the batch says then, and how a batch whose
worker died is found out.

An import writes in one transaction, so when its worker is killed, its database connection is
lost or the database runs out of disk, nothing it wrote is kept. What is left to get right is the
batch: it must say that it stopped and that nothing was kept, never stay "importing" for ever,
and never show a user a traceback.

On PostgreSQL the worker holds a lock on its batch's row for as long as the import's transaction
lasts (``hold``), and PostgreSQL releases it when the worker's connection ends, however it ends.
A running batch whose row nobody holds has lost its worker (``settle_if_abandoned``). Reading the
batch is never blocked by that lock. SQLite, for the demo, cannot tell whether a row is locked, so
there a running batch is settled after a long silence of its worker.
"""

import datetime
import logging
import sqlite3

from django.db import DatabaseError, InterfaceError, OperationalError, connection, transaction
from django.utils import timezone

from .models import ImportBatch
from .progress import last_word

logger = logging.getLogger(__name__)

CONNECTION_LOST = (
    "The database connection was lost during the import; nothing was kept. Run it again."
)
DISK_FULL = (
    "The database server ran out of disk space during the import; nothing was kept. Tell your "
    "administrator, then run it again once space is freed."
)
WORKER_STOPPED = (
    "The task worker running the import stopped before the end; nothing was kept. Run it again."
)

# Between saving a batch as running and locking its row, the worker sends two short statements;
# a batch younger than this is never taken for abandoned, whatever its lock says.
STARTING_SECONDS = 30
# SQLite only: how long a running batch's worker may stay silent (reading a large file sends no
# word) before the batch is taken for abandoned.
SILENT_SECONDS = 15 * 60

# SQLSTATE classes and codes of a connection that ended under the import (PostgreSQL restarted
# or shut down, the backend terminated), and of a disk that is full.
_CONNECTION_CLASS = "08"
_CONNECTION_ENDED = {"57P01", "57P02", "57P03"}
_DISK_FULL = "53100"


class ImportInterrupted(Exception):
    """The server stopped the import before the end and nothing was kept; the message says why,
    in the words its batch keeps."""


def reason_for(error: DatabaseError) -> str | None:
    """The plain reason a database error stopped an import, when it is a fault of the server
    (its connection lost, its disk full); None for any other error."""
    cause = error.__cause__
    sqlstate = getattr(cause, "sqlstate", None)
    if sqlstate == _DISK_FULL or getattr(cause, "sqlite_errorcode", None) == sqlite3.SQLITE_FULL:
        return DISK_FULL
    if sqlstate is not None:
        ended = sqlstate.startswith(_CONNECTION_CLASS) or sqlstate in _CONNECTION_ENDED
        return CONNECTION_LOST if ended else None
    # A connection that broke mid-statement reports no SQLSTATE, and once closed, every use
    # raises InterfaceError.
    if isinstance(error, InterfaceError) or (
        isinstance(error, OperationalError) and connection.vendor == "postgresql"
    ):
        return CONNECTION_LOST
    return None


def reconnect() -> bool:
    """Drop the connection an error may have broken, so that the batch's status is saved on a new
    one. False inside an outer transaction (an API write with an idempotency key), which rolls
    back the batch with everything else: the batch is then absent, which says the same."""
    if connection.in_atomic_block:
        return False
    connection.close()
    return True


def hold(batch: ImportBatch) -> None:
    """Lock the batch's row until the import's transaction ends, so that anyone can tell that its
    worker is alive; raise ``ImportInterrupted`` when the batch was meanwhile settled as
    abandoned (its worker stalled longer than ``STARTING_SECONDS`` before getting here)."""
    status = (
        ImportBatch.objects.select_for_update()
        .filter(pk=batch.pk)
        .values_list("status", flat=True)
        .get()
    )
    if status != ImportBatch.Status.RUNNING:
        raise ImportInterrupted(WORKER_STOPPED)


def settle_if_abandoned(batch: ImportBatch) -> ImportBatch:
    """The batch, marked interrupted if it is running with no one running it; call it wherever a
    batch's status is shown."""
    if batch.status != ImportBatch.Status.RUNNING:
        return batch
    now = timezone.now()
    started = batch.started_at or batch.created_at
    if now - started < datetime.timedelta(seconds=STARTING_SECONDS):
        return batch
    with transaction.atomic():
        running = ImportBatch.objects.filter(pk=batch.pk, status=ImportBatch.Status.RUNNING)
        if connection.features.has_select_for_update_skip_locked:
            # The worker's lock hides the row; a row returned has no worker.
            abandoned = running.select_for_update(skip_locked=True).exists()
        else:
            heard = max(started, last_word(batch.pk) or started)
            abandoned = now - heard > datetime.timedelta(seconds=SILENT_SECONDS)
        if abandoned:
            running.update(
                status=ImportBatch.Status.INTERRUPTED,
                finished_at=now,
                problems=[WORKER_STOPPED],
                problems_not_listed=[],
                problem_count=1,
            )
            batch.files.update(content=b"")
            logger.warning("Import %s had lost its task worker; nothing was kept.", batch.pk)
    batch.refresh_from_db()
    return batch
