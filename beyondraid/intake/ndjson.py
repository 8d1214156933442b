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

No line may nest lists and objects deeper than ``MAX_DEPTH``. A record of the standard nests
three levels at most (an operation, its list of participants, each participant), while Python's
JSON decoder, and the ``repr`` of a value in an error message, recurse once per level: a line
nested a thousand levels deep would end the import in a ``RecursionError`` instead of a problem
naming the line. The API refuses JSON bodies beyond the same depth (``api.parsers``).
"""

import json
import sys
from collections import defaultdict

from beyondraid.standard.exchange import TABLES, TABLES_BY_NAME
from beyondraid.standard.loading import Problem, TableInput

SUFFIXES = (".ndjson", ".jsonl")
# Ten times what any record needs; no level of a valid record comes near it.
MAX_DEPTH = 30
TOO_DEEP = (
    f"nests lists and objects more than {MAX_DEPTH} levels deep; a record of the standard needs "
    "three at most."
)


class _NestsTooDeep(ValueError):
    """JSON that nests lists and objects deeper than ``MAX_DEPTH``."""


def nests_too_deep(value) -> bool:
    """Whether a decoded JSON value nests deeper than ``MAX_DEPTH``, found without recursion."""
    pending = [(value, 1)]
    while pending:
        item, depth = pending.pop()
        if isinstance(item, dict):
            children = item.values()
        elif isinstance(item, list):
            children = item
        else:
            continue
        if depth > MAX_DEPTH:
            return True
        pending.extend((child, depth + 1) for child in children)
    return False


def _decoded(line: str):
    """The JSON value of one line; ``_NestsTooDeep`` when it nests deeper than ``MAX_DEPTH`` (the
    decoder gives up, or would leave a value too deep to handle), or another ``ValueError`` when
    it is not JSON."""
    try:
        value = json.loads(line)
    except RecursionError:
        raise _NestsTooDeep(TOO_DEEP) from None
    if nests_too_deep(value):
        raise _NestsTooDeep(TOO_DEEP)
    return value


def lines_nesting_too_deep(name: str, content: bytes) -> list[Problem]:
    """A problem for each line of ``content`` that nests deeper than ``MAX_DEPTH``, numbered as
    ``tables_of_ndjson`` numbers lines, for a caller that refuses such lines before reading the
    records (the API). A line that is not JSON at all, or a file that is not UTF-8 text, is left
    for ``tables_of_ndjson`` to name."""
    if content.count(b"[") + content.count(b"{") <= MAX_DEPTH:
        return []  # too few brackets to nest that deep: most files, known without decoding
    try:
        text = content.decode("utf-8-sig")
    except UnicodeDecodeError:
        return []
    problems = []
    for number, line in enumerate(text.splitlines(), start=1):
        if line.count("[") + line.count("{") <= MAX_DEPTH:
            continue
        try:
            _decoded(line)
        except _NestsTooDeep:
            problems.append(Problem(name, number, (), TOO_DEEP))
        except ValueError:
            continue
    return problems


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


def _why_unreadable(error: ValueError) -> str:
    """What is wrong with a line that ``_decoded`` refused."""
    if isinstance(error, json.JSONDecodeError):
        return f"is not a JSON object ({error.msg}, column {error.colno})."
    if isinstance(error, _NestsTooDeep):
        return TOO_DEEP
    # Python refuses to read a whole number of thousands of digits, which takes quadratic time
    # (``sys.get_int_max_str_digits``); it says so as a bare ValueError.
    return (
        f"holds a number of more than {sys.get_int_max_str_digits():,} digits; no value of a "
        "record is that long."
    )


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
            record = _decoded(line)
        except ValueError as error:
            problems.append(Problem(name, number, (), _why_unreadable(error)))
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
