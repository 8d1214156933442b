"""Read the tables of a scan: a PDF with no text layer, or a photo or scan saved as an image.

1. OCRmyPDF (from Debian's packages) straightens the pages (``--deskew``): a rule drawn at a
   slant is not found. It is told not to read them (Tesseract's time is 0): step 4 does.
2. Each page is drawn at the resolution of its scan. A scan has no ruling lines for
   ``pdf_tables`` to find, only their picture: the rules are found in the image (long, thin runs
   of dark pixels) and whitened out of it, since a rule beside a figure is read as a "|" or a
   "1" in it.
3. ``pdf_tables`` finds the tables and their cells from those rules, given as explicit lines.
   Whether anything is printed above or below a table, which decides whether it continues on the
   next page, is told by the ink on the page.
4. Each cell with ink in it is cut out of the page image, inside its rules and trimmed to its
   ink, and Tesseract reads all the cells in one run (each picture a "page" of a list), as a
   block of text: a label, a figure, or a list wrapped over several lines. Marks no table prints
   ("{", "}", "|", "¥") are not read. A word of one or two marks whose first blot of ink is a
   filled round dot is a bullet ("•"), whatever letter Tesseract took it for.
5. Each one-line cell of a column of figures (most of its cells read as figures) is read again,
   enlarged twice, among digits, "," "." and "-" only. The text kept is the one the readings
   agree on, or else the surer one.
6. A cell's confidence (0 to 100) is that of its least sure word, and 0 where its readings
   disagree or its ink was read as nothing. The audit reports every cell below
   ``audit.OCR_MIN_CONFIDENCE`` as ``ocr-uncertain``.

Why cell by cell: measured on the seven published tables, printed to PDF and scanned back at
200 dpi (227 cells, 218 printed), Tesseract reading whole pages (rules whitened, psm 6) misread
28 cells: most of the lists of agencies of Tables 1, E1 and E2 (bullets read as "«", "*" or "¢",
words run across cells, "Enforcernent") and three headers of Table 9. Read one by one, as
scanned, the cells' words are right but for 5 cells, once every bullet is told by its ink (one
of them only when its dot is taken whole, where Tesseract's box cut it): "DOJ" read "DO}" in
Tables 1 and E1 (mended by not reading marks no table prints), "15" read "iS" in Tables 2 and 4
(mended by the reading among digits), and the curly apostrophe of "Sheriff’s" in Table E1, read
straight. That one is left: no finding quotes it, and its confidence (32) has it reported.
Enlarging every cell three times before the first reading made it worse (11 cells misread,
1 to 3 in each table of figures). The seven tables are read in about the time whole pages took
(9 to 14 s for the seven on a shared two-core machine, Tesseract on one core): a second run of
Tesseract, for the figures alone, in place of the run over whole pages.

OCRmyPDF's own reading (its text layer) is not used: measured on the published tables, it put
words outside their cells and read figures otherwise than Tesseract's word list, so no
confidence could be trusted to go with its text.

Without OCRmyPDF or Tesseract the scan is refused in one sentence that gives the command that
installs them.
"""

import csv
import io
import os
import re
import shutil
import subprocess
import tempfile
from dataclasses import dataclass, field, replace
from pathlib import Path

import numpy as np
import pdfplumber
from PIL import Image, UnidentifiedImageError

from .pdf_tables import _Found, tables_found, tables_on_pages
from .sheets import CellPlace, RawTable, ScanAllowance, SheetError

