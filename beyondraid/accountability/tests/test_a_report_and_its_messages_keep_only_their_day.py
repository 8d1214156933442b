"""Nothing about a report or its messages is kept finer than the day (issue 19, item 4): the moment
a report or a reply was written, lined up with a network log, would identify the reporter. So no
table gets a time when a reporter writes — not the rows, not the audit log (whose entries about
reports and messages carry the day's start), not a task queue, not a rate-limit count — and the
cache holds nothing of it either. Nor does the audit log name an account that happened to be
signed in on the reporter's device."""

import datetime

import pytest
from django.apps import apps
from django.core.cache import caches
from django.core.cache.backends.locmem import LocMemCache
from django.db import models
from django.test import Client
from django.utils import timezone

from beyondraid.accountability import services
from beyondraid.accountability.models import DailyCount, Report
from beyondraid.accounts.audit import acting_as
from beyondraid.accounts.models import AuditEntry
from beyondraid.accounts.testing import sign_in_verified

from .reporting import open_channel, send_report

pytestmark = pytest.mark.django_db


def _times_written_since(moment: datetime.datetime) -> list[tuple[str, datetime.datetime]]:
    """Every date-time value in every table that is at or after ``moment``."""
    found = []
    for model in apps.get_models(include_auto_created=True):
        for field in model._meta.concrete_fields:
            if isinstance(field, models.DateTimeField):
                values = model._base_manager.filter(**{f"{field.attname}__gte": moment})
                found += [
                    (f"{model._meta.db_table}.{field.column}", value)
                    for value in values.values_list(field.attname, flat=True)
                ]
    return found


def _entries_about_reports():
    return AuditEntry.objects.filter(
        object_type__in=["accountability.report", "accountability.message"]
    )


def _start_of_today() -> datetime.datetime:
    return timezone.make_aware(datetime.datetime.combine(timezone.localdate(), datetime.time()))


def test_a_report_and_a_reply_through_the_pages_leave_no_time_finer_than_the_day(world):
    open_channel(world)
    caches["default"].clear()
    started = timezone.now()

    response, receipt = send_report()
    assert response.status_code == 200
    answered = Client().post("/report/follow-up/", {"receipt": receipt, "reply": "One more."})
    assert answered.status_code == 200
    wrong = Client().post("/report/follow-up/", {"receipt": "1234 5678 9012 3456"})
    assert wrong.status_code == 400
    report = Report.objects.get()
    assert report.messages.count() == 1

    # No date-time anywhere (audit log, sessions, task queue, ...) was written at the moment.
    assert _times_written_since(started) == []
    # The audit log has the report and the reply, at the start of their day.
    entries = _entries_about_reports()
    assert {(entry.object_type, entry.action) for entry in entries} == {
        ("accountability.report", AuditEntry.Action.CREATE),
        ("accountability.message", AuditEntry.Action.CREATE),
    }
    assert {entry.at for entry in entries} == {_start_of_today()}
    # The rows themselves hold dates, and the counts a day and a number.
    assert report.received_on == report.messages.get().sent_on == timezone.localdate()
    assert set(DailyCount.objects.values_list("day", flat=True)) == {timezone.localdate()}
    # Nothing went to the cache, where an expiry would be a time.
    cache = caches["default"]
    assert isinstance(cache, LocMemCache)
    assert not vars(cache)["_cache"]


def test_an_investigators_work_on_a_report_is_audited_at_its_day_too(world):
    open_channel(world)
    send_report()
    report = Report.objects.get()
    started = timezone.now()
    with acting_as(world.investigator):
        services.acknowledge(user=world.investigator, report=report)
        services.send_message(user=world.investigator, report=report, text="Which night?")

    assert _times_written_since(started) == []
    entries = _entries_about_reports()
    assert entries.filter(actor=world.investigator).count() == 3, "the investigator is named"
    assert {entry.at for entry in entries} == {_start_of_today()}


def test_a_report_sent_while_signed_in_is_not_attributed_to_the_account(world):
    open_channel(world)
    officer = Client()
    sign_in_verified(officer, world.steward_a)
    response, receipt = send_report(officer)
    assert response.status_code == 200
    officer.post("/report/follow-up/", {"receipt": receipt, "reply": "And one more thing."})

    entries = _entries_about_reports()
    assert entries.count() == 2
    assert {(entry.actor, entry.actor_label) for entry in entries} == {(None, "anonymous reporter")}
