"""An advocate is the person's support, not a condition put on them (R40): an interview is flagged
for a missing advocate only when the person had not declined one (issue 7, interview conditions).
"""

import datetime

import pytest

from beyondraid.care.alerts import refresh_alerts
from beyondraid.care.models import Alert
from beyondraid.standard import services as standard

pytestmark = pytest.mark.django_db

WEEK = datetime.timedelta(days=7)


def _interview(encounter, advocate_present):
    return standard.record_treatment_event(
        encounter=encounter,
        kind="interviewed",
        # A week after the operation, basic needs met: only the advocate can be at fault.
        occurred_on=encounter.operation.end_date + WEEK,
        interview_location="neutral_site",
        advocate_present=advocate_present,
        basic_needs_before="yes",
        attorney_present="no",
    )


def test_a_declined_advocate_raises_no_flag_but_an_absent_one_does(world):
    chose_alone = _interview(world.encounter_b, "declined")
    refresh_alerts(today=world.encounter_b.encountered_on + 10 * WEEK)
    # Inside the reflection period it is still flagged as such; only the advocate is not at fault.
    assert not Alert.objects.filter(
        kind=Alert.Kind.INTERVIEW_CONDITIONS, about=f"standard.treatmentevent:{chose_alone.pk}"
    ).exists()

    without = _interview(world.referred_encounter, "no")
    refresh_alerts(today=world.referred_encounter.encountered_on + 10 * WEEK)
    flag = Alert.objects.get(
        kind=Alert.Kind.INTERVIEW_CONDITIONS, about=f"standard.treatmentevent:{without.pk}"
    )
    assert flag.status == "flagged"
    assert "without an advocate" in flag.message


def test_the_standard_tells_a_declined_advocate_from_an_absent_one(world):
    event = _interview(world.encounter_b, "declined")
    assert event.get_advocate_present_display() == "Declined by the person"
