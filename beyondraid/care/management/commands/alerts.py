"""``beyondraid alerts [--agency NAME] [--format text|json] [--refresh] [--schedule]``: what is
due and overdue, the same list the alerts pages show (kind, due date, status, the record)."""

import json

from django.core.management.base import BaseCommand, CommandError

from beyondraid.care.alerts import refresh_alerts
from beyondraid.care.models import Alert
from beyondraid.care.tasks import next_run, schedule_daily_refresh
from beyondraid.standard.models import Agency


class Command(BaseCommand):
    help = "List open alerts: services, reflection periods, declarations, follow-ups, harms."

    def add_arguments(self, parser):
        parser.add_argument("--agency", help="Only the alerts of this agency (its full name).")
        parser.add_argument("--format", choices=["text", "json"], default="text")
        parser.add_argument(
            "--refresh", action="store_true", help="Recompute the alerts from the records first."
        )
        parser.add_argument(
            "--schedule",
            action="store_true",
            help="Queue the nightly recomputation for the task worker.",
        )

    def handle(self, *args, agency, format, refresh, schedule, **options):
        alerts = Alert.objects.exclude(status=Alert.Status.CLEARED).select_related(
            "encounter", "agency"
        )
        if agency:
            found = Agency.objects.filter(name__iexact=agency.strip()).first()
            if found is None:
                raise CommandError(
                    f"--agency {agency!r}: no agency of that name; give its full name.",
                    returncode=2,
                )
            alerts = alerts.filter(agency=found)
        if refresh:
            summary = refresh_alerts()
            self.stderr.write(
                f"Recomputed: {summary.raised} raised, {summary.cleared} cleared, "
                f"{summary.follow_ups_scheduled} follow-ups scheduled."
            )
        if schedule:
            queued = schedule_daily_refresh()
            self.stderr.write(
                f"Next recomputation queued for {next_run():%Y-%m-%d %H:%M}."
                if queued
                else "The nightly recomputation is already queued."
            )
        rows = [
            {
                "kind": alert.kind,
                "status": alert.status,
                "due_on": alert.due_on.isoformat() if alert.due_on else None,
                "encounter": alert.encounter.code,
                "record": alert.about,
                "agency": alert.agency.name,
                "rule": alert.rule,
                "message": alert.message,
            }
            for alert in alerts.order_by("due_on", "kind", "pk")
        ]
        if format == "json":
            self.stdout.write(json.dumps(rows, indent=2))
            return
        if not rows:
            self.stdout.write("No open alerts.")
            return
        for row in rows:
            self.stdout.write(
                f"{row['due_on'] or '—':<10}  {row['status']:<8}  {row['kind']:<26}  "
                f"{row['encounter']}  {row['message']}"
            )
