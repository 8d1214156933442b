"""Undoing an import deletes what it created as sets, one statement per table (issue 25): every
table of the standard, the care records that hang on its people and the import's own link rows
come back to what they held before; the audit log says what went in one entry per table, with the
count; and what records entered since still refer to is refused in one plain sentence, with
nothing deleted."""

import datetime
from decimal import Decimal

import pytest
from django.apps import apps
from django.db import connection
from django.test.utils import CaptureQueriesContext

from beyondraid.accounts.models import AuditEntry
from beyondraid.care.models import Alert
from beyondraid.intake import importing
from beyondraid.intake.models import ImportBatch, ImportedFile
from beyondraid.standard import services, synth
from beyondraid.standard.exchange import TABLES
from beyondraid.standard.models import Agency, Encounter, Operation
from beyondraid.standard.tests.builders import make_agency

from .conftest import minimal_files

pytestmark = pytest.mark.django_db

# What an undo keeps by design: the batch, its files and the log that tells the story.
KEPT = {AuditEntry, ImportBatch, ImportedFile}


def _rows_per_table() -> dict[str, int]:
    return {
        model._meta.label_lower: model._base_manager.count()
        for model in apps.get_models(include_auto_created=True)
        if model._meta.managed and model not in KEPT
    }


def _synthetic_files(directory) -> list[importing.SourceFile]:
    rows = synth.generate(operations=3, seed=25)
    synth.write(rows, directory, operations=3, seed=25)
    return [
        importing.SourceFile(path.name, path.read_bytes())
        for path in sorted(directory.glob("*.csv"))
    ]


def _raise_alerts_on_the_imported_people() -> None:
    """Care alerts on some imported people, naming an agency the import created: they go with
    their people, after which nothing keeps that agency (the nightly refresh would write
    follow-ups, which are records entered since, and refuse the undo)."""
    agency = Agency.objects.get(import_record__isnull=False, kind="victim_service_provider")
    for encounter in Encounter.objects.order_by("pk")[:3]:
        Alert.objects.create(
            kind=Alert.Kind.ARREST_WITHOUT_SCREENING,
            status=Alert.Status.DUE,
            encounter=encounter,
            agency=agency,
            about=f"standard.encounter:{encounter.pk}",
            message="Screen the person.",
            raised_on=encounter.encountered_on,
        )


def test_undo_of_every_kind_of_record_restores_every_table_and_logs_one_entry_per_table(
    tmp_path,
):
    before = _rows_per_table()
    importing.import_files(_synthetic_files(tmp_path))
    _raise_alerts_on_the_imported_people()
    imported = _rows_per_table()
    added = {
        table: imported[table] - before[table]
        for table in before
        if imported[table] != before[table]
    }
    for table in TABLES:
        assert added.get(table.model._meta.label_lower), f"the import added no {table.name}"
    assert added.get(Alert._meta.label_lower)
    batch = ImportBatch.objects.get()
    undo_started = AuditEntry.objects.order_by("-pk").values_list("pk", flat=True)[0]

    with CaptureQueriesContext(connection) as queries:
        counts = importing.undo_batch(batch)

    assert _rows_per_table() == before
    entries = AuditEntry.objects.filter(pk__gt=undo_started)
    deleted = entries.filter(action=AuditEntry.Action.DELETE)
    assert {entry.object_type: entry.object_label for entry in deleted} == {
        table: f"undo of import {batch.pk}: {count:,} deleted" for table, count in added.items()
    }
    assert deleted.count() == len(added)
    assert set(deleted.values_list("object_id", "actor_label")) == {
        # No record's id: the entry counts a table; its label names the batch.
        ("", f"undo of import {batch.pk}")
    }
    assert entries.filter(action=AuditEntry.Action.IMPORT_UNDONE).count() == 1
    assert counts == {
        "operations": added["standard.operation"],
        "encounters": added["standard.encounter"],
        "agencies": added["standard.agency"],
    }
    # One DELETE per table, however many rows it held: no record was deleted one by one.
    deletes = [
        query["sql"] for query in queries.captured_queries if query["sql"].startswith("DELETE")
    ]
    assert len(deletes) == len({sql.split()[2] for sql in deletes})


def test_undo_is_refused_naming_what_records_entered_since_refer_to():
    importing.import_files(minimal_files())
    batch = ImportBatch.objects.get()
    funder = make_agency(kind="federal_law_enforcement", state="")
    grant = services.record_funding_source(
        funder=funder,
        programme="ECM",
        amount=Decimal("5000.00"),
        period_start=datetime.date(2020, 1, 1),
        period_end=datetime.date(2020, 12, 31),
    )
    services.allocate_funding(
        funding_source=grant,
        operation=Operation.objects.get(code="OP-7K3M-9QX2"),
        category="overtime",
        amount_allocated=Decimal("1500"),
    )
    tables = _rows_per_table()

    with pytest.raises(importing.UndoRefused) as refused:
        importing.undo_batch(batch)

    assert str(refused.value) == (
        f"Import {batch.pk} cannot be undone: records entered since refer to what it would "
        "delete (1 funding allocation refers to operations). Delete or correct those records "
        "first, then undo the import."
    )
    assert _rows_per_table() == tables
    batch.refresh_from_db()
    assert batch.status == ImportBatch.Status.COMPLETED
