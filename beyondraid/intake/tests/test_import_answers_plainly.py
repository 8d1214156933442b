"""Each answer of the importer says the one thing that is wrong, and the right next step: a file
that cannot be read is named alone, a bad NDJSON line once with its line, and the imports pages
say when an agency's system sent a batch."""

import datetime
import json
import sys

import pytest
from django.urls import reverse
from django.utils import timezone

from beyondraid.accounts.testing import sign_in_verified
from beyondraid.api import services as api_services
from beyondraid.api import tokens
from beyondraid.api.authentication import TokenActor
from beyondraid.care.tests.builders import administrator_steward
from beyondraid.intake import importing
from beyondraid.intake.models import ImportBatch
from beyondraid.standard.loading import read_exchange_directory
from beyondraid.standard.models import Encounter

from .conftest import MINIMAL, minimal_files

pytestmark = pytest.mark.django_db


def _with_encounters(content: bytes) -> list[importing.SourceFile]:
    return [
        importing.SourceFile(f.name, content) if f.name == "encounters.csv" else f
        for f in minimal_files()
    ]


@pytest.mark.parametrize(
    ("content", "problem"),
    [
        (b"", "encounters.csv is empty: it has no cells."),
        (
            b"\x89PNG\r\n\x1a\n\x00\x00",
            "encounters.csv is not a text table (it holds binary data); give CSV or TSV.",
        ),
    ],
)
def test_a_file_that_cannot_be_read_is_the_only_answer(content, problem):
    with pytest.raises(importing.ImportRefused) as refused:
        importing.import_files(_with_encounters(content))

    assert refused.value.problems == [problem]


def test_a_latin_1_file_is_said_to_be_not_utf_8_with_how_to_save_it_as_utf_8():
    text = (MINIMAL / "encounters.csv").read_text(encoding="utf-8")
    latin_1 = (text + "E-ÑÑÑÑ-2222\n").encode("latin-1")

    with pytest.raises(importing.ImportRefused) as refused:
        importing.import_files(_with_encounters(latin_1))

    (problem,) = refused.value.problems
    assert problem.startswith(
        "encounters.csv is not UTF-8 text: line 4 has a character in another encoding, such as "
        "Latin-1 or Windows-1252"
    )
    assert "'CSV UTF-8 (Comma delimited)'" in problem
    assert "audit" not in str(refused.value)
    assert str(refused.value).splitlines()[0].endswith("then import the files again.")


def _ndjson_lines() -> list[str]:
    """The minimal dataset as NDJSON, one record a line."""
    tables, _ = read_exchange_directory(MINIMAL)
    return [
        json.dumps({"table": name, **{c: v for c, v in zip(table.header, cells, strict=True) if v}})
        for name, table in tables.items()
        for _, cells in table.rows
    ]


def test_a_bad_ndjson_line_is_one_message_naming_the_file_and_the_line():
    lines = _ndjson_lines()
    number = next(i for i, line in enumerate(lines, 1) if '"E-1111-2222", "operation' in line)
    lines[number - 1] = lines[number - 1].replace('"E-1111-2222", ', '"E-1111-2222" ')

    with pytest.raises(importing.ImportRefused) as refused:
        importing.import_files([importing.SourceFile("sub.ndjson", "\n".join(lines).encode())])

    (problem,) = refused.value.problems
    assert problem.startswith(f"sub.ndjson row {number}: is not a JSON object")
    assert ".csv" not in str(refused.value)


def test_an_ndjson_line_with_a_number_python_will_not_read_is_named_with_its_line():
    """Python refuses whole numbers of more than 4,300 digits with a bare ValueError, which the
    importer once took for a JSON syntax error and crashed on."""
    line = b'{"table": "agencies", "name": ' + b"1" * 5000 + b"}\n"

    with pytest.raises(importing.ImportRefused) as refused:
        importing.import_files([importing.SourceFile("sub.ndjson", line)])

    assert refused.value.problems == [
        f"sub.ndjson row 1: holds a number of more than {sys.get_int_max_str_digits():,} digits; "
        "no value of a record is that long."
    ]


def test_an_empty_ndjson_file_is_named_alone():
    with pytest.raises(importing.ImportRefused) as refused:
        importing.import_files([importing.SourceFile("sub.ndjson", b"\n")])

    assert refused.value.problems == [
        "sub.ndjson is empty; give one record a line, as a JSON object."
    ]


def test_a_batch_an_agency_system_sent_names_its_token_on_the_imports_pages(client, world):
    token = tokens.issue(
        user=administrator_steward(world),
        agency=world.agency_a,
        name="Records management system",
        can_read=True,
        can_write=True,
        record_types=["operations", "encounters"],
        expires_on=timezone.localdate() + datetime.timedelta(days=30),
    ).token
    parts = (MINIMAL / "operation_agencies.csv").read_text(encoding="utf-8")
    files = minimal_files(
        operation_agencies=parts.replace("Test Harbor Police Department", world.agency_a.name)
    )
    api_services.submit_files(token=token, actor=TokenActor(token), files=files)
    batch = ImportBatch.objects.get()
    assert Encounter.objects.filter(code="E-1111-2222").exists()
    sign_in_verified(client, world.steward_a)

    listed = client.get(reverse("intake:import_list")).content.decode()
    detail = client.get(reverse("intake:import_detail", args=[batch.pk])).content.decode()

    said = f"agency system (API token {token.prefix})"
    assert f'<td data-label="By">{said}</td>' in listed
    assert f"<td>{said}, for {world.agency_a.name}</td>" in detail
    assert "command line" not in listed + detail
