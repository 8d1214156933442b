"""Audit of released summary tables: what an analyst must know before trusting them.

The input is a set of raw tables (``sheets.RawTable``, one per CSV file or workbook sheet) with
what a manifest says about each (title, scope, the scope it lies ``within``, declared totals).
The output is an ``AuditReport``: for each table the structure that was read (which rows are
totals of which) and the findings, plus findings that compare tables.

How a table is read
-------------------
The first row holds the column headers (periods or groups), the first column the row labels.
A table is one of three layouts: a *summary* (category rows of counts), a *records* sheet (one row
per person or case, first column an identifier) or a *text* table (lists of names). Summary
tables get the full audit; records sheets get cell, consistency and breakdown checks; text tables
get footnote and list-count checks only.

Cells keep their meaning: a blank cell is "not reported" and never 0; ``N/A``, ``?``, ``-`` and
other notations are kept and reported; thousands separators and stray spaces are read; footnote
markers glued to a label, header or number are stripped and reported.

How totals are found
--------------------
No layout is assumed. A total row may come before its components or after them, groups may have
header rows with no numbers, a grand total may add up subtotals. The numbers choose: every row is
tried as the total of each run of adjacent rows above or below it (group headers are skipped, so a
run may cross them at a small cost). Each candidate is a hypothesis judged on all columns at once:
the one that adds up exactly in the most columns wins, then components that add up to more than
the total count heavily against it and a shortfall lightly (a component may be missing). The best
candidate is accepted, its components fold into it, and the search repeats, so subtotals are found
before the grand total that adds them up. Rows labelled as totals ("Total …", "… Total",
"Subtotal") are matched first: rows that add up to one in most of its columns are its group, and
a column where they do not is a mismatch, not a reason to doubt the group; a labelled total that
adds up in fewer keeps the rows that fit it best, and its shortfall is reported. An unlabelled
row becomes a total only when a run of two or more rows adds up to it exactly in at least two
columns with non-zero totals and in twice as many columns as it does not, so that coincidences in
small counts do not invent structure. Each finding on a total carries its ``Hypothesis``: the rows,
and the columns and cells that support them. A manifest may declare the totals of a
table instead (``manifest.DeclaredTotal``); they then replace inference for that table.

A total with a single component row, or with fewer components than the same total in another
table of the same audit, is missing rows: its shortfall is reported as unverifiable, naming the
missing rows when another table shows them.
"""

import re
from collections import Counter, defaultdict
from dataclasses import dataclass, field
from decimal import Decimal
from pathlib import PurePath

from .manifest import DeclaredTotal, Manifest, ManifestError, parse_manifest_bytes
from .sheets import CellPlace, RawTable, ScanAllowance, read_bytes

ERROR, WARNING, INFO = "error", "warning", "info"
SEVERITY = {
    "total-mismatch": ERROR,
    "cross-table-mismatch": ERROR,
    "subset-exceeds-superset": ERROR,
    "total-unverifiable": WARNING,
    "superset-not-reported": WARNING,
    "conflated-category": WARNING,
    "euphemism": WARNING,
    "notation": WARNING,
    "ocr-uncertain": WARNING,
    "arrest-without-charge": WARNING,
    "victims-arrested": WARNING,
    "victims-without-services": WARNING,
    "blank-cell": INFO,
    "footnote-marker": INFO,
    "missing-breakdown": INFO,
    "list-count": INFO,
}
SEVERITY_ORDER = (ERROR, WARNING, INFO)
# A cell of a scan read by OCR with a lower confidence (Tesseract's, 0–100) is ``ocr-uncertain``.
# At 80 and above Tesseract rarely misreads a printed digit; below, often enough that the figure
# must be checked against the paper.
OCR_MIN_CONFIDENCE = 80
SEVERITY_HEADINGS = {ERROR: "Errors", WARNING: "Warnings", INFO: "For information"}

SUMMARY, RECORDS, TEXT = "summary", "records", "text"
TOTAL, COMPONENT, GROUP, OTHER = "total", "component", "group", "other"

_SUPERSCRIPT_DIGITS = "⁰¹²³⁴⁵⁶⁷⁸⁹"
_TRAILING_MARKER = re.compile(rf"^(?P<text>.*?)\s*(?P<marker>[{_SUPERSCRIPT_DIGITS}*†‡]+)$")
_YEAR_WITH_PLAIN_MARKER = re.compile(r"^(?P<text>(?:19|20)\d{2})\s+(?P<marker>\d{1,2})$")
_NUMBER = re.compile(
    r"^(?P<sign>[+-]?)(?P<digits>\d{1,3}(?:[,\u00a0\u202f' ]\d{3})+|\d+)(?P<fraction>\.\d+)?$"
)
_NOTATIONS = {
    "n/a", "na", "n.a.", "n.a", "?", "??", "-", "--", "—", "–", "..", "...", "…", "x", "*",
    "nr", "n/r", "not reported", "unknown", "unk", "none reported", "not available", "tbd",
    "pending", "redacted", "suppressed", "s", "(s)", "<5", "<10", "*****",
}  # fmt: skip
_TOTAL_LABEL = re.compile(r"\b(sub-?)?totals?\b|\bgrand total\b|^sum\b|\ball\s+\w+\s+total", re.I)
_NON_ADDITIVE = re.compile(r"\b(rate|percent(age)?|average|mean|median|ratio|share|per)\b|%", re.I)
_RECORD_ID_HEADER = re.compile(
    r"^(#|no\.?|id|number|record|row|case|victim|person|subject|arrestee|individual)"
    r"(\s*(#|no\.?|id|number))?$",
    re.I,
)
_YES = {"y", "yes", "true", "1", "x"}
_NO = {"n", "no", "false", "0"}
# Components may sum to at most this many rows before a run is not worth scoring.
_MAX_RUN = 60
_MAX_INFERRED_ROWS = 400


# --- Reading cells and labels --------------------------------------------------------------


@dataclass(frozen=True)
class Cell:
    """One data cell: ``kind`` is "number", "blank", "notation" (a known mark such as N/A or
    ?) or "text"; ``marker`` is a footnote marker stripped from it."""

    text: str
    kind: str
    value: Decimal | None = None
    marker: str = ""

    @property
    def is_number(self) -> bool:
        return self.kind == "number"


def read_cell(text: str) -> Cell:
    raw = (text or "").strip()
    if not raw:
        return Cell(text="", kind="blank")
    if raw.casefold() in _NOTATIONS:
        return Cell(text=raw, kind="notation")
    body, marker = split_marker(raw)
    match = _NUMBER.match(re.sub(r"\s+", " ", body))
    if match is not None:
        digits = re.sub(r"\D", "", match["digits"])
        value = Decimal(f"{match['sign']}{digits}{match['fraction'] or ''}")
        return Cell(text=raw, kind="number", value=value, marker=marker)
    kind = "notation" if body.strip().casefold() in _NOTATIONS else "text"
    return Cell(text=raw, kind=kind, marker=marker if kind == "notation" else "")


