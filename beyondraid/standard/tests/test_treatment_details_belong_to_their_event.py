"""Screening, interview and arrest details are recorded with their own kind of event only."""

import pytest
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction

from beyondraid.standard import services
from beyondraid.standard.models import TreatmentEvent
from beyondraid.standard.tests.builders import make_encounter

pytestmark = pytest.mark.django_db


def test_an_interview_records_where_and_whether_an_advocate_and_basic_needs_came_first():
    encounter = make_encounter(role="suspected_victim", role_basis="self_identified")
    event = services.record_treatment_event(
        encounter=encounter,
        kind="interviewed",
        occurred_on=encounter.encountered_on,
        interview_location="station",
        advocate_present="no",
        basic_needs_before="no",
        attorney_present="no",
    )
    assert (event.advocate_present, event.basic_needs_before) == ("no", "no")


def test_an_arrest_without_its_basis_is_refused_with_the_field_named():
    encounter = make_encounter()
    with pytest.raises(ValidationError) as error:
        services.record_treatment_event(
            encounter=encounter, kind="arrested", occurred_on=encounter.encountered_on
        )
    assert "arrest_basis" in error.value.message_dict


def test_screening_details_on_a_release_are_refused():
    encounter = make_encounter()
    with pytest.raises(ValidationError) as error:
        services.record_treatment_event(
            encounter=encounter,
            kind="released",
            occurred_on=encounter.encountered_on,
            screening_result="no_indicators",
        )
    assert "screening_result" in error.value.message_dict


def test_the_database_refuses_details_on_the_wrong_event_too():
    encounter = make_encounter()
    event = services.record_treatment_event(
        encounter=encounter, kind="released", occurred_on=encounter.encountered_on
    )
    with pytest.raises(IntegrityError), transaction.atomic():
        TreatmentEvent.objects.filter(pk=event.pk).update(arrest_basis="probable_cause")
