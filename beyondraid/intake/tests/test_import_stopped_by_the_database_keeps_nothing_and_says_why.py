"""An import that the database server stops (its connection lost as in a restart, its disk full)
keeps nothing, and its batch says why in plain words, saved on a new connection."""

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError
from django.db import connection
from django.urls import reverse

from beyondraid.accounts.models import AuditEntry
from beyondraid.accounts.testing import sign_in_verified
from beyondraid.intake import interruptions
from beyondraid.intake.importing import import_files
from beyondraid.intake.interruptions import ImportInterrupted
from beyondraid.intake.models import ImportBatch, ImportedOperation
from beyondraid.standard.models import Encounter, Operation

from .conftest import MINIMAL, minimal_files
from .database_faults import full_disk, other_connection

pytestmark = [pytest.mark.postgresql, pytest.mark.django_db(transaction=True)]


def _counts() -> tuple[int, int, int, int]:
    return (
        Encounter.objects.count(),
        Operation.objects.count(),
        ImportedOperation.objects.count(),
        AuditEntry.objects.filter(action=AuditEntry.Action.IMPORT).count(),
    )


def _page_of(client, user, batch) -> str:
    sign_in_verified(client, user)
    return client.get(reverse("intake:import_detail", args=[batch.pk])).content.decode()


def test_a_connection_lost_while_writing_keeps_nothing_and_the_batch_says_so(world, client):
    before = _counts()
    connection.ensure_connection()
    importer = connection.connection.info.backend_pid
    terminated: list[int] = []

    def terminate_the_importer(done: int, total: int) -> None:
        # What the import's connection sees of a PostgreSQL restart: its backend ends mid-write.
        if not terminated:
            with other_connection() as other:
                other.execute("SELECT pg_terminate_backend(%s, 5000)", [importer])
            terminated.append(done)

    with pytest.raises(ImportInterrupted, match="connection was lost"):
        import_files(minimal_files(), progress=terminate_the_importer)

    assert terminated
    batch = ImportBatch.objects.get()
    assert batch.status == ImportBatch.Status.INTERRUPTED
    assert batch.problems == [interruptions.CONNECTION_LOST]
    assert batch.created == {} and batch.finished_at is not None
    assert _counts() == before
    page = _page_of(client, world.administrator, batch)
    assert "stopped before the end; nothing kept" in page
    assert "The database connection was lost during the import; nothing was kept." in page
    assert "to fix" not in page


def test_a_full_disk_keeps_nothing_and_the_batch_says_so(world, client):
    before = _counts()

    with full_disk(), pytest.raises(ImportInterrupted, match="ran out of disk space"):
        import_files(minimal_files())

    batch = ImportBatch.objects.get()
    assert batch.status == ImportBatch.Status.INTERRUPTED
    assert batch.problems == [interruptions.DISK_FULL]
    assert _counts() == before
    page = _page_of(client, world.administrator, batch)
    assert "The database server ran out of disk space during the import" in page


def test_the_command_line_says_it_in_one_line(world):
    with full_disk(), pytest.raises(CommandError) as stopped:
        call_command("import", *[str(path) for path in sorted(MINIMAL.glob("*.csv"))])

    assert str(stopped.value) == interruptions.DISK_FULL
