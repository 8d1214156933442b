"""Each law reminds the requester to follow up (R115) some days before the agency's due date —
FOIA 7, CPRA 3, the project's policy since neither law sets a reminder, said with its basis in
``laws.toml`` — and keeps reminding after the due date until a follow-up is sent. An extension
moves the reminder with the due date; a pause, a determination or "no response" ends it. The
list and the request's page show it. Every expected date is counted by hand in a comment."""

import datetime

import pytest
from django.urls import reverse
from django.utils import timezone

from beyondraid.records import laws, selectors

from .builders import sent, step
from .pages import client_of

pytestmark = pytest.mark.django_db
D = datetime.date
REMINDER = "; reminder: send a follow-up"


def _at(request, today):
    due = selectors.deadline(request, today=today)
    return due, selectors.deadline_phrase(due)


@pytest.mark.parametrize(
    ("law", "reminder_on", "due_on"),
    [
        # Sent Mon 3 Mar 2025; 20 business days, no federal holiday in March: due Mon 31 Mar;
        # reminded 7 days before, Mon 24 Mar.
        ("foia", D(2025, 3, 24), D(2025, 3, 31)),
        # Sent Mon 3 Mar 2025; 10 calendar days: due Thu 13 Mar; reminded 3 days before, Mon 10 Mar.
        ("cpra", D(2025, 3, 10), D(2025, 3, 13)),
    ],
)
def test_each_law_reminds_the_requester_before_its_due_date(world, law, reminder_on, due_on):
    request = sent(world, D(2025, 3, 3), law=law)

    before, phrase = _at(request, reminder_on - datetime.timedelta(days=1))
    assert (before.status.due_on, before.reminder_on, before.reminding) == (
        due_on,
        reminder_on,
        False,
    )
    assert REMINDER not in phrase

    on_the_day, phrase = _at(request, reminder_on)
    assert on_the_day.reminding
    assert phrase.endswith(REMINDER)


def test_each_law_says_the_basis_of_its_reminder():
    for law in laws.laws().values():
        assert law.reminder_days_before >= 1
        assert law.reminder_basis.startswith("Project policy:")
        assert law.rule.reminder_days_before == law.reminder_days_before
    assert (laws.law("foia").reminder_days_before, laws.law("cpra").reminder_days_before) == (7, 3)


def test_the_reminder_stays_past_the_due_date_until_a_follow_up_is_sent(world):
    request = sent(world, D(2025, 3, 3))  # CPRA: reminder Mon 10 Mar, due Thu 13 Mar
    # A follow-up sent before the reminder's day does not answer it.
    step(world, request, "follow_up", D(2025, 3, 5))
    assert _at(request, D(2025, 3, 10))[0].reminding

    due, phrase = _at(request, D(2025, 3, 20))
    assert phrase == "overdue by 7 days" + REMINDER
    step(world, request, "follow_up", D(2025, 3, 20))
    due, phrase = _at(request, D(2025, 3, 21))
    assert not due.reminding
    assert phrase == "overdue by 8 days"


def test_an_extension_moves_the_reminder_with_the_due_date(world):
    # CPRA sent Mon 3 Mar 2025, due Thu 13 Mar; extended in time by 14 days to Thu 27 Mar;
    # reminded 3 days before, Mon 24 Mar.
    request = sent(world, D(2025, 3, 3))
    step(world, request, "extension_claimed", D(2025, 3, 7), reasons=["voluminous"])
    due, phrase = _at(request, D(2025, 3, 11))
    assert (due.status.due_on, due.reminder_on, due.reminding) == (
        D(2025, 3, 27),
        D(2025, 3, 24),
        False,
    )
    assert phrase == "due in 16 days (extended)"
    assert _at(request, D(2025, 3, 24))[1] == "due in 3 days (extended)" + REMINDER


@pytest.mark.parametrize(
    ("kind", "on", "extra"),
    [
        ("fix_required", D(2025, 3, 6), {}),
        ("denied", D(2025, 3, 12), {"reasons": ["6255"]}),
        ("released", D(2025, 3, 20), {}),
        ("no_response", D(2025, 3, 20), {}),
        ("closed", D(2025, 3, 6), {}),
    ],
)
def test_a_pause_a_determination_or_giving_up_ends_the_reminder(world, kind, on, extra):
    request = sent(world, D(2025, 3, 3))
    step(world, request, kind, on, **extra)
    due, phrase = _at(request, D(2025, 4, 1))
    assert (due.reminder_on, due.reminding) == (None, False)
    assert REMINDER not in phrase


def test_the_list_and_the_request_page_show_the_reminder(world):
    today = timezone.localdate()
    # Sent 30 days ago under CPRA: overdue on any day, and never followed up.
    late = sent(world, today - datetime.timedelta(days=30))
    # Sent today: its reminder is still ahead.
    fresh = sent(world, today)
    analyst = client_of(world.analyst)

    rows = analyst.get(reverse("records:list")).context["rows"]
    phrases = {row.request.code: row.phrase for row in rows}
    assert phrases[late.code].endswith(REMINDER)
    assert REMINDER not in phrases[fresh.code]
    listing = analyst.get(reverse("records:list")).content.decode()
    assert "reminder: send a follow-up" in listing

    page = analyst.get(reverse("records:detail", args=[late.code])).content.decode()
    assert "Follow-up reminder</strong> since" in page
    assert reverse("records:letter", args=[late.code, "follow-up"]) in page
    assert "Project policy: the California Public Records Act sets no reminder" in page

    reminder_on = selectors.deadline(fresh).reminder_on
    page = analyst.get(reverse("records:detail", args=[fresh.code])).content.decode()
    assert f"Follow-up reminder on {reminder_on.isoformat()}, 3 days before the due date." in page
    assert "Follow-up reminder</strong>" not in page
