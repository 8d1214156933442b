"""Read the tables of a text PDF (a printed spreadsheet, an exported report) into ``RawTable``s.

Every table on every page becomes one ``RawTable`` named "file.pdf, page 3, table 1", its cells
the text as printed, so the audit reads it exactly as the same table in CSV. Each cell keeps the
page and the box it was printed in (``CellPlace``), so a finding can say where its figure is.

Tables are found by their ruling lines (pdfplumber's "lines" strategy), as spreadsheet printouts
and report exports draw them. Guessing columns from the gaps between words is not attempted: on a
borderless table it splits and merges cells silently, and a wrong cell is worse than none.

A table that runs over a page break, with its header row printed again at the top of the next
page, is one table, as it would be in the CSV the agency printed it from: it is read as one,
the repeated header dropped. Only a table with nothing printed below it continues, and only on
a page with nothing printed above it: a report of one table per agency, each titled and all
with the same header, stays one table per page.

A PDF without a text layer (a scan) is read by OCR (``ocr``), which finds its rules in the page
images and reads each cell inside them. An encrypted or damaged PDF, and one with no table, is
refused in words that say what to do.
"""

import io
import logging
from collections.abc import Callable
from dataclasses import dataclass

import pdfplumber
from pdfminer.pdfdocument import PDFEncryptionError, PDFPasswordIncorrect
from pdfplumber.utils.exceptions import PdfminerException

from .sheets import CellPlace, RawTable, ScanAllowance, SheetError, trimmed_with

_TABLE_SETTINGS = {"vertical_strategy": "lines", "horizontal_strategy": "lines"}


@dataclass
class _Found:
    """One table as found on one page, before continuations are joined."""

    page: int
    index: int
    cells: list[list[str]]
    places: list[list[CellPlace | None]]
    # Nothing is printed above it on its first page, or below it on its last page.
    opens_page: bool
    closes_page: bool


def read_pdf(name: str, content: bytes, scans: ScanAllowance | None = None) -> list[RawTable]:
    # pdfminer warns on every odd object of a damaged file; the refusal below says it once.
    logging.getLogger("pdfminer").setLevel(logging.ERROR)
    try:
        with pdfplumber.open(io.BytesIO(content)) as pdf:
            found, has_text, has_images = tables_on_pages(pdf)
    except PdfminerException as error:
        cause = error.args[0] if error.args else None
        if isinstance(cause, PDFPasswordIncorrect | PDFEncryptionError):
            raise SheetError(
                f"{name} is an encrypted PDF that needs a password to open; ask the agency for "
                "a copy without a password, or open it, print it to a new PDF and give that."
            ) from None
        raise _damaged(name) from None
    except Exception:
        # pdfminer raises many kinds of error on a damaged file, from its own parser and from
        # Python's (KeyError, TypeError, ...) deep inside a page; all mean the same thing here.
        raise _damaged(name) from None
    if not has_text:
        if has_images:
            # Imported here: ocr builds on this module.
            from .ocr import read_scan

            return read_scan(name, content, scans)
        raise SheetError(f"{name} has no text: its pages are blank.")
    return tables_found(name, found)


def tables_found(name: str, found: list[_Found]) -> list[RawTable]:
    """The tables of a PDF from those found on its pages (``tables_on_pages``)."""
    tables = [_raw_table(name, table) for table in _joined(found)]
    # A box drawn around a heading or a paragraph is a grid of one cell, or one row or column:
    # it holds no figures by period or group, and is not a table of the report.
    tables = [t for t in tables if len(t.cells) >= 2 and len(t.cells[0]) >= 2]
    if not tables:
        raise SheetError(
            f"{name} has no table this audit can read: a table is found by the lines drawn around "
            "its cells, and no grid of at least two rows and two columns is drawn in it; ask the "
            "agency for the table as CSV or XLSX."
        )
    return tables


def _damaged(name: str) -> SheetError:
    return SheetError(
        f"{name} is a damaged PDF that cannot be read (it may be cut short or not a PDF at all); "
        "download or export it again and retry."
    )


def tables_on_pages(
    pdf, settings_for: Callable[..., dict] | None = None
) -> tuple[list[_Found], bool, bool]:
    """The tables on each page, and whether the PDF has text and images. ``settings_for(page)``
    gives the table settings of a page whose rules are not drawn as lines (a scan's, ``ocr``)."""
    found: list[_Found] = []
    has_text = has_images = False
    for page in pdf.pages:
        printed = [char for char in page.chars if char["text"].strip()]
        has_text = has_text or bool(printed)
        has_images = has_images or bool(page.images)
        settings = settings_for(page) if settings_for else _TABLE_SETTINGS
        for index, table in enumerate(page.find_tables(settings), start=1):
            _, top, _, bottom = table.bbox
            texts = table.extract()
            cells = [[_cell_text(text) for text in row] for row in texts]
            places = [
                [
                    CellPlace(page.page_number, _box(box)) if box is not None else None
                    for box in row.cells
                ]
                for row in table.rows
            ]
            found.append(
                _Found(
                    page.page_number,
                    index,
                    cells,
                    places,
                    opens_page=not any(char["bottom"] <= top for char in printed),
                    closes_page=not any(char["top"] >= bottom for char in printed),
                )
            )
        # A page's parsed objects are kept until the file is closed; a long report needs them
        # dropped as it goes.
        page.close()
    return found, has_text, has_images


def _cell_text(text: str | None) -> str:
    """A cell as one line: a cell's text wrapped over several printed lines is one value."""
    return " ".join((text or "").split())


def _box(box: tuple[float, float, float, float]) -> tuple[float, float, float, float]:
    x0, top, x1, bottom = box
    return (round(x0, 1), round(top, 1), round(x1, 1), round(bottom, 1))


def _joined(found: list[_Found]) -> list[_Found]:
    """Join a table to the one it continues: a table at the top of the next page that begins
    with the same header row, the previous one being at the bottom of its page."""
    joined: list[_Found] = []
    for table in found:
        previous = joined[-1] if joined else None
        if (
            previous is not None
            and previous.closes_page
            and table.opens_page
            and table.page == _last_page(previous) + 1
            and table.cells
            and previous.cells
            and table.cells[0] == previous.cells[0]
            and any(table.cells[0])
        ):
            previous.cells.extend(table.cells[1:])
            previous.places.extend(table.places[1:])
            previous.closes_page = table.closes_page
            continue
        joined.append(table)
    return joined


def _last_page(table: _Found) -> int:
    return max(place.page for row in table.places for place in row if place is not None)


def _raw_table(name: str, table: _Found) -> RawTable:
    cells, places, first_line = trimmed_with(table.cells, table.places)
    last = _last_page(table)
    pages = f"page {table.page}" if last == table.page else f"pages {table.page}–{last}"
    return RawTable(
        file=name,
        sheet=f"{pages}, table {table.index}",
        cells=cells,
        first_line=first_line,
        places=places,
    )
