"""Arrests by category, victims per 100 arrests, and charges: ten people arrested in one
operation, whose shares and charge levels are known."""

import pytest

from beyondraid.standard import services
from beyondraid.standard.models import Statute
from beyondraid.standard.tests.builders import make_encounter, make_operation
from beyondraid.transparency import indicators
from beyondraid.transparency.models import COMPUTED

pytestmark = pytest.mark.django_db


@pytest.fixture
def operation():
    operation = make_operation()
    day = operation.start_date

    def arrested(role, *statutes):
        encounter = make_encounter(operation=operation, role=role)
        services.record_treatment_event(
            encounter=encounter, kind="arrested", occurred_on=day, arrest_basis="probable_cause"
        )
        for code in statutes:
            services.record_charge(
                encounter=encounter, statute=Statute.objects.get(code=code), charged_on=day
            )
        return encounter

    for _ in range(4):
        arrested("adult_in_commercial_sex")
    arrested("suspected_victim", "ca-pc-653-22")
    for _ in range(3):
        arrested("buyer", "ca-pc-647b")
    arrested("suspected_trafficker", "ca-pc-236-1", "ca-pc-266i")
    arrested("other_third_party", "ca-pc-266h")
    # A victim who was not arrested: identified, never in the denominator of arrests.
    make_encounter(operation=operation, role="confirmed_victim")
    return operation


def computed(code: str) -> indicators.IndicatorRow:
    (row,) = [
        row
        for row in indicators.compute("operation")
        if row.indicator.code == code and row.provenance == COMPUTED
    ]
    return row


@pytest.mark.parametrize(
    ("code", "value", "numerator", "denominator"),
    [
        ("arrests", 10, 10, None),
        ("share_arrests_selling_sex", 50.0, 5, 10),
        ("share_arrests_buying_sex", 30.0, 3, 10),
        ("share_arrests_suspected_traffickers", 10.0, 1, 10),
        ("share_arrests_other", 10.0, 1, 10),
        ("arrests_pimping_pandering_supervising", 2, 2, None),
        ("victims_per_100_arrests", 20.0, 2, 10),
        ("charges_filed", 7, 7, None),
        ("share_trafficking_charges", 14.3, 1, 7),
    ],
)
def test_arrest_and_charge_indicators_have_their_known_answers(
    operation, code, value, numerator, denominator
):
    row = computed(code)
    assert (row.value, row.numerator, row.denominator) == (value, numerator, denominator)


def test_victims_arrested_count_as_people_selling_sex_as_agencies_count_them(operation):
    # The arrested victim is in the selling-sex share; the role stays "victim" everywhere else.
    assert computed("share_arrests_selling_sex").numerator == 5
    assert computed("victims_identified").value == 2


def test_charges_are_split_by_the_level_of_their_statute(operation):
    breakdown = computed("charges_filed").breakdown
    assert [(item.label, item.value) for item in breakdown] == [
        ("Felony", 3),
        ("Misdemeanor", 4),
        ("Felony or misdemeanor", 0),
        ("Infraction", 0),
    ]


def test_ratios_display_with_their_numerator_and_denominator(operation):
    rate = computed("victims_per_100_arrests")
    share = computed("share_trafficking_charges")
    assert (rate.display_value, rate.display_ratio) == ("20.0 per 100", "2 / 10")
    assert (share.display_value, share.display_ratio) == ("14.3 %", "1 / 7")


def test_a_ratio_with_nobody_in_its_denominator_has_no_value_and_says_why():
    make_encounter(operation=make_operation(), role="buyer")
    row = computed("victims_per_100_arrests")
    assert (row.value, row.note) == (None, indicators.NOBODY_IN_DENOMINATOR)
    assert row.display_value == "—"
