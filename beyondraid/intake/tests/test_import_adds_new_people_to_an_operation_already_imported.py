"""A file that grew, whose operation is already in the standard, adds its new people to that
operation as a new batch: rows already stored are recognised and left as they are, rows that give
other facts for a stored operation, person or record are refused with their row, and undoing the
new batch removes only what it added. No row is ever left out while the import reports success."""

import pytest

from beyondraid.intake import importing
from beyondraid.intake.models import ImportBatch
from beyondraid.standard.loading import LoadResult
from beyondraid.standard.models import Encounter, FollowUp, Operation

from .conftest import MINIMAL, minimal_files

pytestmark = pytest.mark.django_db

NEW_PERSON = (
    "E-5555-6666,OP-7K3M-9QX2,2020-10-13,18_24,self_reported,no,woman,unknown,es,provided,"
    "hispanic_latino\n"
)
NEW_ROLE = "E-5555-6666,suspected_victim,screening_indicators,at_encounter,2020-10-13\n"
NEW_FOLLOW_UP = "E-5555-6666,2021-04-13,,,unknown,unknown,unknown,unknown,\n"


def _text(table: str) -> str:
    return (MINIMAL / f"{table}.csv").read_text(encoding="utf-8")


def _grown(**replaced: str) -> list[importing.SourceFile]:
    """The minimal files with one more person in the same operation."""
    tables = {
        "encounters": _text("encounters") + NEW_PERSON,
        "role_assessments": _text("role_assessments") + NEW_ROLE,
        "follow_ups": _text("follow_ups") + NEW_FOLLOW_UP,
    }
    return minimal_files(**{**tables, **replaced})


def _result(outcome: importing.ImportOutcome) -> LoadResult:
    assert outcome.result is not None, outcome.summary()
    return outcome.result


def test_the_new_people_of_an_imported_operation_are_added_and_counted():
    importing.import_files(minimal_files())

    outcome = importing.import_files(_grown())

    assert Encounter.objects.filter(code="E-5555-6666", operation__code="OP-7K3M-9QX2").exists()
    assert FollowUp.objects.filter(encounter__code="E-5555-6666").exists()
    assert Operation.objects.filter(code="OP-7K3M-9QX2").count() == 1
    result = _result(outcome)
    assert result.created["encounters"] == 1
    assert result.created["role_assessments"] == 1
    assert result.created["follow_ups"] == 1
    assert result.unchanged["operations"] == 1
    assert result.unchanged["encounters"] == 2
    assert outcome.summary().startswith("Created 1 encounters, 1 role assessments, 1 follow-ups")
    second = ImportBatch.objects.latest("pk")
    assert second.status == ImportBatch.Status.COMPLETED
    assert second.created["encounters"] == 1


def test_the_same_rows_again_change_nothing():
    importing.import_files(minimal_files())
    importing.import_files(_grown())
    counts = (Encounter.objects.count(), FollowUp.objects.count())

    same_files = importing.import_files(_grown())
    # Other bytes, the same rows: recognised row by row rather than by the files' hashes.
    same_rows = importing.import_files(_grown(charges=_text("charges") + "\n"))

    assert same_files.already_imported_in is not None
    assert not any(_result(same_rows).created.values())
    assert _result(same_rows).unchanged["encounters"] == 3
    assert _result(same_rows).unchanged["follow_ups"] == 3
    assert (Encounter.objects.count(), FollowUp.objects.count()) == counts


def test_a_person_stored_with_other_facts_is_refused_with_the_row_and_nothing_is_written():
    importing.import_files(minimal_files())
    encounters = (_text("encounters") + NEW_PERSON).replace("15_17,document", "15_17,self_reported")

    with pytest.raises(importing.ImportRefused) as refused:
        importing.import_files(_grown(encounters=encounters))

    assert refused.value.problems == [
        "encounters.csv row 2, column age_determination: 'self_reported' — encounter "
        "E-1111-2222 is already in the database with age_determination 'document'; an import "
        "adds records and never changes one, so give the stored facts here, or correct the "
        "encounter first."
    ]
    assert not Encounter.objects.filter(code="E-5555-6666").exists()
    assert Encounter.objects.get(code="E-1111-2222").age_determination == "document"
    assert ImportBatch.objects.latest("pk").status == ImportBatch.Status.REJECTED


def test_an_operation_or_a_record_stored_with_other_facts_is_refused_with_its_row():
    importing.import_files(minimal_files())
    operations = _text("operations").replace("Test hotel sting", "Hotel sting")
    follow_ups = _text("follow_ups").replace("2021-04-20", "2021-04-21") + NEW_FOLLOW_UP

    with pytest.raises(importing.ImportRefused) as refused:
        importing.import_files(_grown(operations=operations, follow_ups=follow_ups))

    assert refused.value.problems == [
        "operations.csv row 2, column name: 'Hotel sting' — operation OP-7K3M-9QX2 is already "
        "in the database with name 'Test hotel sting'; an import adds records and never changes "
        "one, so give the stored facts here, or correct the operation first.",
        "follow_ups.csv row 2: encounter E-1111-2222 is already in the database, and this row "
        "is not among its stored follow-ups; an import adds new people and never changes what "
        "is stored of a person, so give them as stored, or record this on the person's page "
        "first.",
    ]
    assert not Encounter.objects.filter(code="E-5555-6666").exists()


def test_undoing_the_new_batch_removes_only_the_people_it_added():
    importing.import_files(minimal_files())
    importing.import_files(_grown())
    first, second = ImportBatch.objects.order_by("pk")

    with pytest.raises(importing.UndoRefused, match="added to its operations since"):
        importing.undo_batch(first)
    counts = importing.undo_batch(second)

    assert counts == {"operations": 0, "encounters": 1, "agencies": 0}
    assert not Encounter.objects.filter(code="E-5555-6666").exists()
    assert Encounter.objects.filter(code__in=["E-1111-2222", "E-3333-4444"]).count() == 2
    assert importing.undo_batch(first)["encounters"] == 2
    assert not Operation.objects.filter(code="OP-7K3M-9QX2").exists()


def test_a_steward_adds_people_only_to_their_own_agencys_operations(world, harbor_steward):
    importing.import_files(minimal_files(), user=harbor_steward)

    with pytest.raises(importing.ImportRefused) as refused:
        importing.import_files(_grown(), user=world.steward_b)
    added = importing.import_files(_grown(), user=harbor_steward)

    # Another agency's operation is answered as any code taken, naming nothing of it.
    assert refused.value.problems == [
        "operations.csv row 2, column operation_code: operation code OP-7K3M-9QX2 cannot be "
        "used: each code is used once, across every agency's records; give this row another "
        "code."
    ]
    assert _result(added).created["encounters"] == 1
