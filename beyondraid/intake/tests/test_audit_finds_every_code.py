"""Every finding code appears on a small table, with its severity, a plain sentence, and for
numeric findings what was reported and what was computed."""

from pathlib import Path

import pytest

from beyondraid.intake.audit import SEVERITY, TableInput, audit, inputs_from
from beyondraid.intake.manifest import read_manifest
from beyondraid.intake.sheets import CellPlace, RawTable, read_path
from beyondraid.standard.published import find_published_dir

DATA = Path(__file__).parent / "data" / "audit"
NUMERIC = {"total-mismatch", "cross-table-mismatch", "subset-exceeds-superset"}


def _county_report():
    manifest = read_manifest(DATA / "county.toml")
    tables = [table for entry in manifest.entries for table in read_path(entry.path)]
    return audit(inputs_from(tables, manifest))


def _published_report():
    directory = find_published_dir()
    tables = [table for path in sorted(directory.glob("*.csv")) for table in read_path(path)]
    scopes = {
        "table02": ("California", None),
        "table03": ("Los Angeles County", "California"),
    }
    inputs = []
    for table in tables:
        scope, within = scopes.get(Path(table.file).name[:7], (None, None))
        inputs.append(TableInput(raw=table, scope=scope, within=within))
    return audit(inputs)


def _scan_report():
    """A table as OCR reads a scan (``intake.ocr``): each cell with its confidence, one low."""
    cells = [["", "2020"], ["Total", "9"], ["Buyers", "4"], ["Sellers", "5"]]
    places: list[list[CellPlace | None]] = [
        [CellPlace(1, (72.0 * c, 20.0 * r, 72.0 * (c + 1), 20.0 * (r + 1))) for c in range(2)]
        for r in range(4)
    ]
    confidence: list[list[float | None]] = [[None, 96.0], [95.0, 93.0], [97.0, 41.0], [96.0, 95.0]]
    table = RawTable("scan.png", "page 1, table 1", cells, places=places, confidence=confidence)
    return audit([TableInput(raw=table)])


@pytest.fixture(scope="module")
def findings():
    grouped = audit(inputs_from(read_path(DATA / "grouped_totals_after.csv")))
    reports = (_county_report(), _published_report(), grouped, _scan_report())
    return [finding for report in reports for finding in report.all_findings]


def test_every_code_is_found_on_the_fixtures(findings):
    assert {finding.code for finding in findings} == set(SEVERITY)


@pytest.mark.parametrize(
    ("code", "severity"),
    [
        ("total-mismatch", "error"),
        ("cross-table-mismatch", "error"),
        ("subset-exceeds-superset", "error"),
        ("total-unverifiable", "warning"),
        ("conflated-category", "warning"),
        ("euphemism", "warning"),
        ("notation", "warning"),
        ("blank-cell", "info"),
        ("footnote-marker", "info"),
        ("missing-breakdown", "info"),
        ("ocr-uncertain", "warning"),
    ],
)
def test_each_code_has_its_severity(findings, code, severity):
    assert {f.severity for f in findings if f.code == code} == {severity}


def test_every_finding_is_one_plain_sentence(findings):
    for finding in findings:
        assert finding.message[0].isupper() or finding.message[0] in "“0123456789"
        assert finding.message.endswith(".")
        assert "\n" not in finding.message


def test_numeric_findings_give_reported_and_computed(findings):
    for finding in findings:
        if finding.code in NUMERIC:
            assert finding.reported is not None and finding.computed is not None


def test_a_total_that_does_not_add_up_says_by_how_much():
    report = _county_report()
    (mismatch,) = [f for f in report.all_findings if f.code == "total-mismatch"]
    assert (mismatch.row, mismatch.column, mismatch.reported, mismatch.computed) == (
        "Total arrests",
        "2019",
        120,
        118,
    )
    assert "2 less than the total" in mismatch.message


def test_two_releases_of_one_scope_that_disagree_are_a_cross_table_mismatch():
    report = _county_report()
    (mismatch,) = report.cross_table_findings
    assert mismatch.code == "cross-table-mismatch"
    assert (mismatch.reported, mismatch.computed) == (120, 121)


def test_conflations_and_euphemisms_are_named():
    report = _county_report()
    annual = report.tables[0]
    conflated = {f.row for f in annual.findings if f.code == "conflated-category"}
    assert conflated == {"Prostitution (647(b))", "Human trafficking/pimping", "Other"}
    (euphemism,) = [f for f in annual.findings if f.code == "euphemism"]
    assert euphemism.row == "Children recovered"


def test_footnote_markers_on_headers_and_labels_are_reported():
    report = audit(inputs_from(read_path(DATA / "grouped_totals_after.csv")))
    markers = [f for f in report.all_findings if f.code == "footnote-marker"]
    assert {(f.row, f.column) for f in markers} == {
        (None, "2020"),
        ("Misdemeanor - 653.22 PC", None),
    }
    assert report.tables[0].columns == ["2019", "2020"]
