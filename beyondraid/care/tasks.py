"""The daily recomputation of alerts, run by the task worker (``beyondraid db_worker``; the demo
starts one). Each run schedules the next for the following night, so one ``beyondraid alerts
--schedule`` keeps them coming."""

import datetime

from django.utils import timezone
from django_tasks import task

from .alerts import refresh_alerts

# Recomputed at night, when nobody is waiting on the pages.
RUN_AT = datetime.time(3, 0)


def next_run(now: datetime.datetime | None = None) -> datetime.datetime:
    now = timezone.localtime(now)
    tomorrow = now.date() + datetime.timedelta(days=1)
    return timezone.make_aware(datetime.datetime.combine(tomorrow, RUN_AT))


def schedule_daily_refresh() -> None:
    refresh_alerts_daily.using(run_after=next_run()).enqueue()


@task()
def refresh_alerts_daily() -> str:
    summary = refresh_alerts()
    schedule_daily_refresh()
    return f"{summary.open} open alerts; {summary.raised} raised, {summary.cleared} cleared."
