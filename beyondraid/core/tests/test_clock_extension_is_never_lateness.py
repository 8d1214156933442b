"""An extension the law allows (FOIA: 10 more working days; CPRA: at most 14 more days, each with
written notice) moves the due date; a clock met after the original due date but by the extended
one is on time, and lateness is counted from the extended date."""

from datetime import date

import pytest

from beyondraid.core import clocks

FOIA = clocks.rule("foia-determination")
RECEIVED = date(2026, 11, 20)
# Original due date Mon 21 Dec 2026. Ten more working days: 22-24 Dec (1-3), Christmas,
# 28-31 Dec (4-7), New Year's Day, 4-6 Jan (8-10): Wed 6 Jan 2027.
EXTENDED_DUE = date(2027, 1, 6)


def test_the_foia_extension_adds_ten_working_days_to_the_due_date():
    assert clocks.due_date(FOIA, RECEIVED, extended=True) == EXTENDED_DUE
    assert clocks.due_date(FOIA.extension, date(2026, 12, 21)) == EXTENDED_DUE


def test_met_after_the_original_date_but_by_the_extended_one_is_on_time():
    for met_on in (date(2027, 1, 5), EXTENDED_DUE):
        status = clocks.Clock(FOIA, RECEIVED, extended=True, met_on=met_on).status(met_on)
        assert status.state is clocks.State.MET_ON_TIME
        assert status.extension_used
        assert status.label == "met on time (extended)"


def test_met_before_the_original_date_did_not_need_the_extension():
    status = clocks.Clock(FOIA, RECEIVED, extended=True, met_on=date(2026, 12, 18)).status(
        date(2027, 1, 1)
    )
    assert (status.label, status.extension_used) == ("met on time", False)


def test_lateness_is_counted_from_the_extended_date():
    status = clocks.Clock(FOIA, RECEIVED, extended=True, met_on=date(2027, 1, 7)).status(
        date(2027, 1, 7)
    )
    assert (status.state, status.days_late) == (clocks.State.MET_LATE, 1)


def test_without_the_extension_the_same_day_is_late():
    status = clocks.Clock(FOIA, RECEIVED, met_on=date(2026, 12, 22)).status(date(2026, 12, 22))
    assert (status.state, status.days_late) == (clocks.State.MET_LATE, 1)


def test_an_extended_clock_past_its_original_date_is_running_not_overdue():
    status = clocks.Clock(FOIA, RECEIVED, extended=True).status(date(2026, 12, 28))
    assert status.state is clocks.State.RUNNING
    assert status.extension_used
    assert status.due_on == EXTENDED_DUE


def test_very_overdue_is_counted_from_the_extended_date():
    clock = clocks.Clock(FOIA, RECEIVED, extended=True)
    assert not clock.very_overdue(date(2027, 3, 6))  # 59 days after 6 Jan
    assert clock.very_overdue(date(2027, 3, 7))  # 60 days


def test_a_cpra_determination_met_within_the_14_days_is_on_time():
    # Received Wed 24 Jun 2026: due Mon 6 Jul, extended to Mon 20 Jul.
    clock = clocks.Clock(
        clocks.rule("cpra-determination"),
        date(2026, 6, 24),
        extended=True,
        met_on=date(2026, 7, 20),
    )
    assert clock.original_due_on == date(2026, 7, 6)
    assert clock.status(date(2026, 7, 21)).label == "met on time (extended)"


def test_a_rule_without_an_extension_cannot_be_extended():
    with pytest.raises(ValueError, match="reflection-period has no extension"):
        clocks.due_date(clocks.rule("reflection-period"), RECEIVED, extended=True)
