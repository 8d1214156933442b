"""Audited tables kept as published aggregate figures of the standard (``audit --record``).

A released summary table says, for each period, how many people of each printed category an
agency counted. The manifest's ``[table.record]`` says which agency led, what initiative it was,
and how each printed row maps to a measure of the standard, or to ``"conflated"`` for a category
that mixes people the standard keeps apart. Nothing is guessed: a row the manifest does not map
stops the recording, with the row named.

Each period (column) becomes an operation with data origin ``published_aggregate`` and one figure
per row, the printed label and cell kept verbatim beside the count. The audit of the table (its
structure and every finding, cross-table ones included) is kept with the figures as their
provenance. The recording is an import batch: idempotent by the files' hashes and the operations'
names, and undoable as a whole with ``beyondraid import --undo N``.
"""

import re
from dataclasses import dataclass, field

from django.db import transaction
from django.utils import timezone

from beyondraid.accounts.audit import acting_as
from beyondraid.accounts.audit import record as audit_log
from beyondraid.accounts.models import AuditEntry
from beyondraid.standard import services
from beyondraid.standard.models import CONFLATED_MEASURE, Agency, Operation
from beyondraid.standard.vocabulary import vocabulary

from .audit import AuditReport, TableReport, split_header_marker, split_marker
from .importing import Refused, SourceFile
from .manifest import CONFLATED, Manifest, RecordSpec
from .models import AuditedTable, ImportBatch, ImportedFile, ImportedOperation
from .sheets import RawTable

DATA_ORIGIN = "published_aggregate"
_YEAR = re.compile(r"(19|20)[0-9]{2}")


class RecordRefused(Refused):
    headline = "Nothing was recorded: {count} to fix in the manifest or the sheets."


@dataclass
class RecordOutcome:
    dry_run: bool
    batch: ImportBatch | None = None
    created: list[str] = field(default_factory=list)
    unchanged: list[str] = field(default_factory=list)
    figures: int = 0

    def summary(self) -> str:
        verb = "Would record" if self.dry_run else "Recorded"
        batch = f" as import {self.batch.pk}" if self.batch else ""
        return (
            f"{verb} {len(self.created)} operations of published figures ({self.figures} "
            f"figures){batch}; {len(self.unchanged)} already recorded and left unchanged."
        )


@dataclass
class _Plan:
    report: TableReport
    spec: RecordSpec
    periods: list[int]
    rows: list[tuple[int, str, str, list[str]]]  # line, label, measure, cells by period
    lead: Agency | None = None
    participants: list[Agency] = field(default_factory=list)


def record_audited(
    report: AuditReport,
    tables: list[RawTable],
    manifest: Manifest,
    *,
    sources: list[SourceFile],
    dry_run: bool = False,
) -> RecordOutcome:
    """Record every table whose manifest entry has a ``record`` section; all or nothing."""
    plans, problems = [], []
    raw_of = {(table.file, table.sheet): table for table in tables}
    for table_report in report.tables:
        entry = manifest.entry_for(table_report.file, table_report.sheet)
        if entry is None or entry.record is None:
            continue
        plan = _plan(table_report, entry.record, raw_of[(table_report.file, table_report.sheet)])
        problems += _check(plan)
        plans.append(plan)
    if not plans:
        problems.append(
            f"Manifest {manifest.name} has no [table.record] section, so there is nothing to "
            "record; add one to each table to keep as published figures."
        )
    if problems:
        raise RecordRefused(problems)
    outcome = RecordOutcome(dry_run=dry_run)
    with acting_as(None, label="command: audit --record"), transaction.atomic():
        batch = _batch(manifest, sources)
        for plan in plans:
            _record_table(plan, report, batch, outcome)
        batch.created = {"operations": len(outcome.created), "aggregate_figures": outcome.figures}
        batch.unchanged = {"operations": len(outcome.unchanged)} if outcome.unchanged else {}
        batch.status = (
            ImportBatch.Status.COMPLETED if outcome.created else ImportBatch.Status.UNCHANGED
        )
        batch.finished_at = timezone.now()
        batch.save()
        audit_log(
            AuditEntry.Action.IMPORT,
            instance=batch,
            object_label=f"import {batch.pk}: {outcome.summary()}"[:200],
        )
        if dry_run:
            transaction.set_rollback(True)
        else:
            outcome.batch = batch
    return outcome


def _plan(report: TableReport, spec: RecordSpec, raw: RawTable) -> _Plan:
    header_index = _header_index(raw, report.columns)
    header = [split_header_marker(cell)[0] for cell in raw.cells[header_index][1:]]
    rows = []
    for offset, cells in enumerate(raw.cells[header_index + 1 :], start=header_index + 1):
        label = split_marker(cells[0])[0] if cells else ""
        if not label and not any(cells):
            continue
        measure = spec.measures.get(label, "")
        values = [split_marker(cell)[0] for cell in cells[1 : len(header) + 1]]
        rows.append((raw.first_line + offset, label, measure, values))
    return _Plan(report, spec, [_year(column) for column in header], rows)


def _header_index(raw: RawTable, columns: list[str]) -> int:
    """The row that names the periods: the audit may have read a title row above it."""
    for index, cells in enumerate(raw.cells):
        if [split_header_marker(cell)[0] for cell in cells[1 : len(columns) + 1]] == columns:
            return index
    return 0