def split_marker(text: str) -> tuple[str, str]:
    """``("653.22 PC", "⁵")`` from ``"653.22 PC ⁵"``: superscript digits anywhere, and a run of
    ``*``, ``†`` or ``‡`` at the end, are footnote markers, never part of a label."""
    markers = "".join(ch for ch in text if ch in _SUPERSCRIPT_DIGITS)
    text = "".join(ch for ch in text if ch not in _SUPERSCRIPT_DIGITS)
    match = _TRAILING_MARKER.match(text.strip())
    if match and match["text"].strip():
        return match["text"].strip(), markers + match["marker"]
    return re.sub(r"\s+", " ", text).strip(), markers


def split_header_marker(text: str) -> tuple[str, str]:
    """A column header without its marker; a year may carry a plain digit (``2018 2``)."""
    clean, marker = split_marker(text)
    plain = _YEAR_WITH_PLAIN_MARKER.match(clean)
    if plain:
        return plain["text"], marker + plain["marker"]
    return clean, marker


def normalise_label(label: str) -> str:
    """The form labels are matched in across tables: case, spacing, markers, ``&``/``and``."""
    text = split_marker(label)[0].casefold().replace("&", " and ")
    text = re.sub(r"\s*([/\-–—])\s*", r"\1", text)
    text = re.sub(r"\s+", " ", text)
    return text.strip(" .:;,")


def _is_total_label(label: str) -> bool:
    return bool(_TOTAL_LABEL.search(label))


def _total_stem(label: str) -> str:
    """``felony`` from ``Felony Total`` or ``Total felony``: what components may share."""
    return re.sub(r"\s+", " ", _TOTAL_LABEL.sub(" ", normalise_label(label))).strip(" -–—:")


def _number_text(value: Decimal | None):
    if value is None:
        return None
    return int(value) if value == value.to_integral_value() else float(value)


def _shown(value: Decimal) -> str:
    number = _number_text(value)
    return f"{number:,}" if isinstance(number, int) else f"{number:,.2f}"


# --- The report ----------------------------------------------------------------------------


@dataclass
class Finding:
    code: str
    message: str
    table: str | None = None
    row: str | None = None
    column: str | None = None
    reported: object = None
    computed: object = None
    severity: str = ""
    # Where the figure (or label) is printed, for a table read from a PDF (``_locate``).
    place: CellPlace | None = None
    # How sure the OCR is of the figure (0–100), for a table read from a scan (``_locate``).
    ocr_confidence: float | None = None
    # For a finding on a total: the structure it was checked against and the evidence for it.
    hypothesis: "Hypothesis | None" = None

    def __post_init__(self):
        self.severity = self.severity or SEVERITY[self.code]

    def to_json(self) -> dict:
        def plain(value):
            return _number_text(value) if isinstance(value, Decimal) else value

        shown = {
            "code": self.code,
            "severity": self.severity,
            "message": self.message,
            "table": self.table,
            "row": self.row,
            "column": self.column,
            "reported": plain(self.reported),
            "computed": plain(self.computed),
        }
        if self.place is not None:
            shown["place"] = self.place.to_json()
        if self.ocr_confidence is not None:
            shown["ocr_confidence"] = round(self.ocr_confidence)
        if self.hypothesis is not None:
            shown["hypothesis"] = self.hypothesis.to_json()
        return shown


@dataclass(frozen=True)
class Hypothesis:
    """The rows a total was taken to add up, and the evidence for it: ``columns`` of the
    ``of_columns`` columns where the total is printed as a number add up exactly, and
    ``supported_cells`` counts the cells (total and components) in those columns."""

    total: str
    rows: tuple[str, ...]
    order: str  # "total-first", "total-last" or "mixed": where the total is printed
    supported_cells: int
    columns: int
    of_columns: int
    declared: bool = False

    def to_json(self) -> dict:
        return {
            "rows": list(self.rows),
            "order": self.order,
            "supported_cells": self.supported_cells,
            "columns": self.columns,
            "of_columns": self.of_columns,
            "declared": self.declared,
        }

    def sentence(self) -> str:
        where = "declared in the manifest" if self.declared else f"{self.order}, inferred"
        added = " + ".join(f"“{label}”" for label in self.rows) or "no row"
        return (
            f"Structure checked: “{self.total}” = {added} ({where}); it adds up exactly in "
            f"{self.columns} of {self.of_columns} column{'s' if self.of_columns != 1 else ''} "
            f"({self.supported_cells} cells)."
        )


@dataclass
class RowStructure:
    label: str
    kind: str
    total_of: list[str] = field(default_factory=list)
    group: str | None = None
    line: int = 0

    def to_json(self) -> dict:
        return {
            "label": self.label,
            "kind": self.kind,
            "total_of": self.total_of,
            "group": self.group,
            "line": self.line,
        }


@dataclass
class TableReport:
    file: str
    sheet: str | None
    title: str
    scope: str | None
    within: str | None
    operation: str | None
    layout: str
    columns: list[str]
    rows: list[RowStructure] = field(default_factory=list)
    findings: list[Finding] = field(default_factory=list)
    record_count: int = 0
    notes: list[str] = field(default_factory=list)
    structure_declared: bool = False
    # The pages a table read from a PDF is printed on; empty for a sheet.
    pages: list[int] = field(default_factory=list)

    def by_severity(self) -> list[tuple[str, str, list[Finding]]]:
        return _by_severity(self.findings)

    def to_json(self) -> dict:
        return {
            "file": self.file,
            "sheet": self.sheet,
            "title": self.title,
            "scope": self.scope,
            "within": self.within,
            "operation": self.operation,
            "layout": self.layout,
            "structure": "declared" if self.structure_declared else "inferred",
            "columns": self.columns,
            "rows": [row.to_json() for row in self.rows],
            "records": self.record_count if self.layout == RECORDS else None,
            "notes": self.notes,
            "pages": self.pages or None,
            "findings": [finding.to_json() for finding in self.findings],
        }


@dataclass
class AuditReport:
    tables: list[TableReport]
    cross_table_findings: list[Finding] = field(default_factory=list)

    @property
    def all_findings(self) -> list[Finding]:
        return [f for table in self.tables for f in table.findings] + self.cross_table_findings

    def counts(self) -> dict[str, int]:
        counted = Counter(f.severity for f in self.all_findings)
        return {severity: counted.get(severity, 0) for severity in SEVERITY_ORDER}

    def cross_by_severity(self) -> list[tuple[str, str, list[Finding]]]:
        return _by_severity(self.cross_table_findings)

    def to_json(self) -> dict:
        return {
            "tables": [table.to_json() for table in self.tables],
            "cross_table_findings": [f.to_json() for f in self.cross_table_findings],
        }


