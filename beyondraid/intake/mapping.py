"""Mappings: how an agency's own tracking sheet becomes records of the standard.

A tracking sheet has one row per person, with the agency's own columns (``GENDER``, ``ARRESTED``
with ``Y``/``N``, ``CITATION OR CHARGE`` with ``N/A`` or ``?``). A mapping, written in TOML, says
which operation the sheet is about and how each of its columns becomes exchange columns, so the
rows then go through the standard's loader like any exchange file. It never guesses: every cell of
a mapped column must be one the mapping lists, and one it does not list is reported with its row.

    (beyondraid/standard/data/published/lapd_occ_2017_victims.toml is a complete example.)

    [mapping]
    name = "LAPD Operation Cross Country victim sheet"
    version = "1"
    row_id = "VICTIM"                      # the sheet's own id for a row: required and unique

    [operation]                            # the columns of operations.csv, as constants
    operation_code = "OP-0CC1-2017"
    name = "Operation Cross Country XI — Los Angeles"
    ...
    lead_agency = "Los Angeles Police Department"   # must already be in the database
    other_agencies = [{ agency = "…", part = "participant" }]

    [encounter]                            # the columns of encounters.csv
    encountered_on = 2017-10-12            # a constant …
    gender_identity = { column = "GENDER", values = { F = "woman", M = "man" } }   # … or a column

    [role]                                 # the role assessed at the encounter
    role = { column = "JUVENILE SUBJECT", values = { Y = "confirmed_victim", N = "…" } }
    basis = { column = "JUVENILE SUBJECT", values = { Y = "minor_by_age", N = "…" } }

    [[treatment_events]]                   # one record when the cell says so
    when = { column = "ARRESTED", equals = "Y", otherwise = ["N"] }
    kind = "arrested"

``[[treatment_events]]``, ``[[service_offers]]``, ``[[charges]]``, ``[[cooperation_records]]`` and
``[[follow_ups]]`` take the columns of their exchange table; their date defaults to the day of
the encounter. Columns of the sheet the mapping does not name are not imported, and the import
summary says which.
"""

import datetime
import tomllib
from dataclasses import dataclass, field

from beyondraid.core.codes import new_code
from beyondraid.standard.exchange import TABLES_BY_NAME
from beyondraid.standard.loading import Problem, TableInput

_RECORD_SECTIONS = {
    "treatment_events": "occurred_on",
    "service_offers": "offered_on",
    "charges": "charged_on",
    "cooperation_records": "recorded_on",
    "follow_ups": "due_on",
}
_SECTIONS = {"mapping", "operation", "encounter", "role", *_RECORD_SECTIONS}
_OPERATION_EXTRA = {"lead_agency", "other_agencies"}
_FROM_MAPPING = {"agencies", "operations", "operation_agencies"}


class MappingError(ValueError):
    def __init__(self, problems: list[str]):
        self.problems = problems
        super().__init__("\n".join(problems))


@dataclass(frozen=True)
class FromColumn:
    """A value read from a column of the sheet through the mapping's list of known cells."""

    column: str
    values: dict[str, str]


@dataclass(frozen=True)
class Condition:
    column: str
    equals: str
    otherwise: tuple[str, ...]


@dataclass(frozen=True)
class RecordRule:
    table: str
    when: Condition | None
    cells: dict[str, object]


@dataclass
class Mapping:
    file: str
    name: str
    version: str
    row_id: str
    operation: dict[str, str]
    agencies: list[tuple[str, str]]
    encounter: dict[str, object]
    role: dict[str, object]
    records: list[RecordRule] = field(default_factory=list)

    @classmethod
    def parse(cls, file: str, content: bytes) -> "Mapping":
        try:
            document = tomllib.loads(content.decode("utf-8-sig"))
        except UnicodeDecodeError:
            raise MappingError([f"{file}: is not UTF-8 text."]) from None
        except tomllib.TOMLDecodeError as error:
            raise MappingError([f"{file}: is not valid TOML ({error})."]) from None
        return _Parser(file, document).mapping()

    @property
    def columns_used(self) -> set[str]:
        used = {self.row_id}
        for cells in [self.encounter, self.role, *(rule.cells for rule in self.records)]:
            used |= {value.column for value in cells.values() if isinstance(value, FromColumn)}
        used |= {rule.when.column for rule in self.records if rule.when}
        return used

    def tables_from(self, sheets) -> tuple[dict[str, TableInput], list[Problem]]:
        """Exchange tables for the rows of the tracking sheets; rows keep their sheet's number."""
        if len(sheets) != 1:
            labels = ", ".join(sheet.label for sheet in sheets)
            return {}, [
                Problem(
                    self.file,
                    None,
                    (),
                    f"maps one tracking sheet, but {len(sheets)} were given ({labels}); import "
                    "them one at a time.",
                )
            ]
        return _SheetMapper(self, sheets[0]).tables()


