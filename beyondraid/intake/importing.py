"""Import of records in the standard: exchange files (CSV, XLSX, or NDJSON lines as agency systems
send them through the API), or agency tracking sheets through a mapping.

Every file becomes exchange tables (``standard.loading.TableInput``) and goes through the one
loader of the standard, so an import obeys the same rules, services and messages as any other
way in. On top of the loader this module adds what an import needs:

- a batch recording who imported which files (by SHA-256) with which mapping, and what it
  created, so that it can be undone as a whole;
- idempotency: a set of files the same agency imported before is recognised by its hashes and
  changes nothing, and rows already in the database are recognised by their codes and facts and
  left as they are, while the new people of an operation already there are added to it
  (``LoadOptions.skip_loaded``);
- the steward's boundary: a steward, or an agency's integration token, imports only operations of
  its own agency;
- progress, reported while the rows are written.
"""

import hashlib
import logging
from collections.abc import Callable
from contextlib import nullcontext
from dataclasses import dataclass, field
from pathlib import PurePath

from django.db import DatabaseError, transaction
from django.db.models import Q
from django.utils import timezone

from beyondraid.accounts.audit import acting_as, counting_creates
from beyondraid.accounts.audit import record as audit
from beyondraid.accounts.models import AuditEntry
from beyondraid.standard import access
from beyondraid.standard.deleting import StillReferred, delete_with_dependents, not_referred_to
from beyondraid.standard.exchange import TABLES_BY_NAME
from beyondraid.standard.loading import (
    ExchangeLoadError,
    LoadOptions,
    LoadResult,
    Problem,
    TableInput,
    load_tables,
)
from beyondraid.standard.models import Agency, Encounter, Operation

from .interruptions import ImportInterrupted, hold, reason_for, reconnect
from .mapping import Mapping, MappingError
from .models import (
    ImportBatch,
    ImportedAgency,
    ImportedEncounter,
    ImportedFile,
    ImportedOperation,
)
from .ndjson import SUFFIXES as NDJSON_SUFFIXES
from .ndjson import tables_of_ndjson
from .permissions import may_import
from .problems import counted, list_problems
from .sheets import READABLE_SUFFIXES, SPREADSHEET_SUFFIXES, RawTable, SheetError, read_bytes

logger = logging.getLogger(__name__)

MAX_FILE_BYTES = 200 * 1024 * 1024
UNEXPECTED_STOP = (
    "The import stopped on an unexpected error and nothing was kept. Tell your administrator; "
    "the task worker's log says what happened."
)


@dataclass(frozen=True)
class SourceFile:
    name: str
    content: bytes

    @property
    def sha256(self) -> str:
        return hashlib.sha256(self.content).hexdigest()


class Refused(ValueError):
    """Nothing was kept; ``problems`` lists the reasons, one plain line each, after a headline
    that counts them: every reason, or when there are too many the first of each kind, with how
    many more (``listing``). The problems ``listing`` lists keep their file, row and columns, for
    a caller (the API) that points at each one."""

    headline = "Nothing was kept: {count} to fix."

    def __init__(self, problems: list[str], found: list[Problem] = ()):
        found = list(found) or [Problem("", None, (), problem) for problem in problems]
        self.listing = list_problems(found)
        self.problems = [str(problem) for problem in self.listing.listed]
        lines = [self.headline.format(count=counted(self.listing.count)), *self.listing.lines()]
        super().__init__("\n".join(lines))


class ImportRefused(Refused):
    headline = "Nothing was imported: {count} to fix, then import the files again."


@dataclass
class ImportOutcome:
    result: LoadResult | None
    dry_run: bool
    already_imported_in: ImportBatch | None = None
    notes: list[str] = field(default_factory=list)
    batch: ImportBatch | None = None

    def summary(self) -> str:
        if self.already_imported_in is not None:
            batch = self.already_imported_in
            return (
                f"These files were already imported in import {batch.pk} on "
                f"{timezone.localtime(batch.created_at):%Y-%m-%d %H:%M}; nothing changed."
            )
        verb = "Would create" if self.dry_run else "Created"
        return f"{verb} {self.result.summary()}."


