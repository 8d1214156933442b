"""Load a directory of exchange-format CSV files into the data standard, all or nothing.

Principle 8 (docs/principles.md): bad input gets a message naming the file, the row as a spreadsheet
shows it (the header is row 1), the column, the bad value and the fix; never a traceback, never a
partial import. Every problem in the directory is collected before anything is kept: the records are
written through the services inside one transaction, so that the model rules are checked as well,
and the transaction is rolled back when any problem was found.

Provenance comes from the loader, never from the file: source ``import`` (``api`` for records an
agency system submits) and a reference naming the file and the row.
"""

import csv
import datetime
import functools
import re
from collections import Counter, defaultdict
from collections.abc import Callable
from dataclasses import dataclass, field
from functools import cache
from pathlib import Path

from django.apps import apps
from django.core.exceptions import NON_FIELD_ERRORS, ValidationError
from django.db import transaction
from django.db.models import CheckConstraint, Prefetch

from . import services
from .exchange import CODE_HINT, TABLES, Column, Table, vocabulary_for
from .models import (
    Agency,
    Charge,
    Encounter,
    FollowUp,
    Operation,
    OperationParticipant,
    OperationPlace,
    RoleAssessment,
    ServiceOffer,
    Statute,
)
from .writing import check_before_insert, insert_all

REQUIRED_TABLES = ("agencies", "encounters", "role_assessments")
# Needed as soon as any row names an operation; a load of people identified outside any operation
# has no operation to give.
OPERATION_TABLES = ("operations", "operation_agencies")
MAX_LISTED_PROBLEMS = 100
MAX_REFERENCE_PREFIX = 150
MAX_SOURCE_REFERENCE = Operation._meta.get_field("source_reference").max_length

_ISO_DATE = re.compile(r"[0-9]{4}-[0-9]{2}-[0-9]{2}")
_WHOLE_NUMBER = re.compile(r"[0-9]+")
# Model fields whose exchange column carries another name.
_COLUMN_OF_FIELD = {
    "operation": "operation_code",
    "encounter": "encounter_code",
    "statute": "statute_code",
}
# A blank stage means the model's default, whichever row of the encounter it is on.
_DEFAULT_STAGE = RoleAssessment._meta.get_field("stage").default
# Tables about one encounter, with the date that places each record in the encounter's history.
_ENCOUNTER_RECORDS = {
    "role_assessments": "assessed_on",
    "treatment_events": "occurred_on",
    "charges": "charged_on",
    "service_offers": "offered_on",
    "cooperation_records": "recorded_on",
    "follow_ups": "due_on",
}
# What a stored operation's rows of these tables are, in a sentence.
_STORED_NOUN = {"operation_agencies": "agencies", "operation_places": "places"}


@dataclass(frozen=True)
class Problem:
    file: str
    row: int | None
    columns: tuple[str, ...]
    message: str

    def __str__(self) -> str:
        where = self.file if self.row is None else f"{self.file} row {self.row}"
        if self.columns:
            *others, last = self.columns
            named = f"{', '.join(others)} and {last}" if others else last
            where += f", {_plural(len(self.columns), 'column', 'columns')} {named}"
        # A problem with no file (the file could not be read) names it in its message.
        return f"{where}: {self.message}" if where else self.message


class ExchangeLoadError(ValueError):
    """Nothing was loaded; ``problems`` lists every reason, one line each."""

    def __init__(self, directory: Path, problems: list[Problem]):
        self.directory = directory
        self.problems = problems
        count = len(problems)
        lines = [
            f"Nothing was loaded from {directory}: {count} problem{'s' if count != 1 else ''} "
            "to fix, then load the directory again."
        ]
        lines += [f"  {problem}" for problem in problems[:MAX_LISTED_PROBLEMS]]
        if count > MAX_LISTED_PROBLEMS:
            lines.append(f"  … and {count - MAX_LISTED_PROBLEMS} more.")
        super().__init__("\n".join(lines))


@dataclass
class LoadResult:
    created: Counter = field(default_factory=Counter)
    unchanged: Counter = field(default_factory=Counter)
    agencies_reused: int = 0
    # What this load created on its own, so that an import batch can be undone as a whole: its
    # operations (with their people), and the people it added to operations already stored.
    new_operations: list = field(default_factory=list)
    new_agencies: list = field(default_factory=list)
    new_encounters_of_stored_operations: list = field(default_factory=list)
    # The people identified outside any operation it added: no operation's undo takes them.
    new_encounters_without_operation: list = field(default_factory=list)

    def summary(self) -> str:
        made = ", ".join(
            f"{self.created[table.name]} {table.title.lower()}"
            for table in TABLES
            if self.created[table.name]
        )
        reused = (
            f"; {self.agencies_reused} agencies were already present and reused"
            if self.agencies_reused
            else ""
        )
        kept = sum(self.unchanged.values())
        unchanged = (
            f"; {kept} rows were already loaded and left unchanged "
            f"({self.unchanged['operations']} operations)"
            if kept
            else ""
        )
        return f"{made or 'nothing'}{reused}{unchanged}"


@dataclass(frozen=True)
class TableInput:
    """The rows of one exchange table as its file gave them, before any checking.

    ``label`` is how problems name the file ("encounters.csv", "cases.xlsx, sheet encounters");
    each row keeps the number a spreadsheet shows for it, so that problems point at it.
    """

    label: str
    header: list[str]
    rows: list[tuple[int, list[str]]]