class _Parser:
    def __init__(self, file: str, document: dict):
        self.file = file
        self.document = document
        self.problems: list[str] = []

    def fail(self, where: str, message: str) -> None:
        self.problems.append(f"{self.file}, {where}: {message}")

    def mapping(self) -> Mapping:
        for section in self.document:
            if section not in _SECTIONS:
                self.fail(
                    f"[{section}]",
                    f"is not a section of a mapping ({', '.join(sorted(_SECTIONS))}).",
                )
        header = self.section("mapping")
        for key in ("name", "version", "row_id"):
            if not isinstance(header.get(key), str) or not header.get(key).strip():
                self.fail(f"[mapping] {key}", "is required, as text.")
        operation = self.section("operation")
        lead = operation.get("lead_agency")
        if not isinstance(lead, str) or not lead.strip():
            self.fail("[operation] lead_agency", "is required: the name of the agency that led.")
        agencies = [(str(lead), "lead")]
        for position, other in enumerate(operation.get("other_agencies", []), start=1):
            if not isinstance(other, dict) or set(other) != {"agency", "part"}:
                self.fail(
                    f"[operation] other_agencies entry {position}",
                    'must be { agency = "…", part = "…" }.',
                )
            else:
                agencies.append((str(other["agency"]), str(other["part"])))
        constants = {key: value for key, value in operation.items() if key not in _OPERATION_EXTRA}
        self.check_columns("operation", "operations", constants, allow_columns=False)
        encounter = self.section("encounter")
        self.check_columns("encounter", "encounters", encounter)
        role = self.section("role")
        self.check_columns("role", "role_assessments", role)
        records = []
        for table, _ in _RECORD_SECTIONS.items():
            entries = self.document.get(table, [])
            if not isinstance(entries, list):
                self.fail(f"[{table}]", f"must be written [[{table}]], one entry per record.")
                continue
            for position, entry in enumerate(entries, start=1):
                where = f"[[{table}]] entry {position}"
                when = self.condition(where, entry.pop("when", None))
                self.check_columns(where, table, entry)
                records.append(RecordRule(table, when, self.values(where, entry)))
        if self.problems:
            raise MappingError(self.problems)
        return Mapping(
            file=self.file,
            name=header["name"].strip(),
            version=header["version"].strip(),
            row_id=header["row_id"].strip(),
            operation={key: _text(value) for key, value in constants.items()},
            agencies=agencies,
            encounter=self.values("[encounter]", encounter),
            role=self.values("[role]", role),
            records=records,
        )

    def section(self, name: str) -> dict:
        section = self.document.get(name)
        if not isinstance(section, dict):
            self.fail(f"[{name}]", "is missing; every mapping has it.")
            return {}
        return dict(section)

    def check_columns(self, where: str, table: str, cells: dict, allow_columns=True) -> None:
        names = TABLES_BY_NAME[table].column_names
        linked = {"operation_code", "encounter_code"} if table != "operations" else set()
        for key, value in cells.items():
            if key not in names or key in linked:
                allowed = [name for name in names if name not in linked]
                self.fail(
                    f"{where} {key}",
                    f"is not a column of {table} that a mapping sets; use {', '.join(allowed)}.",
                )
            elif isinstance(value, dict) and not allow_columns:
                self.fail(f"{where} {key}", "must be a constant, the same for the whole sheet.")

    def values(self, where: str, cells: dict) -> dict[str, object]:
        values = {}
        for key, value in cells.items():
            if isinstance(value, dict):
                column, known = value.get("column"), value.get("values")
                if (
                    not isinstance(column, str)
                    or not isinstance(known, dict)
                    or set(value)
                    - {
                        "column",
                        "values",
                    }
                ):
                    self.fail(
                        f"{where} {key}",
                        'must be a constant or { column = "…", values = { cell = "code", … } }.',
                    )
                    continue
                values[key] = FromColumn(column, {str(k): _text(v) for k, v in known.items()})
            else:
                values[key] = _text(value)
        return values

    def condition(self, where: str, when) -> Condition | None:
        if when is None:
            return None
        if (
            not isinstance(when, dict)
            or not isinstance(when.get("column"), str)
            or not isinstance(when.get("equals"), str)
            or set(when) - {"column", "equals", "otherwise"}
        ):
            self.fail(
                f"{where} when",
                'must be { column = "…", equals = "…", otherwise = ["…", …] }.',
            )
            return None
        return Condition(when["column"], when["equals"], tuple(when.get("otherwise", ["N"])))


