"""Frictionless Table Schemas for the exchange tables, and validation of exchange files with them.

The schemas are built from ``exchange.TABLES`` and written to ``schemas/`` by
``beyondraid dictionary``; ``schemas/datapackage.json`` inlines them all, so that copying it next
to a set of exchange CSV files and running ``frictionless validate datapackage.json`` checks them
without this system. Inside the system, ``validate_exchange_directory`` does the same check and
turns frictionless' error objects into sentences naming the file, the row, the column and the fix.

Columns are matched by name (``fieldsMatch: equal``): every column of a table must be in its file,
in any order, and no other column may be.
"""

import csv
import re
from collections.abc import Iterable
from pathlib import Path

import frictionless

from .exchange import TABLES, TABLES_BY_NAME, Column, Table
from .vocabulary import Vocabulary, vocabulary

SCHEMA_DIR = Path(__file__).resolve().parent / "schemas"
PACKAGE_FILE = "datapackage.json"

# Codes without a vocabulary of their own (statute codes) are slugs.
_SLUG = r"[-A-Za-z0-9_]+"
_TYPE_HINTS = {
    "date": "is not a date; write dates as YYYY-MM-DD, for example 2020-10-12",
    "integer": "is not a whole number; write digits only, for example 120",
    "number": "is not a number; write digits with a point for decimals, for example 1250.50",
}
_CONSTRAINT = re.compile(r'constraint "(\w+)"')


def file_name(table: Table) -> str:
    return f"{table.name}.csv"


def _list_pattern(vocab: Vocabulary | None) -> str:
    """A regex for codes separated by semicolons; a term marked ``exclusive`` stands alone."""
    if vocab is None:
        return rf"^{_SLUG}(?:;{_SLUG})*$"
    alone = vocab.codes_where("exclusive", True)
    combinable = "|".join(re.escape(code) for code in vocab.codes if code not in alone)
    choices = [f"(?:{combinable})(?:;(?:{combinable}))*", *(re.escape(code) for code in alone)]
    return "^(?:" + "|".join(choices) + ")$"


def field_descriptor(column: Column) -> dict:
    constraints: dict = {"required": column.required}
    vocab = vocabulary(column.vocabulary) if column.vocabulary else None
    if column.list_of_codes:
        constraints["pattern"] = _list_pattern(vocab)
    elif vocab is not None:
        constraints["enum"] = list(vocab.codes)
    if column.pattern:
        constraints["pattern"] = column.pattern
    return {
        "name": column.name,
        "type": column.type,
        "description": column.description,
        "constraints": constraints,
    }


def table_schema(table: Table) -> dict:
    schema: dict = {
        "name": table.name,
        "title": table.title,
        "description": table.description,
        "fields": [field_descriptor(column) for column in table.columns],
        "fieldsMatch": "equal",
        "missingValues": [""],
    }
    if table.primary_key:
        schema["primaryKey"] = list(table.primary_key)
    foreign_keys = [
        {
            "fields": [column.name],
            "reference": {"resource": column.references[0], "fields": [column.references[1]]},
        }
        for column in table.columns
        if column.references
    ]
    if foreign_keys:
        schema["foreignKeys"] = foreign_keys
    return schema


def _resource(table: Table, schema: dict) -> dict:
    return {
        "name": table.name,
        "title": table.title,
        "path": file_name(table),
        "format": "csv",
        "mediatype": "text/csv",
        "encoding": "utf-8",
        "schema": schema,
    }


def data_package() -> dict:
    return {
        "name": "beyondraid-exchange",
        "title": "Beyond the Raid exchange tables",
        "description": (
            "The CSV tables agencies exchange under the Beyond the Raid data standard. Put this "
            "file next to the CSV files and run `frictionless validate datapackage.json`; a "
            "table with no rows still needs its file, with the header row alone. Every column "
            "of a table must be present, in any order. The data dictionary is docs/standard.md."
        ),
        "resources": [_resource(table, table_schema(table)) for table in TABLES],
    }


