"""The determination's due date comes from the clock engine with each law's own counting: FOIA
20 business days without federal holidays, CPRA 10 calendar days moved off California holidays;
pauses stop the count, an extension claimed in time moves it and is never lateness. Every
expected date is counted by hand in a comment."""

import datetime

import pytest

from beyondraid.core import clocks
from beyondraid.records import selectors

from .builders import sent, step

pytestmark = pytest.mark.django_db
D = datetime.date


def test_foia_across_thanksgiving_and_christmas(world):
    # Sent Fri 20 Nov 2026. Business days from Mon 23 Nov: Thanksgiving (Thu 26 Nov) and
    # Christmas (Fri 25 Dec) are not counted: 23,24,25,27 Nov (4), 30 Nov-4 Dec (9),
    # 7-11 Dec (14), 14-18 Dec (19), Mon 21 Dec (20).
    request = sent(world, D(2026, 11, 20), law="foia")
    deadline = selectors.deadline(request, today=D(2026, 12, 1))
    assert deadline.status.due_on == D(2026, 12, 21)
    assert deadline.status.state is clocks.State.RUNNING


def test_cpra_ten_calendar_days_move_off_independence_day(world):
    # Sent Wed 24 Jun 2026: the tenth day is Sat 4 Jul (a holiday and a weekend): due Mon 6 Jul.
    request = sent(world, D(2026, 6, 24))
    assert selectors.deadline(request, today=D(2026, 6, 25)).status.due_on == D(2026, 7, 6)


def test_a_cpra_extension_claimed_in_time_is_not_lateness(world):
    # Due Mon 6 Jul; extended by 14 days to Mon 20 Jul; determined Fri 17 Jul: on time.
    request = sent(world, D(2026, 6, 24))
    step(world, request, "extension_claimed", D(2026, 7, 2), reasons=["voluminous"])
    step(world, request, "released", D(2026, 7, 17))
    deadline = selectors.deadline(request, today=D(2026, 8, 1))
    assert deadline.status.due_on == D(2026, 7, 20)
    assert deadline.status.label == "met on time (extended)"


def test_an_extension_claimed_after_the_due_date_does_not_excuse_lateness(world):
    request = sent(world, D(2026, 6, 24))
    step(world, request, "extension_claimed", D(2026, 7, 8), reasons=["voluminous"])
    deadline = selectors.deadline(request, today=D(2026, 7, 10))
    assert deadline.late_extension_claim
    assert deadline.status.due_on == D(2026, 7, 6)
    assert deadline.status.label == "overdue by 4 days"


def test_foia_extension_adds_ten_working_days(world):
    # Sent Fri 22 Nov 2024; Thanksgiving Thu 28 Nov not counted: 25,26,27,29 Nov (4), 2-6 Dec
    # (9), 9-13 (14), 16-20 (19), Mon 23 Dec (20). Then 10 business days more, Christmas and
    # New Year's Day not counted: 24,26,27,30,31 Dec, 2,3,6,7,8 Jan: due Wed 8 Jan 2025.
    request = sent(world, D(2024, 11, 22), law="foia")
    step(world, request, "extension_claimed", D(2024, 12, 2), reasons=["field-facilities"])
    deadline = selectors.deadline(request, today=D(2024, 12, 3))
    assert deadline.clock.original_due_on == D(2024, 12, 23)
    assert deadline.status.due_on == D(2025, 1, 8)


def test_a_fix_request_pauses_the_clock_until_the_requester_answers(world):
    # Sent Mon 2 Mar 2026 (CPRA): due Thu 12 Mar. The agency asks for a fix on Wed 4 Mar; the
    # requester answers Mon 9 Mar. Days 4-9 Mar stand still (6 days): 3 Mar counted (1), then
    # 10 Mar onwards: 10..18 Mar makes 10: due Wed 18 Mar.
    request = sent(world, D(2026, 3, 2))
    step(world, request, "fix_required", D(2026, 3, 4))
    paused = selectors.deadline(request, today=D(2026, 3, 6))
    assert paused.status.state is clocks.State.PAUSED
    assert paused.status.due_on is None
    step(world, request, "awaiting_response", D(2026, 3, 9))
    assert selectors.deadline(request, today=D(2026, 3, 10)).status.due_on == D(2026, 3, 18)


def test_sixty_days_past_due_is_very_overdue(world):
    request = sent(world, D(2026, 6, 24))  # due 6 Jul 2026
    assert not selectors.deadline(request, today=D(2026, 9, 3)).very_overdue  # 59 days late
    deadline = selectors.deadline(request, today=D(2026, 9, 4))  # 60 days late
    assert deadline.very_overdue
    assert deadline.label == "overdue by 60 days (very overdue)"