def _text(value) -> str:
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, datetime.date):
        return value.isoformat()
    return str(value)


class _SheetMapper:
    def __init__(self, mapping: Mapping, sheet):
        self.mapping = mapping
        self.sheet = sheet
        self.problems: list[Problem] = []
        self.header = [cell.strip() for cell in sheet.rows[0]]

    def tables(self) -> tuple[dict[str, TableInput], list[Problem]]:
        mapping, label = self.mapping, self.sheet.label
        missing = sorted(column for column in mapping.columns_used if column not in self.header)
        if missing:
            return {}, [
                Problem(
                    label,
                    1,
                    tuple(missing),
                    f"the mapping {mapping.file} reads these columns, which the sheet does not "
                    f"have (it has {', '.join(self.header)}).",
                )
            ]
        code = mapping.operation.get("operation_code", "")
        rows: dict[str, list[tuple[int, dict[str, str]]]] = {
            # A mapping names agencies already in the database; it never creates one.
            "agencies": [],
            "operations": [(1, mapping.operation)],
            "operation_agencies": [
                (1, {"operation_code": code, "agency": agency, "part": part})
                for agency, part in mapping.agencies
            ],
        }
        seen_ids: dict[str, int] = {}
        for number, cells in self.sheet.numbered_rows:
            raw = dict(zip(self.header, [cell.strip() for cell in cells], strict=False))
            if not any(raw.values()):
                continue
            row_id = raw.get(mapping.row_id, "")
            if not row_id:
                self.report(number, mapping.row_id, "is empty; every row needs its own id.")
                continue
            if row_id in seen_ids:
                self.report(number, mapping.row_id, f"{row_id!r} repeats row {seen_ids[row_id]}.")
                continue
            seen_ids[row_id] = number
            self.map_row(number, raw, code, rows)
        tables = {}
        for table, table_rows in rows.items():
            header = list(dict.fromkeys(name for _, row in table_rows for name in row))
            header = header or TABLES_BY_NAME[table].column_names
            tables[table] = TableInput(
                mapping.file if table in _FROM_MAPPING else f"{label} (as {table})",
                header,
                [(number, [row.get(name, "") for name in header]) for number, row in table_rows],
            )
        return tables, self.problems

    def map_row(self, number: int, raw: dict[str, str], operation_code: str, rows) -> None:
        """The row's records, or none when any cell is unknown; every unknown cell is reported."""
        encounter = self.cells(number, raw, self.mapping.encounter)
        role = self.cells(number, raw, self.mapping.role)
        records = []
        for rule in self.mapping.records:
            if rule.when and not self.holds(number, raw, rule.when):
                continue
            records.append((rule.table, self.cells(number, raw, rule.cells)))
        if encounter is None or role is None or any(cells is None for _, cells in records):
            return
        code = new_code("E")
        day = encounter.get("encountered_on", "")
        rows.setdefault("encounters", []).append(
            (number, {"encounter_code": code, "operation_code": operation_code, **encounter})
        )
        rows.setdefault("role_assessments", []).append(
            (
                number,
                {"encounter_code": code, "stage": "at_encounter", "assessed_on": day, **role},
            )
        )
        for table, cells in records:
            rows.setdefault(table, []).append(
                (number, {"encounter_code": code, _RECORD_SECTIONS[table]: day, **cells})
            )

    def holds(self, number: int, raw: dict[str, str], when: Condition) -> bool:
        cell = raw.get(when.column, "")
        if cell == when.equals:
            return True
        if cell not in when.otherwise:
            known = ", ".join(repr(value) for value in (when.equals, *when.otherwise))
            self.report(
                number,
                when.column,
                f"{cell!r} is neither of the cells the mapping knows ({known}); add it to "
                f"'otherwise' in {self.mapping.file} if it means no, or correct the sheet.",
            )
        return False

    def cells(self, number: int, raw: dict[str, str], spec: dict) -> dict[str, str] | None:
        cells, ok = {}, True
        for name, value in spec.items():
            if not isinstance(value, FromColumn):
                cells[name] = value
                continue
            cell = raw.get(value.column, "")
            if cell not in value.values:
                known = ", ".join(repr(key) for key in value.values)
                self.report(
                    number,
                    value.column,
                    f"{cell!r} is not a cell the mapping knows for {name} ({known}); add it "
                    f"to the mapping {self.mapping.file} or correct the sheet.",
                )
                ok = False
                continue
            cells[name] = value.values[cell]
        return cells if ok else None

    def report(self, number: int, column: str, message: str) -> None:
        # The same cell is read by several rules; it is reported once.
        problem = Problem(self.sheet.label, number, (column,), message)
        if problem not in self.problems:
            self.problems.append(problem)