OCR_LANGUAGES = "eng"
INSTALL_COMMAND = "sudo apt-get install ocrmypdf tesseract-ocr tesseract-ocr-eng"
# The resolution assumed for an image that does not say its own: a scanner's usual.
_ASSUMED_DPI = 200
# White left around a cell's ink when it is cut out (inches): Tesseract misreads a glyph that
# touches the edge of its picture.
_CELL_MARGIN_INCHES = 0.05
# The readings of the cells: which cells; enlarged how many times; Tesseract's page segmentation
# ("6", a uniform block of text: a cell of one line or wrapped over several; "7", a single line);
# and the only characters read (if none are given, all but ``_NEVER_PRINTED``). The first, of
# every cell as scanned, decides which columns hold figures; the second reads each figure again,
# enlarged, among digits only. Measured in the module's docstring.
_ALL, _FIGURES = "all", "figures"
_FIGURE_CHARACTERS = "0123456789,.-"
_READINGS = ((_ALL, 1, "6", ""), (_FIGURES, 2, "7", _FIGURE_CHARACTERS))
_FIGURE = re.compile(r"-?[\d,.]+")
# Marks Tesseract reads in a scanned table where none is printed: "}" for the "J" of "DOJ", "¥"
# for a "Y", "|" for an "I".
_NEVER_PRINTED = "{}|¥©®"
_BULLET = "•"
# A bullet is a filled dot, which fills π/4 of its box; a letter read in its place ("e", "o"),
# measured at 200 dpi, about half.
_BULLET_FILL = 0.7
# Ink that counts as something printed above or below a table (inches, squared): less is a speck.
_SPECK_INCHES = 0.02
# For a run of Tesseract, a second more for each cell it reads; longer is not a table a scan can
# be trusted for.
_OCR_TIMEOUT_SECONDS = 300
# Rules: a run of dark pixels at least this long (inches) ...
_MIN_RULE_INCHES = 0.3
# ... in a band of dark rows or columns at most this thick (inches); a thicker band is a filled
# area, such as a redaction, not a rule.
_MAX_RULE_INCHES = 0.04
_DARK = 160


class OcrUnavailable(SheetError):
    """OCR is needed and OCRmyPDF or Tesseract is not installed."""


def read_image(name: str, content: bytes, scans: ScanAllowance | None = None) -> list[RawTable]:
    """A scan or photo saved as an image (every frame of a TIFF is a page)."""
    require_ocr(name)
    try:
        image = Image.open(io.BytesIO(content))
        frames = []
        for index in range(getattr(image, "n_frames", 1)):
            image.seek(index)
            frames.append(image.convert("L") if image.mode not in ("1", "L") else image.copy())
    except (UnidentifiedImageError, Image.DecompressionBombError, OSError, ValueError):
        raise SheetError(
            f"{name} is a damaged image that cannot be read; scan or save it again and retry."
        ) from None
    dpi = image.info.get("dpi", (_ASSUMED_DPI,))[0] or _ASSUMED_DPI
    pdf = io.BytesIO()
    frames[0].save(pdf, format="PDF", save_all=True, append_images=frames[1:], resolution=dpi)
    return read_scan(name, pdf.getvalue(), scans)


def read_scan(name: str, content: bytes, scans: ScanAllowance | None = None) -> list[RawTable]:
    """A PDF whose pages are images: OCR, then its tables with a confidence for each cell; only
    within ``scans``, when given."""
    require_ocr(name)
    if scans is not None:
        with pdfplumber.open(io.BytesIO(content)) as pdf:
            scans.take(name, len(pdf.pages))
    with tempfile.TemporaryDirectory(prefix="beyondraid-ocr-") as temporary:
        folder = Path(temporary)
        scanned, straight = folder / "scan.pdf", folder / "straight.pdf"
        scanned.write_bytes(content)
        _straighten(name, scanned, straight)
        images: dict[int, Path] = {}
        with pdfplumber.open(straight) as pdf:
            # One resolution for every page: the rules, in points, are where the cells are cut.
            dpi = _resolution(pdf.pages)

            def rules_of(page) -> dict:
                image = page.to_image(resolution=dpi, antialias=False).original.convert("L")
                settings, rest = _rules_and_rest(image, dpi)
                images[page.page_number] = folder / f"page-{page.page_number:05}.png"
                rest.save(images[page.page_number])
                return settings

            found, _, _ = tables_on_pages(pdf, rules_of)
        confidence = _read_cells(name, found, images, dpi, folder)
    return [
        replace(table, confidence=_confidence_of(table, confidence))
        for table in tables_found(name, found)
    ]


