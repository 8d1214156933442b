"""Read released sheets (CSV, TSV, XLSX, PDF, scanned image) into tables of raw text cells, one
table per sheet (per table of a PDF, ``pdf_tables``; of a scan, read by OCR, ``ocr``).

Nothing here interprets a cell: a number stays the text the agency released (``"1,234"``,
``"N/A"``, ``""``), so that the audit can report notations, blanks and footnote markers exactly
as printed. The kind of file is told by its extension; a file that cannot be read raises
``SheetError`` with one sentence naming the file and what to do with it. The audit and the import
both read sheets here, so a message says how to mend the file, not which command to run next.
"""

import csv
import datetime
import io
import zipfile
from dataclasses import dataclass
from pathlib import Path, PurePath

from openpyxl import load_workbook
from openpyxl.utils.exceptions import InvalidFileException

TEXT_DELIMITERS = {".csv": ",", ".tsv": "\t"}
SPREADSHEET_SUFFIXES = {".xlsx", ".xlsm"}
READABLE_SUFFIXES = (*TEXT_DELIMITERS, ".txt", *sorted(SPREADSHEET_SUFFIXES))
# The audit also reads the tables printed in a PDF, or scanned to an image and read by OCR; the
# import of records does not.
PDF_SUFFIX = ".pdf"
IMAGE_SUFFIXES = (".png", ".jpg", ".jpeg", ".tif", ".tiff")
AUDITABLE_SUFFIXES = (*READABLE_SUFFIXES, PDF_SUFFIX, *IMAGE_SUFFIXES)


class SheetError(ValueError):
    """A file that cannot be read as a table; the message is one plain sentence."""


@dataclass(frozen=True)
class CellPlace:
    """Where a cell of a PDF table is printed: its page (from 1) and its box in points,
    ``(x0, top, x1, bottom)`` from the top left corner of the page."""

    page: int
    box: tuple[float, float, float, float]

    def to_json(self) -> dict:
        return {"page": self.page, "box": list(self.box)}


@dataclass(frozen=True)
class RawTable:
    """One sheet as released: ``cells[r][c]`` is the text of row ``r``, column ``c``, every row
    padded to the same width, with fully empty rows and columns at the edges dropped.
    ``first_line`` is the spreadsheet row number of ``cells[0]``, so findings can point at it.
    A table read from a PDF also has ``places[r][c]``, where each cell is printed (None for a
    cell the table does not draw, such as padding); its ``sheet`` says which pages and table.
    A table read from a scan by OCR also has ``confidence[r][c]``, how sure the OCR is of each
    cell, 0 to 100 (None for a blank cell)."""

    file: str
    sheet: str | None
    cells: list[list[str]]
    first_line: int = 1
    places: list[list[CellPlace | None]] | None = None
    confidence: list[list[float | None]] | None = None

    @property
    def name(self) -> str:
        if self.places is not None:
            return f"{self.file}, {self.sheet}"
        return f"{self.file} [{self.sheet}]" if self.sheet else self.file


# The pages of scans one request to the site may have read by OCR. OCR reads about a page a
# second on a two-core server (docs/benchmarks.md), so a page of the site that waited on more
# would keep its reader waiting for minutes; the command line has no such limit.
SCAN_PAGES_PER_REQUEST = 30


class ScanAllowance:
    """How many pages of scans are left to read by OCR for one request to the site."""

    def __init__(self) -> None:
        self.limit = self.left = SCAN_PAGES_PER_REQUEST

    def take(self, name: str, pages: int) -> None:
        if pages > self.left:
            already = (
                f", and {self.limit - self.left} were already read for this request"
                if self.left < self.limit
                else ""
            )
            raise SheetError(
                f"{name} is a scan of {pages} page{'s' if pages != 1 else ''}, and the site reads "
                f"at most {self.limit} scanned pages at a time by OCR{already}; audit it on the "
                f"command line (`beyondraid audit {PurePath(name).name}`), which has no limit, or "
                "give fewer pages at a time."
            )
        self.left -= pages


def read_path(path: Path) -> list[RawTable]:
    try:
        content = path.read_bytes()
    except FileNotFoundError:
        raise SheetError(f"{path}: no such file.") from None
    except IsADirectoryError:
        raise SheetError(f"{path} is a folder; give the sheet files inside it.") from None
    except OSError as error:
        raise SheetError(f"{path} cannot be read: {error.strerror or error}.") from None
    return read_bytes(str(path), content)


def read_bytes(name: str, content: bytes, *, scans: ScanAllowance | None = None) -> list[RawTable]:
    """The tables of one file; a scan is read by OCR only within ``scans``, when given."""
    suffix = PurePath(name).suffix.lower()
    if suffix in SPREADSHEET_SUFFIXES:
        return _read_workbook(name, content)
    if suffix in TEXT_DELIMITERS or suffix == ".txt":
        return [_read_text(name, content, suffix)]
    if suffix == PDF_SUFFIX:
        # Imported here: pdf_tables builds on this module, and pdfplumber is loaded only when a
        # PDF is read.
        from .pdf_tables import read_pdf

        return read_pdf(name, content, scans)
    if suffix in IMAGE_SUFFIXES:
        from .ocr import read_image

        return read_image(name, content, scans)
    if suffix == ".xls":
        raise SheetError(
            f"{name} is an old Excel .xls file, which cannot be read; save it as .xlsx or CSV "
            "and give that file instead."
        )
    raise SheetError(
        f"{name} is not a sheet this audit reads; give CSV, TSV, XLSX, PDF or scanned image files "
        f"({', '.join(AUDITABLE_SUFFIXES)})."
    )


