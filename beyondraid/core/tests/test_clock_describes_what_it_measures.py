"""A clock describes itself in one plain sentence: the due date, what is measured, the source it
follows, and where it stands."""

from datetime import date

from beyondraid.core import clocks

FOIA = clocks.rule("foia-determination")
RECEIVED = date(2026, 11, 20)
MEASURED = (
    "20 business days from receipt of the request to the agency's determination "
    "(5 U.S.C. § 552(a)(6)(A)(i))"
)


def describe(today: date, **clock) -> str:
    return clocks.Clock(FOIA, RECEIVED, **clock).describe(today)


def test_running_due_today_and_overdue():
    assert describe(date(2026, 12, 16)) == f"Due 2026-12-21: {MEASURED}; 5 days left."
    assert describe(date(2026, 12, 21)) == f"Due 2026-12-21: {MEASURED}; due today."
    assert describe(date(2026, 12, 24)) == f"Due 2026-12-21: {MEASURED}; 3 days overdue."
    assert describe(date(2027, 2, 19)) == (
        f"Due 2026-12-21: {MEASURED}; 60 days overdue (very overdue: 60 days or more)."
    )


def test_met_on_time_or_late():
    assert describe(date(2027, 1, 4), met_on=date(2026, 12, 18)) == (
        f"Due 2026-12-21: {MEASURED}; met on 2026-12-18, on time."
    )
    assert describe(date(2027, 1, 4), met_on=date(2026, 12, 22)) == (
        f"Due 2026-12-21: {MEASURED}; met on 2026-12-22, 1 day late."
    )


def test_an_extension_is_named_with_its_source_and_never_as_lateness():
    assert describe(date(2027, 1, 8), extended=True, met_on=date(2027, 1, 5)) == (
        "Due 2027-01-06, extended by 10 business days (5 U.S.C. § 552(a)(6)(B)(i)) from "
        f"2026-12-21: {MEASURED}; met on 2027-01-05, on time thanks to the extension."
    )


def test_pauses_are_mentioned_and_a_paused_clock_says_what_is_left():
    paused = " not counting the days it was paused"
    assert describe(date(2026, 12, 10), paused_since=date(2026, 12, 7)) == (
        "Paused since 2026-12-07 with 11 business days left: 20 business days from receipt of "
        f"the request to the agency's determination,{paused} (5 U.S.C. § 552(a)(6)(A)(i))."
    )
    assert describe(date(2026, 12, 28), paused_days=5) == (
        "Due 2026-12-29: 20 business days from receipt of the request to the agency's "
        f"determination,{paused} (5 U.S.C. § 552(a)(6)(A)(i)); 1 day left."
    )
    assert describe(date(2027, 1, 4), paused_since=date(2026, 12, 7), met_on=date(2026, 12, 9)) == (
        "Met on 2026-12-09 while paused, so on time: 20 business days from receipt of the "
        f"request to the agency's determination,{paused} (5 U.S.C. § 552(a)(6)(A)(i))."
    )


def test_a_deployments_own_length_is_said_beside_the_rules():
    rule = clocks.rules({"reflection-period": 45})["reflection-period"]
    sentence = clocks.Clock(rule, date(2026, 6, 4)).describe(date(2026, 7, 1))
    assert sentence.startswith(
        "Due 2026-07-19: 45 calendar days (this deployment's setting; the rule's own length is "
        "30) from identification to the end of the reflection period"
    )
    assert sentence.endswith("art. 13(1)); 18 days left.")


def test_a_month_clock_and_a_policy_source():
    clock = clocks.Clock(clocks.rule("misconduct-feedback"), date(2026, 11, 30))
    assert clock.describe(date(2027, 2, 13)) == (
        "Due 2027-02-28: 3 months from acknowledgement of the report to feedback to the reporter "
        "(Project policy after Directive (EU) 2019/1937 art. 9(1)(f)); 15 days left."
    )