def require_ocr(name: str) -> None:
    missing = [tool for tool in ("ocrmypdf", "tesseract") if shutil.which(tool) is None]
    if missing:
        raise OcrUnavailable(
            f"{name} is a scan, whose figures can only be read by OCR, and OCR is not installed "
            f"here ({' and '.join(missing)} missing); install it with `{INSTALL_COMMAND}` "
            "and retry."
        )


def _straighten(name: str, scanned: Path, straight: Path) -> None:
    command = [
        "ocrmypdf",
        "--quiet",
        "--deskew",
        # Straighten only: Tesseract reads the cells later, cut out of the pages.
        "--tesseract-timeout", "0",
        # Plain PDF, not PDF/A: the file is read here and thrown away, not archived.
        "--output-type", "pdf",
        "--optimize", "0",
        # One core: the audit of several files, and the tests, run side by side.
        "--jobs", "1",
        str(scanned),
        str(straight),
    ]  # fmt: skip
    try:
        subprocess.run(command, capture_output=True, check=True, text=True)  # noqa: S603
    except subprocess.CalledProcessError as error:
        said = (error.stderr or "").strip().splitlines()
        why = f" (OCRmyPDF said: {said[-1].strip()})" if said else ""
        raise SheetError(
            f"{name} could not be read by OCR{why}; scan it again, or ask the agency for the "
            "file the table was printed from."
        ) from None


def _resolution(pages) -> int:
    """The resolution of the finest scan on the pages, within what OCR reads well."""
    dpis = [
        image["srcsize"][0] * 72 / image["width"]
        for page in pages
        for image in page.images
        if image["width"] > 0
    ]
    return round(min(max(max(dpis, default=_ASSUMED_DPI), 100), 600))


class _Word:
    __slots__ = ("text", "confidence", "box")

    def __init__(self, text: str, confidence: float, box: tuple[int, int, int, int]):
        self.text, self.confidence, self.box = text, confidence, box


@dataclass
class _Cell:
    """A cell with something printed in it, cut out of its page to be read."""

    table: _Found
    row: int
    column: int
    place: CellPlace
    picture: Path
    lines: int
    # (text, confidence) of each reading, in the order of ``_READINGS``.
    readings: list[tuple[str, float]] = field(default_factory=list)


def _read_cells(
    name: str, found: list[_Found], images: dict[int, Path], dpi: int, folder: Path
) -> dict[CellPlace, float]:
    """Read every cell of the tables found: write its text into ``found``, and give its
    confidence."""
    cells = _cut_cells(found, images, dpi, folder / "cells")
    for number, (which, scale, segmentation, characters) in enumerate(_READINGS):
        chosen = cells if which == _ALL else [cell for cell in cells if _of_figures(cell)]
        output = folder / f"reading-{number}"
        _read_group(name, chosen, scale, segmentation, characters, dpi, output)
        if number == 0:
            # The first reading says which columns hold figures.
            for cell in cells:
                cell.table.cells[cell.row][cell.column] = cell.readings[0][0]
    confidence: dict[CellPlace, float] = {}
    for cell in cells:
        texts = [text for text, _ in cell.readings]
        # The text most readings give; between as many, the surer.
        cell.table.cells[cell.row][cell.column] = max(
            cell.readings, key=lambda reading: (texts.count(reading[0]), reading[1])
        )[0]
        agreed = len(set(texts)) == 1
        confidence[cell.place] = min(sure for _, sure in cell.readings) if agreed else 0.0
    return confidence