def importing_agency(user, agency: Agency | None = None) -> Agency | None:
    """The agency a steward imports for, or the agency whose integration token sends the files
    (``agency``, with no user); None for the operator at the command line."""
    if user is None:
        return agency
    if not may_import(user):
        raise ImportRefused(
            [f"{user.get_username()} is not a data steward; only stewards import records."]
        )
    return user.organisation


def import_files(
    files: list[SourceFile],
    *,
    mapping: SourceFile | None = None,
    user=None,
    agency: Agency | None = None,
    submitted_by: str = "",
    dry_run: bool = False,
    channel: str = ImportBatch.Channel.COMMAND_LINE,
    progress: Callable[[int, int], None] | None = None,
) -> ImportOutcome:
    """Import ``files`` now, as one batch; raise ``ImportRefused`` and keep nothing on any
    problem. A dry run checks and reports without keeping anything, not even a batch.

    An agency's system sends files with no user: ``agency`` is its agency and ``submitted_by``
    names its integration token, which the batch and the audit log keep."""
    if dry_run:
        agency = importing_agency(user, agency)
        parsed = _parse_mapping(mapping)
        return _load(
            files, parsed, user, agency, dry_run=True, progress=progress, source=_source(channel)
        )[0]
    batch = queue_batch(
        files,
        mapping=mapping,
        user=user,
        agency=agency,
        submitted_by=submitted_by,
        channel=channel,
        keep_content=False,
    )
    return run_batch(batch, files=files, mapping=_parse_mapping(mapping), progress=progress)


def _source(channel: str) -> str:
    """The provenance of records a batch brings in (``provenance_source``)."""
    return "api" if channel == ImportBatch.Channel.API else "import"


def queue_batch(
    files: list[SourceFile],
    *,
    mapping: SourceFile | None,
    user,
    channel: str,
    agency: Agency | None = None,
    submitted_by: str = "",
    keep_content: bool = True,
    dry_run: bool = False,
) -> ImportBatch:
    """Record a batch and its files before the import runs; the upload page keeps the files'
    content with it so that a worker can run it, and drops the content when it is done."""
    agency = importing_agency(user, agency)
    parsed = _parse_mapping(mapping)
    problems = [
        f"{source.name}: is larger than {MAX_FILE_BYTES // (1024 * 1024)} MB; split it."
        for source in files
        if len(source.content) > MAX_FILE_BYTES
    ]
    if not files:
        problems.append("No file was given; choose one or more CSV, TSV, XLSX or NDJSON files.")
    if problems:
        raise ImportRefused(problems)
    with transaction.atomic():
        batch = ImportBatch.objects.create(
            created_by=user,
            agency=agency,
            submitted_by=submitted_by[:150],
            channel=channel,
            dry_run=dry_run,
            mapping_name=parsed.name if parsed else "",
            mapping_version=parsed.version if parsed else "",
        )
        for source in [*files, *([mapping] if mapping else [])]:
            ImportedFile.objects.create(
                batch=batch,
                name=source.name[:255],
                sha256=source.sha256,
                size=len(source.content),
                content=source.content if keep_content else b"",
                is_mapping=source is mapping,
            )
    return batch