def _by_severity(findings: list[Finding]) -> list[tuple[str, str, list[Finding]]]:
    """(severity, heading, findings) for each severity that has findings, errors first."""
    grouped = [
        (severity, SEVERITY_HEADINGS[severity], [f for f in findings if f.severity == severity])
        for severity in SEVERITY_ORDER
    ]
    return [group for group in grouped if group[2]]


# --- Input ---------------------------------------------------------------------------------


@dataclass(frozen=True)
class TableInput:
    raw: RawTable
    title: str | None = None
    scope: str | None = None
    within: str | None = None
    operation: str | None = None
    totals: tuple[DeclaredTotal, ...] = ()


def inputs_from(tables: list[RawTable], manifest: Manifest | None = None) -> list[TableInput]:
    """Each table with what the manifest says of it. A manifest entry naming a file that was not
    given, or a sheet the workbook does not have, is a mistake: its checks would silently vanish."""
    if manifest is None:
        return [TableInput(raw=table) for table in tables]
    for entry in manifest.entries:
        mine = [table for table in tables if entry.describes(table.file, table.sheet)]
        if mine:
            continue
        same_file = [t for t in tables if _same_name(t, entry)]
        if same_file and entry.sheet:
            sheets = ", ".join(f"“{t.sheet}”" for t in same_file)
            raise ManifestError(
                f"Manifest {manifest.name}: {entry.file} has no sheet named “{entry.sheet}”; "
                f"its sheets are {sheets}."
            )
        raise ManifestError(
            f"Manifest {manifest.name}: the table file {entry.file} was not given; "
            "give it too, or remove its entry."
        )
    inputs = []
    for table in tables:
        entry = manifest.entry_for(table.file, table.sheet)
        if entry is None:
            inputs.append(TableInput(raw=table))
            continue
        inputs.append(
            TableInput(
                raw=table,
                title=entry.title,
                scope=entry.scope,
                within=entry.within,
                operation=entry.operation,
                totals=entry.totals,
            )
        )
    return inputs


def _same_name(table: RawTable, entry) -> bool:
    return PurePath(table.file).name == PurePath(entry.file).name


def audit_uploads(
    files: list[tuple[str, bytes]],
    *,
    manifest: tuple[str, bytes] | None = None,
    scans: ScanAllowance | None = None,
) -> AuditReport:
    """Audit files given as (name, content), as the upload page receives them; a manifest's file
    names are matched to the names of the files. Scans are read by OCR only within ``scans``."""
    declared = parse_manifest_bytes(*manifest) if manifest else None
    tables = [table for name, content in files for table in read_bytes(name, content, scans=scans)]
    return audit(inputs_from(tables, declared))


def audit(inputs: list[TableInput]) -> AuditReport:
    tables = [_ParsedTable.read(table_input) for table_input in inputs]
    for table in tables:
        if table.layout == SUMMARY:
            table.find_structure()
    parallel = _ParallelTotals(tables)
    for table in tables:
        table.check(parallel)
        if table.input.raw.confidence is not None:
            table.report.findings.extend(_ocr_findings(table))
    report = AuditReport(tables=[table.report for table in tables])
    report.cross_table_findings = _cross_table_findings(tables)
    _locate(tables, report)
    return report


def _locate(tables: list["_ParsedTable"], report: AuditReport) -> None:
    """Give each finding on a table read from a PDF the place of its figure: the cell of its row
    and column, the row label for a finding on a row, the header for one on a column; and, on a
    table read from a scan, how sure the OCR is of that cell. A finding across tables is placed
    in the first table it names."""
    cells = {table.name: table.named_cells() for table in tables if table.input.raw.places}
    raws = {table.name: table.input.raw for table in tables}
    located = [(f, f.table) for table in report.tables for f in table.findings]
    located += [(f, (f.table or "").split("; ")[0]) for f in report.cross_table_findings]
    for finding, name in located:
        if name not in cells or (finding.row, finding.column) not in cells[name]:
            continue
        r, c = cells[name][(finding.row, finding.column)]
        raw = raws[name]
        finding.place = raw.places[r][c] if raw.places else None
        if raw.confidence is not None:
            finding.ocr_confidence = raw.confidence[r][c]


def _ocr_findings(table: "_ParsedTable") -> list[Finding]:
    """Every cell of a scan the OCR is not sure of, figure, label or header: a misread figure
    makes a total wrong, a misread label the structure."""
    raw = table.input.raw
    confidence = raw.confidence or []
    # Each cell once, by the first name it has: its row's label, or "row N" in a records table.
    named: dict[tuple[int, int], tuple[str | None, str | None]] = {}
    for name, cell in table.named_cells().items():
        named.setdefault(cell, name)
    findings = []
    for (r, c), (row, column) in sorted(named.items()):
        sure, text = confidence[r][c], raw.cells[r][c]
        if sure is None or sure >= OCR_MIN_CONFIDENCE:
            continue
        place = raw.places[r][c] if raw.places else None
        if row and column:
            what = f"“{row}”, {column},"
        elif row:
            what = f"The first cell of “{row}”" if table.layout == RECORDS else "A row label"
        else:
            what = "A column header"
        page = f" on page {place.page}" if place else ""
        findings.append(
            Finding(
                "ocr-uncertain",
                f"{what} was read by OCR as “{text}”{page} with confidence {round(sure)} of 100, "
                f"below the {OCR_MIN_CONFIDENCE} it is trusted at: check it against the paper.",
                table=table.name,
                row=row,
                column=column,
                reported=text,
            )
        )
    return findings


# --- One table -----------------------------------------------------------------------------


@dataclass
class _Row:
    label: str
    marker: str
    printed: str  # the label as released, marker included
    cells: list[Cell]
    line: int
    is_header: bool = False
    children: list[int] = field(default_factory=list)
    parent: int | None = None
    group: str | None = None

    @property
    def additive(self) -> bool:
        return not _NON_ADDITIVE.search(self.label) and not any("%" in c.text for c in self.cells)

    @property
    def labelled_total(self) -> bool:
        return _is_total_label(self.label)


@dataclass
class _Fit:
    matches: int = 0
    nonzero_matches: int = 0
    partial: int = 0
    over: int = 0
    short: int = 0
    short_share: float = 0.0

    def score(self, bonus: float) -> float:
        return (
            3 * self.matches
            + self.partial
            - 6 * self.over
            - 2 * self.short
            - self.short_share
            + bonus
        )