def _cut_cells(found: list[_Found], images: dict[int, Path], dpi: int, folder: Path) -> list[_Cell]:
    """Each cell with ink in it, cut out of its page image (rules whitened) into ``folder``;
    and, for each table, whether anything is printed above or below it."""
    folder.mkdir()
    cells: list[_Cell] = []
    for page, image in images.items():
        tables = [table for table in found if table.page == page]
        if not tables:
            continue
        pixels = np.asarray(Image.open(image))
        for table in tables:
            _mark_what_is_printed_around(table, pixels, dpi)
            for r, row in enumerate(table.places):
                for c, place in enumerate(row):
                    crop = _crop(pixels, place, dpi) if place is not None else None
                    if crop is None or place is None:
                        continue
                    picture = folder / f"{len(cells) + 1:06}.png"
                    Image.fromarray(crop).save(picture)
                    cells.append(_Cell(table, r, c, place, picture, _lines_of_text(crop < _DARK)))
    return cells


def _read_group(
    name: str,
    cells: list[_Cell],
    scale: int,
    segmentation: str,
    characters: str,
    dpi: int,
    output: Path,
) -> None:
    """One reading of ``cells``, in one run of Tesseract, added to each cell's readings."""
    if not cells:
        return
    words = _tesseract(
        name, [cell.picture for cell in cells], scale, segmentation, characters, dpi, output
    )
    for number, cell in enumerate(cells, start=1):
        read = words.get(number, [])
        dark = None
        texts = []
        for word in read:
            if len(word.text) <= 2:
                if dark is None:
                    dark = np.asarray(Image.open(cell.picture)) < _DARK
                if _is_bullet(dark, word, scale):
                    texts.append(_BULLET)
                    continue
            texts.append(word.text)
        sure = min((word.confidence for word in read), default=0.0)
        cell.readings.append((" ".join(texts), sure))


def _of_figures(cell: _Cell) -> bool:
    """A one-line cell below the header, in a column whose cells mostly read as figures."""
    if cell.row == 0 or cell.lines != 1:
        return False
    values = [row[cell.column] for row in cell.table.cells[1:] if row[cell.column]]
    return sum(bool(_FIGURE.fullmatch(value)) for value in values) * 2 >= len(values) > 0


def _is_bullet(dark: np.ndarray, word: _Word, scale: int) -> bool:
    """Whether a word read in a cell's picture (``dark``, before it was enlarged ``scale``
    times) is a bullet, which Tesseract reads as "e", "«", "*" or "¢": a mark of one or two
    characters whose first blot of ink is a filled round dot."""
    left, top, right, bottom = (round(value / scale) for value in word.box)
    band = dark[top:bottom]
    inked = np.asarray(band.any(axis=0), dtype=bool)
    within = np.flatnonzero(inked[left:right])
    if len(within) == 0:
        return False
    # The first blot, whole: Tesseract's box can cut through it.
    start = end = left + int(within[0])
    while start > 0 and inked[start - 1]:
        start -= 1
    while end < len(inked) and inked[end]:
        end += 1
    ink = band[:, start:end]
    rows = np.flatnonzero(ink.any(axis=1))
    ink = ink[rows[0] : rows[-1] + 1]
    height, width = ink.shape
    return 0.7 <= width / height <= 1.4 and ink.mean() >= _BULLET_FILL


def _lines_of_text(dark: np.ndarray) -> int:
    """The lines of a cell's picture: bands of rows with ink, apart."""
    inked = dark.any(axis=1).astype(np.int8)
    return int((np.diff(np.concatenate(([0], inked))) == 1).sum())


def _crop(pixels: np.ndarray, place: CellPlace, dpi: int) -> np.ndarray | None:
    """A cell's picture, cut inside its rules and trimmed to its ink, with a white margin; None
    for a cell with nothing printed in it."""
    # Past the whitened rule and its grey edge.
    inset = max(1, round(dpi / 100)) + 1
    x0, top, x1, bottom = (round(value * dpi / 72) for value in place.box)
    cell = pixels[top + inset : bottom - inset, x0 + inset : x1 - inset]
    if cell.size == 0:
        return None
    dark = cell < _DARK
    rows, columns = np.flatnonzero(dark.any(axis=1)), np.flatnonzero(dark.any(axis=0))
    if len(rows) == 0:
        return None
    cell = cell[rows[0] : rows[-1] + 1, columns[0] : columns[-1] + 1]
    return np.pad(cell, max(2, round(dpi * _CELL_MARGIN_INCHES)), constant_values=255)


