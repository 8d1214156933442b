"""`beyondraid audit` prints a readable summary, JSON for programs, or a standalone HTML page."""

import json
from io import StringIO
from pathlib import Path

from django.core.management import call_command

DATA = Path(__file__).parent / "data" / "audit"


def _run(*args) -> str:
    out = StringIO()
    call_command("audit", *args, stdout=out)
    return out.getvalue()


def test_text_shows_structure_then_findings_by_severity():
    text = _run("--manifest", str(DATA / "county.toml"))
    assert text.startswith("Audited 2 tables: 2 errors,")
    assert "Structure (inferred):" in text
    assert (
        "Total arrests = total of Prostitution (647(b)), Human trafficking/pimping, Other" in text
    )
    errors, warnings = text.index("Errors (1):"), text.index("Warnings (4):")
    assert errors < warnings
    assert "Across tables" in text


def test_json_has_the_documented_shape():
    document = json.loads(_run("--format", "json", str(DATA / "grouped_totals_after.csv")))
    assert set(document) == {"tables", "cross_table_findings"}
    (table,) = document["tables"]
    assert {"file", "sheet", "title", "scope", "columns", "rows", "findings"} <= set(table)
    grand = next(row for row in table["rows"] if row["label"] == "Grand Total")
    assert grand == {
        "label": "Grand Total",
        "kind": "total",
        "total_of": ["Felony Total", "Misdemeanor Total"],
        "group": None,
        "line": 10,
    }
    for finding in table["findings"]:
        assert set(finding) == {
            "code", "severity", "message", "table", "row", "column", "reported", "computed",
        }  # fmt: skip


def test_html_is_a_standalone_page_with_no_script_or_style(tmp_path):
    out = tmp_path / "report.html"
    summary = _run("--format", "html", "--out", str(out), str(DATA / "county_arrests_2019.csv"))
    assert f"Report written to {out}" in summary
    page = out.read_text(encoding="utf-8")
    assert page.startswith("<!doctype html>")
    assert '<html lang="en">' in page
    assert "<script" not in page and "<style" not in page and "style=" not in page
    assert "total-mismatch" in page
    assert "<caption>" in page