def run_queued_batch(batch: ImportBatch, *, progress=None) -> ImportOutcome | None:
    """Run a batch the upload page queued, from the files kept with it."""
    stored = list(batch.files.all())
    files = [SourceFile(f.name, bytes(f.content)) for f in stored if not f.is_mapping]
    mappings = [SourceFile(f.name, bytes(f.content)) for f in stored if f.is_mapping]
    try:
        mapping = _parse_mapping(mappings[0] if mappings else None)
        return run_batch(batch, files=files, mapping=mapping, progress=progress)
    except ImportRefused as refused:
        if not batch.is_finished:
            _keep_problems(batch, refused)
            _finish(batch, ImportBatch.Status.REJECTED)
        return None
    except ImportInterrupted as interrupted:
        # A fault of the server, which the batch now states; the worker's log says it plainly.
        logger.warning("Import %s stopped: %s", batch.pk, interrupted)
        return None
    except Exception:
        # The worker logs the error; the steward's page must still end, saying nothing was kept.
        batch.problems = [UNEXPECTED_STOP]
        _finish(batch, ImportBatch.Status.REJECTED)
        raise
    finally:
        batch.files.update(content=b"")


def run_batch(
    batch: ImportBatch,
    *,
    files: list[SourceFile],
    mapping: Mapping | None,
    progress: Callable[[int, int], None] | None = None,
) -> ImportOutcome:
    batch.status = ImportBatch.Status.RUNNING
    batch.started_at = timezone.now()
    batch.save(update_fields=["status", "started_at"])
    previous = _same_files_imported_before(batch)
    if previous is not None:
        _finish(batch, ImportBatch.Status.UNCHANGED)
        return ImportOutcome(None, dry_run=False, already_imported_in=previous)

    def reported(done: int, total: int) -> None:
        batch.rows_done, batch.rows_total = done, total
        if progress:
            progress(done, total)

    user = batch.created_by
    try:
        with (
            acting_as(user, label=batch.submitted_by or f"import {batch.pk}"),
            transaction.atomic(),
        ):
            hold(batch)
            # One audit entry per table with its count, not one per record: the batch's own
            # tables trace each record to it. A dry run keeps nothing, so it has nothing to count.
            with nullcontext() if batch.dry_run else counting_creates(f"import {batch.pk}"):
                outcome, result = _load(
                    files,
                    mapping,
                    user,
                    batch.agency,
                    dry_run=batch.dry_run,
                    progress=reported,
                    source=_source(batch.channel),
                )
            outcome.batch = batch
            batch.created = dict(result.created)
            batch.unchanged = dict(result.unchanged)
            if batch.dry_run:
                _finish(batch, ImportBatch.Status.CHECKED)
                return outcome
            ImportedOperation.objects.bulk_create(
                ImportedOperation(batch=batch, operation=operation)
                for operation in result.new_operations
            )
            ImportedAgency.objects.bulk_create(
                ImportedAgency(batch=batch, agency=agency) for agency in result.new_agencies
            )
            ImportedEncounter.objects.bulk_create(
                (
                    ImportedEncounter(batch=batch, encounter=encounter)
                    for encounter in (
                        *result.new_encounters_of_stored_operations,
                        *result.new_encounters_without_operation,
                    )
                ),
                batch_size=2000,
            )
            _finish(batch, ImportBatch.Status.COMPLETED)
            audit(
                AuditEntry.Action.IMPORT,
                instance=batch,
                object_label=f"import {batch.pk}: {result.summary()}"[:200],
                user=user,
            )
    except ImportRefused as refused:
        _keep_problems(batch, refused)
        _finish(batch, ImportBatch.Status.REJECTED)
        raise
    except DatabaseError as error:
        reason = reason_for(error)
        if reason is None:
            raise
        _stop(batch, reason)
        raise ImportInterrupted(reason) from error
    return outcome


def _stop(batch: ImportBatch, reason: str) -> None:
    """Save the batch as interrupted, on a new connection: the import's transaction was rolled
    back, so nothing it counted was kept."""
    batch.created, batch.unchanged = {}, {}
    batch.problems, batch.problems_not_listed, batch.problem_count = [reason], [], 1
    if not reconnect():
        return
    try:
        _finish(batch, ImportBatch.Status.INTERRUPTED)
    except DatabaseError:
        # The database is still away: the batch stays running with nobody holding it, and is
        # settled as interrupted when it is next shown.
        reconnect()


