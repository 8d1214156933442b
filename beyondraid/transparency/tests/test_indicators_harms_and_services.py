"""Harms to victims and minors (non-punishment alerts, minors arrested, immigration referrals,
interviews without an advocate) and the service, interpreter and screening shares, on one
operation with known answers."""

import datetime

import pytest

from beyondraid.standard import services
from beyondraid.standard.tests.builders import make_agency, make_encounter, make_operation
from beyondraid.transparency import indicators
from beyondraid.transparency.models import COMPUTED

pytestmark = pytest.mark.django_db


@pytest.fixture
def operation():
    police = make_agency()
    operation = make_operation(lead_agency=police)
    day = operation.start_date
    next_day = day + datetime.timedelta(days=1)

    def event(encounter, kind, on=day, **details):
        services.record_treatment_event(encounter=encounter, kind=kind, occurred_on=on, **details)

    def interview(encounter, advocate_present, on=day):
        event(
            encounter,
            "interviewed",
            on=on,
            interview_location="station",
            advocate_present=advocate_present,
            basic_needs_before="no",
            attorney_present="no",
        )

    def offer(encounter, on=day):
        services.offer_service(
            encounter=encounter, service_type="basic_needs", offered_on=on, offered_by=police
        )

    def screen(encounter):
        event(
            encounter,
            "screened",
            screener="officer",
            screening_tool="agency_checklist",
            screening_result="indicators_present",
        )

    minor_victim = make_encounter(operation=operation, role="suspected_victim", age_group="15_17")
    event(minor_victim, "arrested", arrest_basis="probable_cause")
    screen(minor_victim)
    minor = make_encounter(operation=operation, age_group="12_14", interpreter="provided")
    event(minor, "cited")
    referred = make_encounter(
        operation=operation, role="confirmed_victim", interpreter="needed_not_provided"
    )
    event(referred, "immigration_referral")
    buyer = make_encounter(operation=operation, role="buyer", interpreter="not_needed")
    event(buyer, "immigration_referral")
    screen(buyer)

    offered_after_interview = make_encounter(
        operation=operation, role="suspected_victim", interpreter="provided"
    )
    interview(offered_after_interview, advocate_present="no")
    offer(offered_after_interview, on=next_day)
    offered_same_day = make_encounter(operation=operation, role="suspected_victim")
    interview(offered_same_day, advocate_present="yes")
    offer(offered_same_day)
    never_interviewed = make_encounter(operation=operation, role="suspected_victim")
    offer(never_interviewed, on=next_day)
    advocate_unknown = make_encounter(operation=operation, role="suspected_victim")
    interview(advocate_unknown, advocate_present="unknown")
    return operation


def computed(code: str) -> indicators.IndicatorRow:
    (row,) = [
        row
        for row in indicators.compute("all")
        if row.indicator.code == code and row.provenance == COMPUTED
    ]
    return row


@pytest.mark.parametrize(
    ("code", "value", "numerator", "denominator"),
    [
        # The arrested minor victim and the cited minor: both have non-punishment alerts.
        ("victims_punished", 2, 2, None),
        ("minors_arrested", 1, 1, None),
        # The victim referred to immigration counts; the buyer does not.
        ("victims_referred_to_immigration", 1, 1, None),
        # Three victims interviewed; one with no advocate; 'unknown' is not counted as without.
        ("share_victims_interviewed_without_advocate", 33.3, 1, 3),
        ("share_victims_offered_services", 50.0, 3, 6),
        # Offered the same day as the interview, or never interviewed: before any interview.
        ("share_victims_offered_before_interview", 33.3, 2, 6),
        ("share_interpreter_provided", 66.7, 2, 3),
        ("share_screened", 25.0, 2, 8),
    ],
)
def test_harm_and_service_indicators_have_their_known_answers(
    operation, code, value, numerator, denominator
):
    row = computed(code)
    assert (row.value, row.numerator, row.denominator) == (value, numerator, denominator)
