"""``beyondraid dictionary``: regenerate the data dictionary and the exchange Table Schemas."""

from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from beyondraid.standard import dictionary
from beyondraid.standard.table_schemas import SCHEMA_DIR


def _shown(path: Path) -> str:
    try:
        return str(path.resolve().relative_to(Path.cwd()))
    except ValueError:
        return str(path)


def _them(paths: list[Path]) -> str:
    return "it" if len(paths) == 1 else "them"


class Command(BaseCommand):
    help = (
        "Regenerate docs/standard.md and the Frictionless Table Schemas of the exchange tables "
        "from the models, vocabularies, statute catalogue and exchange tables."
    )

    def add_arguments(self, parser):
        parser.add_argument(
            "--check",
            action="store_true",
            help="Write nothing; fail if any generated file is missing or out of date.",
        )
        parser.add_argument(
            "--docs",
            type=Path,
            default=dictionary.DEFAULT_DOCS,
            metavar="PATH",
            help="Where the data dictionary goes (default: docs/standard.md).",
        )
        parser.add_argument(
            "--schemas",
            type=Path,
            default=SCHEMA_DIR,
            metavar="DIR",
            help="Where the Table Schemas go (default: beyondraid/standard/schemas).",
        )

    def handle(self, *args, check: bool, docs: Path, schemas: Path, **options):
        if check:
            self._check(docs, schemas)
            return
        try:
            written = dictionary.write_files(docs=docs, schemas=schemas)
        except OSError as error:
            raise CommandError(
                f"Cannot write {error.filename or docs}: {error.strerror or error}."
            ) from None
        if written:
            for path in written:
                self.stdout.write(f"Wrote {_shown(path)}")
        else:
            self.stdout.write("The data dictionary and the Table Schemas are already up to date.")
        for orphan in dictionary.orphaned_schemas(schemas=schemas):
            self.stdout.write(f"Delete {_shown(orphan)}: no exchange table produces it any more.")

    def _check(self, docs: Path, schemas: Path) -> None:
        try:
            stale = dictionary.stale_files(docs=docs, schemas=schemas)
        except OSError as error:
            raise CommandError(
                f"Cannot read {error.filename or docs}: {error.strerror or error}."
            ) from None
        orphans = dictionary.orphaned_schemas(schemas=schemas)
        problems = []
        if stale:
            problems.append(
                f"Out of date: {', '.join(_shown(path) for path in stale)}. "
                f"Run `beyondraid dictionary` to regenerate {_them(stale)}."
            )
        if orphans:
            problems.append(
                f"No exchange table produces {', '.join(_shown(path) for path in orphans)} "
                f"any more; delete {_them(orphans)}."
            )
        if problems:
            raise CommandError(" ".join(problems))
        self.stdout.write("The data dictionary and the Table Schemas are up to date.")