def _keep_problems(batch: ImportBatch, refused: ImportRefused) -> None:
    """Keep on the batch the problems its page lists, and how many there were in all."""
    batch.problems = refused.problems
    batch.problems_not_listed = refused.listing.more
    batch.problem_count = refused.listing.count
    batch.problem_places = [
        [problem.file, problem.row, list(problem.columns), problem.message]
        for problem in refused.listing.listed
    ]


def _finish(batch: ImportBatch, status: str) -> None:
    batch.status = status
    batch.finished_at = timezone.now()
    batch.rows_done = batch.rows_total = max(batch.rows_done, batch.rows_total)
    batch.save()


def _same_files_imported_before(batch: ImportBatch) -> ImportBatch | None:
    """The earlier batch, still in force, that imported exactly these files for the same agency
    (the operator's own, for the operator). Another agency's batch does not count: answering
    that its files were imported would tell a steward or a token that another agency holds
    them, and when, where its records do not exist. Its files are loaded as any others, and the
    codes they give are refused as codes taken, in the words used whoever holds them."""
    hashes = set(batch.files.values_list("sha256", flat=True))
    candidates = (
        ImportBatch.objects.filter(
            status=ImportBatch.Status.COMPLETED, agency=batch.agency, files__sha256__in=hashes
        )
        .exclude(pk=batch.pk)
        .distinct()
        .order_by("created_at")
    )
    for candidate in candidates:
        if set(candidate.files.values_list("sha256", flat=True)) == hashes:
            return candidate
    return None


def _parse_mapping(mapping: SourceFile | None) -> Mapping | None:
    if mapping is None:
        return None
    try:
        return Mapping.parse(mapping.name, mapping.content)
    except MappingError as error:
        raise ImportRefused(error.problems) from None


def _load(
    files, mapping, user, agency, *, dry_run, progress, source="import"
) -> tuple[ImportOutcome, LoadResult]:
    inputs, problems, incomplete = _tables_of(files, mapping)
    if problems and not inputs:
        # Nothing could be read as a table: the loader would only add that every table is missing.
        raise ImportRefused([str(problem) for problem in problems], problems)
    reference = ", ".join(PurePath(source.name).name for source in files)[:100]
    options = LoadOptions(
        reference_prefix=f"import of {reference}: ",
        entered_by=user,
        source=source,
        skip_loaded=True,
        dry_run=dry_run,
        member_of=agency.name if agency else None,
        progress=progress,
    )
    try:
        result = load_tables(
            inputs, options, named="the files", problems=problems, incomplete=frozenset(incomplete)
        )
    except ExchangeLoadError as error:
        raise ImportRefused([str(problem) for problem in error.problems], error.problems) from None
    return ImportOutcome(result, dry_run=dry_run), result


