"""Disparities: each race, ethnicity and gender group's share of the arrests of people selling sex
against its share of identified victims, matched in SQL in the JSON list of race codes, so that a
person with several codes counts in each and a person with none counts as not recorded."""

import pytest

from beyondraid.standard import services
from beyondraid.standard.tests.builders import make_encounter, make_operation
from beyondraid.transparency import indicators

pytestmark = pytest.mark.django_db


@pytest.fixture
def operation():
    operation = make_operation()

    def person(role, race, gender, *, arrested=False):
        encounter = make_encounter(
            operation=operation, role=role, race_ethnicity=race, gender_identity=gender
        )
        if arrested:
            services.record_treatment_event(
                encounter=encounter,
                kind="arrested",
                occurred_on=operation.start_date,
                arrest_basis="probable_cause",
            )

    # Four people arrested as selling sex, one of them a victim.
    person("adult_in_commercial_sex", ["black_african_american"], "woman", arrested=True)
    person(
        "suspected_victim",
        ["black_african_american", "hispanic_latino"],
        "woman",
        arrested=True,
    )
    person("adult_in_commercial_sex", ["white"], "transgender_woman", arrested=True)
    person("adult_in_commercial_sex", [], "not_recorded", arrested=True)
    # Two victims not arrested.
    person("confirmed_victim", ["white"], "woman")
    person("suspected_victim", ["black_african_american"], "woman")
    # A buyer arrested: not selling sex, so Asian people have no row at all.
    person("buyer", ["asian"], "man", arrested=True)
    return operation


def shares(dimension: str) -> dict[str, tuple]:
    return {
        row.code: (row.share_of_selling_sex_arrests, row.share_of_victims, row.gap)
        for row in indicators.disparities("all")
        if row.dimension == dimension
    }


def test_race_shares_count_people_with_several_codes_in_each(operation):
    assert shares("race_ethnicity") == {
        # Arrested: 2 of 4; victims: 2 of 3.
        "black_african_american": (50.0, 66.7, -16.7),
        "hispanic_latino": (25.0, 33.3, -8.3),
        "white": (25.0, 33.3, -8.3),
        # An empty list is not recorded, like ['not_recorded'].
        "not_recorded": (25.0, 0.0, 25.0),
    }


def test_gender_shares_set_arrests_against_victims(operation):
    assert shares("gender_identity") == {
        "woman": (50.0, 100.0, -50.0),
        "transgender_woman": (25.0, 0.0, 25.0),
        "not_recorded": (25.0, 0.0, 25.0),
    }


def test_each_row_keeps_its_counts_and_labels(operation):
    (row,) = [row for row in indicators.disparities("operation") if row.code == "hispanic_latino"]
    assert (row.unit_label, row.label, row.dimension_label) == (
        operation.name,
        "Hispanic or Latino",
        "Race or ethnicity",
    )
    assert (row.selling_sex_arrests, row.all_selling_sex_arrests) == (1, 4)
    assert (row.victims, row.all_victims) == (1, 3)


def test_a_unit_without_victims_has_no_share_of_victims():
    operation = make_operation()
    encounter = make_encounter(
        operation=operation, role="adult_in_commercial_sex", gender_identity="woman"
    )
    services.record_treatment_event(
        encounter=encounter,
        kind="arrested",
        occurred_on=operation.start_date,
        arrest_basis="probable_cause",
    )
    (row,) = [row for row in indicators.disparities("all") if row.code == "woman"]
    assert (row.share_of_selling_sex_arrests, row.share_of_victims, row.gap) == (100.0, None, None)
