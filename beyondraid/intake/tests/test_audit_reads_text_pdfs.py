"""Done when the shipped published tables, printed to PDF, give the same findings and the same
JSON as their CSVs (issue 24), each figure with the page and the place it is printed at."""

import io
import json
from pathlib import Path
from typing import Any

import pdfplumber
import pytest
from django.core.management import call_command

from beyondraid.intake.audit import audit_uploads
from beyondraid.intake.sheets import read_bytes
from beyondraid.standard.published import find_published_dir

from .pdfs import as_in_a_csv, csv_as_pdf, pdf_of, table_html

MANIFEST = "usc_2021_published_tables.toml"


@pytest.fixture(scope="module")
def printed(tmp_path_factory) -> dict[str, Path]:
    """The published CSVs, each printed to PDF beside a copy of the shipped manifest that names
    the PDFs instead."""
    directory = tmp_path_factory.mktemp("printed")
    published = find_published_dir()
    for path in sorted(published.glob("*.csv")):
        (directory / f"{path.stem}.pdf").write_bytes(csv_as_pdf(path))
    manifest = (published / MANIFEST).read_text(encoding="utf-8")
    (directory / MANIFEST).write_text(manifest.replace('.csv"', '.pdf"'), encoding="utf-8")
    return {"csv": published, "pdf": directory}


def _audit_json(directory: Path, suffix: str) -> dict[str, Any]:
    out = io.StringIO()
    files = [str(path) for path in sorted(directory.glob(f"*{suffix}"))]
    call_command(
        "audit", "--format", "json", "--manifest", str(directory / MANIFEST), *files, stdout=out
    )
    return json.loads(out.getvalue())


def test_the_published_tables_printed_to_pdf_give_the_same_report_as_their_csvs(printed):
    from_csv = _audit_json(printed["csv"], ".csv")
    from_pdf = _audit_json(printed["pdf"], ".pdf")
    assert len(from_pdf["tables"]) == len(from_csv["tables"]) == 7
    codes = {f["code"] for t in from_csv["tables"] for f in t["findings"]}
    assert {"total-unverifiable", "notation", "blank-cell", "conflated-category"} <= codes
    assert from_csv["cross_table_findings"]
    assert as_in_a_csv(from_pdf) == as_in_a_csv(from_csv)


def test_each_table_of_a_pdf_is_named_by_its_page(printed):
    (table,) = read_bytes("t.pdf", (printed["pdf"] / "table09_occ_2017_victims.pdf").read_bytes())
    assert table.name == "t.pdf, page 1, table 1"
    from_csv = (find_published_dir() / "table09_occ_2017_victims.csv").read_text()
    assert table.cells[1] == from_csv.splitlines()[1].split(",")


def test_every_figure_a_finding_names_is_where_the_pdf_prints_it(printed):
    from_pdf = _audit_json(printed["pdf"], ".pdf")
    located = 0
    with pdfplumber.open(
        printed["pdf"] / "table02_ca_statewide_arrests_by_individual_type.pdf"
    ) as pdf:
        page = pdf.pages[0]
        table = next(
            t
            for t in from_pdf["tables"]
            if t["file"].endswith("table02_ca_statewide_arrests_by_individual_type.pdf")
        )
        assert table["pages"] == [1] and table["sheet"] == "page 1, table 1"
        for finding in table["findings"]:
            if finding["row"] and finding["column"]:
                place = finding["place"]
                assert place["page"] == 1
                printed_text = page.within_bbox(place["box"]).extract_text().strip()
                if finding["reported"] is not None:
                    assert printed_text == str(finding["reported"])
                located += 1
    assert located >= 3
    # The printed total of 2017 holds only if N/A is 0: its finding points at the 236.
    (total,) = [
        f
        for f in table["findings"]
        if f["code"].startswith("total-") and (f["row"], f["column"]) == ("Total Arrests", "2017")
    ]
    assert total["place"]["page"] == 1
    assert total["reported"] == 236


def test_a_table_running_over_pages_with_its_header_repeated_is_one_table():
    rows = [["Arrested as", "2019", "2020"]]
    rows += [[f"Charge {n}", str(n), str(2 * n)] for n in range(1, 121)]
    rows += [["Total", str(sum(range(1, 121)) + 1), str(2 * sum(range(1, 121)))]]
    content = pdf_of(table_html(rows, repeat_header=True))
    (table,) = read_bytes("long.pdf", content)
    assert table.cells == rows
    pages = sorted({place.page for row in table.places or [] for place in row if place})
    assert len(pages) >= 3
    assert table.sheet == f"pages 1–{pages[-1]}, table 1"
    from_pdf = audit_uploads([("long.pdf", content)]).all_findings
    as_csv = "".join(",".join(row) + "\n" for row in rows).encode()
    from_csv = audit_uploads([("long.csv", as_csv)]).all_findings

    def seen(findings):
        return [(f.code, f.row, f.column, f.reported, f.computed) for f in findings]

    assert seen(from_pdf) == seen(from_csv)
    on_total = [f for f in from_pdf if f.row == "Total" and f.column]
    assert on_total
    assert {f.place.page for f in on_total if f.place} == {pages[-1]}


def test_two_tables_on_a_page_are_two_tables():
    first = table_html([["Kind", "2019"], ["Total", "3"], ["John", "3"]])
    second = table_html([["Kind", "2020"], ["Total", "5"], ["John", "4"]])
    page = first.replace(
        "</body>",
        "<p>And in 2020:</p>"
        + second[second.index("<table>") : second.index("</body>")]
        + "</body>",
    )
    tables = read_bytes("two.pdf", pdf_of(page))
    assert [t.sheet for t in tables] == ["page 1, table 1", "page 1, table 2"]
    assert tables[1].cells[0] == ["Kind", "2020"]