def _tables_of(
    files: list[SourceFile], mapping: Mapping | None
) -> tuple[dict[str, TableInput], list[Problem], set[str]]:
    """Every file's tables as exchange tables: sheets named after a table are taken as they are,
    any other sheet is an agency tracking sheet that the mapping turns into exchange rows.

    Also the problems found reading them, and the tables left incomplete by a file or a line
    that cannot be read: reported once, it is not reported again as a table missing, or as a
    row named by every row that names it (an encounter's assessments, events, follow-ups …)."""
    inputs: dict[str, TableInput] = {}
    problems: list[Problem] = []
    incomplete: set[str] = set()
    tracking_sheets = []
    for source in files:
        suffix = PurePath(source.name).suffix.lower()
        if suffix in NDJSON_SUFFIXES:
            tables, found, left_out = tables_of_ndjson(source.name, source.content)
            problems += found
            incomplete |= left_out
            for table_name, table_input in tables.items():
                if table_name in inputs:
                    problems.append(
                        Problem(
                            table_input.label,
                            None,
                            (),
                            f"gives the table {table_name} again, already given by "
                            f"{inputs[table_name].label}; give each table once.",
                        )
                    )
                else:
                    inputs[table_name] = table_input
            continue
        if suffix not in (*READABLE_SUFFIXES, ".xls"):
            problems.append(
                Problem(
                    "",
                    None,
                    (),
                    f"{source.name} is not a file the import reads; give CSV, TSV or XLSX files, "
                    f"or NDJSON ({', '.join((*READABLE_SUFFIXES, *NDJSON_SUFFIXES))}).",
                )
            )
            incomplete |= _tables_it_may_hold(source)
            continue
        try:
            sheets = _sheets_of(source)
        except SheetError as error:
            problems.append(Problem("", None, (), str(error)))
            incomplete |= _tables_it_may_hold(source)
            continue
        for sheet in sheets:
            table = TABLES_BY_NAME.get(sheet.table_name)
            if table is None:
                tracking_sheets.append(sheet)
            elif table.name in inputs:
                problems.append(
                    Problem(
                        sheet.label,
                        None,
                        (),
                        f"gives the table {table.name} again, already given by "
                        f"{inputs[table.name].label}; give each table once.",
                    )
                )
            else:
                inputs[table.name] = TableInput(sheet.label, sheet.rows[0], sheet.numbered_rows)
                if sheet.raw.first_line != 1:
                    problems.append(
                        Problem(
                            sheet.label,
                            sheet.raw.first_line,
                            (),
                            "the column names must be in the first row; remove the empty rows "
                            "above them.",
                        )
                    )
    if tracking_sheets and mapping is None:
        for sheet in tracking_sheets:
            problems.append(
                Problem(
                    sheet.label,
                    None,
                    (),
                    "is not a table of the exchange format; name it after its table "
                    f"({', '.join(TABLES_BY_NAME)}), or give a mapping (--mapping) that says "
                    "how its columns become records of the standard.",
                )
            )
    elif tracking_sheets:
        if inputs:
            problems.append(
                Problem(
                    tracking_sheets[0].label,
                    None,
                    (),
                    "is a tracking sheet to map, given with exchange tables; import the "
                    "tracking sheet and the exchange files separately.",
                )
            )
        else:
            mapped, mapping_problems = mapping.tables_from(tracking_sheets)
            inputs.update(mapped)
            problems += mapping_problems
    elif mapping is not None and not problems:
        problems.append(
            Problem(
                mapping.file,
                None,
                (),
                "was given but no file is a tracking sheet to map; leave the mapping out when "
                "importing exchange files.",
            )
        )
    return inputs, problems, incomplete


def _tables_it_may_hold(source: SourceFile) -> set[str]:
    """The tables a file that cannot be read may have held: a text file named after a table
    holds that table; a workbook, or a file named otherwise, any."""
    path = PurePath(source.name)
    workbook = path.suffix.lower() in (*SPREADSHEET_SUFFIXES, ".xls")
    return {path.stem} if path.stem in TABLES_BY_NAME and not workbook else set(TABLES_BY_NAME)


@dataclass(frozen=True)
class _Sheet:
    """One sheet of an import file, with the rows numbered as a spreadsheet shows them."""

    raw: RawTable

    @property
    def label(self) -> str:
        return self.raw.name

    @property
    def table_name(self) -> str:
        return self.raw.sheet if self.raw.sheet is not None else PurePath(self.raw.file).stem

    @property
    def rows(self) -> list[list[str]]:
        return self.raw.cells

    @property
    def numbered_rows(self) -> list[tuple[int, list[str]]]:
        return list(enumerate(self.raw.cells[1:], start=self.raw.first_line + 1))


def _sheets_of(source: SourceFile) -> list[_Sheet]:
    """The sheets of a file that hold anything; an empty workbook sheet is not a table."""
    return [_Sheet(raw) for raw in read_bytes(source.name, source.content) if raw.cells]


