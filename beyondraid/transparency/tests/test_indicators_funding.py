"""Funds received and how they were used, by category, and spending per identified victim, per
lead agency; an agency without funding or spending records says so instead of showing $0."""

from decimal import Decimal

import pytest

from beyondraid.standard import services
from beyondraid.standard.tests.builders import make_agency, make_encounter, make_operation
from beyondraid.transparency import indicators
from beyondraid.transparency.models import COMPUTED

pytestmark = pytest.mark.django_db


@pytest.fixture
def agencies():
    funded = make_agency(name="Funded Police Department")
    unspent = make_agency(name="Unspent Sheriff's Department", kind="sheriff")
    unfunded = make_agency(name="Unfunded Police Department")
    funder = make_agency(name="Office for Victims of Crime", kind="federal_law_enforcement")
    funded_operation = make_operation(lead_agency=funded)
    for _ in range(2):
        make_encounter(operation=funded_operation, role="suspected_victim")
    make_encounter(operation=make_operation(lead_agency=unfunded), role="confirmed_victim")
    grant = services.record_funding_source(
        funder=funder,
        programme="Enhanced Collaborative Model",
        amount=Decimal("100000"),
        period_start=funded_operation.start_date,
        period_end=funded_operation.end_date,
    )
    for category, allocated, spent in [
        ("overtime", "20000", "15000.50"),
        ("victim_services", "10000", "5000"),
        ("travel", "3000", None),
    ]:
        services.allocate_funding(
            funding_source=grant,
            operation=funded_operation,
            category=category,
            amount_allocated=Decimal(allocated),
            amount_spent=Decimal(spent) if spent else None,
        )
    services.allocate_funding(
        funding_source=grant,
        operation=make_operation(lead_agency=unspent),
        category="equipment_purchases",
        amount_allocated=Decimal("5000"),
    )
    return funded, unspent, unfunded


def by_agency(code: str) -> dict[str, indicators.IndicatorRow]:
    return {
        row.unit_label: row
        for row in indicators.compute("agency")
        if row.indicator.code == code and row.provenance == COMPUTED
    }


def items(row: indicators.IndicatorRow) -> list[tuple[str, Decimal]]:
    return [(item.label, item.value) for item in row.breakdown]


def test_funds_received_are_the_allocations_by_category(agencies):
    received = by_agency("funds_received")
    funded = received["Funded Police Department"]
    assert funded.value == Decimal("33000.00")
    assert funded.display_value == "$33,000.00"
    assert items(funded) == [
        ("Overtime", Decimal("20000")),
        ("Travel", Decimal("3000")),
        ("Victim services", Decimal("10000")),
    ]
    assert received["Unspent Sheriff's Department"].value == Decimal("5000.00")


def test_funds_spent_leave_out_allocations_not_yet_reported(agencies):
    spent = by_agency("funds_spent")
    funded = spent["Funded Police Department"]
    assert funded.value == Decimal("20000.50")
    assert items(funded) == [
        ("Overtime", Decimal("15000.50")),
        ("Victim services", Decimal("5000")),
    ]
    unspent = spent["Unspent Sheriff's Department"]
    assert (unspent.value, unspent.note) == (None, indicators.NO_SPENDING_REPORTED)


def test_spending_per_victim_divides_spending_by_victims_identified(agencies):
    per_victim = by_agency("spending_per_victim")
    funded = per_victim["Funded Police Department"]
    assert (funded.value, funded.numerator, funded.denominator) == (
        Decimal("10000.25"),
        Decimal("20000.50"),
        2,
    )
    assert funded.display_ratio == "$20,000.50 / 2"


def test_an_agency_without_records_shows_why_instead_of_zero(agencies):
    assert by_agency("funds_received")["Unfunded Police Department"].note == (
        indicators.NO_FUNDING_RECORDED
    )
    unspent_victims = by_agency("victims_identified")["Unspent Sheriff's Department"]
    assert (unspent_victims.value, unspent_victims.note) == (
        None,
        indicators.NO_PERSON_LEVEL_RECORDS,
    )
