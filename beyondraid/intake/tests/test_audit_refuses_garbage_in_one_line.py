"""Bad input gets one line that names the file and exits 2; no traceback, ever."""

import os
import subprocess
import sys
from pathlib import Path

import pytest
from django.core.management import CommandError, call_command
from openpyxl import Workbook

from beyondraid.intake.audit import audit, inputs_from
from beyondraid.intake.sheets import SheetError, read_bytes, read_path

DATA = Path(__file__).parent / "data" / "audit"


@pytest.mark.parametrize(
    ("name", "content", "message"),
    [
        ("photo.csv", b"\x89PNG\r\n\x1a\n\x00\x00\x00", "photo.csv is not a text table"),
        ("latin1.csv", "Año,2019\nTotal,3\n".encode("latin-1"), "latin1.csv is not UTF-8"),
        ("empty.csv", b"", "empty.csv is empty"),
        ("blank-lines.tsv", b"\n\n\t\n", "blank-lines.tsv is empty"),
        ("old.xls", b"\xd0\xcf\x11\xe0", "old.xls is an old Excel .xls file"),
        ("report.pdf", b"%PDF-1.4", "report.pdf is a damaged PDF"),
        ("report.docx", b"PK", "report.docx is not a sheet this audit reads"),
        ("random.xlsx", os.urandom(512), "random.xlsx is not a readable XLSX workbook"),
        (
            "unclosed.csv",
            b'Kind,2020\nTotal,3\n"Buyers,2\nSellers,1\n',
            "unclosed.csv is not a well-formed table: the quoted cell that starts on line 3 has "
            "no closing quote",
        ),
    ],
)
def test_an_unreadable_file_is_named_in_one_sentence(name, content, message):
    with pytest.raises(SheetError) as error:
        read_bytes(name, content)
    assert str(error.value).startswith(message)
    assert "\n" not in str(error.value)


@pytest.mark.parametrize(
    ("name", "content"),
    [
        ("one-column.csv", b"Total Arrests\n236\n142\n"),
        ("header-only.csv", b",2017,2018\n"),
        ("ragged.csv", b"a,b\n1\n2,3,4,5\n"),
        ("quoted.csv", b'Kind,Note\n"Total","says ""all"""\n"Buyers, adult",""\n'),
        ("closed-at-the-end.csv", b'Kind,Note\nTotal,""'),
        ("words.csv", b"Agency,Reason\nFBI,too broad\n"),
        ("tabs.txt", b"Kind\t2020\nTotal\tN/A\nBuyers\t\n"),
    ],
)
def test_odd_but_readable_tables_are_audited_without_error(name, content):
    report = audit(inputs_from(read_bytes(name, content)))
    assert len(report.tables) == 1
    report.to_json()


def test_an_xlsx_with_an_empty_sheet_is_audited(tmp_path):
    workbook = Workbook()
    workbook.active.title = "Empty"
    workbook.save(tmp_path / "book.xlsx")
    (table,) = audit(inputs_from(read_path(tmp_path / "book.xlsx"))).tables
    assert table.sheet == "Empty" and table.notes


def test_the_command_refuses_a_missing_file_with_exit_code_2(tmp_path):
    with pytest.raises(CommandError) as error:
        call_command("audit", str(tmp_path / "nowhere.csv"))
    assert error.value.returncode == 2
    assert "nowhere.csv: no such file." in str(error.value)


def test_the_command_refuses_a_csv_with_an_unclosed_quote_with_exit_code_2(tmp_path):
    path = tmp_path / "arrests.csv"
    path.write_bytes(b'Kind,2020\nTotal,3\n"Buyers,2\nSellers,1\n')

    with pytest.raises(CommandError) as error:
        call_command("audit", str(path))

    assert error.value.returncode == 2
    assert "the quoted cell that starts on line 3 has no closing quote" in str(error.value)


def test_the_command_without_files_says_what_to_give():
    with pytest.raises(CommandError) as error:
        call_command("audit")
    assert error.value.returncode == 2
    assert "Give at least one file" in str(error.value)


def _beyondraid(*args):
    return subprocess.run(
        [sys.executable, "-m", "beyondraid.cli", "audit", *args],
        capture_output=True,
        text=True,
        timeout=120,
    )


def test_bad_usage_and_garbage_exit_2_with_one_line_on_the_command_line(tmp_path):
    garbage = tmp_path / "garbage.xlsx"
    garbage.write_bytes(os.urandom(300))
    for args, expected in (
        (["--format", "pdf", str(DATA / "adds_up.csv")], "invalid choice: 'pdf'"),
        ([str(garbage)], "garbage.xlsx is not a readable XLSX workbook"),
    ):
        result = _beyondraid(*args)
        assert result.returncode == 2, result.stderr
        assert "Traceback" not in result.stderr
        assert expected in result.stderr
        assert len(result.stderr.strip().splitlines()) == 1


def test_a_file_that_was_audited_exits_0_even_with_errors():
    result = _beyondraid(str(DATA / "county_arrests_2019.csv"))
    assert result.returncode == 0, result.stderr
    assert "[total-mismatch]" in result.stdout
