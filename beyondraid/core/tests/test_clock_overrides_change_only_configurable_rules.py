"""A jurisdiction sets its own length for the rules that allow it (the reflection period,
services offered, the visa declarations), never for a law it cannot change; every mistake in the
setting is named."""

from datetime import date

import pytest

from beyondraid.core import clocks

CONFIGURABLE = (
    "i914b-california, i914b-california-removal, i918b-california, i918b-california-removal, "
    "reflection-period, services-offered, continued-presence-decision, cooperation-answer, "
    "record-clearing-referral, family-reunification-answer"
)


def test_an_override_changes_that_rule_only_and_remembers_the_rules_own_length():
    chosen = clocks.rules({"reflection-period": 45, "services-offered": 2})
    assert (chosen["reflection-period"].length, chosen["reflection-period"].overridden_from) == (
        45,
        30,
    )
    assert clocks.due_date(chosen["reflection-period"], date(2026, 6, 4)) == date(2026, 7, 19)
    assert clocks.due_date(chosen["services-offered"], date(2026, 12, 31)) == date(2027, 1, 2)
    assert chosen["foia-determination"] == clocks.rule("foia-determination")
    assert clocks.rules()["reflection-period"].length == 30


def test_setting_the_rules_own_length_is_no_override():
    rule = clocks.rule("reflection-period", {"reflection-period": 45}).with_length(30)
    assert rule.overridden_from is None
    assert rule == clocks.rule("reflection-period")


def test_a_law_cannot_be_overridden():
    with pytest.raises(ValueError) as refused:
        clocks.rules({"foia-determination": 30})
    assert str(refused.value) == (
        "foia-determination cannot be changed by a deployment (it follows "
        f"5 U.S.C. § 552(a)(6)(A)(i)); the rules a deployment may change are: {CONFIGURABLE}."
    )


def test_an_unknown_rule_is_named_with_the_rules_that_exist():
    with pytest.raises(clocks.UnknownRule, match="There is no clock rule 'reflection'; the rules"):
        clocks.rules({"reflection": 45})


@pytest.mark.parametrize("length", [0, -3, 2.5, True])
def test_a_length_is_a_whole_number_of_at_least_one(length):
    with pytest.raises(ValueError, match="reflection-period must be a whole number of calendar"):
        clocks.rules({"reflection-period": length})


def test_the_setting_is_read_from_rule_equals_length_pairs():
    assert clocks.parse_overrides("") == {}
    assert clocks.parse_overrides(" reflection-period = 45 , services-offered=2,") == {
        "reflection-period": 45,
        "services-offered": 2,
    }


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ("reflection-period", "'reflection-period' is not RULE=LENGTH; write for example"),
        ("reflection-period=a month", "'reflection-period=a month' is not RULE=LENGTH"),
        ("reflection-period=45,reflection-period=60", "reflection-period is given twice."),
        ("reflection-period=-5", "reflection-period must be a whole number of calendar days"),
        ("cpra-determination=20", "cpra-determination cannot be changed by a deployment"),
        ("reflexion-period=45", "There is no clock rule 'reflexion-period'"),
    ],
)
def test_every_mistake_in_the_setting_is_named(text, message):
    with pytest.raises(ValueError, match=message):
        clocks.parse_overrides(text)
