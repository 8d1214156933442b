"""The manifest: scopes for cross-table checks, declared totals, and one-line errors."""

from pathlib import Path

import pytest

from beyondraid.intake.audit import audit, inputs_from
from beyondraid.intake.manifest import ManifestError, parse_manifest, read_manifest
from beyondraid.intake.sheets import RawTable

DATA = Path(__file__).parent / "data" / "audit"


def _parse(text):
    return parse_manifest(text, name="m.toml", base=DATA)


def test_paths_are_relative_to_the_manifest():
    manifest = read_manifest(DATA / "county.toml")
    assert manifest.entries[0].path == (DATA / "county_arrests_2019.csv").resolve()
    assert manifest.entries[0].scope == "Riverside County"


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ("[[table]\nfile=", "Manifest m.toml is not valid TOML"),
        (
            '[[table]]\nfile = "a.csv"\nwitin = "X"\n',
            "Manifest m.toml, table 1: unknown key 'witin'",
        ),
        ('title = "x"\n', "Manifest m.toml: unknown key 'title'"),
        ('[[table]]\ntitle = "No file"\n', "Manifest m.toml, table 1: the entry has no file"),
        ("[[table]]\nfile = 3\n", "Manifest m.toml, table 1: file must be a non-empty text"),
        ("", "Manifest m.toml lists no [[table]] entries"),
        (
            '[[table]]\nfile = "a.csv"\n[[table.total]]\nrow = "Total"\nof = []\n',
            "Manifest m.toml, table 1 (a.csv), total 1: of must list the component rows",
        ),
        (
            '[[table]]\nfile = "a.csv"\nscope = "X"\nwithin = "X"\n',
            "Manifest m.toml, table 1 (a.csv): a scope cannot be within itself",
        ),
    ],
)
def test_a_bad_manifest_is_one_line_naming_the_manifest_and_entry(text, message):
    with pytest.raises(ManifestError) as error:
        _parse(text)
    assert str(error.value).startswith(message)
    assert "\n" not in str(error.value)


def test_an_entry_for_a_file_not_given_is_refused():
    manifest = _parse('[[table]]\nfile = "missing.csv"\n')
    table = RawTable(file="other.csv", sheet=None, cells=[["A", "2020"], ["B", "1"]])
    with pytest.raises(ManifestError, match="the table file missing.csv was not given"):
        inputs_from([table], manifest)


def test_an_entry_for_a_sheet_the_workbook_lacks_is_refused():
    manifest = _parse('[[table]]\nfile = "book.xlsx"\nsheet = "2021"\n')
    table = RawTable(file="book.xlsx", sheet="2020", cells=[["A", "2020"], ["B", "1"]])
    with pytest.raises(ManifestError, match="book.xlsx has no sheet named “2021”"):
        inputs_from([table], manifest)


def test_a_declared_component_the_sheet_lacks_is_named():
    manifest = _parse(
        '[[table]]\nfile = "t4.csv"\n[[table.total]]\nrow = "Total Rescues"\n'
        'of = ["Juvenile", "Adult"]\n'
    )
    table = RawTable(
        file="t4.csv",
        sheet=None,
        cells=[["", "2017"], ["Total Rescues", "18"], ["Juvenile", "12"]],
    )
    (report,) = audit(inputs_from([table], manifest)).tables
    (finding,) = [f for f in report.findings if f.code == "total-unverifiable"]
    assert "the row “Adult” is missing" in finding.message
    assert (finding.reported, finding.computed) == (18, 12)


def test_scopes_chain_so_a_task_force_is_compared_with_the_state():
    manifest = _parse(
        '[[table]]\nfile = "state.csv"\nscope = "State"\n'
        '[[table]]\nfile = "county.csv"\nscope = "County"\nwithin = "State"\n'
        '[[table]]\nfile = "unit.csv"\nscope = "Unit"\nwithin = "County"\n'
    )

    def table(name, value):
        return RawTable(file=name, sheet=None, cells=[["", "2020"], ["Buyers", value]])

    report = audit(
        inputs_from(
            [table("state.csv", "10"), table("county.csv", "9"), table("unit.csv", "12")], manifest
        )
    )
    exceeding = {(f.reported, f.computed) for f in report.cross_table_findings}
    assert exceeding == {(12, 9), (12, 10)}
