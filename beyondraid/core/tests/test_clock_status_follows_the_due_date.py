"""A clock is running, due today, overdue (by how many days), met on time, met late or paused;
60 days past due it is very overdue (issue 9)."""

from datetime import date

import pytest

from beyondraid.core import clocks

FOIA = clocks.rule("foia-determination")
RECEIVED = date(2026, 11, 20)
DUE = date(2026, 12, 21)


@pytest.fixture
def clock():
    return clocks.Clock(FOIA, RECEIVED)


def test_before_the_due_date_it_runs_with_calendar_days_left(clock):
    status = clock.status(date(2026, 12, 16))
    assert (status.state, status.due_on, status.days_left) == (clocks.State.RUNNING, DUE, 5)
    assert status.label == "running"


def test_on_the_due_date_it_is_due_today(clock):
    assert clock.status(DUE).state is clocks.State.DUE_TODAY


def test_after_the_due_date_it_is_overdue_by_calendar_days(clock):
    status = clock.status(date(2026, 12, 24))
    assert (status.state, status.days_late) == (clocks.State.OVERDUE, 3)
    assert status.label == "overdue by 3 days"


def test_sixty_days_past_due_it_is_very_overdue(clock):
    assert clocks.VERY_OVERDUE_DAYS == 60
    assert not clock.very_overdue(date(2027, 2, 18))  # 59 days after 21 Dec
    assert clock.very_overdue(date(2027, 2, 19))  # 60 days
    assert clock.very_overdue(date(2026, 12, 31), threshold=10)


def test_met_on_the_due_date_is_on_time():
    status = clocks.Clock(FOIA, RECEIVED, met_on=DUE).status(date(2027, 1, 1))
    assert (status.state, status.label) == (clocks.State.MET_ON_TIME, "met on time")


def test_met_after_it_is_late_and_never_overdue_again():
    clock = clocks.Clock(FOIA, RECEIVED, met_on=date(2026, 12, 23))
    status = clock.status(date(2027, 6, 1))
    assert (status.state, status.days_late, status.label) == (
        clocks.State.MET_LATE,
        2,
        "met late by 2 days",
    )
    assert not clock.very_overdue(date(2027, 6, 1))


def test_paused_only_from_the_day_the_pause_began():
    clock = clocks.Clock(FOIA, RECEIVED, paused_since=date(2026, 12, 7))
    assert clock.status(date(2026, 12, 4)).state is clocks.State.RUNNING
    assert clock.status(date(2026, 12, 7)).state is clocks.State.PAUSED
    assert not clock.very_overdue(date(2027, 6, 1))


def test_a_clock_cannot_be_met_before_it_started():
    with pytest.raises(ValueError, match="Met on 2026-11-01 is before the clock started"):
        clocks.Clock(FOIA, RECEIVED, met_on=date(2026, 11, 1))
