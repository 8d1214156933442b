"""Every sheet of an XLSX workbook is a table of its own, read as displayed."""

import pytest
from openpyxl import Workbook

from beyondraid.intake.audit import audit, inputs_from
from beyondraid.intake.sheets import SheetError, read_path


def _workbook(path, sheets: dict[str, list[list]]):
    workbook = Workbook()
    workbook.remove(workbook.active)
    for title, rows in sheets.items():
        worksheet = workbook.create_sheet(title)
        for row in rows:
            worksheet.append(row)
    workbook.save(path)
    return path


def test_each_sheet_is_audited_as_its_own_table(tmp_path):
    path = _workbook(
        tmp_path / "orr.xlsx",
        {
            "2019": [
                [None, "Q1", "Q2"],
                ["Total Arrests", 30, 25.0],
                ["Sellers", 18, 10],
                ["Buyers", 12, 15],
            ],
            "2020": [
                ["Offence", "Q1 ¹", "Q2"],
                ["Buyers", 9, 4],
                ["Sellers", 7, None],
                ["Total Arrests", 20, 4],
            ],
            "Notes": [],
        },
    )
    report = audit(inputs_from(read_path(path)))
    assert [table.sheet for table in report.tables] == ["2019", "2020", "Notes"]
    first, second, notes = report.tables
    assert first.rows[0].total_of == ["Sellers", "Buyers"]
    assert first.findings and all(f.code == "missing-breakdown" for f in first.findings)
    assert second.rows[-1].total_of == ["Buyers", "Sellers"]
    codes = {(f.code, f.column) for f in second.findings}
    assert ("total-mismatch", "Q1") in codes  # 9 + 7 = 16, not 20
    assert ("total-unverifiable", "Q2") in codes  # the blank may be 0
    assert ("footnote-marker", "Q1") in codes
    assert notes.notes == ["The sheet is empty: there is nothing to audit."]


def test_a_workbook_with_one_empty_sheet_is_reported_not_refused(tmp_path):
    path = _workbook(tmp_path / "empty.xlsx", {"Sheet1": []})
    report = audit(inputs_from(read_path(path)))
    assert report.tables[0].findings == []
    assert "empty" in report.tables[0].notes[0]


def test_a_damaged_workbook_is_one_plain_sentence(tmp_path):
    path = tmp_path / "damaged.xlsx"
    path.write_bytes(b"PK\x03\x04 this is not really a workbook")
    with pytest.raises(SheetError, match=r"damaged.xlsx is not a readable XLSX workbook"):
        read_path(path)
