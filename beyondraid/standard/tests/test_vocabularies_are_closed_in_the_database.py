"""A code outside its vocabulary cannot be stored, whichever way it arrives."""

import pytest
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction

from beyondraid.standard import services
from beyondraid.standard.models import Encounter, OperationParticipant, RoleAssessment
from beyondraid.standard.tests.builders import make_encounter, make_operation

pytestmark = pytest.mark.django_db


def test_a_role_outside_the_closed_list_is_refused_by_validation():
    with pytest.raises(ValidationError) as error:
        make_encounter(role="rescued")
    assert "role" in error.value.message_dict


def test_a_role_outside_the_closed_list_is_refused_by_the_database_itself():
    encounter = make_encounter()
    with pytest.raises(IntegrityError), transaction.atomic():
        RoleAssessment.objects.filter(encounter=encounter).update(role="rescued")


def test_an_age_group_outside_the_vocabulary_is_refused_by_the_database_itself():
    encounter = make_encounter()
    with pytest.raises(IntegrityError), transaction.atomic():
        Encounter.objects.filter(pk=encounter.pk).update(age_group="teen")


def test_race_and_ethnicity_take_several_codes_but_not_recorded_stands_alone():
    operation = make_operation()
    encounter = make_encounter(operation=operation, race_ethnicity=["asian", "white"])
    assert encounter.race_ethnicity == ["asian", "white"]
    with pytest.raises(ValidationError, match="cannot be combined"):
        make_encounter(operation=operation, race_ethnicity=["not_recorded", "asian"])
    with pytest.raises(ValidationError, match="Unknown race and ethnicity"):
        make_encounter(operation=operation, race_ethnicity=["martian"])


def test_only_a_task_force_has_member_agencies():
    member = services.record_agency(name="Member PD", kind="local_police", state="CA")
    with pytest.raises(ValidationError, match="Only a task force"):
        services.record_agency(
            name="Not a TF", kind="sheriff", state="CA", member_agencies=[member]
        )
    task_force = services.record_agency(
        name="Regional TF", kind="task_force", state="CA", member_agencies=[member]
    )
    assert list(task_force.member_agencies.all()) == [member]


def test_an_operation_has_exactly_one_lead():
    operation = make_operation()
    with pytest.raises(ValidationError, match="exactly one lead"):
        OperationParticipant(
            operation=operation,
            agency=services.record_agency(name="Second lead", kind="sheriff", state="CA"),
            part="lead",
        ).full_clean()
    assert operation.lead_agency is not None


def test_foreign_national_is_derived_from_status():
    operation = make_operation()
    assert make_encounter(
        operation=operation, citizenship_status="undocumented"
    ).is_foreign_national
    assert (
        make_encounter(operation=operation, citizenship_status="us_citizen").is_foreign_national
        is False
    )
    assert (
        make_encounter(operation=operation, citizenship_status="unknown").is_foreign_national
        is None
    )
