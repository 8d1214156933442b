"""Exchange records as newline-delimited JSON: one record per line, the way agency systems send them
through the API (``application/x-ndjson``), or a ``.ndjson`` file at the command line.

Each line is a JSON object naming its exchange table and giving that table's columns:

    {"table": "encounters", "encounter_code": "E-7K3M-9QX2", "operation_code": "OP-…", …}

The lines become the same exchange tables a set of CSV files gives, so the loader applies the
same checks and the same messages; a problem names the line it is on (``row`` is the line
number). Values are JSON strings, numbers or null; a column holding several codes
(``race_ethnicity``, ``prosecuted_for``) takes a list of codes. A line that cannot be read is
reported once: the tables it may belong to are incomplete, so that the loader does not also
report every row that names it as naming nothing.
"""

import json
from collections import defaultdict

from beyondraid.standard.exchange import TABLES, TABLES_BY_NAME
from beyondraid.standard.loading import Problem, TableInput

SUFFIXES = (".ndjson", ".jsonl")


def _cell(value) -> str | None:
    """A JSON value as the text a CSV cell would hold; None when it cannot be one."""
    if value is None:
        return ""
    if isinstance(value, bool):
        return None
    if isinstance(value, str | int | float):
        return str(value)
    if isinstance(value, list) and all(isinstance(item, str) for item in value):
        return ";".join(value)
    return None


def tables_of_ndjson(
    name: str, content: bytes
) -> tuple[dict[str, TableInput], list[Problem], set[str]]:
    """The exchange tables the lines of ``content`` give, the problems of lines that cannot be
    read, and the tables those lines leave incomplete (every table, for a line whose table cannot
    be told); each table is labelled ``name (table)`` so that problems say which."""
    problems: list[Problem] = []
    every_table = {table.name for table in TABLES}
    try:
        text = content.decode("utf-8-sig")
    except UnicodeDecodeError as error:
        line = content[: error.start].count(b"\n") + 1
        return (
            {},
            [
                Problem(
                    "",
                    None,
                    (),
                    f"{name} is not UTF-8 text: line {line} has a character in another encoding, "
                    "such as Latin-1 or Windows-1252; have the system write it as UTF-8, as JSON "
                    "requires.",
                )
            ],
            every_table,
        )
    if not text.strip():
        # An empty file is a mistake to name, not a load whose every table is missing.
        return (
            {},
            [Problem("", None, (), f"{name} is empty; give one record a line, as a JSON object.")],
            every_table,
        )
    rows: dict[str, list[tuple[int, dict[str, str]]]] = defaultdict(list)
    incomplete: set[str] = set()
    for number, line in enumerate(text.splitlines(), start=1):
        if not line.strip():
            continue
        try:
            record = json.loads(line)
        except ValueError as error:
            problems.append(
                Problem(
                    name, number, (), f"is not a JSON object ({error.msg}, column {error.colno})."
                )
            )
            incomplete |= every_table
            continue
        if not isinstance(record, dict):
            problems.append(Problem(name, number, (), "is not a JSON object; give one per line."))
            incomplete |= every_table
            continue
        table = TABLES_BY_NAME.get(record.pop("table", None))
        if table is None:
            incomplete |= every_table
            problems.append(
                Problem(
                    name,
                    number,
                    ("table",),
                    f'names no table of the exchange format; give "table" as one of: '
                    f"{', '.join(TABLES_BY_NAME)}.",
                )
            )
            continue
        cells, bad = {}, False
        for key, value in record.items():
            if key not in table.column_names:
                problems.append(
                    Problem(
                        name,
                        number,
                        (key,),
                        f"not a column of {table.name}; its columns are: "
                        f"{', '.join(table.column_names)}.",
                    )
                )
                bad = True
                continue
            cell = _cell(value)
            if cell is None:
                problems.append(
                    Problem(
                        name,
                        number,
                        (key,),
                        "must be a string, a number, null, or a list of codes.",
                    )
                )
                bad = True
                continue
            cells[key] = cell
        if bad:
            incomplete.add(table.name)
        else:
            rows[table.name].append((number, cells))
    inputs = {}
    for table in TABLES:
        if table.name not in rows:
            continue
        # Every column of the table is in the header, so a value left out is an empty cell and
        # a required one is reported on the line that leaves it out.
        header = table.column_names
        inputs[table.name] = TableInput(
            f"{name} ({table.name})",
            header,
            [
                (number, [cells.get(column, "") for column in header])
                for number, cells in rows[table.name]
            ],
        )
    return inputs, problems, incomplete
