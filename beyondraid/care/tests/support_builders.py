"""Builders for the tests of family reunification, court dates and record clearing: records
about the referred person, made through the services by agency A's steward unless told."""

import datetime

from beyondraid.care import services
from beyondraid.standard.tests.builders import OPERATION_START

DAY = datetime.timedelta(days=1)
REQUESTED = OPERATION_START + 5 * DAY
HEARING = OPERATION_START + 40 * DAY


def family_request(world, *, by=None, encounter=None, **overrides):
    values = {
        "members_count": 2,
        "relationships": ["children"],
        "whereabouts": "in_another_country",
        "safety_concern": "concern",
        "concerns": ["threats"],
        "requested_on": REQUESTED,
    }
    values.update(overrides)
    return services.record_family_reunification(
        user=by or world.steward_a, encounter=encounter or world.referred_encounter, **values
    )


def court_date(world, *, by=None, encounter=None, **overrides):
    values = {"hearing_on": HEARING, "capacity": "witness", "hearing_kind": "trial"}
    values.update(overrides)
    return services.record_court_date(
        user=by or world.steward_a, encounter=encounter or world.referred_encounter, **values
    )


def clearing(world, *, by=None, encounter=None, **overrides):
    values = {"remedy": "vacatur", "referred_on": REQUESTED}
    values.update(overrides)
    return services.refer_for_record_clearing(
        user=by or world.steward_a, encounter=encounter or world.referred_encounter, **values
    )
