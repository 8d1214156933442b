"""The audit manifest: what each released table is, where it belongs, and (when the numbers
cannot tell) which rows are totals of which.

A manifest is TOML, a list of tables::

    [[table]]
    file = "table02_ca_statewide_arrests_by_individual_type.csv"   # relative to the manifest
    title = "Table 2. CA statewide arrests"
    scope = "California"

    [[table]]
    file = "table04_lapd_lasd_larhttf_arrests_by_individual_type.csv"
    title = "Table 4. LAPD + LASD task force"
    scope = "LAPD + LASD LARHTTF"
    within = "Los Angeles County"
    operation = "Operation Reclaim and Rebuild"

    [[table.total]]                 # declared structure: replaces inference for this table
    row = "Total Rescues"
    of = ["Juvenile", "Adult"]

Keys of ``[[table]]``: ``file`` (required), ``sheet`` (one sheet of a workbook; without it the
entry describes every sheet of the file), ``title``, ``scope``, ``within`` (the scope this one is
part of), ``operation``, ``total`` (a list of ``{row, of}``) and ``record`` (how
``beyondraid audit --record`` keeps the table as published figures of the standard; see
``aggregates.py``). Any other key is a mistake and is refused, so that a misspelt ``witin`` never
silently drops a check.
"""

import tomllib
from dataclasses import dataclass, field
from pathlib import Path, PurePath

_TABLE_KEYS = {"file", "sheet", "title", "scope", "within", "operation", "total", "record"}
_TOTAL_KEYS = {"row", "of"}
_RECORD_KEYS = {
    "lead_agency",
    "participants",
    "initiative",
    "operation_type",
    "trigger",
    "name",
    "citation",
    "measures",
}
CONFLATED = "conflated"


class ManifestError(ValueError):
    """A manifest that cannot be used; the message is one line naming the manifest and entry."""


@dataclass(frozen=True)
class DeclaredTotal:
    row: str
    of: tuple[str, ...]


@dataclass(frozen=True)
class RecordSpec:
    """How an audited table becomes published aggregate figures of the standard: one operation
    per period (column), led by ``lead_agency``, named by ``name`` with ``{period}`` in it, and
    each row label mapped to a measure of the standard or to ``"conflated"``."""

    lead_agency: str
    participants: tuple[str, ...]
    initiative: str
    operation_type: str
    trigger: str
    name: str
    citation: str
    measures: dict[str, str]


@dataclass(frozen=True)
class ManifestEntry:
    file: str  # as written in the manifest
    path: Path  # resolved against the manifest's folder
    sheet: str | None = None
    title: str | None = None
    scope: str | None = None
    within: str | None = None
    operation: str | None = None
    totals: tuple[DeclaredTotal, ...] = ()
    record: RecordSpec | None = None

    def describes(self, file_name: str, sheet: str | None) -> bool:
        same_file = PurePath(file_name).name == PurePath(self.file).name
        return same_file and (self.sheet is None or self.sheet == sheet)


@dataclass(frozen=True)
class Manifest:
    name: str
    entries: tuple[ManifestEntry, ...] = field(default_factory=tuple)

    def entry_for(self, file_name: str, sheet: str | None) -> ManifestEntry | None:
        exact = [e for e in self.entries if e.describes(file_name, sheet) and e.sheet == sheet]
        if exact:
            return exact[0]
        return next((e for e in self.entries if e.describes(file_name, sheet)), None)


def read_manifest(path: Path) -> Manifest:
    try:
        text = path.read_text(encoding="utf-8-sig")
    except FileNotFoundError:
        raise ManifestError(f"Manifest {path}: no such file.") from None
    except (OSError, UnicodeDecodeError) as error:
        raise ManifestError(f"Manifest {path} cannot be read: {error}.") from None
    return parse_manifest(text, name=str(path), base=path.parent)


def parse_manifest_bytes(name: str, content: bytes) -> Manifest:
    """A manifest uploaded with its sheets: file names in it are the names of the uploads."""
    try:
        text = content.decode("utf-8-sig")
    except UnicodeDecodeError:
        raise ManifestError(f"Manifest {name} is not UTF-8 text; save it as UTF-8.") from None
    return parse_manifest(text, name=name, base=Path("."))