def _year(column: str) -> int:
    return int(column) if _YEAR.fullmatch(column) else 0


def _check(plan: _Plan) -> list[str]:
    where = plan.report.title
    problems = []
    for column, year in zip(plan.report.columns, plan.periods, strict=False):
        if not year:
            problems.append(
                f"{where}, column {column!r}: not a year; only tables with one column per year "
                "are recorded as published figures."
            )
    agencies = {
        a.name: a
        for a in Agency.objects.filter(name__in=[plan.spec.lead_agency, *plan.spec.participants])
    }
    for name in [plan.spec.lead_agency, *plan.spec.participants]:
        if name not in agencies:
            problems.append(
                f"{where}: the agency {name!r} is not in the database; add it (records "
                "administration) or correct its name in the manifest."
            )
    plan.lead = agencies.get(plan.spec.lead_agency)
    plan.participants = [agencies[name] for name in plan.spec.participants if name in agencies]
    for key, vocabulary_name in (
        ("initiative", "initiative"),
        ("operation_type", "operation_type"),
        ("trigger", "operation_trigger"),
    ):
        code = getattr(plan.spec, key)
        codes = vocabulary(vocabulary_name).codes
        if code not in codes:
            problems.append(f"{where}: {key} {code!r} is not one of {', '.join(codes)}.")
    measures = vocabulary("aggregate_measure").codes
    measures_to_map = [code for code in measures if code != CONFLATED_MEASURE]
    seen: dict[str, str] = {}
    for line, label, measure, _ in plan.rows:
        if not measure:
            problems.append(
                f"{where}, row {line}: the row {label!r} has no measure in the manifest's "
                f'[table.record.measures]; map it to a measure of the standard or to "{CONFLATED}" '
                "— a row is never guessed."
            )
        elif measure != CONFLATED and measure not in measures_to_map:
            problems.append(
                f"{where}, row {line}: {measure!r} is not a measure of the standard; use one of "
                f'{", ".join(measures_to_map)}, or "{CONFLATED}".'
            )
        elif measure != CONFLATED and measure in seen:
            problems.append(
                f"{where}, row {line}: {label!r} maps to {measure}, as {seen[measure]!r} does; "
                "each measure is counted by one row."
            )
        else:
            seen[measure] = label
    unused = sorted(set(plan.spec.measures) - {label for _, label, _, _ in plan.rows})
    if unused:
        problems.append(
            f"{where}: the manifest maps rows the table does not have: "
            f"{', '.join(map(repr, unused))}."
        )
    return problems


def _batch(manifest: Manifest, sources: list[SourceFile]) -> ImportBatch:
    manifest_source = next(source for source in sources if source.name == manifest.name)
    batch = ImportBatch.objects.create(
        channel=ImportBatch.Channel.COMMAND_LINE,
        status=ImportBatch.Status.RUNNING,
        mapping_name=manifest.name[-200:],
        mapping_version=manifest_source.sha256[:12],
    )
    ImportedFile.objects.bulk_create(
        ImportedFile(
            batch=batch,
            name=source.name[-255:],
            sha256=source.sha256,
            size=len(source.content),
            is_mapping=source is manifest_source,
        )
        for source in sources
    )
    return batch


def _record_table(plan: _Plan, report: AuditReport, batch: ImportBatch, outcome) -> None:
    table = plan.report
    # A cross-table finding names both its tables, joined by "; ".
    mentioned = [
        f.to_json()
        for f in report.cross_table_findings
        if table.title in (f.table or "").split("; ")
    ]
    audited = AuditedTable.objects.create(
        batch=batch,
        file=table.file[-255:],
        sheet=table.sheet or "",
        title=table.title[:300],
        scope=table.scope or "",
        within=table.within or "",
        report={**table.to_json(), "cross_table_findings": mentioned},
    )
    citation = plan.spec.citation[:300]
    for position, year in enumerate(plan.periods):
        name = plan.spec.name.format(period=year)
        existing = Operation.objects.filter(name=name, data_origin=DATA_ORIGIN).first()
        if existing is not None:
            outcome.unchanged.append(name)
            audited.operations.add(existing)
            continue
        operation = services.record_operation(
            name=name,
            initiative=plan.spec.initiative,
            operation_type=plan.spec.operation_type,
            start_date=timezone.datetime(year, 1, 1).date(),
            end_date=timezone.datetime(year, 12, 31).date(),
            stated_objective=(
                f"Figures for {year} as printed in {plan.spec.citation}. The dates of the "
                "operations are not published, so the whole year is recorded. The audit of the "
                f"table is kept with them (import {batch.pk})."
            ),
            trigger=plan.spec.trigger,
            lead_agency=plan.lead,
            participants=[(agency, "participant") for agency in plan.participants],
            data_origin=DATA_ORIGIN,
            source="import",
            source_reference=f"{table.file}, column {year}"[-200:],
        )
        ImportedOperation.objects.create(batch=batch, operation=operation)
        audited.operations.add(operation)
        for line, label, measure, values in plan.rows:
            printed = values[position] if position < len(values) else ""
            services.record_aggregate_figure(
                operation=operation,
                measure=CONFLATED_MEASURE if measure == CONFLATED else measure,
                printed_label=label,
                printed_value=printed[:40],
                citation=citation,
                source="import",
                source_reference=f"{table.file} row {line}, column {year}"[-200:],
            )
            outcome.figures += 1
        outcome.created.append(name)