def _read_header(path: Path) -> tuple[list[str] | None, str | None]:
    """The file's column names, or a sentence saying why they cannot be read."""
    try:
        with path.open(encoding="utf-8-sig", newline="") as handle:
            header = next(csv.reader(handle), None)
    except UnicodeDecodeError:
        return None, f"{path.name} is not UTF-8 text; save it as 'CSV UTF-8' and try again."
    except csv.Error as error:
        return None, f"{path.name} is not a readable CSV file ({error})."
    if not header or not any(label.strip() for label in header):
        return None, f"{path.name} is empty; its first row must name the columns."
    repeated = sorted({label for label in header if header.count(label) > 1})
    if repeated:
        return None, f"{path.name}: the column(s) {', '.join(repeated)} appear more than once."
    return header, None


def validate_exchange_directory(path: Path | str) -> list[str]:
    """Check every exchange CSV file in a directory against the Table Schemas.

    Returns plain-language messages, in table order then row order; an empty list means the
    files are valid. Rows are numbered as in a spreadsheet: the header is row 1.
    """
    directory = Path(path)
    if not directory.is_dir():
        return [f"{directory} is not a directory."]
    messages: list[str] = []
    known = [file_name(table) for table in TABLES]
    for extra in sorted(p.name for p in directory.glob("*.csv") if p.name not in known):
        messages.append(
            f"{extra} is not an exchange table; the files are named {', '.join(known)}."
        )
    headers: dict[str, list[str]] = {}
    unreadable: set[str] = set()
    for table in TABLES:
        candidate = directory / file_name(table)
        if not candidate.is_file():
            continue
        header, problem = _read_header(candidate)
        if problem:
            messages.append(problem)
            unreadable.add(table.name)
        else:
            headers[table.name] = header
    if not headers:
        if not unreadable:
            messages.append(f"{directory} holds none of the exchange files ({', '.join(known)}).")
        return messages
    resources = []
    for table in TABLES:
        if table.name not in headers:
            continue
        schema = table_schema(table)
        schema["foreignKeys"] = _checkable_foreign_keys(
            table, schema.get("foreignKeys", []), headers, unreadable, messages
        )
        resources.append(_resource(table, schema))
    package = frictionless.Package({"resources": resources}, basepath=str(directory))
    report = package.validate()
    for task in report.tasks:
        table = TABLES_BY_NAME[task.name]
        messages.extend(_plain(table, headers[table.name], error) for error in task.errors)
    messages.extend(_plain_general(error) for error in report.errors)
    return list(dict.fromkeys(message for message in messages if message))


def _checkable_foreign_keys(
    table: Table,
    foreign_keys: list[dict],
    headers: dict[str, list[str]],
    unreadable: set[str],
    messages: list[str],
) -> list[dict]:
    """Keep the references that can be followed; say why the others cannot."""
    kept = []
    for key in foreign_keys:
        (column,) = key["fields"]
        target = key["reference"]["resource"]
        (target_column,) = key["reference"]["fields"]
        if column not in headers[table.name]:
            continue
        if target in unreadable:
            continue
        if target not in headers:
            messages.append(
                f"{table.name}.csv: column {column} refers to {target}.csv, which is not in the "
                f"directory; add it so that the references can be checked."
            )
            continue
        if target_column in headers[target]:
            kept.append(key)
    return kept


def _values(cells: Iterable) -> str:
    return ", ".join(f"'{cell}'" for cell in cells)


