"""An import keeps everything or nothing (principle 8, docs/principles.md), on SQLite and on
PostgreSQL alike."""

import pytest

from beyondraid.intake import importing
from beyondraid.intake.models import ImportBatch
from beyondraid.standard.models import (
    Agency,
    Charge,
    Encounter,
    NonPunishmentAlert,
    Operation,
    RoleAssessment,
    TreatmentEvent,
)

from .conftest import MINIMAL, minimal_files

pytestmark = pytest.mark.django_db
MODELS = (Agency, Operation, Encounter, RoleAssessment, TreatmentEvent, Charge, NonPunishmentAlert)


def _counts():
    return {model.__name__: model.objects.count() for model in MODELS}


def test_a_bad_row_in_the_middle_leaves_the_database_unchanged():
    events = (MINIMAL / "treatment_events.csv").read_text(encoding="utf-8").splitlines()
    # The second encounter's arrest is valid on its own row; a row between the two events names
    # a kind of event the standard does not have.
    events.insert(2, "E-1111-2222,rescued,2020-10-12,,,,,,,,")
    before = _counts()

    with pytest.raises(importing.ImportRefused) as refused:
        importing.import_files(minimal_files(treatment_events="\n".join(events) + "\n"))

    assert _counts() == before
    assert len(refused.value.problems) == 1
    assert refused.value.problems[0].startswith(
        "treatment_events.csv row 3, column kind: 'rescued'"
    )
    batch = ImportBatch.objects.get()
    assert batch.status == ImportBatch.Status.REJECTED
    assert batch.problems == refused.value.problems
    assert not batch.operations.exists()


def test_a_rule_broken_only_when_records_are_written_still_leaves_nothing():
    follow_ups = (MINIMAL / "follow_ups.csv").read_text(encoding="utf-8")
    # Valid cell by cell; only the model rule (a follow-up is not due before the encounter) refuses
    # it, after the operation and encounters were written in the same transaction.
    follow_ups += "E-3333-4444,2019-01-01,,,unknown,unknown,unknown,unknown,\n"
    before = _counts()

    with pytest.raises(importing.ImportRefused) as refused:
        importing.import_files(minimal_files(follow_ups=follow_ups))

    assert _counts() == before
    assert [p for p in refused.value.problems if p.startswith("follow_ups.csv row 4")]


def test_a_dry_run_reports_what_it_would_create_and_keeps_nothing():
    before = _counts()

    outcome = importing.import_files(minimal_files(), dry_run=True)

    assert _counts() == before
    assert not ImportBatch.objects.exists()
    assert outcome.summary().startswith("Would create 2 agencies, 1 operations")
    assert outcome.result.created["encounters"] == 2


def test_a_row_only_the_database_refuses_is_named_alone_among_many():
    header = (MINIMAL / "operations.csv").read_text(encoding="utf-8").splitlines()[0]
    operations, parts = [header], ["operation_code,agency,part"]
    for number in range(40):
        code = f"OP-{number:04d}-9QX2"
        # Only the database checks that an operation ends after it starts; row 22 breaks it.
        end = "2020-10-01" if number == 20 else "2020-10-14"
        operations.append(
            f"{code},Sting {number},local,sting,2020-10-12,{end},Identify minors.,"
            "targeted_investigation,recorded"
        )
        parts.append(f"{code},Test Harbor Police Department,lead")
    empty = {
        name: (MINIMAL / f"{name}.csv").read_text(encoding="utf-8").splitlines()[0] + "\n"
        for name in (
            "encounters",
            "role_assessments",
            "treatment_events",
            "charges",
            "service_offers",
            "cooperation_records",
            "follow_ups",
            "operation_places",
        )
    }
    before = _counts()

    with pytest.raises(importing.ImportRefused) as refused:
        importing.import_files(
            minimal_files(
                operations="\n".join(operations) + "\n",
                operation_agencies="\n".join(parts) + "\n",
                **empty,
            )
        )

    assert refused.value.problems == [
        "operations.csv row 22, columns start_date and end_date: '2020-10-12', '2020-10-01' — "
        "An operation cannot end before it starts."
    ]
    assert _counts() == before
