"""The money beside the raids (issue 21, R-185 to R-190): the funding group counts the money for
services, outreach, hotlines, community organisations and labour-law enforcement, by purpose,
and the grants carrying each condition, under the organisation that received them; money for
operations stays with the operations, and a unit without such money says so."""

import datetime
from decimal import Decimal

import pytest

from beyondraid.standard import services
from beyondraid.standard.tests.builders import make_agency, make_encounter, make_operation
from beyondraid.transparency import indicators

pytestmark = pytest.mark.django_db


def _grant(funder, recipient, purpose, conditions, amount, year):
    return services.record_funding_source(
        funder=funder,
        recipient=recipient,
        purpose=purpose,
        conditions=conditions,
        programme=f"{purpose} {year}",
        amount=Decimal(amount),
        period_start=datetime.date(year, 7, 1),
        period_end=datetime.date(year + 1, 6, 30),
    )


@pytest.fixture
def money():
    funder = make_agency(name="State Grants Office", kind="other")
    police = make_agency(name="Bayview Police")
    provider = make_agency(name="Safe Harbor", kind="victim_service_provider")
    workers = make_agency(name="Workers Center", kind="other", state="NV")
    make_encounter(operation=make_operation(lead_agency=police), role="suspected_victim")
    _grant(funder, police, "law_enforcement_operations", ["outcome_targets"], "500000", 2020)
    _grant(
        funder,
        provider,
        "victim_services",
        ["cooperation_with_law_enforcement", "anti_prostitution_pledge"],
        "300000",
        2020,
    )
    _grant(funder, provider, "hotline", ["cooperation_with_law_enforcement"], "40000", 2020)
    _grant(funder, provider, "victim_services", ["none"], "100000", 2021)
    _grant(funder, workers, "labour_law_enforcement", [], "75000", 2020)
    return police, provider, workers


def _rows(level: str, code: str, **scope) -> dict[str, indicators.IndicatorRow]:
    return {
        row.unit_label: row
        for row in indicators.compute(level, **scope)
        if row.indicator.code == code
    }


def test_money_beyond_operations_is_counted_by_purpose_under_its_recipient(money):
    rows = _rows("agency", "funds_beyond_operations")
    assert rows["Safe Harbor"].value == Decimal("440000.00")
    assert rows["Safe Harbor"].display_breakdown == (
        ("Victim services", "$400,000.00"),
        ("Hotline", "$40,000.00"),
    )
    assert rows["Workers Center"].display_breakdown == (("Labour-law enforcement", "$75,000.00"),)
    # The operations' money is not counted here, and the police say they have none beyond it.
    assert rows["Bayview Police"].value is None
    assert rows["Bayview Police"].note == "No funding beyond operations recorded."
    # Its conditions are: grants of every purpose are counted under their recipient.
    assert _rows("agency", "grants_with_conditions")["Bayview Police"].value == 1


def test_grants_are_counted_under_each_condition_they_carry(money):
    rows = _rows("year", "grants_with_conditions")
    # 2020: the operations grant, the services grant and the hotline carry conditions; the
    # labour grant's are not known.
    assert rows["2020"].value == 3
    assert rows["2020"].display_breakdown == (
        ("Anti-prostitution pledge", "1"),
        ("Services only for people who cooperate with law enforcement", "2"),
        ("Tied to outcome targets", "1"),
    )
    # 2021: one grant, with no conditions.
    assert rows["2021"].value == 0 and rows["2021"].display_breakdown == ()


def test_the_year_and_state_filters_apply_to_money_beyond_operations(money):
    assert _rows("all", "funds_beyond_operations", year=2021)["All operations"].value == Decimal(
        "100000.00"
    )
    assert _rows("all", "funds_beyond_operations", state="NV")["All operations"].value == Decimal(
        "75000.00"
    )


def test_levels_of_operations_do_not_show_money_that_belongs_to_none(money):
    for level in ("operation", "initiative"):
        assert _rows(level, "funds_beyond_operations") == {}
        assert _rows(level, "grants_with_conditions") == {}
