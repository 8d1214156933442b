"""A nightly task recomputes the alerts and queues the next night's run; ``beyondraid alerts``
lists the same alerts for people and programs."""

import datetime
import json
from io import StringIO

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError
from django.utils import timezone
from django_tasks_db.models import DBTaskResult

from beyondraid.care.models import Alert
from beyondraid.care.tasks import RUN_AT, next_run, refresh_alerts_daily

pytestmark = pytest.mark.django_db


def test_the_nightly_run_recomputes_and_queues_the_next_one(world):
    outcome = refresh_alerts_daily.call()
    assert "open alerts" in outcome
    assert Alert.objects.filter(encounter=world.encounter_b).exists()
    queued = DBTaskResult.objects.get(task_path=refresh_alerts_daily.module_path)
    assert queued.run_after == next_run()
    assert timezone.localtime(queued.run_after).time() == RUN_AT


def test_the_next_run_is_tomorrow_night():
    now = timezone.make_aware(datetime.datetime(2026, 12, 31, 23, 30))
    assert next_run(now) == timezone.make_aware(datetime.datetime(2027, 1, 1, 3, 0))


def test_the_command_lists_open_alerts_as_text_and_json(world):
    out = StringIO()
    call_command("alerts", "--refresh", "--format", "json", stdout=out, stderr=StringIO())
    rows = json.loads(out.getvalue())
    kinds = {(row["encounter"], row["kind"]) for row in rows}
    assert (world.encounter_b.code, "services_not_offered") in kinds
    assert {"kind", "status", "due_on", "encounter", "record", "agency"} <= set(rows[0])

    text = StringIO()
    call_command("alerts", "--agency", world.agency_b.name, stdout=text)
    assert world.encounter_b.code in text.getvalue()
    assert world.referred_encounter.code not in text.getvalue()


def test_an_unknown_agency_is_named_in_one_line(world):
    with pytest.raises(CommandError, match="no agency of that name") as refused:
        call_command("alerts", "--agency", "Nowhere PD")
    assert refused.value.returncode == 2
