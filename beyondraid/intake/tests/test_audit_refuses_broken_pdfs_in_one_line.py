"""A PDF the audit cannot read — encrypted, damaged, with no table, or a scan with no table —
and a CSV with an unterminated quote each get one line naming the file and what to do, and exit
2; never a traceback, never "0 errors" (issue 24)."""

import subprocess
import sys
from collections.abc import Callable
from pathlib import Path

import pytest
from django.core.management import CommandError, call_command

from beyondraid.intake.sheets import SheetError, read_bytes
from beyondraid.standard.published import find_published_dir

from .pdfs import csv_as_pdf, encrypted, letter_pdf, pdf_of, scan_pdf

TABLE = find_published_dir() / "table02_ca_statewide_arrests_by_individual_type.csv"


def _truncated() -> bytes:
    content = csv_as_pdf(TABLE)
    return content[: len(content) // 2]


BROKEN: dict[str, tuple[Callable[[], bytes], str]] = {
    "locked.pdf": (
        lambda: encrypted(csv_as_pdf(TABLE)),
        "locked.pdf is an encrypted PDF that needs a password to open; ask the agency",
    ),
    "cut.pdf": (_truncated, "cut.pdf is a damaged PDF that cannot be read"),
    "letter.pdf": (letter_pdf, "letter.pdf has no table this audit can read"),
    # A scan is read by OCR (test_audit_reads_scans): this one is of a single boxed line.
    "scan.pdf": (scan_pdf, "scan.pdf has no table this audit can read"),
    "unclosed.csv": (
        lambda: b'Kind,2020\nTotal,3\n"Buyers,2\nSellers,1\n',
        "unclosed.csv is not a well-formed table: the quoted cell that starts on line 3 has no "
        "closing quote",
    ),
}


@pytest.fixture(scope="module")
def broken(tmp_path_factory) -> dict[str, Path]:
    directory = tmp_path_factory.mktemp("broken")
    paths = {}
    for name, (make, _) in BROKEN.items():
        paths[name] = directory / name
        paths[name].write_bytes(make())
    return paths


@pytest.mark.parametrize("name", BROKEN)
def test_a_broken_file_is_refused_in_one_sentence_naming_it(name, broken):
    with pytest.raises(SheetError) as error:
        read_bytes(name, broken[name].read_bytes())
    assert str(error.value).startswith(BROKEN[name][1])
    assert "\n" not in str(error.value)


@pytest.mark.parametrize("name", BROKEN)
def test_the_command_refuses_a_broken_file_with_exit_code_2(name, broken):
    with pytest.raises(CommandError) as error:
        call_command("audit", str(broken[name]))
    assert error.value.returncode == 2
    assert BROKEN[name][1] in str(error.value)


def test_a_blank_pdf_is_not_taken_for_a_scan():
    with pytest.raises(SheetError, match=r"^blank\.pdf has no text: its pages are blank\.$"):
        read_bytes("blank.pdf", pdf_of("<html><body></body></html>"))


def test_on_the_command_line_each_gets_one_line_on_stderr_and_exit_2(broken):
    for name, (_, message) in BROKEN.items():
        result = subprocess.run(
            [sys.executable, "-m", "beyondraid.cli", "audit", str(broken[name])],
            capture_output=True,
            text=True,
            timeout=120,
        )
        assert result.returncode == 2, (name, result.stderr)
        assert "Traceback" not in result.stderr
        assert message in result.stderr
        assert len(result.stderr.strip().splitlines()) == 1
        assert result.stdout == ""