def _read_text(name: str, content: bytes, suffix: str) -> RawTable:
    if b"\x00" in content[:4096]:
        raise SheetError(f"{name} is not a text table (it holds binary data); give CSV or TSV.")
    try:
        text = content.decode("utf-8-sig")
    except UnicodeDecodeError as error:
        line = content[: error.start].count(b"\n") + 1
        raise SheetError(
            f"{name} is not UTF-8 text: line {line} has a character in another encoding, such "
            "as Latin-1 or Windows-1252, which older spreadsheet programs write. Save it as UTF-8 "
            "(in Excel: Save As, 'CSV UTF-8 (Comma delimited)'; in LibreOffice: Save As, 'Text "
            "CSV', character set 'Unicode (UTF-8)') and give that file instead."
        ) from None
    delimiter = TEXT_DELIMITERS.get(suffix)
    if delimiter is None:
        first_line = text.partition("\n")[0]
        delimiter = "\t" if "\t" in first_line else ","
    try:
        rows = list(csv.reader(io.StringIO(text, newline=""), delimiter=delimiter))
    except csv.Error as error:
        raise SheetError(f"{name} is not a well-formed table: {error}.") from None
    unclosed = _unclosed_quote(text, rows, delimiter)
    if unclosed is not None:
        raise SheetError(
            f"{name} is not a well-formed table: the quoted cell that starts on line {unclosed} "
            "has no closing quote, so the rest of the file would be read as that one cell; add "
            'the closing " or remove the opening one.'
        )
    cells, first_line = _trimmed([[cell.strip() for cell in row] for row in rows])
    if not cells:
        raise SheetError(f"{name} is empty: it has no cells.")
    return RawTable(file=name, sheet=None, cells=cells, first_line=first_line)


def _unclosed_quote(text: str, rows: list[list[str]], delimiter: str) -> int | None:
    """The line on which a quoted cell opens and never closes, or None.

    Python's reader takes everything after such a quote, to the end of the file, as one cell
    and says nothing. So the last cell read is that rest of the file: the text ends with the
    opening quote, then the cell with its quotes doubled, and the quote opens a cell (it follows
    a delimiter, a line break, or nothing). A cell closed at the end ends with its closing quote,
    which the cell read does not hold, so it cannot match.
    """
    if not rows or not rows[-1]:
        return None
    opened = '"' + rows[-1][-1].replace('"', '""')
    start = len(text) - len(opened)
    if not text.endswith(opened) or (start > 0 and text[start - 1] not in (delimiter, "\n", "\r")):
        return None
    return text.count("\n", 0, start) + 1


def _read_workbook(name: str, content: bytes) -> list[RawTable]:
    try:
        workbook = load_workbook(io.BytesIO(content), read_only=True, data_only=True)
    except (zipfile.BadZipFile, InvalidFileException, KeyError, OSError, ValueError):
        raise SheetError(
            f"{name} is not a readable XLSX workbook; open it in a spreadsheet program and "
            "save it again as .xlsx, or export each sheet as CSV."
        ) from None
    try:
        tables = []
        for worksheet in workbook.worksheets:
            rows = [
                [_cell_text(value) for value in row]
                for row in worksheet.iter_rows(values_only=True)
            ]
            cells, first_line = _trimmed(rows)
            tables.append(
                RawTable(file=name, sheet=worksheet.title, cells=cells, first_line=first_line)
            )
    except (zipfile.BadZipFile, KeyError, ValueError, TypeError):
        raise SheetError(f"{name} is a damaged XLSX workbook; save it again and retry.") from None
    finally:
        workbook.close()
    if not tables:
        raise SheetError(f"{name} has no sheets.")
    return tables


def _cell_text(value) -> str:
    """A spreadsheet value as the text a reader sees; a whole number stored as a float (1.0)
    reads as ``1``, as the sheet displays it."""
    if value is None:
        return ""
    if isinstance(value, bool):
        return "TRUE" if value else "FALSE"
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    if isinstance(value, datetime.datetime) and value.time() == datetime.time():
        return value.date().isoformat()
    if isinstance(value, datetime.date | datetime.datetime):
        return value.isoformat()
    return str(value).strip()


def _trimmed(rows: list[list[str]]) -> tuple[list[list[str]], int]:
    """Drop empty rows and columns at the edges and pad rows to one width; also return the line
    number of the first row kept."""
    cells, _, first_line = trimmed_with(rows, [[None] * len(row) for row in rows])
    return cells, first_line


def trimmed_with(
    rows: list[list[str]], places: list[list[CellPlace | None]]
) -> tuple[list[list[str]], list[list[CellPlace | None]], int]:
    """``_trimmed`` for cells with their places (``places[r][c]`` for ``rows[r][c]``), which are
    trimmed and padded alike."""
    first = 0
    while first < len(rows) and not any(rows[first]):
        first += 1
    rows, places = rows[first:], places[first:]
    last = len(rows)
    while last and not any(rows[last - 1]):
        last -= 1
    rows, places = rows[:last], places[:last]
    if not rows:
        return [], [], first + 1
    width = max(len(row) for row in rows)
    padded = [row + [""] * (width - len(row)) for row in rows]
    padded_places = [row + [None] * (width - len(row)) for row in places]
    used = [c for c in range(width) if any(row[c] for row in padded)]
    left, right = (used[0], used[-1] + 1) if used else (0, 0)
    return (
        [row[left:right] for row in padded],
        [row[left:right] for row in padded_places],
        first + 1,
    )
