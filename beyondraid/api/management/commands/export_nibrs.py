"""``beyondraid export_nibrs --agency NAME --from YYYY-MM-DD --to YYYY-MM-DD [--output FILE]``:
an agency's incidents of a period as NIBRS offences, victims, offenders and arrestees, one flat
CSV file (docs/nibrs.md). Written to standard output unless ``--output`` names a file; every
export is in the audit log."""

from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from beyondraid.accounts.audit import acting_as
from beyondraid.api import nibrs
from beyondraid.standard.models import Agency


class Command(BaseCommand):
    help = "Export an agency's incidents of a period as the NIBRS flat file (docs/nibrs.md)."

    def add_arguments(self, parser):
        parser.add_argument(
            "--agency", required=True, metavar="NAME", help="The agency's full name."
        )
        parser.add_argument(
            "--from",
            dest="start",
            required=True,
            metavar="YYYY-MM-DD",
            help="First day of the period, YYYY-MM-DD (incident dates).",
        )
        parser.add_argument(
            "--to",
            dest="end",
            required=True,
            metavar="YYYY-MM-DD",
            help="Last day of the period, YYYY-MM-DD.",
        )
        parser.add_argument(
            "--output", metavar="FILE", help="Write the file here instead of standard output."
        )

    def handle(self, *args, agency: str, start: str, end: str, output: str | None, **options):
        found = Agency.objects.filter(name=agency).first()
        if found is None:
            raise CommandError(
                f"No agency named {agency!r}; give its full name as the agency list shows it."
            )
        try:
            first, last = nibrs.parse_period(start, end)
        except nibrs.PeriodError as error:
            raise CommandError(f"--{error.field}: {error}") from None
        target = Path(output) if output else None
        if target is not None and not target.parent.is_dir():
            raise CommandError(f"--output: the folder {target.parent} does not exist.")
        with acting_as(label="command: export_nibrs"):
            text = nibrs.export(agency=found, start=first, end=last)
        if target is None:
            self.stdout.write(text, ending="")
            return
        try:
            target.write_text(text, encoding="utf-8", newline="")
        except OSError as error:
            raise CommandError(f"--output: cannot write {target} ({error.strerror}).") from None
        self.stdout.write(f"Wrote {target}.")
