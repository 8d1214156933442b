"""``beyondraid audit``: audit released summary tables before anyone trusts them."""

import sys
from dataclasses import replace
from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from beyondraid.intake import audit_output
from beyondraid.intake.aggregates import RecordRefused, record_audited
from beyondraid.intake.audit import audit, inputs_from
from beyondraid.intake.importing import SourceFile
from beyondraid.intake.manifest import Manifest, ManifestError, read_manifest
from beyondraid.intake.sheets import RawTable, SheetError, read_path

USAGE_ERROR = 2


def _usage_error(message: str) -> CommandError:
    return CommandError(message, returncode=USAGE_ERROR)


class Command(BaseCommand):
    help = (
        "Audit released summary tables (CSV, TSV, XLSX — every sheet — and PDFs — every "
        "table of every page; a scanned PDF or PNG, JPEG or TIFF image is read by OCR): which "
        "rows are totals of "
        "which, totals that do not add up, notations, blanks, footnote markers, categories that "
        "conflate people, euphemisms, and the breakdowns of the standard a sheet cannot answer. "
        "Exits 0 when the files were audited, 2 when they could not be read. See docs/audit.md."
    )

    def create_parser(self, prog_name, subcommand, **kwargs):
        parser = super().create_parser(prog_name, subcommand, **kwargs)

        def one_line_error(message):
            # argparse prints the whole usage block; one line with the fix is easier to act on.
            if parser.called_from_command_line:
                sys.stderr.write(
                    f"beyondraid audit: {message}. Run `beyondraid audit --help` for usage.\n"
                )
                sys.exit(USAGE_ERROR)
            raise _usage_error(f"{message}.")

        parser.error = one_line_error
        return parser

    def add_arguments(self, parser):
        parser.add_argument(
            "files",
            nargs="*",
            type=Path,
            metavar="FILE",
            help="CSV, TSV, XLSX, PDF or scanned image (PNG, JPEG, TIFF) files to audit.",
        )
        parser.add_argument(
            "--manifest",
            type=Path,
            metavar="FILE.toml",
            help="What each table is (title, scope, within, declared totals); its files are "
            "audited too.",
        )
        parser.add_argument(
            "--format", dest="output_format", choices=audit_output.FORMATS, default="text"
        )
        parser.add_argument(
            "--out", type=Path, metavar="PATH", help="Write the report here instead of printing it."
        )
        parser.add_argument(
            "--record",
            action="store_true",
            help="Also keep the tables whose manifest entry has a [table.record] section as "
            "published figures of the standard, with this audit as their provenance.",
        )
        parser.add_argument(
            "--dry-run",
            action="store_true",
            help="With --record: say what would be recorded, and keep nothing.",
        )

    def handle(self, *args, files, manifest, output_format, out, record, dry_run, **options):
        if not files and manifest is None:
            raise _usage_error(
                "Give at least one file to audit, or --manifest FILE.toml listing them."
            )
        if (record or dry_run) and manifest is None:
            raise _usage_error(
                "--record needs --manifest FILE.toml: its [table.record] sections say what "
                "each table is in the standard's terms."
            )
        if dry_run and not record:
            raise _usage_error("--dry-run goes with --record.")
        try:
            declared = read_manifest(manifest) if manifest else None
            tables = _tables(files, declared)
            inputs = inputs_from(tables, declared)
        except (ManifestError, SheetError) as error:
            raise _usage_error(str(error)) from None
        report = audit(inputs)
        self.write_report(report, output_format, out)
        if record:
            self.record(report, tables, declared, manifest, files, dry_run)

    def record(self, report, tables, declared, manifest: Path, files, dry_run: bool) -> None:
        paths = dict.fromkeys(
            [manifest.resolve(), *(path.resolve() for path in files)]
            + [entry.path for entry in declared.entries]
        )
        sources = [
            SourceFile(
                declared.name if path == manifest.resolve() else _shown(path), path.read_bytes()
            )
            for path in paths
        ]
        try:
            outcome = record_audited(report, tables, declared, sources=sources, dry_run=dry_run)
        except RecordRefused as refused:
            raise _usage_error(str(refused)) from None
        self.stdout.write(outcome.summary())

    def write_report(self, report, output_format: str, out: Path | None) -> None:
        text = audit_output.render(report, output_format)
        if out is None:
            self.stdout.write(text, ending="")
            return
        try:
            out.write_text(text, encoding="utf-8")
        except OSError as error:
            raise _usage_error(f"Cannot write {out}: {error.strerror or error}.") from None
        self.stdout.write(f"{audit_output.summary_line(report)} Report written to {out}.")


def _tables(files: list[Path], manifest: Manifest | None) -> list[RawTable]:
    paths = list(dict.fromkeys(path.resolve() for path in files))
    for entry in manifest.entries if manifest else ():
        if not entry.path.is_file():
            raise ManifestError(
                f"Manifest {manifest.name}: the table file {entry.file} is not at {entry.path}; "
                "paths in a manifest are relative to the manifest."
            )
        if entry.path not in paths:
            paths.append(entry.path)
    return [replace(table, file=_shown(path)) for path in paths for table in read_path(path)]


def _shown(path: Path) -> str:
    try:
        return str(path.relative_to(Path.cwd()))
    except ValueError:
        return str(path)