# Undo ---------------------------------------------------------------------------------------------


class UndoRefused(ValueError):
    pass


def batches_for(user):
    """The import batches a user may see and undo: a steward's agency's; the operator's for
    administrators."""
    role = access.role_of(user)
    if role == access.STEWARD:
        return ImportBatch.objects.filter(agency_id=user.organisation_id)
    if role == access.ADMINISTRATOR:
        return ImportBatch.objects.all()
    return ImportBatch.objects.none()


@transaction.atomic
def undo_batch(batch: ImportBatch, *, user=None) -> dict[str, int]:
    """Delete everything the batch created, or refuse when records entered since depend on it.

    The records go as sets, one statement per table whatever the batch's size
    (``standard.deleting``), and the audit log says so in as many entries: one per table, with how
    many of its rows went, beside the entry for the undo itself."""
    batch = ImportBatch.objects.select_for_update().get(pk=batch.pk)
    if batch.status != ImportBatch.Status.COMPLETED:
        raise UndoRefused(
            f"Import {batch.pk} is {batch.get_status_display().lower()}; only a completed import "
            "can be undone."
        )
    operations = Operation.objects.filter(import_record__batch=batch)
    # Its operations' people, the people it added to operations already there, and those it
    # added outside any operation.
    encounters = Encounter.objects.filter(
        Q(operation__import_record__batch=batch) | Q(import_record__batch=batch)
    )
    later = encounters.filter(
        Q(created_at__gt=batch.finished_at)
        | Q(role_assessments__created_at__gt=batch.finished_at)
        | Q(treatment_events__created_at__gt=batch.finished_at)
        | Q(charges__created_at__gt=batch.finished_at)
        | Q(service_offers__created_at__gt=batch.finished_at)
        | Q(cooperation_records__created_at__gt=batch.finished_at)
        | Q(follow_ups__created_at__gt=batch.finished_at)
    ).distinct()
    if later.exists():
        raise UndoRefused(
            f"Import {batch.pk} cannot be undone: {later.count()} of its people have records "
            "entered after the import, or were added to its operations since, which undoing it "
            "would delete. Undo the later imports first, or correct the records one by one."
        )
    label = f"undo of import {batch.pk}"
    with acting_as(user, label=label):
        try:
            done = delete_with_dependents(encounters, operations)
        except StillReferred as referred:
            raise UndoRefused(
                f"Import {batch.pk} cannot be undone: records entered since refer to what it "
                f"would delete ({referred}). Delete or correct those records first, then undo "
                "the import."
            ) from None
        # An agency other records still name (a later operation, a provider's offers, a user's
        # organisation) stays: it is no longer only this import's.
        done += delete_with_dependents(
            not_referred_to(Agency.objects.filter(import_record__batch=batch))
        )
        # One entry per table, as the import logged its creates (``counting_creates``): its id
        # stays empty, since an id there would be read as a record of that table's.
        for model, count in done.deleted.items():
            audit(
                AuditEntry.Action.DELETE,
                object_type=model._meta.label_lower,
                object_label=f"{label}: {count:,} deleted",
                user=user,
            )
        for (model, field_name), count in done.emptied.items():
            audit(
                AuditEntry.Action.UPDATE,
                object_type=model._meta.label_lower,
                object_label=f"{label}: {field_name} emptied in {count:,}",
                changed_fields=[field_name],
                user=user,
            )
        counts = {
            "operations": done.deleted[Operation],
            "encounters": done.deleted[Encounter],
            "agencies": done.deleted[Agency],
        }
        batch.status = ImportBatch.Status.UNDONE
        batch.undone_at = timezone.now()
        batch.undone_by = user
        batch.save()
        audit(
            AuditEntry.Action.IMPORT_UNDONE,
            instance=batch,
            object_label=f"import {batch.pk} undone: {counts}"[:200],
            user=user,
        )
    return counts
