"""``beyondraid export_htcds --provider "NAME" [--format csv|json] [--output FILE]``: a
victim-service provider's cases in the HTCDS-compatible shape (docs/htcds.md), the same file its
caseworkers download from /api/exports/htcds/, within each person's consent. Written to standard
output unless ``--output`` names a file; the export is in the audit log under the command's name.
"""

from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from beyondraid.accounts import audit
from beyondraid.api import htcds
from beyondraid.standard.models import Agency


class Command(BaseCommand):
    help = "Export a victim-service provider's cases in the HTCDS-compatible shape."

    def add_arguments(self, parser):
        parser.add_argument("--provider", required=True, help="The provider's full name.")
        parser.add_argument("--format", choices=htcds.FORMATS, default="csv")
        parser.add_argument("--output", help="Write the file here instead of standard output.")

    def handle(self, *args, provider, format, output, **options):
        found = Agency.objects.filter(name__iexact=provider.strip()).first()
        if found is None:
            raise CommandError(
                f"--provider {provider!r}: no organisation of that name; give its full name.",
                returncode=2,
            )
        target = Path(output) if output else None
        if target is not None and not target.parent.is_dir():
            raise CommandError(
                f"--output {output}: the folder {target.parent} does not exist; create it or "
                "choose another path.",
                returncode=2,
            )
        try:
            with audit.acting_as(label="command: export_htcds"):
                file = htcds.export(found, format=format)
        except htcds.NotAProvider as refused:
            raise CommandError(f"--provider {provider!r}: {refused}", returncode=2) from None
        if target is None:
            self.stdout.write(file.content, ending="")
            return
        try:
            target.write_text(file.content, encoding="utf-8", newline="")
        except OSError as error:
            raise CommandError(
                f"--output {output}: cannot write the file ({error.strerror}).", returncode=2
            ) from None
        self.stderr.write(f"{file.count} case{'s' if file.count != 1 else ''} written to {target}.")