class _ParsedTable:
    def __init__(self, table_input: TableInput, layout: str, header: list[str], body):
        raw = table_input.raw
        self.input = table_input
        # Components a manifest declares that the sheet lacks, by the index of their total.
        self.declared_missing: dict[int, list[str]] = {}
        self.layout = layout
        self.header_cells = header
        self.body = body  # list of (line, [cell texts])
        headers = [split_header_marker(text) for text in header[1:]]
        self.columns = [clean or f"column {i + 2}" for i, (clean, _) in enumerate(headers)]
        self.column_markers = [marker for _, marker in headers]
        self.name = table_input.title or raw.name
        # The spreadsheet line of the header row; ``read`` moves it below a title row.
        self.header_line = raw.first_line
        self.report = TableReport(
            file=raw.file,
            sheet=raw.sheet,
            title=self.name,
            scope=table_input.scope,
            within=table_input.within,
            operation=table_input.operation,
            layout=layout,
            columns=self.columns,
            structure_declared=bool(table_input.totals),
            pages=sorted({p.page for row in raw.places or () for p in row if p is not None}),
        )
        self.rows: list[_Row] = []
        if layout == SUMMARY:
            for line, texts in body:
                label, marker = split_marker(texts[0])
                cells = [read_cell(text) for text in texts[1:]]
                is_header = bool(label) and all(c.kind == "blank" for c in cells)
                self.rows.append(
                    _Row(label or f"(row {line})", marker, texts[0], cells, line, is_header)
                )

    @classmethod
    def read(cls, table_input: TableInput) -> "_ParsedTable":
        raw = table_input.raw
        cells = [list(row) for row in raw.cells]
        first_line = raw.first_line
        title = table_input.title
        # A title printed above the table fills one cell of its own row.
        if len(cells) > 1 and len(cells[0]) > 1 and cells[0][0] and not any(cells[0][1:]):
            title = title or cells[0][0]
            cells, first_line = cells[1:], first_line + 1
        if title != table_input.title:
            table_input = TableInput(
                raw=raw,
                title=title,
                scope=table_input.scope,
                within=table_input.within,
                operation=table_input.operation,
                totals=table_input.totals,
            )
        header = cells[0] if cells else []
        body = [(first_line + 1 + i, row) for i, row in enumerate(cells[1:]) if any(row)]
        layout = _layout(header, [row for _, row in body])
        table = cls(table_input, layout, header, body)
        table.header_line = first_line
        if not cells:
            table.report.notes.append("The sheet is empty: there is nothing to audit.")
        elif len(header) < 2:
            table.report.notes.append(
                "The sheet has a single column, so it holds no figures by period or group to check."
            )
        elif not body:
            table.report.notes.append("The sheet has a header row and no rows under it.")
        return table

    def named_cells(self) -> dict[tuple[str | None, str | None], tuple[int, int]]:
        """The cell of ``raw.cells`` that each (row, column) a finding may name is, for a table
        read from a PDF: rows by label (summary) or as "row N" (records), columns by header; a
        row alone is its label, a column alone its header."""
        raw = self.input.raw
        if raw.places is None:
            return {}
        width = len(raw.cells[0]) if raw.cells else 0
        found: dict[tuple[str | None, str | None], tuple[int, int]] = {}

        def keep(row: str | None, column: str | None, line: int, index: int) -> None:
            if index < width:
                found.setdefault((row, column), (line - raw.first_line, index))

        for index, column in enumerate(self.columns, start=1):
            keep(None, column, self.header_line, index)
        labels = {row.line: row.label for row in self.rows}
        for line, texts in self.body:
            # Records findings name a row by its line, the others by its label.
            names = [labels.get(line) or split_marker(texts[0])[0], f"row {line}"]
            if self.layout == RECORDS:
                names.reverse()
            for label in names:
                keep(label, None, line, 0)
                for index, column in enumerate(self.columns, start=1):
                    keep(label, column, line, index)
        return found

    # Structure ---------------------------------------------------------------------------

    def find_structure(self) -> None:
        if self.input.totals:
            self._apply_declared_totals()
        elif len(self.rows) <= _MAX_INFERRED_ROWS:
            _infer_totals(self.rows, len(self.columns))
        else:
            self.report.notes.append(
                f"The sheet has {len(self.rows)} rows, more than the {_MAX_INFERRED_ROWS} whose "
                "totals are inferred; declare its totals in a manifest to have them checked."
            )
        self._assign_groups()

    def _apply_declared_totals(self) -> None:
        by_label = {normalise_label(row.label): index for index, row in enumerate(self.rows)}
        for declared in self.input.totals:
            index = by_label.get(normalise_label(declared.row))
            if index is None:
                self.report.notes.append(
                    f"The manifest declares a total row “{declared.row}”, which is not in the "
                    "sheet; that declaration was ignored."
                )
                continue
            total = self.rows[index]
            for label in declared.of:
                child = by_label.get(normalise_label(label))
                if child is None or child == index:
                    self.declared_missing.setdefault(index, []).append(label)
                    continue
                total.children.append(child)
                self.rows[child].parent = index

    def _assign_groups(self) -> None:
        """A header row with no numbers heads the rows below it, up to the next header, up to
        its own ``… Total`` row, or up to a total that is not part of it."""
        current: _Row | None = None
        for row in self.rows:
            if row.is_header:
                current = row
                continue
            if current is None:
                continue
            stem = _total_stem(row.label)
            belongs = stem == _total_stem(current.label) or normalise_label(
                current.label
            ).startswith(stem)
            if row.labelled_total and stem and not belongs:
                current = None
                continue
            row.group = current.label
            if row.labelled_total:
                current = None

    # Checks ------------------------------------------------------------------------------

    def check(self, parallel: "_ParallelTotals") -> None:
        findings = self.report.findings
        findings.extend(self._header_marker_findings())
        if self.layout == SUMMARY:
            findings.extend(self._summary_cell_findings())
            findings.extend(self._total_findings(parallel))
            findings.extend(_label_findings(self.name, [row.label for row in self.rows]))
            findings.extend(_label_findings(self.name, self.columns, columns=True))
            findings.extend(
                _missing_breakdowns(self.name, [r.label for r in self.rows] + self.columns)
            )
            self.report.rows = self._row_structure()
        elif self.layout == RECORDS:
            findings.extend(_records_findings(self))
            findings.extend(_label_findings(self.name, self.columns, columns=True))
            findings.extend(_missing_breakdowns(self.name, self.columns, records=True))
            self.report.record_count = len(self.body)
        else:
            findings.extend(_text_findings(self))
            self.report.rows = [
                RowStructure(label=split_marker(texts[0])[0], kind=OTHER, line=line)
                for line, texts in self.body
            ]

    def _header_marker_findings(self) -> list[Finding]:
        findings = []
        for column, raw, marker in zip(
            self.columns, self.header_cells[1:], self.column_markers, strict=False
        ):
            if marker:
                findings.append(
                    Finding(
                        "footnote-marker",
                        f"The column header “{raw}” carries the footnote marker “{marker}”; it "
                        f"was read as “{column}”. Read the footnote before using the column.",
                        table=self.name,
                        column=column,
                    )
                )
        return findings

    def _summary_cell_findings(self) -> list[Finding]:
        findings = []
        for row in self.rows:
            if row.marker:
                findings.append(
                    Finding(
                        "footnote-marker",
                        f"The row label “{row.printed}” carries the footnote marker "
                        f"“{row.marker}”; it was read as “{row.label}”. Read the footnote "
                        "before using the row.",
                        table=self.name,
                        row=row.label,
                    )
                )
            if row.is_header:
                continue
            for column, cell in zip(self.columns, row.cells, strict=False):
                where = f"“{row.label}” in {column}"
                if cell.kind == "blank":
                    findings.append(
                        Finding(
                            "blank-cell",
                            f"{where} is blank: not reported, which is not the same as 0.",
                            table=self.name,
                            row=row.label,
                            column=column,
                        )
                    )
                elif cell.kind in ("notation", "text"):
                    what = "a notation" if cell.kind == "notation" else "text"
                    findings.append(
                        Finding(
                            "notation",
                            f"{where} is “{cell.text}”, {what} and not a count; the table does "
                            "not say what it means, so it is neither 0 nor a number.",
                            table=self.name,
                            row=row.label,
                            column=column,
                            reported=cell.text,
                        )
                    )
                elif cell.marker:
                    findings.append(
                        Finding(
                            "footnote-marker",
                            f"{where} is “{cell.text}” with the footnote marker “{cell.marker}”; "
                            f"it was read as {_shown(cell.value)}.",
                            table=self.name,
                            row=row.label,
                            column=column,
                            reported=cell.text,
                            computed=cell.value,
                        )
                    )
        return findings

    def _total_findings(self, parallel: "_ParallelTotals") -> list[Finding]:
        findings = []
        declared_missing = self.declared_missing
        for index, total in enumerate(self.rows):
            if not total.children and index not in declared_missing:
                continue
            components = [self.rows[child] for child in total.children]
            missing = declared_missing.get(index) or parallel.missing_from(self, total)
            lone = len(components) == 1 and not missing
            hypothesis = self._hypothesis(index, total)
            for column_index in range(len(self.columns)):
                finding = self._check_total(total, components, column_index, missing, lone)
                if finding is not None:
                    finding.message = f"{finding.message} {hypothesis.sentence()}"
                    finding.hypothesis = hypothesis
                    findings.append(finding)
        return findings

    def _hypothesis(self, index: int, total: _Row) -> Hypothesis:
        """The structure a total is checked against, with the columns and cells it explains."""
        components = [self.rows[child] for child in total.children]
        columns = checked = 0
        for column_index in range(len(self.columns)):
            reported = total.cells[column_index]
            if not reported.is_number:
                continue
            checked += 1
            cells = [row.cells[column_index] for row in components]
            if cells and all(cell.is_number for cell in cells):
                columns += sum(cell.value for cell in cells) == reported.value
        if total.children and min(total.children) > index:
            order = "total-first"
        elif total.children and max(total.children) < index:
            order = "total-last"
        else:
            order = "mixed"
        return Hypothesis(
            total=total.label,
            rows=tuple(row.label for row in components),
            order=order,
            supported_cells=columns * (1 + len(components)),
            columns=columns,
            of_columns=checked,
            declared=self.report.structure_declared,
        )

    def _check_total(self, total, components, column_index, missing, lone) -> Finding | None:
        column = self.columns[column_index]
        reported = total.cells[column_index]
        if not reported.is_number:
            return None
        cells = [(row.label, row.cells[column_index]) for row in components]
        present = sum((cell.value for _, cell in cells if cell.is_number), Decimal(0))
        absent = [(label, cell) for label, cell in cells if not cell.is_number]
        where = f"“{total.label}” in {column}"
        names = ", ".join(f"“{row.label}”" for row in components) or "no component row"
        shortfall = reported.value - present
        base = {
            "table": self.name,
            "row": total.label,
            "column": column,
            "reported": reported.value,
            "computed": present,
        }
        if present > reported.value:
            reason = " even without the cells that are not reported" if absent else ""
            return Finding(
                "total-mismatch",
                f"{where} is {_shown(reported.value)}, but its components ({names}) add up to "
                f"{_shown(present)}{reason}, {_shown(-shortfall)} more than the total.",
                **base,
            )
        if absent:
            gaps = ", ".join(
                f"“{label}” is {'blank' if cell.kind == 'blank' else '“' + cell.text + '”'}"
                for label, cell in absent
            )
            extra = f"; {_rows_are(missing)} missing too" if missing else ""
            holds = " — it holds only if those cells mean 0" if shortfall == 0 else ""
            return Finding(
                "total-unverifiable",
                f"{where} ({_shown(reported.value)}) cannot be verified because {gaps}{extra}; "
                f"the components present add up to {_shown(present)}, short of the total by "
                f"{_shown(shortfall)}{holds}.",
                **base,
            )
        if shortfall == 0:
            return None
        if missing or lone:
            which = (
                f"{_rows_are(missing)} missing (other tables of this audit have "
                f"{'them' if len(missing) > 1 else 'it'} under the same total)"
                if missing
                else "a component row is missing (a total of one row is not a breakdown)"
            )
            return Finding(
                "total-unverifiable",
                f"{where} ({_shown(reported.value)}) cannot be verified because {which}: "
                f"{names} alone add{'s' if len(components) == 1 else ''} up to "
                f"{_shown(present)}, short of the total by {_shown(shortfall)}.",
                **base,
            )
        return Finding(
            "total-mismatch",
            f"{where} is {_shown(reported.value)}, but its components ({names}) add up to "
            f"{_shown(present)}, {_shown(shortfall)} less than the total.",
            **base,
        )

    def _row_structure(self) -> list[RowStructure]:
        rows = []
        for row in self.rows:
            if row.children:
                kind = TOTAL
            elif row.is_header:
                kind = GROUP
            elif row.parent is not None:
                kind = COMPONENT
            else:
                kind = OTHER
            rows.append(
                RowStructure(
                    label=row.label,
                    kind=kind,
                    total_of=[self.rows[child].label for child in row.children],
                    group=row.group,
                    line=row.line,
                )
            )
        return rows


