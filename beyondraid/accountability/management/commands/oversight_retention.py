"""``beyondraid oversight_retention [--apply]``: the closed reports kept past the retention of
their finding (``REPORT_RETENTION_YEARS``) and its recorded extensions; with ``--apply``, delete
them. Run it from the scheduler (e.g. monthly): a report kept longer than its purpose is a risk
to the person who made it."""

from django.core.management.base import BaseCommand

from beyondraid.accountability import services
from beyondraid.accounts.audit import acting_as


class Command(BaseCommand):
    help = "List, or with --apply delete, closed reports past their retention."

    def add_arguments(self, parser):
        parser.add_argument(
            "--apply", action="store_true", help="Delete them (each deletion is audited)."
        )

    def handle(self, *args, apply: bool, **options):
        expired = list(services.past_retention().values_list("reference", "keep_until"))
        if not expired:
            self.stdout.write("No report is past its retention.")
            return
        if not apply:
            for reference, keep_until in expired:
                self.stdout.write(f"{reference}  kept until {keep_until}")
            self.stdout.write(f"{len(expired)} past retention; run with --apply to delete them.")
            return
        with acting_as(label="command: oversight_retention"):
            deleted = services.purge_expired()
        self.stdout.write(f"Deleted {len(deleted)} report(s) past retention: {', '.join(deleted)}")
