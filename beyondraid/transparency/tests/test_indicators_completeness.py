"""Data completeness per agency and core field: a field recorded for fewer than 70 % of the
agency's people is not covered, and an agency with any core field not covered is labelled
"incomplete data" instead of given a score, here and beside its indicators."""

import pytest

from beyondraid.standard.tests.builders import make_agency, make_encounter, make_operation
from beyondraid.transparency import indicators
from beyondraid.transparency.indicators import COVERAGE_THRESHOLD, FieldCoverage

pytestmark = pytest.mark.django_db

RECORDED = {
    "role": "buyer",
    "age_group": "25_34",
    "gender_identity": "man",
    "race_ethnicity": ["white"],
    "citizenship_status": "us_citizen",
    "interpreter": "not_needed",
    "primary_language": "en",
}


def people(agency, *, recorded: int, unrecorded: int, **unrecorded_fields):
    """``recorded`` people with every core field recorded, and ``unrecorded`` people with the
    given fields left at their 'unknown' or 'not recorded' defaults (all of them if none given)."""
    operation = make_operation(lead_agency=agency)
    for _ in range(recorded):
        make_encounter(operation=operation, **RECORDED)
    for _ in range(unrecorded):
        kept = {name: value for name, value in RECORDED.items() if name not in unrecorded_fields}
        make_encounter(operation=operation, **(kept if unrecorded_fields else {}))


@pytest.fixture
def agencies():
    at_threshold = make_agency(name="At The Threshold Police")
    people(at_threshold, recorded=7, unrecorded=3)
    below = make_agency(name="Below The Threshold Police")
    # Six of ten with a race recorded: four with an empty list or 'not recorded'.
    people(below, recorded=6, unrecorded=2, race_ethnicity=[])
    people(below, recorded=0, unrecorded=2, race_ethnicity=["not_recorded"])
    return at_threshold, below


def test_the_threshold_is_seventy_per_cent():
    assert COVERAGE_THRESHOLD == 70


def test_a_field_recorded_for_exactly_seventy_per_cent_is_covered(agencies):
    at_threshold, _ = agencies
    (agency,) = indicators.completeness(at_threshold.pk)
    assert agency.people == 10
    assert [(f.name, f.share_recorded, f.covered) for f in agency.fields] == [
        ("age_group", 70.0, True),
        ("gender_identity", 70.0, True),
        ("race_ethnicity", 70.0, True),
        ("citizenship_status", 70.0, True),
        ("role", 70.0, True),
        ("interpreter", 70.0, True),
        ("primary_language", 70.0, True),
    ]
    assert not indicators.is_incomplete(at_threshold.pk)
    assert (agency.score, agency.label) == (70.0, "70.0 %")


def test_one_core_field_below_seventy_per_cent_makes_the_agency_incomplete(agencies):
    _, below = agencies
    (agency,) = indicators.completeness(below.pk)
    race = next(f for f in agency.fields if f.name == "race_ethnicity")
    assert (race.recorded, race.people, race.share_not_recorded, race.covered) == (
        6,
        10,
        40.0,
        False,
    )
    assert all(f.covered for f in agency.fields if f.name != "race_ethnicity")
    assert indicators.is_incomplete(below.pk)
    assert (agency.score, agency.label) == (None, "Incomplete data")


def test_a_share_just_below_the_threshold_is_not_covered_and_never_shows_as_seventy():
    almost = FieldCoverage("role", "Role", recorded=6999, people=10000)
    assert (almost.share_recorded, almost.share_not_recorded, almost.covered) == (69.9, 30.1, False)
    assert FieldCoverage("role", "Role", recorded=7000, people=10000).covered


def test_every_agency_with_records_is_listed_by_name(agencies):
    assert [agency.agency_name for agency in indicators.completeness()] == [
        "At The Threshold Police",
        "Below The Threshold Police",
    ]


def test_an_agency_without_person_level_records_is_not_labelled():
    assert not indicators.is_incomplete(make_agency().pk)


def test_indicators_by_agency_carry_the_label_beside_computed_values(agencies):
    marked = {
        row.unit_label: row.incomplete_data
        for row in indicators.compute("agency")
        if row.indicator.code == "victims_identified"
    }
    assert marked == {"At The Threshold Police": False, "Below The Threshold Police": True}