def parse_manifest(text: str, *, name: str, base: Path) -> Manifest:
    try:
        document = tomllib.loads(text)
    except tomllib.TOMLDecodeError as error:
        raise ManifestError(f"Manifest {name} is not valid TOML: {error}.") from None
    unknown = sorted(set(document) - {"table"})
    if unknown:
        raise ManifestError(
            f"Manifest {name}: unknown key {unknown[0]!r}; a manifest holds [[table]] entries only."
        )
    tables = document.get("table", [])
    if not isinstance(tables, list) or not all(isinstance(t, dict) for t in tables):
        raise ManifestError(f"Manifest {name}: write each table as a [[table]] entry.")
    if not tables:
        raise ManifestError(f"Manifest {name} lists no [[table]] entries.")
    return Manifest(
        name=name,
        entries=tuple(
            _entry(table, where=f"Manifest {name}, table {number}", base=base)
            for number, table in enumerate(tables, start=1)
        ),
    )


def _entry(table: dict, *, where: str, base: Path) -> ManifestEntry:
    unknown = sorted(set(table) - _TABLE_KEYS)
    if unknown:
        raise ManifestError(
            f"{where}: unknown key {unknown[0]!r}; the keys are {', '.join(sorted(_TABLE_KEYS))}."
        )
    if "file" not in table:
        raise ManifestError(f'{where}: the entry has no file; add file = "NAME.csv".')
    texts = {}
    for key in ("file", "sheet", "title", "scope", "within", "operation"):
        value = table.get(key)
        if value is not None and (not isinstance(value, str) or not value.strip()):
            raise ManifestError(f"{where}: {key} must be a non-empty text in quotes.")
        texts[key] = value.strip() if isinstance(value, str) else None
    where = f"{where} ({texts['file']})"
    if texts["within"] and texts["within"] == texts["scope"]:
        raise ManifestError(f"{where}: a scope cannot be within itself.")
    return ManifestEntry(
        path=(base / texts["file"]).resolve(),
        totals=_totals(table.get("total", []), where=where),
        record=_record(table["record"], where=where) if "record" in table else None,
        **texts,
    )


def _record(record, *, where: str) -> RecordSpec:
    here = f"{where}, record"
    if not isinstance(record, dict):
        raise ManifestError(f"{here}: write it as a [table.record] section.")
    unknown = sorted(set(record) - _RECORD_KEYS)
    if unknown:
        raise ManifestError(
            f"{here}: unknown key {unknown[0]!r}; the keys are {', '.join(sorted(_RECORD_KEYS))}."
        )
    texts = {}
    # The operation type of a published table is rarely printed; "other" says so. Everything else
    # is given, never guessed.
    record = {"operation_type": "other", **record}
    for key in ("lead_agency", "initiative", "operation_type", "trigger", "name", "citation"):
        value = record.get(key)
        if not isinstance(value, str) or not value.strip():
            raise ManifestError(f"{here}: {key} is required, as a non-empty text in quotes.")
        texts[key] = value.strip()
    if "{period}" not in texts["name"]:
        raise ManifestError(
            f"{here}: name must contain {{period}}, since each column becomes its own operation."
        )
    participants = record.get("participants", [])
    if not isinstance(participants, list) or not all(
        isinstance(name, str) and name.strip() for name in participants
    ):
        raise ManifestError(f'{here}: participants must list agency names, e.g. ["A", "B"].')
    measures = record.get("measures")
    if (
        not isinstance(measures, dict)
        or not measures
        or not all(isinstance(code, str) and code.strip() for code in measures.values())
    ):
        raise ManifestError(
            f"{here}: measures must map each row label to a measure of the standard or to "
            f'"{CONFLATED}", e.g. [table.record.measures] "John" = "arrests_buying_sex".'
        )
    return RecordSpec(
        participants=tuple(name.strip() for name in participants),
        measures={label.strip(): code.strip() for label, code in measures.items()},
        **texts,
    )


def _totals(totals, *, where: str) -> tuple[DeclaredTotal, ...]:
    if not isinstance(totals, list) or not all(isinstance(t, dict) for t in totals):
        raise ManifestError(f"{where}: write each total as a [[table.total]] entry.")
    declared = []
    for number, total in enumerate(totals, start=1):
        here = f"{where}, total {number}"
        unknown = sorted(set(total) - _TOTAL_KEYS)
        if unknown:
            raise ManifestError(f"{here}: unknown key {unknown[0]!r}; the keys are row and of.")
        row, of = total.get("row"), total.get("of")
        if not isinstance(row, str) or not row.strip():
            raise ManifestError(f"{here}: row must name the total row, in quotes.")
        if (
            not isinstance(of, list)
            or not of
            or not all(isinstance(label, str) and label.strip() for label in of)
        ):
            raise ManifestError(f'{here}: of must list the component rows, e.g. of = ["A", "B"].')
        declared.append(DeclaredTotal(row=row.strip(), of=tuple(label.strip() for label in of)))
    return tuple(declared)