@dataclass(frozen=True)
class LoadOptions:
    """How a load treats what is already in the database, and who it is for.

    ``reference_prefix`` starts every record's source reference, before its file and row.
    ``skip_loaded`` makes loading idempotent: a row the database already holds, fact for fact
    (an operation, its agencies and places, a person and their records), is left as it is and
    counted as unchanged, and the new people of an operation already stored are added to it. A
    row that gives other facts for a stored operation, person or record is refused: a load adds
    records and never changes one.
    ``source`` is the provenance every record gets (``provenance_source``: an import, or the API).
    ``dry_run`` checks and writes everything, then rolls it back. ``member_of`` names the agency
    of a steward importing for it: each operation must include that agency. ``progress`` is called
    with the rows written so far and the rows to write.
    """

    reference_prefix: str = ""
    entered_by: object = None
    source: str = "import"
    skip_loaded: bool = False
    dry_run: bool = False
    member_of: str | None = None
    progress: Callable[[int, int], None] | None = None


def load_exchange(directory: Path, *, source_reference: str = "") -> LoadResult:
    """Validate every file of ``directory`` and load it in one transaction, or raise
    ``ExchangeLoadError`` and write nothing."""
    directory = Path(directory)
    if not directory.is_dir():
        raise ExchangeLoadError(
            directory,
            [Problem(str(directory), None, (), "is not a directory of exchange CSV files.")],
        )
    inputs, problems = read_exchange_directory(directory)
    if len(source_reference) > MAX_REFERENCE_PREFIX:
        raise ExchangeLoadError(
            directory,
            [
                Problem(
                    "--source-reference",
                    None,
                    (),
                    f"is {len(source_reference)} characters long; "
                    f"keep it to {MAX_REFERENCE_PREFIX}.",
                )
            ],
        )
    if source_reference:
        prefix = f"{source_reference}, "
    else:
        prefix = f"{directory.resolve().name[:MAX_REFERENCE_PREFIX]}/"
    return load_tables(
        inputs,
        LoadOptions(reference_prefix=prefix),
        named=directory,
        problems=problems,
    )


def load_tables(
    inputs: dict[str, TableInput],
    options: LoadOptions,
    *,
    named: Path | str,
    problems: list[Problem] = (),
    incomplete: frozenset[str] = frozenset(),
) -> LoadResult:
    """Check and load exchange tables in one transaction, or raise ``ExchangeLoadError`` naming
    ``named`` and write nothing. ``problems`` found while reading the files are reported with
    the rest; ``incomplete`` names the tables some of whose rows they left out (a line or a file
    that could not be read), which are then neither missing nor checked against."""
    return _Loader(inputs, options, named, list(problems), incomplete).run()


def read_exchange_directory(directory: Path) -> tuple[dict[str, TableInput], list[Problem]]:
    """The exchange tables of a directory of CSV files named after their tables."""
    problems = []
    expected = {f"{table.name}.csv": table for table in TABLES}
    for path in sorted(directory.glob("*.csv")):
        if path.name not in expected:
            problems.append(
                Problem(
                    path.name,
                    None,
                    (),
                    "is not a table of the exchange format; name each file after its "
                    f"table: {', '.join(sorted(expected))}.",
                )
            )
    inputs = {}
    for name, table in expected.items():
        path = directory / name
        if not path.is_file():
            continue
        try:
            with path.open(encoding="utf-8-sig", newline="") as handle:
                records = list(csv.reader(handle))
        except UnicodeDecodeError:
            problems.append(Problem(name, None, (), "is not UTF-8 text; save it as 'CSV UTF-8'."))
            continue
        except csv.Error as error:
            problems.append(
                Problem(name, None, (), f"cannot be read as CSV ({error}); check quotes.")
            )
            continue
        header = records[0] if records else []
        rows = list(enumerate(records[1:], start=2))
        inputs[table.name] = TableInput(name, header, rows)
    return inputs, problems


@cache
def _fields_of_rules() -> dict[str, frozenset[str]]:
    """The fields each check constraint is about, by its message, so that a broken rule can name
    its columns."""
    return {
        str(constraint.violation_error_message): frozenset(
            constraint.condition.referenced_base_fields
        )
        for model in apps.get_app_config("standard").get_models()
        for constraint in model._meta.constraints
        if isinstance(constraint, CheckConstraint)
    }


def _plural(count: int, singular: str, plural: str) -> str:
    return singular if count == 1 else plural


def _shown(value: str) -> str:
    return repr(value) if value else "(empty)"


# Cells a message never repeats: a person link column may hold, by mistake, the booking or case
# number itself, which must not be kept anywhere, an import's list of problems included.
_SECRET_COLUMNS = frozenset(
    column.name for table in TABLES for column in table.columns if column.secret
)
_NOT_REPEATED = "(value not repeated)"


def _records_compared() -> tuple:
    """A stored person's records, with what their rows name, to compare with a load's rows."""
    return (
        "role_assessments",
        "treatment_events",
        Prefetch("charges", queryset=Charge.objects.select_related("statute")),
        Prefetch(
            "service_offers",
            queryset=ServiceOffer.objects.select_related("offered_by", "provider"),
        ),
        "cooperation_records",
        "follow_ups__prosecuted_for",
    )


def _cell_text(value) -> str:
    """A stored value as a cell of the exchange files gives it."""
    if value is None:
        return ""
    if isinstance(value, list):
        return ";".join(value)
    if isinstance(value, datetime.date):
        return value.isoformat()
    return str(value)


@dataclass(frozen=True)
class _Codes:
    """The codes a column accepts: ``allowed`` in the order a message lists them, ``known`` the
    same as a set to look each cell up in, ``listed`` where they are listed, in words."""

    allowed: tuple[str, ...]
    listed: str
    known: frozenset[str] = field(init=False)

    def __post_init__(self) -> None:
        object.__setattr__(self, "known", frozenset(self.allowed))


