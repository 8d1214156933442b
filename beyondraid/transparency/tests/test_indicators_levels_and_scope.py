"""Every level groups the same people by the rules of ``facts`` (an operation's year, state,
county, initiative and lead agency), the scope filters keep only what was asked for, and the
number of queries does not grow with the number of people: the database counts, Python divides."""

import datetime

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from beyondraid.standard.tests.builders import make_agency, make_encounter, make_operation
from beyondraid.transparency import indicators

pytestmark = pytest.mark.django_db

HARBOR = {"state": "CA", "county": "Harbor County", "city": "Bayview", "venue_type": "hotel"}


def victims(operation, count: int) -> None:
    for _ in range(count):
        make_encounter(operation=operation, role="suspected_victim")


@pytest.fixture
def world_of_levels():
    bayview = make_agency(name="Bayview Police Department", state="CA")
    reno = make_agency(name="Reno Police Department", state="NV")
    victims(make_operation(name="Harbor sting", lead_agency=bayview, places=[HARBOR]), 3)
    victims(
        make_operation(
            name="Bayview sweep",
            lead_agency=bayview,
            start_date=datetime.date(2021, 3, 1),
            end_date=datetime.date(2021, 3, 2),
        ),
        2,
    )
    victims(make_operation(name="Reno raid", lead_agency=reno, initiative="ilni"), 1)
    return bayview, reno


def victims_by_unit(level: str, **scope) -> dict[str, int]:
    return {
        row.unit_label: row.value
        for row in indicators.compute(level, **scope)
        if row.indicator.code == "victims_identified"
    }


@pytest.mark.parametrize(
    ("level", "expected"),
    [
        ("all", {"All operations": 6}),
        ("year", {"2020": 4, "2021": 2}),
        # Without a place, an operation is in its lead agency's state.
        ("state", {"CA": 5, "NV": 1}),
        (
            "county",
            {
                "Harbor County, CA": 3,
                "County not recorded, CA": 2,
                "County not recorded, NV": 1,
            },
        ),
        (
            "initiative",
            {"Local initiative": 5, "Innocence Lost National Initiative (ILNI)": 1},
        ),
        ("agency", {"Bayview Police Department": 5, "Reno Police Department": 1}),
        ("operation", {"Harbor sting": 3, "Bayview sweep": 2, "Reno raid": 1}),
    ],
)
def test_each_level_groups_people_by_their_operation(world_of_levels, level, expected):
    assert victims_by_unit(level) == expected


def test_units_come_in_the_order_of_their_labels(world_of_levels):
    assert list(victims_by_unit("operation")) == ["Bayview sweep", "Harbor sting", "Reno raid"]


def test_year_state_and_agency_narrow_the_scope(world_of_levels):
    bayview, _ = world_of_levels
    assert victims_by_unit("operation", year=2020) == {"Harbor sting": 3, "Reno raid": 1}
    assert victims_by_unit("all", state="NV") == {"All operations": 1}
    assert victims_by_unit("year", agency_id=bayview.pk) == {"2020": 3, "2021": 2}
    assert victims_by_unit("all", year=1999) == {}


def test_an_unknown_level_is_refused_with_the_levels_there_are():
    with pytest.raises(indicators.UnknownLevel) as refused:
        indicators.compute("galaxy")
    assert str(refused.value) == (
        "There is no level 'galaxy'; choose one of: all, year, state, county, initiative, "
        "agency, operation."
    )


@pytest.mark.parametrize("level", list(indicators.LEVELS))
def test_the_number_of_queries_does_not_grow_with_the_people(world_of_levels, level):
    with CaptureQueriesContext(connection) as few:
        indicators.compute(level)
        indicators.disparities(level)
    victims(make_operation(name="Another sting"), 20)
    with CaptureQueriesContext(connection) as many:
        indicators.compute(level)
        indicators.disparities(level)
    assert len(many) == len(few)
    # People, charges, misconduct reports, identifications and their links, funding of
    # operations and beyond them, published figures, breakdowns, completeness.
    assert len(few) <= 16


def test_rows_follow_the_registry_order(world_of_levels):
    codes = list(dict.fromkeys(row.indicator.code for row in indicators.compute("all")))
    assert codes == [indicator.code for indicator in indicators.INDICATORS if indicator.is_measured]
