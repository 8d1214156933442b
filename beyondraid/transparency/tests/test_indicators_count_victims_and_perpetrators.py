"""The Rec 3.2 counts of victims and perpetrators, on a hand-built operation with known answers:
victims by their current role only, services by type, six-month follow-ups, prosecutions and for
what; perpetrators by role, never by a pimping charge, with lesser convictions shown apart."""

import datetime

import pytest

from beyondraid.standard import services
from beyondraid.standard.models import Statute
from beyondraid.standard.tests.builders import make_agency, make_encounter, make_operation
from beyondraid.transparency import indicators
from beyondraid.transparency.models import COMPUTED

pytestmark = pytest.mark.django_db


def statute(code: str) -> Statute:
    return Statute.objects.get(code=code)


@pytest.fixture
def operation():
    police = make_agency(name="Bayview Police Department")
    operation = make_operation(lead_agency=police)
    day = operation.start_date

    def person(role, **attributes):
        return make_encounter(operation=operation, role=role, **attributes)

    def offer(encounter, service_type, response):
        services.offer_service(
            encounter=encounter,
            service_type=service_type,
            offered_on=day,
            offered_by=police,
            response=response,
        )

    def follow_up(encounter, days_after, **outcomes):
        done = day + datetime.timedelta(days=days_after)
        services.record_follow_up(
            encounter=encounter, due_on=done, done_on=done, reached="yes", **outcomes
        )

    undocumented = person("suspected_victim", citizenship_status="undocumented")
    offer(undocumented, "trafficking_shelter", "accepted")
    offer(undocumented, "legal_services", "accepted")
    follow_up(
        undocumented,
        200,
        still_receiving_services="yes",
        re_trafficking="suspected",
        prosecuted="yes",
        prosecuted_for=[statute("ca-pc-647b")],
    )
    resident = person("confirmed_victim", citizenship_status="lawful_permanent_resident")
    offer(resident, "emergency_shelter", "declined")
    # Still receiving services, but five months on: not "after six months".
    follow_up(resident, 150, still_receiving_services="yes", deported="yes")
    person("suspected_victim", citizenship_status="us_citizen")
    # Recorded as unknown at the encounter, identified as a victim later: the latest role counts.
    later = person("unknown")
    services.assess_role(
        encounter=later, role="suspected_victim", basis="screening_indicators", assessed_on=day
    )
    # Undocumented but not a victim: not a foreign-national victim.
    person("adult_in_commercial_sex", citizenship_status="undocumented")

    convicted = person("suspected_trafficker")
    services.record_charge(
        encounter=convicted,
        statute=statute("ca-pc-236-1"),
        charged_on=day,
        disposition="convicted_as_charged",
        disposition_on=day + datetime.timedelta(days=90),
    )
    lesser = person("suspected_trafficker")
    services.record_charge(
        encounter=lesser,
        statute=statute("ca-pc-236-1"),
        charged_on=day,
        disposition="dismissed",
        disposition_on=day + datetime.timedelta(days=60),
    )
    services.record_charge(
        encounter=lesser,
        statute=statute("ca-pc-266h"),
        charged_on=day,
        disposition="convicted_lesser",
        disposition_on=day + datetime.timedelta(days=60),
    )
    person("suspected_trafficker")
    # Charged with pimping only: a pimping charge never makes anyone a perpetrator of trafficking.
    pimp = person("other_third_party")
    services.record_charge(encounter=pimp, statute=statute("ca-pc-266h"), charged_on=day)
    return operation


def computed(code: str) -> indicators.IndicatorRow:
    (row,) = [
        row
        for row in indicators.compute("all")
        if row.indicator.code == code and row.provenance == COMPUTED
    ]
    return row


@pytest.mark.parametrize(
    ("code", "expected"),
    [
        ("victims_identified", 4),
        ("victims_foreign_nationals", 2),
        ("victims_undocumented", 1),
        ("victims_offered_services", 2),
        ("victims_accepted_services", 1),
        ("victims_receiving_after_six_months", 1),
        ("victims_re_trafficked", 1),
        ("victims_deported", 1),
        ("victims_prosecuted", 1),
        ("perpetrators_identified", 3),
        ("perpetrators_charged_trafficking", 2),
        ("perpetrators_convicted_trafficking", 1),
        ("perpetrators_convicted_lesser", 1),
    ],
)
def test_each_rec_3_2_count_has_its_known_answer(operation, code, expected):
    row = computed(code)
    assert (row.value, row.note) == (expected, "")


def test_accepted_services_are_broken_down_by_service_type(operation):
    breakdown = computed("victims_accepted_services").breakdown
    assert [(item.label, item.value) for item in breakdown] == [
        ("Trafficking-specific shelter", 1),
        ("Legal services", 1),
    ]


def test_prosecuted_victims_say_for_what(operation):
    breakdown = computed("victims_prosecuted").breakdown
    assert [(item.label, item.value) for item in breakdown] == [("Cal. Penal Code § 647(b)", 1)]


def test_counts_show_as_whole_numbers_with_no_ratio(operation):
    row = computed("victims_identified")
    assert (row.display_value, row.display_ratio) == ("4", "")
