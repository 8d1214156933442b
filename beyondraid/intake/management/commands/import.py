"""``beyondraid import FILE...``: import records in the standard, all or nothing, as one batch."""

from contextlib import contextmanager
from pathlib import Path

from django.contrib.auth import get_user_model
from django.core.management.base import BaseCommand, CommandError
from rich.console import Console
from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeRemainingColumn

from beyondraid.intake import importing
from beyondraid.intake.interruptions import settle_if_abandoned
from beyondraid.intake.models import ImportBatch


class Command(BaseCommand):
    help = (
        "Import exchange files (CSV, TSV, XLSX with one sheet per table, or NDJSON with one "
        "record a line) or an agency tracking "
        "sheet through a mapping. Every row is checked first; on any problem nothing is kept and "
        "each problem is listed with its file, row and column. Importing the same files again "
        "changes nothing. --list shows the batches, --undo N removes what batch N created."
    )

    def add_arguments(self, parser):
        parser.add_argument("files", nargs="*", type=Path, help="The files to import together.")
        parser.add_argument(
            "--mapping", type=Path, help="A TOML mapping for an agency's own tracking sheet."
        )
        parser.add_argument(
            "--dry-run",
            action="store_true",
            help="Check everything and say what would be created; keep nothing.",
        )
        parser.add_argument(
            "--user",
            help="Import as this data steward, within their agency (default: as the operator).",
        )
        parser.add_argument("--list", action="store_true", help="List the import batches.")
        parser.add_argument("--undo", type=int, metavar="N", help="Undo import batch N.")

    def handle(self, *args, files, mapping, dry_run, user, list: bool, undo, **options):
        if list:
            return self.list_batches()
        user = self.steward(user) if user else None
        if undo is not None:
            return self.undo(undo, user)
        if not files:
            raise CommandError("Give one or more files to import (or --list, or --undo N).")
        sources = [self.source(path) for path in files]
        mapping_source = self.source(mapping) if mapping else None
        try:
            with self.progress_bar() as report:
                outcome = importing.import_files(
                    sources, mapping=mapping_source, user=user, dry_run=dry_run, progress=report
                )
        except (importing.ImportRefused, importing.ImportInterrupted) as stopped:
            raise CommandError(str(stopped)) from None
        self.stdout.write(outcome.summary())

    def source(self, path: Path) -> importing.SourceFile:
        try:
            return importing.SourceFile(path.name, path.read_bytes())
        except FileNotFoundError:
            raise CommandError(f"{path}: no such file.") from None
        except IsADirectoryError:
            raise CommandError(
                f"{path} is a directory; give the files in it, e.g. {path}/*.csv."
            ) from None
        except OSError as error:
            raise CommandError(f"{path} cannot be read ({error.strerror}).") from None

    def steward(self, username: str):
        found = get_user_model().objects.filter(username=username, is_active=True).first()
        if found is None:
            raise CommandError(f"No active user is named {username!r}.")
        return found

    @contextmanager
    def progress_bar(self):
        """A bar on the terminal for large files; nothing when the output is not a terminal."""
        console = Console(stderr=True)
        with Progress(
            TextColumn("Importing"),
            BarColumn(),
            MofNCompleteColumn(),
            TimeRemainingColumn(),
            console=console,
            transient=True,
            disable=not console.is_terminal,
        ) as bar:
            task = bar.add_task("rows", total=None)
            yield lambda done, total: bar.update(task, completed=done, total=total)

    def list_batches(self):
        batches = ImportBatch.objects.select_related("created_by", "agency").prefetch_related(
            "files"
        )
        if not batches:
            self.stdout.write("No imports yet.")
        for listed in batches:
            batch = settle_if_abandoned(listed)
            who = batch.submitter
            names = ", ".join(f.name for f in batch.files.all())
            self.stdout.write(
                f"{batch.pk:>5}  {batch.created_at:%Y-%m-%d %H:%M}  {who:<12} "
                f"{batch.get_status_display():<36} {names}"
            )

    def undo(self, number: int, user):
        batch = ImportBatch.objects.filter(pk=number).first()
        if batch is None or (user is not None and batch not in importing.batches_for(user)):
            raise CommandError(f"There is no import {number} to undo; --list shows them.")
        try:
            counts = importing.undo_batch(batch, user=user)
        except importing.UndoRefused as refused:
            raise CommandError(str(refused)) from None
        self.stdout.write(
            f"Undid import {number}: removed {counts['operations']} operations, "
            f"{counts['encounters']} encounters with their records, and "
            f"{counts['agencies']} agencies only it had created."
        )