def _quoted(labels) -> str:
    return ", ".join(f"“{label}”" for label in labels)


def _rows_are(labels: list[str]) -> str:
    return f"the rows {_quoted(labels)} are" if len(labels) > 1 else f"the row {_quoted(labels)} is"


def _layout(header: list[str], body: list[list[str]]) -> str:
    if len(header) < 2 or not body:
        return TEXT
    labels = [row[0].strip() for row in body if row[0].strip()]
    identifiers = [label for label in labels if re.fullmatch(r"\d+", label)]
    if labels and len(identifiers) == len(labels) and len(set(labels)) == len(labels):
        return RECORDS
    if _RECORD_ID_HEADER.match(split_marker(header[0])[0]) and len(set(labels)) == len(labels):
        data = [read_cell(text) for row in body for text in row[1:]]
        if sum(c.is_number for c in data) * 2 < len(data):
            return RECORDS
    data = [read_cell(text) for row in body for text in row[1:]]
    numbers = sum(1 for c in data if c.is_number)
    texts = sum(1 for c in data if c.kind == "text")
    return SUMMARY if numbers and numbers >= texts else TEXT


# --- Inference of totals -------------------------------------------------------------------


def _infer_totals(rows: list[_Row], width: int) -> None:
    """Fold rows into totals, best candidate first, until no candidate is acceptable."""
    units = [i for i, row in enumerate(rows) if row.additive]
    directions: Counter = Counter()
    while True:
        best = None
        for position, index in enumerate(units):
            total = rows[index]
            if total.is_header or total.children:
                continue
            for direction in (1, -1):
                for run, headers_crossed in _runs(rows, units, position, direction):
                    candidate = _candidate(
                        rows, index, run, headers_crossed, direction, directions, width
                    )
                    if candidate is not None and (best is None or candidate[0] > best[0]):
                        best = candidate
        if best is None:
            return
        _, index, run, direction = best
        rows[index].children = sorted(run)
        for child in run:
            rows[child].parent = index
        units = [unit for unit in units if unit not in set(run)]
        directions[direction] += 1