def _plain(table: Table, header: list[str], error: frictionless.Error) -> str | None:
    where = file_name(table)
    row = getattr(error, "row_number", None)
    field = getattr(error, "field_name", None)
    if error.type == "missing-label":
        return (
            f"{where}: the column {field} is missing; every column of the {table.name} table "
            "must be in the header (in any order), even when its cells are empty."
        )
    if error.type == "extra-label":
        return (
            f"{where}: the column '{error.label}' is not part of the {table.name} table; "
            f"remove it, or rename it to one of: {', '.join(table.column_names)}."
        )
    if error.type == "blank-label":
        return f"{where}: column {error.field_number} has no name in the header row."
    if error.type == "blank-row":
        return f"{where} row {row} is empty; remove it."
    if error.type == "missing-cell":
        return f"{where} row {row} has fewer cells than the header; a comma may be missing."
    if error.type == "extra-cell":
        return f"{where} row {row} has more cells than the header; a comma may need quotes."
    if error.type == "type-error":
        column = table.columns[table.column_names.index(field)]
        hint = _TYPE_HINTS.get(column.type, f"is not a valid {column.type}")
        return f"{where} row {row}, column {field}: '{error.cell}' {hint}."
    if error.type == "constraint-error":
        column = table.columns[table.column_names.index(field)]
        return f"{where} row {row}, column {field}: {_broken_constraint(column, error)}"
    if error.type == "primary-key":
        return _duplicate_key(table, header, error, where)
    if error.type == "foreign-key":
        target = error.reference_name
        return (
            f"{where} row {row}, column {', '.join(error.field_names)}: "
            f"{_values(error.field_cells)} is not a {', '.join(error.reference_field_names)} "
            f"in {target}.csv; add that row to {target}.csv or correct the value."
        )
    if row:
        return f"{where} row {row}: {error.message}"
    return f"{where}: {error.message}"


def _broken_constraint(column: Column, error: frictionless.Error) -> str:
    found = _CONSTRAINT.search(error.note)
    constraint = found.group(1) if found else ""
    cell = error.cell
    if constraint == "required":
        return "a value is required, but the cell is empty."
    if constraint == "enum":
        vocab = vocabulary(column.vocabulary)
        return (
            f"'{cell}' is not one of the allowed codes of the {vocab.name} vocabulary; "
            f"use one of: {', '.join(vocab.codes)}."
        )
    if constraint == "pattern" and column.list_of_codes:
        return _bad_code_list(column, cell)
    if constraint == "pattern" and column.secret:
        return f"the cell is not a person link: {column.hint}."
    if constraint == "pattern":
        return f"'{cell}' is not in the expected form; it must match {column.pattern}."
    return f"'{cell}' breaks the rule {error.note}."


def _bad_code_list(column: Column, cell: str) -> str:
    if column.vocabulary is None:
        return (
            f"'{cell}' is not a list of codes separated by semicolons (each code uses only "
            "letters, digits, hyphens and underscores, with no spaces)."
        )
    vocab = vocabulary(column.vocabulary)
    codes = cell.split(";")
    unknown = [code for code in codes if code not in vocab.codes]
    if unknown:
        return (
            f"'{cell}' has codes that are not in the {vocab.name} vocabulary ({_values(unknown)}); "
            f"write codes from {', '.join(vocab.codes)}, separated by semicolons with no spaces."
        )
    alone = [code for code in codes if code in vocab.codes_where("exclusive", True)]
    if alone:
        return f"'{alone[0]}' cannot be combined with other codes; give it alone."
    return f"'{cell}' is not a list of {vocab.name} codes separated by semicolons."


def _duplicate_key(table: Table, header: list[str], error: frictionless.Error, where: str):
    key = list(table.primary_key)
    positions = [header.index(name) for name in key if name in header]
    values = [error.cells[i] for i in positions if i < len(error.cells)]
    # A missing or empty key cell has already been reported on its own.
    if len(values) < len(key) or not all(values):
        return None
    return (
        f"{where} row {error.row_number}: another row has the same {', '.join(key)} "
        f"({_values(values)}); each row needs its own."
    )


def _plain_general(error: frictionless.Error) -> str:
    return f"The exchange files could not be checked: {error.message}"
