"""``beyondraid load_published``: load the published figures of the 2021 USC report."""

from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from beyondraid.standard.published import ENVIRONMENT_VARIABLE, PublishedError, load_published


class Command(BaseCommand):
    help = (
        "Load Tables 2, 3, 4 and 9 of the 2021 USC report as published-aggregate operations. "
        "Running it again changes nothing."
    )

    def add_arguments(self, parser):
        parser.add_argument(
            "--dir",
            dest="directory",
            type=Path,
            default=None,
            help=(
                "Folder of the published CSV files; default: $"
                f"{ENVIRONMENT_VARIABLE}, else the copy inside the package "
                "(beyondraid/standard/data/published)."
            ),
        )

    def handle(self, *args, directory: Path | None, **options):
        try:
            report = load_published(directory)
        except PublishedError as error:
            raise CommandError(str(error)) from None
        for note in report.notes:
            self.stdout.write(f"Note: {note}")
        self.stdout.write(report.summary())