def _runs(rows, units, position, direction):
    run: list[int] = []
    headers = 0
    step = position + direction
    while 0 <= step < len(units) and len(run) < _MAX_RUN:
        row = rows[units[step]]
        step += direction
        if row.is_header:
            headers += 1
            continue
        # A row labelled as a total is a component only once its own components are found.
        if row.labelled_total and not row.children:
            return
        run.append(units[step - direction])
        yield list(run), headers


def _candidate(rows, index, run, headers_crossed, direction, directions, width):
    total = rows[index]
    labelled = total.labelled_total
    if not labelled and len(run) < 2:
        return None
    fit = _fit(total, [rows[i] for i in run], width)
    bonus = -1.0 * headers_crossed
    stem = _total_stem(total.label)
    if stem and all(normalise_label(rows[i].label).startswith(stem) for i in run):
        bonus += 1
    if directions and directions.most_common(1)[0][0] == direction:
        bonus += 0.5
    # The evidence decides: a run that adds up exactly in most of the columns it can be checked
    # in is the total's group, and the columns where it does not are errors in the table, not a
    # reason to doubt the group. An unlabelled row needs more: two exact non-zero sums, and
    # twice as many columns that add up as columns that do not, or coincidences in small
    # counts would invent totals (and mismatches) the table never printed.
    contradictions = fit.over + fit.short
    if labelled and fit.matches >= 1 and fit.matches > contradictions:
        rank = 2
    elif not labelled and fit.nonzero_matches >= 2 and fit.matches > 2 * contradictions:
        rank = 1
    elif labelled and fit.over == 0 and (fit.matches + fit.partial + fit.short) >= 1:
        rank = 0
    else:
        return None
    # More columns explained first; then the score weighs what does not fit, and longer runs win
    # ties: a zero row beside the components is more likely one of them.
    return ((rank, fit.matches, fit.score(bonus), len(run)), index, run, direction)


def _fit(total: _Row, components: list[_Row], width: int) -> _Fit:
    fit = _Fit()
    for column in range(width):
        reported = total.cells[column]
        if not reported.is_number:
            continue
        cells = [row.cells[column] for row in components]
        present = sum((c.value for c in cells if c.is_number), Decimal(0))
        if present > reported.value:
            fit.over += 1
        elif len([c for c in cells if c.is_number]) < len(cells):
            fit.partial += 1
        elif present == reported.value:
            fit.matches += 1
            fit.nonzero_matches += reported.value != 0
        else:
            fit.short += 1
            fit.short_share += float((reported.value - present) / reported.value)
    return fit


class _ParallelTotals:
    """Components of each total label across the audit, so that a total with fewer components
    than the same total in another table can name the rows it lacks."""

    def __init__(self, tables: list["_ParsedTable"]):
        self.components: dict[str, dict[str, str]] = defaultdict(dict)
        for table in tables:
            for row in table.rows:
                for child in row.children:
                    label = table.rows[child].label
                    self.components[normalise_label(row.label)].setdefault(
                        normalise_label(label), label
                    )

    def missing_from(self, table: "_ParsedTable", total: _Row) -> list[str]:
        present = {normalise_label(table.rows[c].label) for c in total.children}
        known = self.components.get(normalise_label(total.label), {})
        return [label for key, label in known.items() if key not in present]


# --- Labels: conflated categories, euphemisms, missing breakdowns ----------------------------


_CONFLATIONS = (
    (
        re.compile(r"pimp|pander|supervis", re.I),
        "it puts suspected traffickers together with people charged with pimping, pandering or "
        "supervising, charges that need no force, fraud or coercion (2021 report, fn 159); the "
        "standard counts suspected traffickers on their own",
    ),
    (
        re.compile(r"^other\b|\bmisc", re.I),
        "it gathers people of unnamed kinds, who may be victims, sellers, buyers or traffickers; "
        "the standard needs each person's role",
    ),
    (
        re.compile(
            r"prostitution|647\s*\(?b\)?|sellers? and buyers?"
            r"|sex workers? and (johns|buyers)|solicit",
            re.I,
        ),
        "it counts people selling sex and people buying it together (Penal Code § 647(b) covers "
        "both); the standard keeps sellers and buyers apart",
    ),
    (
        re.compile(r"traffick\w*\s*(/|and|&|or)\s*(pimp|pander|prostitut)", re.I),
        "it puts trafficking together with pimping, pandering or prostitution; the standard "
        "counts trafficking on its own",
    ),
)
_EUPHEMISMS = (
    (re.compile(r"\brescue", re.I), "rescued", "identified victims"),
    (re.compile(r"\brecover(ed|ies|y)\b", re.I), "recovered", "identified victims"),
    (re.compile(r"\bsaved\b", re.I), "saved", "identified victims"),
)


def _conflation(label: str) -> str | None:
    for pattern, why in _CONFLATIONS:
        if pattern.search(label):
            return why
    return None


def _label_findings(table: str, labels: list[str], *, columns: bool = False) -> list[Finding]:
    findings = []
    seen = set()
    where = "column" if columns else "row"
    for label in labels:
        key = normalise_label(label)
        if not key or key in seen:
            continue
        seen.add(key)
        # A total adds up its components; whether those mix people is said of the components.
        why = None if _is_total_label(label) else _conflation(label)
        if why:
            findings.append(
                Finding(
                    "conflated-category",
                    f"The {where} “{label}” is a conflated category: {why}.",
                    table=table,
                    row=None if columns else label,
                    column=label if columns else None,
                )
            )
        for pattern, word, standard in _EUPHEMISMS:
            if pattern.search(label):
                findings.append(
                    Finding(
                        "euphemism",
                        f"The {where} “{label}” counts people as “{word}”; the standard counts "
                        f"{standard}, since victims are not necessarily rescued and the records "
                        "do not say what happened to them (2021 report, fn 161).",
                        table=table,
                        row=None if columns else label,
                        column=label if columns else None,
                    )
                )
                break
    return findings