def _mark_what_is_printed_around(table: _Found, pixels: np.ndarray, dpi: int) -> None:
    """Whether anything is printed above or below the table on its page, for ``pdf_tables`` to
    join a table to its continuation: a scan has no text outside the cells to tell, only ink."""
    tops = [place.box[1] for row in table.places for place in row if place is not None]
    bottoms = [place.box[3] for row in table.places for place in row if place is not None]
    if not tops:
        return
    speck = max(4, round(dpi * _SPECK_INCHES) ** 2)
    dark = pixels < _DARK
    top, bottom = round(min(tops) * dpi / 72), round(max(bottoms) * dpi / 72)
    table.opens_page = int(dark[: max(top - 2, 0)].sum()) < speck
    table.closes_page = int(dark[bottom + 2 :].sum()) < speck


def _tesseract(
    name: str,
    pictures: list[Path],
    scale: int,
    segmentation: str,
    characters: str,
    dpi: int,
    output: Path,
) -> dict[int, list[_Word]]:
    """Tesseract's reading of ``pictures``, enlarged ``scale`` times, in one run: the words of
    each (numbered from 1), in reading order, with their confidence and box. With
    ``characters``, only those are read."""
    output.mkdir()
    if scale != 1:
        enlarged = []
        for number, picture in enumerate(pictures, start=1):
            image = Image.open(picture)
            size = (image.width * scale, image.height * scale)
            enlarged.append(output / f"{number:06}.png")
            image.resize(size, Image.Resampling.LANCZOS).save(enlarged[-1])
        pictures = enlarged
    listing = output / "pictures.txt"
    listing.write_text("".join(f"{picture}\n" for picture in pictures), encoding="utf-8")
    read = output / "read"
    command = ["tesseract", str(listing), str(read), "-l", OCR_LANGUAGES]
    command += ["--dpi", str(dpi * scale), "--psm", segmentation]
    if characters:
        command += ["-c", f"tessedit_char_whitelist={characters}"]
    else:
        command += ["-c", f"tessedit_char_blacklist={_NEVER_PRINTED}"]
    try:
        subprocess.run(  # noqa: S603
            [*command, "tsv"],
            capture_output=True,
            check=True,
            timeout=_OCR_TIMEOUT_SECONDS + len(pictures),
            # One core, as OCRmyPDF is given: Tesseract would otherwise take them all.
            env={**os.environ, "OMP_THREAD_LIMIT": "1"},
        )
        tsv = read.with_suffix(".tsv").read_text(encoding="utf-8")
    except (subprocess.CalledProcessError, subprocess.TimeoutExpired, OSError):
        raise SheetError(
            f"{name} could not be read by OCR (Tesseract failed on it); scan it again, or ask "
            "the agency for the file the table was printed from."
        ) from None
    words: dict[int, list[_Word]] = {}
    for row in csv.DictReader(io.StringIO(tsv), delimiter="\t", quoting=csv.QUOTE_NONE):
        text = (row.get("text") or "").strip()
        if row.get("level") == "5" and text:
            left, top = int(row["left"]), int(row["top"])
            box = (left, top, left + int(row["width"]), top + int(row["height"]))
            words.setdefault(int(row["page_num"]), []).append(_Word(text, float(row["conf"]), box))
    return words


