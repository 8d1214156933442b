"""Structure inference: totals before or after their components, group headers, `… Total` rows,
grand totals of subtotals, shared label prefixes and rows in no group."""

from pathlib import Path

from beyondraid.intake.audit import TableInput, audit
from beyondraid.intake.manifest import DeclaredTotal
from beyondraid.intake.sheets import RawTable, read_path
from beyondraid.standard.published import find_published_dir

DATA = Path(__file__).parent / "data" / "audit"


def _structure(path: Path) -> dict[str, tuple[str, list[str], str | None]]:
    report = audit([TableInput(raw=table) for table in read_path(path)])
    (table,) = report.tables
    return {row.label: (row.kind, row.total_of, row.group) for row in table.rows}


def _codes(report) -> set[str]:
    return {finding.code for finding in report.all_findings}


def test_a_total_printed_before_its_components_is_found():
    rows = _structure(find_published_dir() / "table03_la_county_arrests_by_individual_type.csv")
    assert rows["Total Arrests"] == (
        "total",
        ["Commercial Sex Worker", "John", "Pimp/Pandering/Supervising", "Other"],
        None,
    )
    assert rows["Total Rescues"] == ("total", ["Juvenile", "Adult"], None)
    assert rows["Adult"][0] == "component"


def test_group_headers_subtotals_after_and_a_grand_total_of_subtotals():
    rows = _structure(DATA / "grouped_totals_after.csv")
    assert rows["Felony"] == ("group", [], None)
    assert rows["Felony Total"] == ("total", ["Felony - Pimping", "Felony - Pandering"], "Felony")
    assert rows["Misdemeanor Total"][1] == ["Misdemeanor - 647(b)", "Misdemeanor - 653.22 PC"]
    assert rows["Grand Total"] == ("total", ["Felony Total", "Misdemeanor Total"], None)
    assert rows["Warrants served"] == ("other", [], None)


def test_a_grand_total_printed_first_adds_up_the_group_totals_below():
    rows = _structure(DATA / "grand_total_first.csv")
    assert rows["All arrests total"][1] == ["Sellers Total", "Buyers Total"]
    assert rows["Sellers Total"] == ("total", ["Sellers - street", "Sellers - online"], "Sellers")
    assert rows["Buyers - online"] == ("component", [], "Buyers")


def test_a_tsv_total_first_with_a_row_in_no_total():
    rows = _structure(DATA / "total_first.tsv")
    assert rows["Total people encountered"][1] == ["Adults", "Minors"]
    assert rows["Arrests (all)"][0] == "other"


def test_an_unlabelled_row_that_adds_up_other_rows_is_a_total():
    table = RawTable(
        file="unlabelled.csv",
        sheet=None,
        cells=[
            ["Offence", "2019", "2020", "2021"],
            ["Sex offences", "30", "41", "25"],
            ["Loitering", "12", "20", "10"],
            ["Solicitation", "18", "21", "15"],
            ["Warrants", "7", "3", "4"],
        ],
    )
    (report,) = audit([TableInput(raw=table)]).tables
    kinds = {row.label: (row.kind, row.total_of) for row in report.rows}
    assert kinds["Sex offences"] == ("total", ["Loitering", "Solicitation"])
    assert kinds["Warrants"] == ("other", [])


def test_coincidences_in_one_column_do_not_invent_a_total():
    table = RawTable(
        file="small.csv",
        sheet=None,
        cells=[["Kind", "2020"], ["Buyers", "5"], ["Sellers", "2"], ["Others", "3"]],
    )
    (report,) = audit([TableInput(raw=table)]).tables
    assert {row.kind for row in report.rows} == {"other"}


def test_a_table_that_adds_up_gives_no_false_finding():
    report = audit([TableInput(raw=table) for table in read_path(DATA / "adds_up.csv")])
    assert _codes(report) <= {"missing-breakdown"}
    (table,) = report.tables
    assert table.rows[0].total_of == ["Under 18", "18 and over"]


def test_the_manifest_can_declare_the_structure_the_numbers_cannot_show():
    table = RawTable(
        file="declared.csv",
        sheet=None,
        cells=[["Kind", "2020"], ["All people", "10"], ["Buyers", "5"], ["Sellers", "5"]],
    )
    declared = (DeclaredTotal(row="All people", of=("Buyers", "Sellers")),)
    (report,) = audit([TableInput(raw=table, totals=declared)]).tables
    assert report.structure_declared
    assert report.rows[0].total_of == ["Buyers", "Sellers"]
    assert report.findings and all(f.code == "missing-breakdown" for f in report.findings)