@dataclass
class _Row:
    table: Table
    file: str
    number: int
    raw: dict[str, str]
    values: dict = field(default_factory=dict)
    ok: bool = True


class _Loader:
    def __init__(
        self,
        inputs: dict[str, TableInput],
        options: LoadOptions,
        named: Path | str,
        problems: list[Problem],
        incomplete: frozenset[str] = frozenset(),
    ):
        self.inputs = inputs
        self.incomplete = incomplete
        self.options = options
        self.named = named
        self.reference = f"{options.reference_prefix}{{file}} row {{row}}"
        self.problems = problems
        self.statutes = {statute.code: statute for statute in Statute.objects.all()}
        self.rows: dict[str, list[_Row]] = {}
        self.agencies: dict[str, Agency] = {}
        self.operations: dict[str, Operation] = {}
        # Operations already in the database that this load adds people to (``skip_loaded``).
        self.stored_operations: dict[str, Operation] = {}
        self.encounters: dict[str, Encounter] = {}
        self.first_role: dict[str, _Row] = {}
        # Each person's role assessments, events and charges, in the order they are written.
        self.histories: dict[str, list] = defaultdict(list)
        # Tables whose file is missing or unusable, or that lack rows which could not be read:
        # checks against them would only repeat that.
        self.unread: set[str] = set()
        self.result = LoadResult()
        self.written = 0

    def run(self) -> LoadResult:
        self._read()
        self._check_across_files()
        self.to_write = sum(len(rows) for rows in self.rows.values())
        with transaction.atomic():
            self._write()
            if self.problems or self.options.dry_run:
                transaction.set_rollback(True)
        if self.problems:
            order = {
                self.inputs[table.name].label: position
                for position, table in enumerate(TABLES)
                if table.name in self.inputs
            }
            self.problems.sort(key=lambda p: (order.get(p.file, -1), p.row or 0))
            raise ExchangeLoadError(self.named, self.problems)
        return self.result

    def _report(self, row: _Row, columns: str | tuple[str, ...], message: str) -> None:
        row.ok = False
        columns = (columns,) if isinstance(columns, str) else columns
        self.problems.append(Problem(row.file, row.number, columns, message))

    def _advance(self, rows: int = 1) -> None:
        self.written += rows
        if self.options.progress:
            self.options.progress(self.written, self.to_write)

    # Reading each file --------------------------------------------------------------------------

    def _read(self) -> None:
        for table in TABLES:
            self.rows[table.name] = self._read_table(table)
        self._check_operation_tables()

    def _check_operation_tables(self) -> None:
        """Operations and their agencies are needed once any row names an operation: the
        people of an operation come with it, or with it already stored, in the same files."""
        naming = next(
            (
                row
                for table in TABLES
                if table.name not in OPERATION_TABLES
                for row in self.rows[table.name]
                if row.values.get("operation_code")
            ),
            None,
        )
        if naming is None:
            return
        for name in OPERATION_TABLES:
            if name not in self.inputs and name not in self.incomplete:
                self.problems.append(
                    Problem(
                        f"{name}.csv",
                        None,
                        (),
                        f"is missing; {naming.file} row {naming.number} names operation "
                        f"{naming.values['operation_code']}, and every load of operations needs "
                        f"{', '.join(f'{table}.csv' for table in OPERATION_TABLES)}.",
                    )
                )

    def _read_table(self, table: Table) -> list[_Row]:
        self.unread.add(table.name)
        table_input = self.inputs.get(table.name)
        if table_input is None:
            if table.name in REQUIRED_TABLES and table.name not in self.incomplete:
                needed = ", ".join(f"{name}.csv" for name in REQUIRED_TABLES)
                self.problems.append(
                    Problem(
                        f"{table.name}.csv", None, (), f"is missing; every load needs {needed}."
                    )
                )
            return []
        file = table_input.label
        if not any(cell.strip() for cell in table_input.header):
            self.problems.append(
                Problem(
                    file,
                    1,
                    (),
                    f"the first row must name the columns: {', '.join(table.column_names)}.",
                )
            )
            return []
        header = [cell.strip() for cell in table_input.header]
        if not self._header_is_usable(table, file, header):
            return []
        if table.name not in self.incomplete:
            self.unread.discard(table.name)
        codes = {column.name: self._codes_of(column) for column in table.columns}
        rows = []
        for number, cells in table_input.rows:
            if not any(cell.strip() for cell in cells):
                continue
            if any(cell.strip() for cell in cells[len(header) :]):
                self.problems.append(
                    Problem(
                        file,
                        number,
                        (),
                        f"has {len(cells)} cells but the header names {len(header)} columns; "
                        "remove the extra cells or name their columns in row 1.",
                    )
                )
                continue
            raw = {
                name: cells[position].strip() if position < len(cells) else ""
                for position, name in enumerate(header)
            }
            rows.append(self._parse_row(table, file, number, raw, codes))
        return rows

    def _header_is_usable(self, table: Table, file: str, header: list[str]) -> bool:
        before = len(self.problems)
        seen: set[str] = set()
        for name in header:
            if name not in table.column_names:
                self.problems.append(
                    Problem(
                        file,
                        1,
                        (name or "(no name)",),
                        f"not a column of {file}; its columns are: "
                        f"{', '.join(table.column_names)}.",
                    )
                )
            elif name in seen:
                self.problems.append(Problem(file, 1, (name,), "appears twice; keep one."))
            seen.add(name)
        for column in table.columns:
            if column.required and column.name not in seen:
                self.problems.append(
                    Problem(
                        file,
                        1,
                        (column.name,),
                        f"this required column is missing; add it ({column.description})",
                    )
                )
        return len(self.problems) == before

    def _codes_of(self, column: Column) -> _Codes | None:
        """The codes ``column`` accepts, or None for a column of free text."""
        vocab = vocabulary_for(column)
        if vocab:
            return _Codes(vocab.codes, f"in the list '{vocab.title}'")
        if column.name in {"statute_code", "prosecuted_for"}:
            return _Codes(tuple(self.statutes), "in the statute catalogue")
        return None

    def _parse_row(
        self,
        table: Table,
        file: str,
        number: int,
        raw: dict[str, str],
        codes: dict[str, _Codes | None],
    ) -> _Row:
        """``codes`` is what each column accepts (``_codes_of``), worked out once per table:
        worked out for each cell, it took a third of the time spent reading a large load."""
        row = _Row(table, file, number, raw)
        for column in table.columns:
            text = raw.get(column.name, "")
            if not text:
                if column.required:
                    self._report(
                        row, column.name, f"is empty; it is required ({column.description})"
                    )
                continue
            try:
                row.values[column.name] = self._parse_cell(column, text, codes[column.name])
            except ValueError as error:
                self._report(row, column.name, str(error))
        return row

    def _parse_cell(self, column: Column, text: str, codes: _Codes | None):
        if column.pattern and not re.fullmatch(column.pattern, text):
            if column.secret:
                raise ValueError(f"the cell is not a person link: {column.hint}.")
            raise ValueError(f"{text!r} is not a code; {CODE_HINT}.")
        if column.type == "date":
            if not _ISO_DATE.fullmatch(text):
                raise ValueError(
                    f"{text!r} is not a date; write dates as YYYY-MM-DD, e.g. 2020-10-12."
                )
            try:
                return datetime.date.fromisoformat(text)
            except ValueError:
                raise ValueError(
                    f"{text!r} is not a real date; check the month and the day (YYYY-MM-DD)."
                ) from None
        if column.type == "integer":
            if not _WHOLE_NUMBER.fullmatch(text):
                raise ValueError(f"{text!r} is not a whole number; write digits only, e.g. 410000.")
            return int(text)
        if codes is None:
            return text
        if column.list_of_codes:
            given = [code.strip() for code in text.split(";") if code.strip()]
        else:
            given = [text]
        unknown = [code for code in given if code not in codes.known]
        if unknown:
            allowed, listed = codes.allowed, codes.listed
            shown = ", ".join(map(repr, unknown))
            verb = _plural(len(unknown), "is", "are")
            choose = _plural(len(allowed), "the code", "one of")
            separated = " (separate several with semicolons)" if column.list_of_codes else ""
            raise ValueError(
                f"{shown} {verb} not {listed}; use {choose}: {', '.join(allowed)}{separated}."
            )
        return given if column.list_of_codes else text

    # Checks across files ------------------------------------------------------------------------

    def _check_across_files(self) -> None:
        self._check_repeated_keys()
        self._check_not_loaded_before()
        self._resolve_agencies()
        self._check_member_agency()
        self._check_references()
        self._check_leads()
        self._check_roles_at_encounter()

    def _check_repeated_keys(self) -> None:
        for table in TABLES:
            if not table.primary_key:
                continue
            first_seen: dict[tuple, int] = {}
            for row in self.rows[table.name]:
                key = tuple(row.values.get(name) for name in table.primary_key)
                if None in key:
                    continue
                if key in first_seen:
                    single = len(table.primary_key) == 1
                    self._report(
                        row,
                        table.primary_key[:1] if single else (),
                        f"repeats row {first_seen[key]} ({' / '.join(key)}); list it once.",
                    )
                else:
                    first_seen[key] = row.number

    def _resolve_agencies(self) -> None:
        listed = {row.values["name"]: row for row in self.rows["agencies"] if "name" in row.values}
        referenced = {
            row.values[column.name]
            for table in TABLES
            for column in table.columns
            if column.references == ("agencies", "name")
            for row in self.rows[table.name]
            if column.name in row.values
        }
        for agency in Agency.objects.filter(name__in=set(listed) | referenced):
            row = listed.get(agency.name)
            kind = row.values.get("kind") if row else None
            if row and kind and kind != agency.kind:
                self._report(
                    row,
                    "kind",
                    f"{kind!r} — an agency named {agency.name!r} already exists as "
                    f"{agency.kind!r}; give the same kind, or another name.",
                )
            else:
                self.agencies[agency.name] = agency
                if row:
                    self.result.agencies_reused += 1

    def _check_not_loaded_before(self) -> None:
        operation_rows = {
            row.values["operation_code"]: row
            for row in self.rows["operations"]
            if "operation_code" in row.values
        }
        loaded = set()
        for operation in Operation.objects.filter(code__in=list(operation_rows)):
            loaded.add(operation.code)
            if not self.options.skip_loaded:
                self._report(
                    operation_rows[operation.code],
                    "operation_code",
                    f"operation {operation.code} is already loaded (as {operation.name!r}); "
                    "loading it again would duplicate it. Remove it from the files, or load them "
                    "into another database.",
                )
        if self.options.skip_loaded:
            self._leave_loaded_rows(loaded)
            self._leave_loaded_identifications()
        # The encounters of an operation refused as already loaded are not listed again: its row
        # says it all.
        encounter_rows = {
            row.values["encounter_code"]: row
            for row in self.rows["encounters"]
            if "encounter_code" in row.values
            and (self.options.skip_loaded or row.values.get("operation_code") not in loaded)
        }
        codes = list(encounter_rows)
        for start in range(0, len(codes), 500):
            taken = Encounter.objects.filter(code__in=codes[start : start + 500])
            # The person holding a code may be another agency's, who does not exist for an agency
            # importing its own: the message is the same whoever holds it, and names nothing of it.
            for code in taken.values_list("code", flat=True):
                self._report(
                    encounter_rows[code],
                    "encounter_code",
                    f"encounter code {code} cannot be used: each code is used once, across every "
                    "agency's records; give this row another code.",
                )

    def _leave_loaded_rows(self, loaded: set[str]) -> None:
        """Sort the rows of operations already in the database, so that loading the same rows
        again changes nothing, loading a file that grew adds what is new, and no row is left out
        unsaid.

        A row the database holds fact for fact is left out of the load and counted as unchanged.
        A row that gives other facts for a stored operation, person or record is refused, naming
        its columns: a load adds records and never changes one. The new people of a stored
        operation stay in the load, to be added to it. A stored operation that a steward's agency
        takes no part in is refused whole, on its row, as a code already taken."""
        if not loaded:
            return
        member = self.options.member_of
        refused = set()
        for operation in Operation.objects.filter(code__in=loaded).prefetch_related(
            "participants__agency", "places"
        ):
            taking_part = {participant.agency.name for participant in operation.participants.all()}
            if member is not None and member not in taking_part:
                refused.add(operation.code)
            else:
                self.stored_operations[operation.code] = operation
        self.operations.update(self.stored_operations)
        # The stored agencies and places of each operation that no row has matched yet.
        unmatched = {}
        for code, operation in self.stored_operations.items():
            unmatched["operation_agencies", code] = list(operation.participants.all())
            unmatched["operation_places", code] = list(operation.places.all())
        left = set()
        for table_name in ("operations", "operation_agencies", "operation_places"):
            for row in self.rows[table_name]:
                code = row.values.get("operation_code")
                if code in refused:
                    left.add(id(row))
                    # Another agency's operation does not exist for a steward or a token: the
                    # answer is that of any code taken, and names nothing of the operation.
                    if table_name == "operations":
                        self._report(
                            row,
                            "operation_code",
                            f"operation code {code} cannot be used: each code is used once, "
                            "across every agency's records; give this row another code.",
                        )
                elif code in self.stored_operations:
                    left.add(id(row))
                    if table_name == "operations":
                        self._is_stored_record(row, self.stored_operations[code], "operation")
                    else:
                        self._is_one_of_stored(row, unmatched[table_name, code], "operation", code)
        left |= self._leave_loaded_people(refused)
        for table in TABLES:
            self.rows[table.name] = [row for row in self.rows[table.name] if id(row) not in left]

    def _leave_loaded_people(self, refused: set[str]) -> set[int]:
        """Sort the people of stored operations and their records as ``_leave_loaded_rows``
        does, and return the rows to leave out of the load: those sorted here, and the people of
        operations refused whole (their operation's row speaks for them). Stored people are read
        a few hundred at a time, so that memory does not grow with them."""
        records = self._records_by_encounter()
        left, people = set(), {}
        for row in self.rows["encounters"]:
            operation_code = row.values.get("operation_code")
            code = row.values.get("encounter_code")
            if operation_code in refused:
                left.add(id(row))
                left.update(id(record) for record in records.get(code, ()))
            elif operation_code in self.stored_operations and code:
                people[code] = row
        codes = list(people)
        for start in range(0, len(codes), 500):
            stored = Encounter.objects.filter(
                code__in=codes[start : start + 500],
                operation__in=list(self.stored_operations.values()),
            ).prefetch_related(*_records_compared())
            for encounter in stored:
                row = people[encounter.code]
                if encounter.operation_id != self.operations[row.values["operation_code"]].pk:
                    continue  # another operation's person: reported as a code already taken
                left |= self._sort_stored_person(row, encounter, records[encounter.code])
        return left

    def _records_by_encounter(self) -> dict[str, list[_Row]]:
        records = defaultdict(list)
        for table_name in _ENCOUNTER_RECORDS:
            for row in self.rows[table_name]:
                records[row.values.get("encounter_code")].append(row)
        return records

    def _sort_stored_person(self, row: _Row, encounter: Encounter, records: list[_Row]) -> set:
        """Compare a stored person with the row that gives them and the rows of their records:
        each is unchanged or refused. Returns the rows to leave out of the load."""
        left = {id(row), *(id(record) for record in records)}
        if not self._is_stored_record(row, encounter, "encounter"):
            return left  # its records would only repeat that
        unmatched = {name: list(getattr(encounter, name).all()) for name in _ENCOUNTER_RECORDS}
        for record in records:
            stored = unmatched[record.table.name]
            self._is_one_of_stored(record, stored, "encounter", encounter.code)
        return left

    def _leave_loaded_identifications(self) -> None:
        """Sort the rows of people identified outside any operation who are already stored, as
        ``_leave_loaded_rows`` sorts an operation's: the same rows again change nothing. A stored
        person another organisation identified does not exist for a steward importing its own:
        their code is refused as taken, like any code taken."""
        people = {
            row.values["encounter_code"]: row
            for row in self.rows["encounters"]
            if "encounter_code" in row.values and not row.values.get("operation_code")
        }
        if not people:
            return
        records = self._records_by_encounter()
        left: set[int] = set()
        codes = list(people)
        for start in range(0, len(codes), 500):
            stored = (
                Encounter.objects.filter(code__in=codes[start : start + 500], operation=None)
                .select_related("identified_by", "referring_organisation")
                .prefetch_related(*_records_compared())
            )
            member = self.options.member_of
            for encounter in stored:
                if member is not None and encounter.identified_by.name != member:
                    continue
                row = people[encounter.code]
                left |= self._sort_stored_person(row, encounter, records[encounter.code])
        for table in TABLES:
            self.rows[table.name] = [row for row in self.rows[table.name] if id(row) not in left]

    def _is_stored_record(self, row: _Row, record, kind: str) -> bool:
        """Whether ``row`` gives the facts of ``record``, stored under the same code; if not, the
        row is refused, naming the columns that differ and the facts stored. A row already
        reported as wrong is not compared again."""
        if not row.ok:
            return False
        differences = self._differences(row, record)
        if not differences:
            self.result.unchanged[row.table.name] += 1
            return True
        held = ", ".join(
            f"{column} {_NOT_REPEATED if column in _SECRET_COLUMNS else _shown(_cell_text(value))}"
            for column, value in differences.items()
        )
        self._report_cells(
            row,
            tuple(differences),
            f"{kind} {record.code} is already in the database with {held}; an import adds "
            f"records and never changes one, so give the stored facts here, or correct the {kind} "
            "first.",
        )
        return False

    def _is_one_of_stored(self, row: _Row, unmatched: list, kind: str, code: str) -> None:
        """Count ``row`` as unchanged if it gives the facts of one of the ``unmatched`` records
        of a stored operation or person (and take that record out), or refuse it."""
        if not row.ok:
            return
        for record in unmatched:
            if not self._differences(row, record):
                unmatched.remove(record)
                self.result.unchanged[row.table.name] += 1
                return
        stored = _STORED_NOUN.get(row.table.name, row.table.title.lower())
        if kind == "operation":
            changed, page = "never changes the operation", "the operation's page"
        else:
            changed, page = "never changes what is stored of a person", "the person's page"
        self._report(
            row,
            (),
            f"{kind} {code} is already in the database, and this row is not among its stored "
            f"{stored}; an import adds new people and {changed}, so give them as stored, or "
            f"record this on {page} first.",
        )

    def _differences(self, row: _Row, record) -> dict[str, object]:
        """The columns in which ``row`` gives other facts than ``record``, with the record's
        values. A blank cell stands for the default a load would have stored."""
        differences = {}
        for column in row.table.columns:
            if column.name in {"operation_code", "encounter_code"}:
                continue  # how the row was matched to the record
            if column.name == "data_origin" and getattr(record, "operation_id", None):
                continue  # an operation's person has the operation's, whatever the row says
            if column.name == "person_link" and not row.values.get(column.name):
                continue  # linked on the person's page since: a blank cell does not unlink
            given = row.values.get(column.name)
            if column.references == ("agencies", "name"):
                agency = getattr(record, column.name)
                held = agency.name if agency else None
            elif column.name == "statute_code":
                held = record.statute.code
            elif column.name == "prosecuted_for":
                given = sorted(given or [])
                held = sorted(statute.code for statute in record.prosecuted_for.all())
            else:
                model_field = row.table.model._meta.get_field(column.name)
                given = model_field.get_default() if given is None else model_field.to_python(given)
                held = getattr(record, column.name)
                if isinstance(given, list) and isinstance(held, list):
                    given, held = sorted(given), sorted(held)
            if given != held:
                differences[column.name] = held
        return differences

    def _check_member_agency(self) -> None:
        """A steward imports only operations its own agency takes part in, and only the people
        its own agency identified outside any operation."""
        member = self.options.member_of
        if member is None:
            return
        for row in self.rows["encounters"]:
            if not row.values.get("operation_code") and row.values.get("identified_by") != member:
                self._report(
                    row,
                    "identified_by",
                    f"{_shown(row.raw.get('identified_by', ''))} — a person identified outside "
                    f"any operation is imported by the organisation that identified them: give "
                    f"{member}, or the operation the person was met in.",
                )
        if "operation_agencies" in self.unread:
            return
        taking_part = defaultdict(set)
        for row in self.rows["operation_agencies"]:
            taking_part[row.values.get("operation_code")].add(row.values.get("agency"))
        for row in self.rows["operations"]:
            code = row.values.get("operation_code")
            if code and member not in taking_part[code]:
                self._report(
                    row,
                    "operation_code",
                    f"operation {code} does not list {member} in operation_agencies; a data "
                    "steward imports only the operations of their own agency.",
                )

    def _check_references(self) -> None:
        # An operation already stored, whose rows were left out of the load, is still listed.
        listed = {
            "operations": {row.values.get("operation_code") for row in self.rows["operations"]}
            | set(self.stored_operations),
            "encounters": {row.values.get("encounter_code") for row in self.rows["encounters"]},
        }
        listed["agencies"] = {row.values.get("name") for row in self.rows["agencies"]} | set(
            self.agencies
        )
        for table in TABLES:
            for column in table.columns:
                if not column.references:
                    continue
                target, _ = column.references
                # Agencies may already be in the database, so they are checked whatever happened
                # to agencies.csv, unless rows of it could not be read.
                if target in self.incomplete or (target in self.unread and target != "agencies"):
                    continue
                for row in self.rows[table.name]:
                    value = row.values.get(column.name)
                    if value is not None and value not in listed[target]:
                        self._report(
                            row,
                            column.name,
                            f"{value!r} is not in {target}.csv; add it there or correct it here.",
                        )

    def _check_leads(self) -> None:
        if "operation_agencies" in self.unread:
            return
        leads = defaultdict(list)
        for row in self.rows["operation_agencies"]:
            if row.values.get("part") == "lead":
                leads[row.values.get("operation_code")].append(row)
        for row in self.rows["operations"]:
            code = row.values.get("operation_code")
            found = leads.get(code, [])
            if code and not found:
                self._report(
                    row,
                    "operation_code",
                    f"operation {code} has no lead agency; add a row to operation_agencies.csv "
                    "with part 'lead'.",
                )
            for extra in found[1:]:
                self._report(
                    extra,
                    "part",
                    f"'lead' — operation {code} already has its lead in row {found[0].number}; "
                    "an operation has one lead, so give this agency another part, such as "
                    "'participant'.",
                )

    def _check_roles_at_encounter(self) -> None:
        if "role_assessments" in self.unread:
            return
        for row in self.rows["role_assessments"]:
            code = row.values.get("encounter_code")
            if row.values.get("stage", _DEFAULT_STAGE) == "at_encounter" and code:
                self.first_role.setdefault(code, row)
        for row in self.rows["encounters"]:
            code = row.values.get("encounter_code")
            if code and code not in self.first_role:
                self._report(
                    row,
                    "encounter_code",
                    f"encounter {code} has no role assessed at the encounter; add a row to "
                    "role_assessments.csv with stage 'at_encounter'.",
                )

    # Writing ------------------------------------------------------------------------------------
    #
    # Agencies go through their service, one by one: they are few. Everything else is built as
    # records, each checked by its model's field checks and rules (``check_before_insert``), and
    # inserted table by table in bulk (``insert_all``), the database enforcing the constraints;
    # the non-punishment alerts are those the services would raise writing each history in date
    # order (``alerts_from_history``).

    def _provenance(self, row: _Row) -> dict:
        return {
            "entered_by": self.options.entered_by,
            "source": self.options.source,
            "source_reference": self.reference.format(file=row.file, row=row.number)[
                :MAX_SOURCE_REFERENCE
            ],
        }

    def _column_of(self, table: Table, field_name: str) -> str | None:
        if field_name == "code" and table.primary_key:
            name = table.primary_key[0]
        else:
            name = _COLUMN_OF_FIELD.get(field_name, field_name)
        return name if name in table.column_names else None

    def _call(self, row: _Row, service, **arguments):
        """Run one service; report its validation errors against the cells they concern."""
        try:
            return service(**arguments, **self._provenance(row))
        except ValidationError as error:
            self._report_validation(row, error)
            return None

    def _checked(self, row: _Row, record, pending: list) -> bool:
        """Check a record built from ``row`` and queue it for insertion; report what is wrong."""
        try:
            check_before_insert(record)
        except ValidationError as error:
            self._report_validation(row, error)
            return False
        pending.append((record, functools.partial(self._report_validation, row)))
        return True

    def _insert(self, table_name: str, pending: list) -> list:
        inserted = insert_all(pending) if pending else []
        self.result.created[table_name] += len(inserted)
        return inserted

    def _report_validation(self, row: _Row, error: ValidationError) -> None:
        if hasattr(error, "error_dict"):
            by_field = error.message_dict
        else:
            by_field = {NON_FIELD_ERRORS: error.messages}
        for field_name, messages in by_field.items():
            if field_name == NON_FIELD_ERRORS:
                for message in messages:
                    named = {
                        self._column_of(row.table, name)
                        for name in _fields_of_rules().get(message, ())
                    }
                    columns = tuple(c for c in row.table.column_names if c in named)
                    self._report_cells(row, columns, message)
                continue
            column = self._column_of(row.table, field_name)
            text = " ".join(messages)
            if column:
                self._report_cells(row, (column,), text)
            else:
                self._report_cells(row, (), f"{field_name.replace('_', ' ')}: {text}")

    def _report_cells(self, row: _Row, columns: tuple[str, ...], message: str) -> None:
        if columns:
            shown = ", ".join(
                _NOT_REPEATED if column in _SECRET_COLUMNS else _shown(row.raw.get(column, ""))
                for column in columns
            )
            message = f"{shown} — {message}"
        self._report(row, columns, message)

    def _agencies_resolved(self, row: _Row) -> bool:
        """Whether every agency the row names was found or created; one that failed is reported
        on its own row."""
        return all(
            row.values.get(column.name) in self.agencies
            for column in row.table.columns
            if column.references == ("agencies", "name") and column.name in row.values
        )

    def _arguments(self, row: _Row) -> dict:
        """The row's values as service arguments, references turned into records."""
        arguments = {}
        for column in row.table.columns:
            if column.name not in row.values or column.name in {"operation_code", "encounter_code"}:
                continue
            value = row.values[column.name]
            if column.references == ("agencies", "name"):
                value = self.agencies[value]
            elif column.name == "statute_code":
                arguments["statute"] = self.statutes[value]
                continue
            elif column.name == "prosecuted_for":
                value = [self.statutes[code] for code in value]
            arguments[column.name] = value
        return arguments

    def _write(self) -> None:
        self._write_agencies()
        self._write_operations()
        self._write_encounters()
        self._write_encounter_records()

    def _write_agencies(self) -> None:
        for row in self.rows["agencies"]:
            if row.ok and row.values["name"] not in self.agencies:
                agency = self._call(row, services.record_agency, **self._arguments(row))
                if agency:
                    self.agencies[agency.name] = agency
                    self.result.created["agencies"] += 1
                    self.result.new_agencies.append(agency)
            self._advance()

    def _write_operations(self) -> None:
        parts = defaultdict(list)
        for row in self.rows["operation_agencies"]:
            if row.ok and self._agencies_resolved(row):
                parts[row.values["operation_code"]].append(row)
        places = defaultdict(list)
        for row in self.rows["operation_places"]:
            if row.ok:
                places[row.values["operation_code"]].append(row)
        pending = []
        for row in self.rows["operations"]:
            code = row.values.get("operation_code")
            self._advance(1 + len(parts[code]) + len(places[code]))
            has_lead = any(part.values["part"] == "lead" for part in parts[code])
            if not row.ok or not has_lead:
                continue
            # The file's code is kept: it is how the file, its other tables and any later load
            # refer to this operation.
            operation = Operation(code=code, **self._arguments(row), **self._provenance(row))
            if self._checked(row, operation, pending):
                self.operations[code] = operation
        for operation in self._insert("operations", pending):
            self.result.new_operations.append(operation)
        for table_name, model, rows_by_operation in (
            ("operation_agencies", OperationParticipant, parts),
            ("operation_places", OperationPlace, places),
        ):
            pending = []
            for code, rows in rows_by_operation.items():
                operation = self.operations.get(code)
                if operation is None or operation.pk is None:
                    continue
                for row in rows:
                    record = model(
                        operation=operation, **self._arguments(row), **self._provenance(row)
                    )
                    self._checked(row, record, pending)
            self._insert(table_name, pending)

    def _write_encounters(self) -> None:
        pending, first_roles = [], []
        for row in self.rows["encounters"]:
            code = row.values.get("encounter_code")
            operation_code = row.values.get("operation_code")
            operation = self.operations.get(operation_code) if operation_code else None
            role = self.first_role.get(code)
            self._advance(2)
            # A person of an operation that could not be written is left out: the operation's
            # own row says why.
            if not row.ok or role is None or (operation_code and operation is None):
                continue
            if not self._agencies_resolved(row):
                continue
            if operation is not None and operation.pk is None:
                continue
            encounter = Encounter(
                code=code, operation=operation, **self._arguments(row), **self._provenance(row)
            )
            if self._checked(row, encounter, pending):
                self.encounters[code] = encounter
                first_roles.append((role, encounter))
        for encounter in self._insert("encounters", pending):
            if encounter.operation is None:
                self.result.new_encounters_without_operation.append(encounter)
            elif encounter.operation.code in self.stored_operations:
                self.result.new_encounters_of_stored_operations.append(encounter)
        pending = []
        for role, encounter in first_roles:
            if not role.ok or encounter.pk is None:
                continue
            # The role at the encounter is assessed on the day of the encounter.
            if role.values["assessed_on"] != encounter.encountered_on:
                self._report(
                    role,
                    "assessed_on",
                    f"{role.raw['assessed_on']!r} — the role at the encounter is assessed on the "
                    f"day of the encounter, {encounter.encountered_on}; give that date, or stage "
                    "'later'.",
                )
                continue
            assessment = RoleAssessment(
                encounter=encounter,
                **{**self._arguments(role), "stage": "at_encounter"},
                **self._provenance(role),
            )
            if self._checked(role, assessment, pending):
                self.histories[encounter.code].append(assessment)
        self._insert("role_assessments", pending)

    def _write_encounter_records(self) -> None:
        # In date order, so that each history replays as it happened and each non-punishment
        # alert is raised with the role the person had when they were arrested, cited or charged.
        first_roles = {id(row) for row in self.first_role.values()}
        ordered = []
        for position, (table_name, date_column) in enumerate(_ENCOUNTER_RECORDS.items()):
            for row in self.rows[table_name]:
                encounter = self.encounters.get(row.values.get("encounter_code"))
                self._advance()
                if (
                    row.ok
                    and encounter is not None
                    and encounter.pk is not None
                    and id(row) not in first_roles
                    and self._agencies_resolved(row)
                ):
                    ordered.append((row.values[date_column], position, row.number, row, encounter))
        ordered.sort(key=lambda item: item[:3])
        pending = defaultdict(list)
        prosecuted_for = []
        for *_, row, encounter in ordered:
            arguments = self._arguments(row)
            if row.table.name == "role_assessments":
                arguments.setdefault("stage", _DEFAULT_STAGE)
            statutes = arguments.pop("prosecuted_for", [])
            record = row.table.model(encounter=encounter, **arguments, **self._provenance(row))
            if self._checked(row, record, pending[row.table.name]):
                self.histories[encounter.code].append(record)
                if statutes:
                    prosecuted_for.append((record, statutes))
        for table_name in _ENCOUNTER_RECORDS:
            self._insert(table_name, pending[table_name])
        self._link_prosecuted_for(prosecuted_for)
        self._raise_alerts()

    def _link_prosecuted_for(self, follow_ups) -> None:
        through = FollowUp.prosecuted_for.through
        through.objects.bulk_create(
            through(followup_id=follow_up.pk, statute_id=statute.pk)
            for follow_up, statutes in follow_ups
            if follow_up.pk is not None
            for statute in statutes
        )

    def _raise_alerts(self) -> None:
        pending = []
        for code, history in self.histories.items():
            encounter = self.encounters[code]
            written = [record for record in history if record.pk is not None]
            for alert in services.alerts_from_history(encounter, written):
                pending.append((alert, functools.partial(self._alert_refused, code)))
        if pending:
            insert_all(pending)

    def _alert_refused(self, code: str, error: ValidationError) -> None:
        self.problems.append(
            Problem(
                "",
                None,
                (),
                f"The non-punishment alert of encounter {code} could not be recorded "
                f"({' '.join(error.messages)}); nothing was loaded. Report this as a fault.",
            )
        )
