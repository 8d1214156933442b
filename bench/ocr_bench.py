"""Reading scans by OCR, measured on the report of ``bench/pdf_bench.py`` scanned back at
``--dpi`` (200 by default), ``--pages`` pages of it (10 by default: OCR is about a hundred times
slower than reading a text PDF, so a 200-page scan is estimated from these, not run).

The script times

1. scanning the printed report (not part of the audit: it makes the input);
2. reading every table of every page by OCR (``ocr.read_scan``: OCRmyPDF, the rules found in the
   page images, Tesseract's confidences): pages per second, and seconds per page;
3. the whole audit of the scan (``audit.audit_uploads``);

and checks that the scan gives the findings of the text PDF, ``ocr-uncertain`` apart, counting
those. OCRmyPDF runs on one core (``--jobs 1``), as the audit runs it. Results, with the machine,
go to docs/benchmarks.md.

    .venv/bin/python bench/ocr_bench.py --pages 10
"""

import argparse
import os
import platform
import random
import subprocess
import sys
from collections import Counter
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "beyondraid.settings")

import django  # noqa: E402

django.setup()

import weasyprint  # noqa: E402

from beyondraid.intake.audit import audit_uploads  # noqa: E402
from beyondraid.intake.ocr import read_scan  # noqa: E402
from beyondraid.intake.tests.pdfs import scanned  # noqa: E402

sys.path.insert(0, str(Path(__file__).resolve().parent))
from pdf_bench import page_rows, report_html, timed  # noqa: E402


def _version(command: list[str]) -> str:
    result = subprocess.run(command, capture_output=True, text=True, check=True)  # noqa: S603
    return (result.stdout or result.stderr).splitlines()[0].strip()


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--pages", type=int, default=10)
    parser.add_argument("--dpi", type=int, default=200)
    parser.add_argument("--seed", type=int, default=24)
    options = parser.parse_args()
    rng = random.Random(options.seed)  # noqa: S311 - reproducible test data, not secrets
    tables = [page_rows(page, rng) for page in range(options.pages)]

    printed = weasyprint.HTML(string=report_html(tables)).write_pdf()
    scan, scanning = timed(lambda: scanned(printed, options.dpi))
    read, reading = timed(lambda: read_scan("scan.pdf", scan))
    assert len(read) == options.pages, f"read {len(read)} tables from {options.pages} pages"
    report, auditing = timed(lambda: audit_uploads([("scan.pdf", scan)]))
    text_report = audit_uploads([("report.pdf", printed)])

    def codes(findings) -> Counter:
        return Counter(f.code for f in findings if f.code != "ocr-uncertain")

    same = codes(report.all_findings) == codes(text_report.all_findings)
    uncertain = sum(f.code == "ocr-uncertain" for f in report.all_findings)
    cells = sum(1 for table in read for row in table.confidence or [] for c in row if c is not None)

    machine = f"{os.cpu_count()} cores, {platform.platform()}"
    print(f"Machine: {machine}, Python {platform.python_version()}")
    ocrmypdf, tesseract = _version(["ocrmypdf", "--version"]), _version(["tesseract", "--version"])
    print(f"OCR: OCRmyPDF {ocrmypdf}, {tesseract}")
    print(f"Scan: {options.pages} pages at {options.dpi} dpi, {len(scan) / 1024 / 1024:.1f} MB")
    print("| Step | Time | Pages per second | Seconds per page |")
    print("|---|---:|---:|---:|")
    print(f"| scan the printed report (make the input) | {scanning:.1f} s | – | – |")
    print(
        f"| read every table by OCR | {reading:.1f} s | {options.pages / reading:.2f} "
        f"| {reading / options.pages:.1f} |"
    )
    print(
        f"| audit the scan (OCR + audit) | {auditing:.1f} s | {options.pages / auditing:.2f} "
        f"| {auditing / options.pages:.1f} |"
    )
    print(
        f"Findings other than ocr-uncertain the same as the text PDF's: {'yes' if same else 'NO'}; "
        f"ocr-uncertain {uncertain} of {cells} cells read."
    )


if __name__ == "__main__":
    main()
