"""CSV files that a spreadsheet opens as data, never as formulas.

Names typed by users (an operation, an agency, an organisation) reach the CSV files the system
writes, public ones included. Excel, LibreOffice and Google Sheets run a cell that begins with
``=``, ``+``, ``-`` or ``@`` as a formula, and treat a leading tab or carriage return alike, so a
name such as ``=HYPERLINK(…)`` or ``@SUM(1+1)*cmd|' /C calc'!A0`` would run on a reader's machine
(OWASP, "CSV Injection"). Such a cell is written with a leading apostrophe, which spreadsheets
read as "this is text" and do not show. A plain number (``-3``, ``+1.5``) is left as it is: it is
read as a number, not run.
"""

import csv
import re
from collections.abc import Iterable
from typing import Any

FORMULA_TRIGGERS = ("=", "+", "-", "@", "\t", "\r")
_PLAIN_NUMBER = re.compile(r"[+-]?\d+(\.\d+)?")
NOTE = (
    "A text cell that begins with =, +, -, @, a tab or a carriage return is written with a "
    "leading apostrophe (') so that a spreadsheet shows it as text instead of running it as a "
    "formula; remove the apostrophe to get the text as entered. Numbers are written as they are."
)


def neutralise(value: Any) -> Any:
    """The cell as a spreadsheet may open it safely."""
    if (
        isinstance(value, str)
        and value.startswith(FORMULA_TRIGGERS)
        and not _PLAIN_NUMBER.fullmatch(value)
    ):
        return f"'{value}"
    return value


class _Writer:
    def __init__(self, writer):
        self._writer = writer

    def writerow(self, row: Iterable[Any]):
        return self._writer.writerow([neutralise(value) for value in row])

    def writerows(self, rows: Iterable[Iterable[Any]]) -> None:
        for row in rows:
            self.writerow(row)


class _DictWriter(csv.DictWriter):
    def writerow(self, rowdict):
        return super().writerow({key: neutralise(value) for key, value in rowdict.items()})

    def writerows(self, rowdicts):
        for row in rowdicts:
            self.writerow(row)


def writer(output, **options) -> _Writer:
    """``csv.writer`` whose every cell is neutralised."""
    return _Writer(csv.writer(output, **options))


def dict_writer(output, fieldnames, **options) -> csv.DictWriter:
    """``csv.DictWriter`` whose every value is neutralised."""
    return _DictWriter(output, fieldnames, **options)
