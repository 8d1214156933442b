"""Clocks that protect a person or follow a project policy count every calendar day and stand
on whatever weekday they end: the reflection period, services offered, misconduct
acknowledgement. Follow-ups, feedback and Continued Presence run in calendar months (Cal. Gov.
Code § 6804): the same date later, or the month's last day when that date does not exist."""

from datetime import date

from beyondraid.core import clocks


def due(code: str, start: date) -> date:
    return clocks.due_date(clocks.rule(code), start)


def test_the_reflection_period_ends_on_its_thirtieth_day_even_a_saturday_holiday():
    # Identified Thu 4 Jun 2026; 30 days later is Sat 4 Jul, and the period ends then.
    assert due("reflection-period", date(2026, 6, 4)) == date(2026, 7, 4)


def test_services_are_owed_the_day_after_identification_even_new_years_day():
    assert due("services-offered", date(2026, 12, 31)) == date(2027, 1, 1)


def test_a_misconduct_report_is_acknowledged_within_seven_days_across_new_year():
    assert due("misconduct-acknowledgement", date(2026, 12, 28)) == date(2027, 1, 4)


def test_follow_ups_fall_six_and_twelve_months_after_identification():
    # 31 Aug + 6 months: 31 Feb does not exist, so the last day of February.
    assert due("follow-up-6-months", date(2026, 8, 31)) == date(2027, 2, 28)
    assert due("follow-up-12-months", date(2026, 8, 31)) == date(2027, 8, 31)


def test_feedback_to_a_reporter_is_due_three_months_on_with_a_reminder_15_days_before():
    clock = clocks.Clock(clocks.rule("misconduct-feedback"), date(2026, 11, 30))
    assert clock.due_on == date(2027, 2, 28)
    assert clock.reminder_on == date(2027, 2, 13)


def test_a_continued_presence_term_granted_on_29_february_ends_two_years_later():
    # 29 Feb 2024 + 2 years: 29 Feb 2026 does not exist, so 28 Feb. The renewal reminder is 90
    # days before: 28 days back to 31 Jan, 31 to 31 Dec, 31 to 30 Nov 2025.
    clock = clocks.Clock(clocks.rule("continued-presence-term"), date(2024, 2, 29))
    assert clock.due_on == date(2026, 2, 28)
    assert clock.reminder_on == date(2025, 11, 30)


def test_a_rule_without_a_reminder_has_none():
    clock = clocks.Clock(clocks.rule("reflection-period"), date(2026, 6, 4))
    assert clock.reminder_on is None
