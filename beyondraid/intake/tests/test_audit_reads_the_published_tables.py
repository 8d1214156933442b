"""Done when an analyst audits the published tables and reads every oddity the fixtures' README
lists among the findings (tables 2, 3, 4 with a manifest: statewide ⊃ Los Angeles County ⊃
LAPD + LASD task force; Table 9 and Tables 1, E1, E2 as they are)."""

from pathlib import Path

import pytest
from django.core.management import call_command

from beyondraid.intake.audit import audit, inputs_from
from beyondraid.intake.manifest import parse_manifest
from beyondraid.intake.sheets import read_path
from beyondraid.standard.published import find_published_dir

MANIFEST = """
[[table]]
file = "table02_ca_statewide_arrests_by_individual_type.csv"
title = "Table 2"
scope = "California"
operation = "Operation Reclaim and Rebuild"

[[table]]
file = "table03_la_county_arrests_by_individual_type.csv"
title = "Table 3"
scope = "Los Angeles County"
within = "California"

[[table]]
file = "table04_lapd_lasd_larhttf_arrests_by_individual_type.csv"
title = "Table 4"
scope = "LAPD + LASD LARHTTF"
within = "Los Angeles County"
"""


@pytest.fixture(scope="module")
def report():
    directory = find_published_dir()
    manifest = parse_manifest(MANIFEST, name="published.toml", base=directory)
    tables = [table for path in sorted(directory.glob("*.csv")) for table in read_path(path)]
    return audit(inputs_from(tables, manifest))


def _table(report, title):
    return next(t for t in report.tables if t.title == title)


def _find(findings, code, row=None, column=None):
    return [
        f
        for f in findings
        if f.code == code
        and (row is None or f.row == row)
        and (column is None or f.column == column)
    ]


def test_table2_2017_total_holds_only_if_na_counts_as_zero(report):
    table = _table(report, "Table 2")
    (notation,) = _find(table.findings, "notation", "Commercial Sex Worker", "2017")
    assert notation.reported == "N/A"
    (unverifiable,) = _find(table.findings, "total-unverifiable", "Total Arrests", "2017")
    assert (unverifiable.reported, unverifiable.computed) == (236, 236)
    assert "short of the total by 0" in unverifiable.message
    assert _find(table.findings, "blank-cell", "Juvenile", "2017")
    assert not _find(table.findings, "total-mismatch")


def test_the_county_reports_what_the_state_leaves_out(report):
    cross = report.cross_table_findings
    (sellers,) = _find(cross, "superset-not-reported", "Commercial Sex Worker", "2017")
    assert sellers.computed == 149
    assert "at least 385" in sellers.message
    (juveniles,) = _find(cross, "superset-not-reported", "Juvenile", "2017")
    assert juveniles.computed == 15


def test_county_and_task_force_arrests_exceed_the_statewide_total_in_2017(report):
    exceeding = _find(report.cross_table_findings, "subset-exceeds-superset", "Total Arrests")
    assert {(f.reported, f.computed) for f in exceeding} == {(280, 236), (262, 236)}
    assert all(f.severity == "error" and f.column == "2017" for f in exceeding)


def test_table4_lacks_the_adult_row_and_two_cells(report):
    table = _table(report, "Table 4")
    rescues = _find(table.findings, "total-unverifiable", "Total Rescues")
    assert {f.column for f in rescues} == {"2017", "2018", "2019", "2020"}
    assert all("“Adult”" in f.message for f in rescues)
    assert _find(table.findings, "blank-cell", "John", "2018")
    assert _find(table.findings, "blank-cell", "Juvenile", "2019")


def test_categories_words_and_breakdowns_of_the_tracking_sheets(report):
    for title in ("Table 2", "Table 3", "Table 4"):
        findings = _table(report, title).findings
        conflated = {f.row for f in _find(findings, "conflated-category")}
        assert conflated == {"Pimp/Pandering/Supervising", "Other"}
        (euphemism,) = _find(findings, "euphemism")
        assert euphemism.row == "Total Rescues"
        assert "identified victims" in euphemism.message
        breakdowns = " ".join(f.message for f in _find(findings, "missing-breakdown"))
        for missing in ("gender", "services received", "six months", "trafficking charges"):
            assert missing in breakdowns


def test_table9_victims_sheet_is_audited_without_echoing_people(report):
    table = next(t for t in report.tables if t.file.endswith("table09_occ_2017_victims.csv"))
    assert table.layout == "records"
    assert table.rows == [] and table.record_count == 5
    findings = table.findings
    (arrest,) = [f for f in _find(findings, "arrest-without-charge") if f.reported == "N/A"]
    assert arrest.row == "row 3"  # victim 2
    assert _find(findings, "notation", "row 6", "CITATION OR CHARGE")[0].reported == "?"
    assert _find(findings, "blank-cell", "row 5", "CITATION OR CHARGE")  # victim 4
    (unserved,) = _find(findings, "victims-without-services")
    assert "among them 2 of the 4 juvenile victims" in unserved.message
    (arrested,) = _find(findings, "victims-arrested")
    assert arrested.reported == 2
    breakdowns = {f.message for f in _find(findings, "missing-breakdown")}
    assert any("gender (“GENDER”)" in m and "only in part" in m for m in breakdowns)
    assert any("services received (“VICTIM SERVICES”)" in m for m in breakdowns)


def test_the_records_request_tables_count_sixteen_requests(report):
    table = next(
        t
        for t in report.tables
        if t.file.endswith("table01_summary_of_public_records_requests.csv")
    )
    (count,) = _find(table.findings, "list-count")
    assert count.computed == 16
    assert "“DENIED REQUEST” 7" in count.message
    assert "“RELEASED DOCUMENTS” 5" in count.message


def test_the_published_audit_runs_from_the_command_line(tmp_path):
    directory = find_published_dir()
    manifest = tmp_path / "published.toml"
    manifest.write_text(MANIFEST.replace('file = "', f'file = "{directory}/'), encoding="utf-8")
    out = tmp_path / "report.json"
    call_command("audit", "--manifest", str(manifest), "--format", "json", "--out", str(out))
    assert Path(out).read_text(encoding="utf-8").startswith("{")