@dataclass(frozen=True)
class _Facet:
    name: str
    pattern: re.Pattern


@dataclass(frozen=True)
class _Indicator:
    name: str
    facets: tuple[_Facet, ...]


def _facet(name: str, pattern: str) -> _Facet:
    return _Facet(name, re.compile(pattern, re.I))


# The uniform indicators of the 2021 report (Rec 3.2), by the labels that would answer them.
INDICATORS = (
    _Indicator(
        "demographics",
        (
            _facet("age group", r"juvenile|\bminors?\b|\badults?\b|\bage\b|under 18|youth|child"),
            _facet(
                "gender", r"gender|\bmale\b|\bfemale\b|\bwomen\b|\bmen\b|transgender|non-?binary"
            ),
            _facet(
                "race/ethnicity",
                r"\brace\b|ethnic|hispanic|latin[oax]|\bblack\b|\bwhite\b|asian",
            ),
            _facet(
                "nationality/immigration status",
                r"national|foreign|citizen|undocumented|immigra",
            ),
        ),
    ),
    _Indicator(
        "services",
        (
            _facet("services received", r"servic|referr"),
            _facet("services offered and accepted", r"\boffer|accept|declin"),
            _facet(
                "which services",
                r"shelter|housing|medical|counsel|legal aid|interpret|type of serv",
            ),
        ),
    ),
    _Indicator(
        "follow-up",
        (
            _facet("services continuing after six months", r"six.?month|6.?month|follow|continu"),
            _facet("re-trafficking", r"re-?traffick"),
            _facet("deportation", r"deport|removal"),
        ),
    ),
    _Indicator(
        "trafficking charges on their own",
        (
            _facet("trafficking charges", r"traffick|236\.1|1591"),
            _facet("prosecution outcomes", r"prosecut|convict|disposition|sentenc"),
        ),
    ),
)


def _missing_breakdowns(table: str, labels: list[str], *, records: bool = False) -> list[Finding]:
    # A category that mixes people cannot answer an indicator about one kind of them.
    usable = [label for label in labels if not _conflation(label)]
    findings = []
    for indicator in INDICATORS:
        answered = {}
        for facet in indicator.facets:
            matching = [label for label in usable if facet.pattern.search(label)]
            if matching:
                answered[facet.name] = matching
        missing = [facet.name for facet in indicator.facets if facet.name not in answered]
        if not missing:
            continue
        thing = "columns" if records else "rows and columns"
        if answered:
            has = _and(
                [f"{name} ({_quoted(dict.fromkeys(found))})" for name, found in answered.items()]
            )
            message = (
                f"The sheet answers the standard's {indicator.name} indicator only in part: it "
                f"has {has}, but nothing on {_or(missing)}."
            )
        else:
            message = (
                f"The sheet cannot answer the standard's {indicator.name} indicator: none of its "
                f"{thing} gives {_or(missing)}."
            )
        findings.append(Finding("missing-breakdown", message, table=table))
    return findings


def _or(names: list[str]) -> str:
    return names[0] if len(names) == 1 else f"{', '.join(names[:-1])} or {names[-1]}"


def _and(names: list[str]) -> str:
    return names[0] if len(names) == 1 else f"{', '.join(names[:-1])} and {names[-1]}"


# --- Records sheets and text tables --------------------------------------------------------


def _yes_no(text: str) -> bool | None:
    value = text.strip().casefold()
    return True if value in _YES else False if value in _NO else None


def _records_findings(table: _ParsedTable) -> list[Finding]:
    """Cell checks on a sheet of one row per person, echoing no value a finding does not need."""
    findings = []
    columns = table.columns
    for line, texts in table.body:
        for column, text in zip(columns, texts[1:], strict=False):
            cell = read_cell(text)
            where = f"Row {line}, {column},"
            if cell.kind == "blank":
                findings.append(
                    Finding(
                        "blank-cell",
                        f"{where} is blank: not recorded, which is not the same as “no”.",
                        table=table.name,
                        row=f"row {line}",
                        column=column,
                    )
                )
            elif cell.kind == "notation":
                findings.append(
                    Finding(
                        "notation",
                        f"{where} is “{cell.text}”, a notation the sheet does not explain.",
                        table=table.name,
                        row=f"row {line}",
                        column=column,
                        reported=cell.text,
                    )
                )
    findings.extend(_arrests_without_charge(table))
    findings.extend(_victim_treatment(table))
    return findings


def _column(table: _ParsedTable, pattern: str) -> int | None:
    for index, column in enumerate(table.columns):
        if re.search(pattern, column, re.I):
            return index + 1
    return None


def _arrests_without_charge(table: _ParsedTable) -> list[Finding]:
    arrested = _column(table, r"arrest")
    charge = _column(table, r"charge|citation|cited|offen[cs]e")
    if arrested is None or charge is None or arrested == charge:
        return []
    findings = []
    for line, texts in table.body:
        if _yes_no(texts[arrested]) is not True:
            continue
        recorded = texts[charge].strip()
        if read_cell(recorded).kind not in ("blank", "notation") and _yes_no(recorded) is not False:
            continue
        shown = f"“{recorded}”" if recorded else "blank"
        findings.append(
            Finding(
                "arrest-without-charge",
                f"Row {line} records an arrest ({table.columns[arrested - 1]} is "
                f"“{texts[arrested].strip()}”) but {table.columns[charge - 1]} is {shown}, so the "
                "sheet does not say what the person was arrested for.",
                table=table.name,
                row=f"row {line}",
                column=table.columns[charge - 1],
                reported=recorded,
            )
        )
    return findings


def _victim_treatment(table: _ParsedTable) -> list[Finding]:
    """On a sheet of victims: how many were arrested and how many got no services, with the
    minors counted apart, since a minor in commercial sex is a victim in law."""
    if not re.search(r"victim", f"{table.header_cells[0]} {table.name}", re.I):
        return []
    juvenile = _column(table, r"juvenile|minor|under 18")
    arrested = _column(table, r"arrest")
    services = _column(table, r"servic")
    everyone = [texts for _, texts in table.body]
    minors = [t for t in everyone if juvenile is not None and _yes_no(t[juvenile]) is True]
    findings = []

    def counted(column, wanted, code, what, why):
        if column is None:
            return
        victims = sum(1 for t in everyone if _yes_no(t[column]) is wanted)
        if not victims:
            return
        among_minors = sum(1 for t in minors if _yes_no(t[column]) is wanted)
        of_minors = (
            f", among them {among_minors} of the {len(minors)} juvenile victims" if minors else ""
        )
        findings.append(
            Finding(
                code,
                f"{victims} of the {len(everyone)} victims listed {what} "
                f"({table.columns[column - 1]}){of_minors}; {why}.",
                table=table.name,
                column=table.columns[column - 1],
                reported=victims,
                computed=among_minors if minors else None,
            )
        )

    counted(
        arrested,
        True,
        "victims-arrested",
        "were arrested",
        "victims are not to be punished for what they were made to do, and a minor in "
        "commercial sex is a victim in law",
    )
    counted(
        services,
        False,
        "victims-without-services",
        "received no victim services",
        "every identified victim is to be offered services, whether or not they cooperate",
    )
    return findings


