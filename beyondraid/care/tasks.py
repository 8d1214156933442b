"""The daily recomputation of alerts, run by the task worker (``beyondraid db_worker``; the demo
starts one). Each run schedules the next for the following night, so one ``beyondraid alerts
--schedule`` keeps them coming."""

import datetime

from django.utils import timezone
from django_tasks import task
from django_tasks_db.models import DBTaskResult

from .alerts import refresh_alerts

# Recomputed at night, when nobody is waiting on the pages.
RUN_AT = datetime.time(3, 0)


def next_run(now: datetime.datetime | None = None) -> datetime.datetime:
    now = timezone.localtime(now)
    tomorrow = now.date() + datetime.timedelta(days=1)
    return timezone.make_aware(datetime.datetime.combine(tomorrow, RUN_AT))


def schedule_daily_refresh() -> bool:
    """Queue the next nightly run unless one is already waiting; True when one was queued."""
    waiting = DBTaskResult.objects.filter(
        task_path=refresh_alerts_daily.module_path, status="READY"
    )
    if waiting.exists():
        return False
    refresh_alerts_daily.using(run_after=next_run()).enqueue()
    return True


@task()
def refresh_alerts_daily() -> str:
    summary = refresh_alerts()
    # This run is itself RUNNING, not READY, so the next night's is queued.
    schedule_daily_refresh()
    return f"{summary.open} open alerts; {summary.raised} raised, {summary.cleared} cleared."
