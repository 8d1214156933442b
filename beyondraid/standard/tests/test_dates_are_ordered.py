"""Records about a person can never precede the encounter; periods never end before they start."""

import datetime

import pytest
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction

from beyondraid.standard import services
from beyondraid.standard.models import Operation, Statute
from beyondraid.standard.tests.builders import make_agency, make_encounter, make_operation

pytestmark = pytest.mark.django_db
DAY = datetime.timedelta(days=1)


def test_a_follow_up_cannot_precede_its_encounter():
    encounter = make_encounter()
    with pytest.raises(ValidationError) as error:
        services.record_follow_up(encounter=encounter, due_on=encounter.encountered_on - DAY)
    assert "cannot be before the encounter" in error.value.message_dict["due_on"][0]
    assert not encounter.follow_ups.exists()


@pytest.mark.parametrize(
    ("service", "arguments"),
    [
        ("record_treatment_event", {"kind": "released", "occurred_on": None}),
        ("record_cooperation", {"status": "not_asked", "recorded_on": None}),
        ("assess_role", {"role": "witness", "basis": "other", "assessed_on": None}),
    ],
)
def test_no_dated_record_can_precede_its_encounter(service, arguments):
    encounter = make_encounter()
    date_field = next(name for name, value in arguments.items() if value is None)
    arguments = {**arguments, date_field: encounter.encountered_on - DAY}
    with pytest.raises(ValidationError) as error:
        getattr(services, service)(encounter=encounter, **arguments)
    assert date_field in error.value.message_dict


def test_an_encounter_falls_within_its_operation():
    operation = make_operation()
    with pytest.raises(ValidationError, match="within the operation"):
        make_encounter(operation=operation, encountered_on=operation.end_date + DAY)


def test_an_operation_cannot_end_before_it_starts_even_in_the_database():
    start = datetime.date(2020, 5, 1)
    with pytest.raises(ValidationError, match="cannot end before it starts"):
        make_operation(start_date=start, end_date=start - DAY)
    with pytest.raises(IntegrityError), transaction.atomic():
        Operation.objects.create(
            name="Backwards",
            initiative="local",
            operation_type="sweep",
            start_date=start,
            end_date=start - DAY,
            stated_objective="x",
            trigger="tip",
        )


def test_a_charge_cannot_be_decided_before_it_was_filed():
    encounter = make_encounter()
    statute = Statute.objects.get(code="ca-pc-647b")
    with pytest.raises(ValidationError, match="before it was filed"):
        services.record_charge(
            encounter=encounter,
            statute=statute,
            charged_on=encounter.encountered_on + DAY,
            disposition="dismissed",
            disposition_on=encounter.encountered_on,
        )


def test_a_funding_period_cannot_end_before_it_starts():
    with pytest.raises(ValidationError, match="cannot end before it starts"):
        services.record_funding_source(
            funder=make_agency(kind="federal_law_enforcement", state=""),
            programme="ECM",
            amount=1000,
            period_start=datetime.date(2020, 1, 1),
            period_end=datetime.date(2019, 1, 1),
        )
