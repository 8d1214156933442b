"""Records written in bulk (``writing.insert_all``) are stored value for value, as a single save
stores them; when the database refuses some of them, the others are written and each refused one
is named with the rule it breaks."""

import datetime

import pytest
from django.core.exceptions import ValidationError
from django.forms.models import model_to_dict

from beyondraid.standard.models import Charge, Encounter, Statute
from beyondraid.standard.tests.builders import make_encounter, make_operation
from beyondraid.standard.writing import check_before_insert, insert_all

pytestmark = pytest.mark.django_db


def _kept_fields(record) -> dict:
    values = model_to_dict(record)
    values.pop("id")
    return values


def test_a_bulk_write_stores_what_a_single_save_stores():
    operation = make_operation()
    values = {
        "operation": operation,
        "encountered_on": operation.start_date,
        "age_group": "18_24",
        "gender_identity": "woman",
        "race_ethnicity": ["hispanic_latino", "white"],
        "primary_language": "es",
        "source": "import",
        "source_reference": "people.csv row 2",
    }
    saved = Encounter(code="E-SINGLE", **values)
    saved.save()
    written = Encounter(code="E-BULK", **values)
    check_before_insert(written)

    assert insert_all([(written, lambda error: None)]) == [written]

    stored = Encounter.objects.get(code="E-BULK")
    single = Encounter.objects.get(code="E-SINGLE")
    assert stored.pk == written.pk
    assert {**_kept_fields(stored), "code": None} == {**_kept_fields(single), "code": None}
    assert stored.race_ethnicity == ["hispanic_latino", "white"]
    assert stored.created_at is not None and stored.updated_at is not None


def test_records_the_database_refuses_are_named_and_the_others_written():
    encounter = make_encounter()
    statute = Statute.objects.get(code="ca-pc-647b")
    day = encounter.encountered_on
    refused: dict[int, list[str]] = {}
    entries = []
    for position in range(9):
        # A pending charge with a decision date passes the field checks and clean(); only the
        # database's constraint refuses it.
        broken = position in (2, 7)
        charge = Charge(
            encounter=encounter,
            statute=statute,
            charged_on=day,
            disposition="pending",
            disposition_on=day + datetime.timedelta(days=3) if broken else None,
        )
        check_before_insert(charge)

        def remember(error: ValidationError, position=position) -> None:
            refused[position] = error.messages

        entries.append((charge, remember))

    inserted = insert_all(entries)

    assert len(inserted) == 7
    assert sorted(refused) == [2, 7]
    assert refused[2] == ["A decided charge needs its date; a pending one has none."]
    assert entries[2][0].pk is None and entries[7][0].pk is None
    assert all(charge.pk is not None for charge in inserted)
    assert set(Charge.objects.filter(encounter=encounter).values_list("pk", flat=True)) == {
        charge.pk for charge in inserted
    }
