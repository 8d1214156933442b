"""A minor in commercial sex is a trafficking victim in law (R34), never an adult in commercial
sex (principle 2, docs/principles.md)."""

import pytest
from django.core.exceptions import ValidationError
from hypothesis import given, settings
from hypothesis import strategies as st

from beyondraid.standard import services
from beyondraid.standard.models import Encounter
from beyondraid.standard.tests.builders import make_encounter, make_operation
from beyondraid.standard.vocabulary import vocabulary

pytestmark = pytest.mark.django_db

MINOR_GROUPS = vocabulary("age_group").codes_where("is_minor", True)


@pytest.mark.parametrize("age_group", MINOR_GROUPS)
def test_a_minor_cannot_be_recorded_as_an_adult_in_commercial_sex(age_group):
    operation = make_operation()
    with pytest.raises(ValidationError) as error:
        make_encounter(operation=operation, age_group=age_group, role="adult_in_commercial_sex")
    assert "minor can never" in str(error.value)
    assert not Encounter.objects.filter(operation=operation).exists()


def test_a_later_assessment_cannot_make_a_minor_an_adult_in_commercial_sex():
    encounter = make_encounter(
        age_group="15_17", role="suspected_victim", role_basis="minor_by_age"
    )
    with pytest.raises(ValidationError, match="minor can never"):
        services.assess_role(
            encounter=encounter,
            role="adult_in_commercial_sex",
            basis="self_identified",
            assessed_on=encounter.encountered_on,
        )
    assert encounter.current_role == "suspected_victim"


def test_changing_the_age_of_an_adult_in_commercial_sex_to_a_minor_is_refused():
    encounter = make_encounter(age_group="18_24", role="adult_in_commercial_sex")
    encounter.age_group = "15_17"
    with pytest.raises(ValidationError) as error:
        encounter.full_clean()
    assert "age_group" in error.value.message_dict


def test_minor_by_age_needs_a_minor_age_group():
    with pytest.raises(ValidationError, match="under 18"):
        make_encounter(age_group="25_34", role="confirmed_victim", role_basis="minor_by_age")


@settings(max_examples=25, deadline=None)
@given(
    age_group=st.sampled_from(vocabulary("age_group").codes),
    role=st.sampled_from(vocabulary("role").codes),
)
def test_only_the_minor_adult_in_commercial_sex_pair_is_refused(age_group, role):
    refused = age_group in MINOR_GROUPS and role == "adult_in_commercial_sex"
    try:
        make_encounter(age_group=age_group, role=role)
    except ValidationError:
        assert refused
    else:
        assert not refused
