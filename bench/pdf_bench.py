"""Reading text PDFs, measured on a generated report of ``--pages`` pages (200 by default).

The report is printed with WeasyPrint as an agency's exported report is: one ruled summary table
per page (a total row and its components by year, a subtotal group, a blank cell and an N/A),
each table with a title above it. The script times

1. printing the report (not part of the audit; said so the reader knows what the file is);
2. reading every table of every page (``pdf_tables.read_pdf``): pages per second;
3. the whole audit of the report (``audit.audit_uploads``: reading and auditing);
4. the audit of the same tables given as CSV files, so that 3 minus 4 is what the PDF costs;

and reports the peak memory of the process. Results, with the machine, go to docs/benchmarks.md.

    .venv/bin/python bench/pdf_bench.py --pages 200
"""

import argparse
import os
import platform
import random
import resource
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "beyondraid.settings")

import django  # noqa: E402

django.setup()

import weasyprint  # noqa: E402

from beyondraid.intake.audit import audit_uploads  # noqa: E402
from beyondraid.intake.pdf_tables import read_pdf  # noqa: E402
from beyondraid.intake.tests.pdfs import table_html  # noqa: E402

YEARS = ["2016", "2017", "2018", "2019", "2020"]
CATEGORIES = ["Commercial Sex Worker", "John", "Pimp/Pandering/Supervising", "Other"]


def page_rows(page: int, rng: random.Random) -> list[list[str]]:
    """One page's table: arrests by type for one agency, rescues below, one error planted."""
    counts = {name: [rng.randint(5, 400) for _ in YEARS] for name in CATEGORIES}
    rows = [["", *YEARS]]
    rows.append(["Total Arrests", *(str(sum(c[i] for c in counts.values())) for i in range(5))])
    rows += [[name, *map(str, values)] for name, values in counts.items()]
    juvenile = [rng.randint(1, 30) for _ in YEARS]
    adult = [rng.randint(1, 90) for _ in YEARS]
    rows.append(["Total Rescues", *(str(j + a) for j, a in zip(juvenile, adult, strict=True))])
    rows.append(["Juvenile", *map(str, juvenile)])
    rows.append(["Adult", *map(str, adult)])
    rows[1][1 + page % 5] = str(int(rows[1][1 + page % 5]) + 1)  # the planted error
    rows[3][2] = ""
    rows[6][3] = "N/A"
    return rows


def report_html(tables: list[list[list[str]]]) -> str:
    pages = []
    for number, rows in enumerate(tables, start=1):
        page = table_html(
            rows, title=f"Table {number}. Arrests by individual type, agency {number}"
        )
        pages.append(page[page.index("<body>") + 6 : page.index("</body>")])
    head = table_html([["a"]])
    style = head[: head.index("<body>")].replace(
        "</style>", " h1 { page-break-before: always }</style>"
    )
    return f"{style}<body>{''.join(pages)}</body></html>"


def timed(work):
    start = time.perf_counter()
    result = work()
    return result, time.perf_counter() - start


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--pages", type=int, default=200)
    parser.add_argument("--seed", type=int, default=24)
    options = parser.parse_args()
    rng = random.Random(options.seed)  # noqa: S311 - reproducible test data, not secrets
    tables = [page_rows(page, rng) for page in range(options.pages)]

    content, printing = timed(lambda: weasyprint.HTML(string=report_html(tables)).write_pdf())
    read, reading = timed(lambda: read_pdf("report.pdf", content))
    assert len(read) == options.pages, f"read {len(read)} tables from {options.pages} pages"
    report, auditing = timed(lambda: audit_uploads([("report.pdf", content)]))
    as_csv = [
        (f"table{n:03}.csv", "".join(",".join(row) + "\n" for row in rows).encode())
        for n, rows in enumerate(tables, start=1)
    ]
    csv_report, csv_auditing = timed(lambda: audit_uploads(as_csv))
    mismatches = sum(f.code == "total-mismatch" for f in report.all_findings)
    peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024

    machine = f"{os.cpu_count()} cores, {platform.platform()}"
    print(f"Machine: {machine}, Python {platform.python_version()}")
    print(f"Report: {options.pages} pages, {len(content) / 1024 / 1024:.1f} MB, one table per page")
    print("| Step | Time | Pages per second |")
    print("|---|---:|---:|")
    print(f"| print the report (WeasyPrint) | {printing:.1f} s | – |")
    print(f"| read every table (pdfplumber) | {reading:.1f} s | {options.pages / reading:.1f} |")
    print(f"| audit the PDF (read + audit) | {auditing:.1f} s | {options.pages / auditing:.1f} |")
    print(f"| audit the same tables as CSV | {csv_auditing:.1f} s | – |")
    print(
        f"Findings: PDF {len(report.all_findings)}, CSV {len(csv_report.all_findings)}; "
        f"total-mismatch {mismatches} (one error planted per page; where it falls in the "
        f"column with a blank component, it is total-unverifiable). Peak memory {peak:.0f} MB."
    )


if __name__ == "__main__":
    main()
