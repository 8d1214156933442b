"""``beyondraid load_exchange DIR``: load exchange-format CSV files, all or nothing."""

from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from beyondraid.standard.loading import MAX_REFERENCE_PREFIX, ExchangeLoadError, load_exchange


class Command(BaseCommand):
    help = (
        "Load a directory of exchange-format CSV files. Every row is checked first; if any "
        "problem is found nothing is loaded and each problem is listed with its file, row and "
        "column."
    )

    def add_arguments(self, parser):
        parser.add_argument("directory", type=Path, help="Directory holding the CSV files.")
        parser.add_argument(
            "--source-reference",
            default="",
            help=(
                "Where the files came from, kept on every record with its file and row "
                f"(at most {MAX_REFERENCE_PREFIX} characters); default: the directory's name."
            ),
        )

    def handle(self, *args, directory: Path, source_reference: str, **options):
        try:
            result = load_exchange(directory, source_reference=source_reference.strip())
        except ExchangeLoadError as error:
            raise CommandError(str(error)) from None
        self.stdout.write(f"Loaded {directory}: {result.summary()}.")