def _rules_and_rest(image: Image.Image, dpi: float) -> tuple[dict, Image.Image]:
    """pdfplumber's table settings for the rules drawn in a page image, and the image with them
    whitened out, with a margin for the grey edge of a scanned line (a remnant of a rule is read
    as a mark beside the figure: "#179", "11,")."""
    pixels = np.asarray(image).copy()
    rows, columns = _rule_runs(pixels < _DARK, dpi)
    edge = max(1, round(dpi / 100))
    for y, x0, x1 in rows:
        pixels[max(y - edge, 0) : y + edge + 1, max(x0 - edge, 0) : x1 + edge] = 255
    for x, y0, y1 in columns:
        pixels[max(y0 - edge, 0) : y1 + edge, max(x - edge, 0) : x + edge + 1] = 255
    vertical, horizontal = _lines(rows, columns, dpi)
    settings = {
        "vertical_strategy": "explicit",
        "horizontal_strategy": "explicit",
        "explicit_vertical_lines": vertical,
        "explicit_horizontal_lines": horizontal,
    }
    return settings, Image.fromarray(pixels)


def _rules(dark: np.ndarray, dpi: float) -> tuple[list[dict], list[dict]]:
    """The ruling lines drawn in a page image, as pdfplumber's explicit lines in points."""
    rows, columns = _rule_runs(dark, dpi)
    return _lines(rows, columns, dpi)


_Runs = list[tuple[int, int, int]]


def _rule_runs(dark: np.ndarray, dpi: float) -> tuple[_Runs, _Runs]:
    """The rules of a page image in pixels: (row, start, end) of each horizontal run, (column,
    start, end) of each vertical one."""
    shortest = max(int(dpi * _MIN_RULE_INCHES), 2)
    thickest = max(int(round(dpi * _MAX_RULE_INCHES)), 2)
    return _thin_runs(dark, shortest, thickest), _thin_runs(dark.T, shortest, thickest)


def _lines(rows: _Runs, columns: _Runs, dpi: float) -> tuple[list[dict], list[dict]]:
    scale = 72 / dpi
    horizontal = [_line(x0 * scale, y * scale, x1 * scale, y * scale) for y, x0, x1 in rows]
    vertical = [_line(x * scale, y0 * scale, x * scale, y1 * scale) for x, y0, y1 in columns]
    return vertical, horizontal


def _thin_runs(dark: np.ndarray, shortest: int, thickest: int) -> list[tuple[int, int, int]]:
    """(row, start, end) of each run of at least ``shortest`` dark pixels along a row, on rows
    in bands of at most ``thickest`` consecutive rows that have such runs."""
    if dark.shape[1] < shortest:
        return []
    counts = np.cumsum(np.pad(dark, ((0, 0), (1, 0))), axis=1, dtype=np.int32)
    long_run = (counts[:, shortest:] - counts[:, :-shortest]) == shortest
    rows = np.flatnonzero(long_run.any(axis=1))
    runs: list[tuple[int, int, int]] = []
    band: list[int] = []
    for row in [*rows.tolist(), None]:
        if band and (row is None or row != band[-1] + 1):
            if len(band) <= thickest:
                for y in band:
                    runs.extend((y, start, end) for start, end in _runs(dark[y], shortest))
            band = []
        if row is not None:
            band.append(row)
    return runs


def _runs(line: np.ndarray, shortest: int) -> list[tuple[int, int]]:
    edges = np.flatnonzero(np.diff(np.concatenate(([0], line.astype(np.int8), [0]))))
    return [
        (int(start), int(end))
        for start, end in zip(edges[::2], edges[1::2], strict=True)
        if end - start >= shortest
    ]


def _line(x0: float, top: float, x1: float, bottom: float) -> dict:
    return {
        "object_type": "line",
        "x0": x0,
        "x1": x1,
        "top": top,
        "bottom": bottom,
        "width": x1 - x0,
        "height": bottom - top,
    }


def _confidence_of(table: RawTable, confidence: dict[CellPlace, float]) -> list[list[float | None]]:
    """Each cell's confidence; None for a cell with nothing printed in it. A cell whose ink was
    read as nothing keeps its confidence, 0, so that it is reported, not taken for blank."""
    return [
        [confidence.get(place) if place is not None else None for place in places]
        for places in table.places or []
    ]
