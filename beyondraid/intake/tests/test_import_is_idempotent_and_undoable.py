"""Importing the same files again changes nothing; an import batch can be undone as a whole."""

import pytest

from beyondraid.intake import importing
from beyondraid.intake.models import ImportBatch
from beyondraid.standard import services
from beyondraid.standard.models import Agency, Encounter, NonPunishmentAlert, Operation

from .conftest import MINIMAL, minimal_files

pytestmark = pytest.mark.django_db
OTHER_OPERATION = (
    "OP-8K3M-9QX2,Second sting,local,sting,2020-11-02,2020-11-03,Identify minors.,"
    "targeted_investigation,recorded\n"
)


def test_the_same_files_imported_twice_change_nothing():
    importing.import_files(minimal_files())
    counts = (Operation.objects.count(), Encounter.objects.count())

    outcome = importing.import_files(minimal_files())

    assert (Operation.objects.count(), Encounter.objects.count()) == counts
    first, second = ImportBatch.objects.order_by("pk")
    assert outcome.already_imported_in == first
    assert second.status == ImportBatch.Status.UNCHANGED
    assert "already imported in import" in outcome.summary()


def test_rows_already_imported_are_left_unchanged_when_the_file_grew():
    importing.import_files(minimal_files())
    operations = (MINIMAL / "operations.csv").read_text(encoding="utf-8") + OTHER_OPERATION
    parts = (MINIMAL / "operation_agencies.csv").read_text(encoding="utf-8")
    parts += "OP-8K3M-9QX2,Test Harbor Police Department,lead\n"

    outcome = importing.import_files(minimal_files(operations=operations, operation_agencies=parts))

    assert outcome.result.created["operations"] == 1
    assert outcome.result.created["encounters"] == 0
    assert outcome.result.unchanged["operations"] == 1
    assert outcome.result.unchanged["encounters"] == 2
    assert Operation.objects.filter(code="OP-8K3M-9QX2").exists()


def test_undo_removes_what_the_batch_created_and_allows_importing_again():
    before = {model: model.objects.count() for model in (Agency, Operation, Encounter)}
    importing.import_files(minimal_files())
    batch = ImportBatch.objects.get()
    assert NonPunishmentAlert.objects.exists()

    counts = importing.undo_batch(batch)

    assert counts == {"operations": 1, "encounters": 2, "agencies": 2}
    assert {model: model.objects.count() for model in before} == before
    assert not NonPunishmentAlert.objects.exists()
    batch.refresh_from_db()
    assert batch.status == ImportBatch.Status.UNDONE and batch.undone_at
    again = importing.import_files(minimal_files())
    assert again.result.created["encounters"] == 2


def test_undo_is_refused_when_records_were_entered_after_the_import():
    importing.import_files(minimal_files())
    batch = ImportBatch.objects.get()
    encounter = Encounter.objects.get(code="E-1111-2222")
    services.record_cooperation(
        encounter=encounter, status="declined", recorded_on=encounter.encountered_on
    )

    with pytest.raises(importing.UndoRefused, match="records entered after the import"):
        importing.undo_batch(batch)

    assert Encounter.objects.filter(code="E-1111-2222").exists()


def test_an_agency_other_records_still_name_survives_undo(world):
    importing.import_files(minimal_files())
    harbor = Agency.objects.get(name="Test Harbor Police Department")
    services.record_operation(
        name="Later operation",
        initiative="local",
        operation_type="sting",
        start_date=world.operation_a.start_date,
        end_date=world.operation_a.end_date,
        stated_objective="Later.",
        trigger="targeted_investigation",
        lead_agency=harbor,
    )

    counts = importing.undo_batch(ImportBatch.objects.get())

    assert counts["agencies"] == 1
    assert Agency.objects.filter(name="Test Harbor Police Department").exists()
