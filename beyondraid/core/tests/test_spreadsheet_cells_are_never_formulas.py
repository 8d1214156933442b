"""Every CSV the system writes goes through one writer that neutralises formula cells."""

import io

import pytest

from beyondraid.core import spreadsheets


@pytest.mark.parametrize(
    "value",
    ["=1+1", "+SUM(A1)", "-2+3*cmd|' /C calc'!A0", "@SUM(1+1)", "\tTAB", "\rCR", "-", "+"],
)
def test_a_cell_that_a_spreadsheet_would_run_is_written_as_text(value):
    assert spreadsheets.neutralise(value) == f"'{value}"


@pytest.mark.parametrize("value", ["-3", "+1.5", "12", "Operation Reclaim", "", 7, None, -2.5])
def test_numbers_and_plain_text_are_left_as_they_are(value):
    assert spreadsheets.neutralise(value) == value


def test_both_writers_neutralise_every_cell_and_the_header():
    out = io.StringIO()
    spreadsheets.writer(out, lineterminator="\n").writerow(["=A1", "-4", "plain"])
    assert out.getvalue() == "'=A1,-4,plain\n"

    out = io.StringIO()
    writer = spreadsheets.dict_writer(out, fieldnames=["@name"], lineterminator="\n")
    writer.writeheader()
    writer.writerows([{"@name": "+cmd"}])
    assert out.getvalue() == "'@name\n'+cmd\n"
