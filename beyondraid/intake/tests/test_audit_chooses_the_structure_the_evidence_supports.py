"""A total's group is the set of rows that explains the most cells across all columns: a total
that adds up in most years fixes its group, and a year where it does not is a mismatch, never a
reason to call the total unverifiable (issue 24, "structure from the evidence")."""

import json

from beyondraid.intake.audit import TableInput, audit
from beyondraid.intake.audit_output import as_json
from beyondraid.intake.sheets import RawTable

YEARS = ["2018", "2019", "2020", "2021"]


def _audit(cells: list[list[str]]):
    report = audit([TableInput(raw=RawTable(file="summary.csv", sheet=None, cells=cells))])
    (table,) = report.tables
    return report, table


def _totals(table, code: str):
    return [f for f in table.findings if f.code == code]


def test_a_total_wrong_in_one_year_of_four_is_one_mismatch_not_four_unverifiable():
    # "Unknown" above and "Warrants served" below are both rows "Total Arrests" could add up.
    # With the three rows above it, the total adds up in 2018-2020 and is 6 short of its
    # components in 2021; the row below alone explains no year at all.
    _, table = _audit(
        [
            ["Arrests by level", *YEARS],
            ["Felony", "40", "45", "30", "52"],
            ["Misdemeanor", "70", "80", "60", "85"],
            ["Unknown", "10", "10", "8", "9"],
            ["Total Arrests", "120", "135", "98", "140"],
            ["Warrants served", "4", "6", "", "7"],
        ]
    )
    assert not _totals(table, "total-unverifiable")
    (mismatch,) = _totals(table, "total-mismatch")
    assert (mismatch.row, mismatch.column) == ("Total Arrests", "2021")
    assert (mismatch.reported, mismatch.computed) == (140, 146)
    hypothesis = mismatch.hypothesis
    assert hypothesis.rows == ("Felony", "Misdemeanor", "Unknown")
    assert hypothesis.order == "total-last"
    assert (hypothesis.columns, hypothesis.of_columns, hypothesis.supported_cells) == (3, 4, 12)
    assert "adds up exactly in 3 of 4 columns (12 cells)" in mismatch.message
    assert "“Felony” + “Misdemeanor” + “Unknown”" in mismatch.message
    kinds = {row.label: row.kind for row in table.rows}
    assert kinds["Warrants served"] == "other"


def test_a_total_of_subtotals_printed_first_is_checked_against_its_subtotals():
    # "Total Arrests" = felonies + misdemeanours + unknown; the grand total is short in 2019.
    _, table = _audit(
        [
            ["Charge level", *YEARS],
            ["Total Arrests", "61", "70", "52", "64"],
            ["Felony Total", "20", "25", "18", "22"],
            ["Felony - street", "12", "15", "10", "12"],
            ["Felony - online", "8", "10", "8", "10"],
            ["Misdemeanor Total", "38", "40", "31", "39"],
            ["Misdemeanor - street", "30", "28", "21", "30"],
            ["Misdemeanor - online", "8", "12", "10", "9"],
            ["Unknown", "3", "4", "3", "3"],
        ]
    )
    structure = {row.label: row.total_of for row in table.rows}
    assert structure["Total Arrests"] == ["Felony Total", "Misdemeanor Total", "Unknown"]
    assert structure["Felony Total"] == ["Felony - street", "Felony - online"]
    assert structure["Misdemeanor Total"] == ["Misdemeanor - street", "Misdemeanor - online"]
    (mismatch,) = _totals(table, "total-mismatch") + _totals(table, "total-unverifiable")
    assert (mismatch.code, mismatch.row, mismatch.column) == (
        "total-mismatch",
        "Total Arrests",
        "2019",
    )
    assert (mismatch.reported, mismatch.computed) == (70, 69)
    assert mismatch.hypothesis.order == "total-first"


def test_the_json_finding_carries_the_hypothesis():
    report, _ = _audit(
        [
            ["Victims", "2020", "2021", "2022"],
            ["Total identified victims", "30", "41", "26"],
            ["Under 18", "12", "20", "10"],
            ["18 and over", "18", "21", "15"],
        ]
    )
    (finding,) = [
        f
        for f in json.loads(as_json(report))["tables"][0]["findings"]
        if f["code"] == "total-mismatch"
    ]
    assert finding["column"] == "2022"
    assert (finding["reported"], finding["computed"]) == (26, 25)
    assert finding["hypothesis"] == {
        "rows": ["Under 18", "18 and over"],
        "order": "total-first",
        "supported_cells": 6,
        "columns": 2,
        "of_columns": 3,
        "declared": False,
    }


def test_an_unlabelled_row_needs_most_columns_to_add_up_to_be_a_total():
    # Two exact sums out of three columns could be chance in small counts: no total is invented.
    _, table = _audit(
        [
            ["Kind", "2019", "2020", "2021"],
            ["Street", "5", "7", "9"],
            ["Online", "2", "3", "4"],
            ["Hotel", "3", "4", "6"],
        ]
    )
    assert {row.kind for row in table.rows} == {"other"}
    assert not _totals(table, "total-mismatch")