def _text_findings(table: _ParsedTable) -> list[Finding]:
    findings = []
    for _, texts in table.body:
        label, marker = split_marker(texts[0])
        if marker:
            findings.append(
                Finding(
                    "footnote-marker",
                    f"The row label “{texts[0]}” carries the footnote marker “{marker}”; it was "
                    f"read as “{label}”.",
                    table=table.name,
                    row=label,
                )
            )
    if any("•" in text for _, texts in table.body for text in texts[1:]):
        counts = []
        for column_index, column in enumerate(table.columns, start=1):
            entries = 0
            for _, texts in table.body:
                text = texts[column_index].strip()
                parts = [p for p in text.split("•") if p.strip()] if "•" in text else [text]
                entries += sum(1 for p in parts if p.strip())
            counts.append((column, entries))
        listed = "; ".join(f"“{column}” {entries}" for column, entries in counts)
        total = sum(entries for _, entries in counts)
        findings.append(
            Finding(
                "list-count",
                f"The table lists entries by column — {listed} — {total} in all; compare these "
                "counts with what any text published with the table says.",
                table=table.name,
                computed=total,
            )
        )
    return findings


# --- Across tables -------------------------------------------------------------------------


@dataclass(frozen=True)
class _Figure:
    table: _ParsedTable
    row: _Row
    column: str
    cell: Cell


def _cross_table_findings(tables: list[_ParsedTable]) -> list[Finding]:
    figures: dict[tuple[str, str, str], list[_Figure]] = defaultdict(list)
    parents: dict[str, str] = {}
    scope_names: dict[str, str] = {}
    for table in tables:
        scope = table.input.scope
        if table.layout != SUMMARY or not scope:
            continue
        key_scope = normalise_label(scope)
        scope_names[key_scope] = scope
        if table.input.within:
            parents[key_scope] = normalise_label(table.input.within)
            scope_names.setdefault(parents[key_scope], table.input.within)
        for row in table.rows:
            if row.is_header or not row.additive:
                continue
            for column, cell in zip(table.columns, row.cells, strict=False):
                key = (key_scope, normalise_label(column), normalise_label(row.label))
                figures[key].append(_Figure(table, row, column, cell))
    findings = []
    for (scope, _, _), same in figures.items():
        findings.extend(_disagreements(same, scope_names[scope]))
    for (scope, period, label), subsets in figures.items():
        for ancestor in _ancestors(scope, parents):
            supersets = figures.get((ancestor, period, label), [])
            for superset in supersets:
                findings.extend(_subset_findings(subsets, superset, scope_names))
    return _strongest_not_reported(findings)


def _ancestors(scope: str, parents: dict[str, str]) -> list[str]:
    chain, seen = [], {scope}
    while scope in parents and parents[scope] not in seen:
        scope = parents[scope]
        seen.add(scope)
        chain.append(scope)
    return chain


def _disagreements(same: list[_Figure], scope: str) -> list[Finding]:
    numbers = [f for f in same if f.cell.is_number]
    findings = []
    for first_index, first in enumerate(numbers):
        for second in numbers[first_index + 1 :]:
            if first.table is second.table or first.cell.value == second.cell.value:
                continue
            findings.append(
                Finding(
                    "cross-table-mismatch",
                    f"“{first.row.label}” for {scope} in {first.column} is "
                    f"{_shown(first.cell.value)} in {first.table.name} but "
                    f"{_shown(second.cell.value)} in {second.table.name}.",
                    table=f"{first.table.name}; {second.table.name}",
                    row=first.row.label,
                    column=first.column,
                    reported=first.cell.value,
                    computed=second.cell.value,
                )
            )
    return findings


def _subset_findings(subsets: list[_Figure], superset: _Figure, names) -> list[Finding]:
    findings = []
    parent_scope = superset.table.input.scope
    for subset in subsets:
        if not subset.cell.is_number:
            continue
        child_scope = subset.table.input.scope
        where = f"“{subset.row.label}” in {subset.column}"
        if superset.cell.is_number:
            if subset.cell.value <= superset.cell.value:
                continue
            findings.append(
                Finding(
                    "subset-exceeds-superset",
                    f"{where} is {_shown(subset.cell.value)} for {child_scope} "
                    f"({subset.table.name}), more than the {_shown(superset.cell.value)} reported "
                    f"for {parent_scope} ({superset.table.name}), which includes it.",
                    table=f"{subset.table.name}; {superset.table.name}",
                    row=subset.row.label,
                    column=subset.column,
                    reported=subset.cell.value,
                    computed=superset.cell.value,
                )
            )
        elif subset.cell.value > 0:
            shown = "blank" if superset.cell.kind == "blank" else f"“{superset.cell.text}”"
            findings.append(
                Finding(
                    "superset-not-reported",
                    f"{where} is {shown} for {parent_scope} ({superset.table.name}), while "
                    f"{child_scope}, which it includes, reports {_shown(subset.cell.value)} "
                    f"({subset.table.name}), so the {parent_scope} figure is at least that and "
                    f"cannot be 0{_total_consequence(superset, subset.cell.value)}.",
                    table=f"{superset.table.name}; {subset.table.name}",
                    row=subset.row.label,
                    column=subset.column,
                    reported=superset.cell.text or None,
                    computed=subset.cell.value,
                )
            )
    return findings


def _total_consequence(superset: _Figure, at_least: Decimal) -> str:
    """What a lower bound for a missing cell says about the total it belongs to."""
    table, row = superset.table, superset.row
    if row.parent is None:
        return ""
    total = table.rows[row.parent]
    column_index = table.columns.index(superset.column)
    reported = total.cells[column_index]
    if not reported.is_number:
        return ""
    others = sum(
        (
            table.rows[child].cells[column_index].value
            for child in total.children
            if table.rows[child] is not row and table.rows[child].cells[column_index].is_number
        ),
        Decimal(0),
    )
    if others + at_least <= reported.value:
        return ""
    return (
        f"; then “{total.label}” ({_shown(reported.value)}) cannot be right either, as its "
        f"components would add up to at least {_shown(others + at_least)}"
    )


def _strongest_not_reported(findings: list[Finding]) -> list[Finding]:
    """Several scopes within one parent may each bound a missing parent cell; keep the
    highest bound, which says the most."""
    strongest: dict[tuple, Finding] = {}
    kept = []
    for finding in findings:
        if finding.code != "superset-not-reported":
            kept.append(finding)
            continue
        key = (finding.table.split("; ")[0], finding.row, finding.column)
        if key not in strongest or finding.computed > strongest[key].computed:
            strongest[key] = finding
    return kept + list(strongest.values())
