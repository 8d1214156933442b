"""A FOIA determination is due 20 working days after receipt: weekends and US federal holidays
(observed days included) are not counted, nor is the day of receipt (5 U.S.C. § 552(a)(6)(A)(i)).

Every expected date below was counted by hand on a calendar; the comments show the count."""

from datetime import date

import pytest

from beyondraid.core import clocks

FOIA = clocks.rule("foia-determination")


def test_the_friday_before_thanksgiving_2026():
    # Received Fri 20 Nov. Day 1 is Mon 23 Nov: 23, 24, 25 (3); Thu 26 is Thanksgiving; Fri 27
    # is a federal working day (4); 30 Nov to 4 Dec (5-9); 7-11 Dec (10-14); 14-18 Dec (15-19);
    # Mon 21 Dec is day 20.
    assert clocks.due_date(FOIA, date(2026, 11, 20)) == date(2026, 12, 21)


def test_a_request_received_on_a_saturday_counts_from_monday():
    # Sat 21 Nov: day 1 is again Mon 23 Nov, so the same due date as the Friday before.
    assert clocks.due_date(FOIA, date(2026, 11, 21)) == date(2026, 12, 21)


def test_christmas_and_new_year_2026_are_skipped():
    # Received Mon 14 Dec. 15-18 Dec (1-4); 21-24 Dec (5-8; Christmas Eve is a working day);
    # Fri 25 Dec Christmas; 28-31 Dec (9-12); Fri 1 Jan New Year's Day; 4-8 Jan (13-17);
    # 11, 12, 13 Jan (18-20).
    assert clocks.due_date(FOIA, date(2026, 12, 14)) == date(2027, 1, 13)


def test_holidays_observed_on_a_friday_and_martin_luther_king_day_are_skipped():
    # Christmas 2027 and New Year's Day 2028 fall on Saturdays and are observed on Fri 24 Dec
    # and Fri 31 Dec 2027 (5 U.S.C. § 6103(b)). Received Fri 17 Dec 2027: 20-23 Dec (1-4);
    # 24 Dec observed; 27-30 Dec (5-8); 31 Dec observed; 3-7 Jan (9-13); 10-14 Jan (14-18);
    # Mon 17 Jan 2028 is Martin Luther King Jr. Day; 18, 19 Jan (19, 20).
    assert clocks.due_date(FOIA, date(2027, 12, 17)) == date(2028, 1, 19)


def test_juneteenth_and_independence_day_observed_on_friday_3_july_2026():
    # Received Fri 5 Jun 2026. 8-12 Jun (1-5); 15-18 Jun (6-9); Fri 19 Jun Juneteenth; 22-26 Jun
    # (10-14); 29 Jun - 2 Jul (15-18); Fri 3 Jul is Independence Day observed (4 July is a
    # Saturday); 6, 7 Jul (19, 20).
    assert clocks.due_date(FOIA, date(2026, 6, 5)) == date(2026, 7, 7)


@pytest.mark.parametrize(
    ("day", "is_business_day"),
    [
        (date(2026, 11, 26), False),  # Thanksgiving
        (date(2026, 11, 27), True),  # the day after is a California holiday, not a federal one
        (date(2026, 7, 3), False),  # Independence Day observed
        (date(2026, 7, 4), False),  # a Saturday
        (date(2026, 12, 24), True),
    ],
)
def test_the_federal_calendar_is_the_one_of_the_holidays_package(day, is_business_day):
    assert FOIA.holidays.is_business_day(day) is is_business_day
