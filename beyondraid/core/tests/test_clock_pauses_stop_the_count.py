"""While a clock is paused — a records request waiting for the requester to clarify it or to pay
— the count stands still; on resumption it continues where it stopped. A pause is either a number
of days of the rule's kind or dated stretches, first and last day included."""

from datetime import date

import pytest

from beyondraid.core import clocks

FOIA = clocks.rule("foia-determination")
CPRA = clocks.rule("cpra-determination")
RECEIVED = date(2026, 11, 20)  # due Mon 21 Dec 2026 without pauses


def test_a_week_of_business_days_paused_moves_a_foia_due_date_by_five_business_days():
    # Nine working days run (23 Nov - 4 Dec), the clock stops Mon 7 - Fri 11 Dec, and resumes:
    # 14-18 Dec (10-14), 21-24 Dec (15-18), Christmas, 28-29 Dec (19, 20).
    paused = clocks.due_date(FOIA, RECEIVED, pauses=[(date(2026, 12, 7), date(2026, 12, 11))])
    assert paused == date(2026, 12, 29)
    assert clocks.due_date(FOIA, RECEIVED, paused_days=5) == paused


def test_a_pause_over_days_that_do_not_count_anyway_changes_nothing():
    weekend = clocks.Pause(date(2026, 12, 5), date(2026, 12, 6))
    assert clocks.due_date(FOIA, RECEIVED, pauses=[weekend]) == date(2026, 12, 21)


def test_paused_days_are_days_of_the_rules_kind():
    # FOIA: two more working days after Mon 21 Dec is Wed 23 Dec. CPRA: received Mon 2 Mar
    # 2026, ten days and two paused ones end on Sat 14 Mar, which moves to Mon 16 Mar.
    assert clocks.due_date(FOIA, RECEIVED, paused_days=2) == date(2026, 12, 23)
    assert clocks.due_date(CPRA, date(2026, 3, 2), paused_days=2) == date(2026, 3, 16)


def test_a_calendar_day_clock_skips_every_paused_day():
    # Received Wed 24 Jun 2026, paused Mon 29 Jun - Thu 2 Jul: 25-28 Jun (1-4), 3-8 Jul (5-10).
    pause = (date(2026, 6, 29), date(2026, 7, 2))
    assert clocks.due_date(CPRA, date(2026, 6, 24), pauses=[pause]) == date(2026, 7, 8)


def test_overlapping_pauses_count_each_day_once():
    pauses = [(date(2026, 12, 7), date(2026, 12, 9)), (date(2026, 12, 9), date(2026, 12, 11))]
    assert clocks.due_date(FOIA, RECEIVED, pauses=pauses) == date(2026, 12, 29)


def test_pauses_before_the_start_or_after_the_due_date_change_nothing():
    pauses = [(date(2026, 11, 1), date(2026, 11, 15)), (date(2026, 12, 22), date(2026, 12, 31))]
    assert clocks.due_date(FOIA, RECEIVED, pauses=pauses) == date(2026, 12, 21)


def test_a_month_clock_adds_its_paused_days():
    # Six months after 31 Aug 2026 is 28 Feb 2027; three paused days make it 3 Mar.
    rule = clocks.rule("follow-up-6-months")
    pause = (date(2026, 9, 1), date(2026, 9, 3))
    assert clocks.due_date(rule, date(2026, 8, 31), pauses=[pause]) == date(2027, 3, 3)


def test_a_clock_paused_now_has_no_due_date_and_says_what_is_left():
    clock = clocks.Clock(FOIA, RECEIVED, paused_since=date(2026, 12, 7))
    assert clock.due_on is None
    status = clock.status(date(2026, 12, 20))
    assert status.state is clocks.State.PAUSED
    assert status.days_left == 11  # nine of the twenty working days ran before the pause


def test_once_the_pause_ends_it_is_a_dated_pause_and_the_count_resumes():
    clock = clocks.Clock(FOIA, RECEIVED, pauses=[(date(2026, 12, 7), date(2026, 12, 11))])
    assert clock.due_on == date(2026, 12, 29)
    assert clock.status(date(2026, 12, 28)).state is clocks.State.RUNNING


def test_a_pause_that_begins_after_the_count_was_complete_does_not_stop_lateness():
    # The CPRA's tenth day was Sat 4 Jul 2026 (due Mon 6 Jul); a pause from Sun 5 Jul is too late.
    clock = clocks.Clock(CPRA, date(2026, 6, 24), paused_since=date(2026, 7, 5))
    assert clock.due_on == date(2026, 7, 6)
    status = clock.status(date(2026, 7, 7))
    assert (status.state, status.days_late) == (clocks.State.OVERDUE, 1)


def test_a_clock_met_while_paused_was_met_on_time():
    clock = clocks.Clock(FOIA, RECEIVED, paused_since=date(2026, 12, 7), met_on=date(2027, 2, 1))
    assert clock.status(date(2027, 2, 2)).state is clocks.State.MET_ON_TIME


def test_a_pause_cannot_end_before_it_begins():
    with pytest.raises(ValueError, match=r"A pause cannot end \(2026-12-01\) before it begins"):
        clocks.due_date(FOIA, RECEIVED, pauses=[(date(2026, 12, 7), date(2026, 12, 1))])


def test_paused_days_cannot_be_negative():
    with pytest.raises(ValueError, match="Paused days must be a whole number of 0 or more"):
        clocks.due_date(FOIA, RECEIVED, paused_days=-1)


def test_a_pause_cannot_begin_before_the_clock_started():
    with pytest.raises(ValueError, match="Paused since 2026-11-19 is before the clock started"):
        clocks.Clock(FOIA, RECEIVED, paused_since=date(2026, 11, 19))
