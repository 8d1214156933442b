"""PDFs made in the tests as agencies make them: a table printed from a spreadsheet (each cell
ruled), a letter with no table, a scan (an image and no text), a printout scanned back, an
encrypted copy."""

import base64
import csv
import html
import io
import json
import re
from pathlib import Path
from typing import Any

import pdfplumber
import pytest
import weasyprint
from PIL import Image, ImageDraw

_STYLE = (
    "@page { size: letter; margin: 1in }"
    "table { border-collapse: collapse }"
    "td, th { border: 1px solid #000; padding: 2pt 4pt; font: 9pt sans-serif; text-align: left }"
)


def table_html(rows: list[list[str]], *, title: str = "", repeat_header: bool = False) -> str:
    """An HTML page with one ruled table; with ``repeat_header`` its first row is a ``thead``,
    which the printer repeats at the top of every page the table runs onto."""

    def row_html(row: list[str], tag: str = "td") -> str:
        cells = "".join(f"<{tag}>{html.escape(cell)}</{tag}>" for cell in row)
        return f"<tr>{cells}</tr>"

    head, body = (rows[:1], rows[1:]) if repeat_header else ([], rows)
    thead = f"<thead>{''.join(row_html(r, 'th') for r in head)}</thead>" if head else ""
    heading = f"<h1>{html.escape(title)}</h1>" if title else ""
    return (
        f"<html><head><style>{_STYLE}</style></head><body>{heading}"
        f"<table>{thead}<tbody>{''.join(row_html(r) for r in body)}</tbody></table></body></html>"
    )


def pdf_of(page: str) -> bytes:
    return weasyprint.HTML(string=page).write_pdf()


def csv_as_pdf(path: Path, *, title: str = "") -> bytes:
    """A released CSV printed to PDF, one ruled cell per CSV cell."""
    with path.open(encoding="utf-8-sig", newline="") as stream:
        rows = list(csv.reader(stream))
    return pdf_of(table_html(rows, title=title))


def letter_pdf() -> bytes:
    return pdf_of(
        "<html><body><h1>Response to your request</h1><p>The department has searched its "
        "records and found 236 arrests in 2017, as the enclosed report shows.</p></body></html>"
    )


def scan_pdf() -> bytes:
    """A page that is only a picture of a table, as a scanner makes it: no text layer."""
    image = Image.new("L", (600, 200), "white")
    draw = ImageDraw.Draw(image)
    draw.rectangle((10, 10, 590, 190), outline="black")
    draw.text((20, 20), "Total Arrests    236    493", fill="black")
    buffer = io.BytesIO()
    image.save(buffer, format="PNG")
    return pdf_of(
        "<html><body><img style='width: 6in' src='data:image/png;base64,"
        f"{base64.b64encode(buffer.getvalue()).decode('ascii')}'></body></html>"
    )


def scanned_pages(content: bytes, dpi: int = 200) -> list[Image.Image]:
    """Each page of a PDF as a scanner sees it: a greyscale picture at ``dpi``."""
    with pdfplumber.open(io.BytesIO(content)) as pdf:
        return [
            page.to_image(resolution=dpi, antialias=True).original.convert("L")
            for page in pdf.pages
        ]


def scanned(content: bytes, dpi: int = 200) -> bytes:
    """A PDF printed and scanned back: its pages as images, with no text layer."""
    first, *rest = scanned_pages(content, dpi)
    out = io.BytesIO()
    first.save(out, format="PDF", save_all=True, append_images=rest, resolution=dpi)
    return out.getvalue()


def encrypted(content: bytes) -> bytes:
    """``content`` locked with a password; skipped where pypdf, a dev dependency, is missing."""
    pypdf = pytest.importorskip("pypdf")
    writer = pypdf.PdfWriter(clone_from=io.BytesIO(content))
    writer.encrypt("secret", algorithm="AES-256")
    out = io.BytesIO()
    writer.write(out)
    return out.getvalue()


def as_in_a_csv(report: dict[str, Any]) -> dict[str, Any]:
    """An audit's JSON report with what tells a PDF or a scan from the CSV it was printed from
    taken out: file names (in any text, the PDF's with their "page 1, table 1"), pages, places,
    OCR confidences, and the ``ocr-uncertain`` findings that only a scan has."""
    text = json.dumps(report, ensure_ascii=False)
    text = re.sub(r"[^\"]*/(table\w+)\.pdf, page \d+, table \d+", r"\1", text)
    text = re.sub(r"[^\"]*/(table\w+)\.(pdf|csv)", r"\1", text)
    plain = json.loads(text)
    for table in plain["tables"]:
        table.pop("sheet"), table.pop("pages")
        table["findings"] = [f for f in table["findings"] if f["code"] != "ocr-uncertain"]
    for finding in [
        *plain["cross_table_findings"],
        *(f for t in plain["tables"] for f in t["findings"]),
    ]:
        finding.pop("place", None), finding.pop("ocr_confidence", None)
    return plain
