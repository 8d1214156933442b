"""``beyondraid export_htcds --provider NAME [--format csv|json] [--output FILE]`` writes the same
file as the caseworkers' download, logged under the command's name, and answers mistakes in one
plain line."""

import csv
import io
import json

import pytest
from django.core.management import CommandError, call_command

from beyondraid.accounts.models import AuditEntry
from beyondraid.api import htcds
from beyondraid.care.tests.builders import accepted, list_provider

pytestmark = pytest.mark.django_db


@pytest.fixture
def case(world):
    list_provider(world.provider, by=world.caseworker)
    return accepted(world)


def test_csv_goes_to_standard_output_by_default(world, case):
    out = io.StringIO()

    call_command("export_htcds", "--provider", "harbor survivor services", stdout=out)

    reader = csv.DictReader(io.StringIO(out.getvalue()))
    assert reader.fieldnames == htcds.column_names()
    assert [row["btr_CaseId"] for row in reader] == [case.code]
    entry = AuditEntry.objects.get(action=AuditEntry.Action.EXPORT, object_label="1 rows")
    assert entry.actor is None
    assert entry.actor_label == "command: export_htcds"


def test_json_goes_to_the_file_named(world, case, tmp_path):
    target = tmp_path / "cases.json"
    err = io.StringIO()

    call_command(
        "export_htcds",
        "--provider",
        world.provider.name,
        "--format",
        "json",
        "--output",
        str(target),
        stderr=err,
    )

    assert [row["btr_CaseId"] for row in json.loads(target.read_text())] == [case.code]
    assert f"1 case written to {target}" in err.getvalue()


@pytest.mark.parametrize(
    ("arguments", "message"),
    [
        (["--provider", "Nobody Here"], "no organisation of that name"),
        (["--provider", "Agency A Police Department"], "is not a victim-service provider"),
        (
            ["--provider", "Harbor Survivor Services", "--output", "/no/such/folder/cases.csv"],
            "the folder /no/such/folder does not exist",
        ),
    ],
)
def test_mistakes_are_named_in_one_line_and_nothing_is_exported(world, arguments, message):
    with pytest.raises(CommandError, match=message) as refused:
        call_command("export_htcds", *arguments)

    assert "\n" not in str(refused.value)
    assert not AuditEntry.objects.filter(action=AuditEntry.Action.EXPORT).exists()
