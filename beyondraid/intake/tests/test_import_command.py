"""``beyondraid import``: the same import from the command line, with plain one-line errors."""

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError

from beyondraid.intake.models import ImportBatch
from beyondraid.standard.models import Encounter

from .conftest import MINIMAL

pytestmark = pytest.mark.django_db
FILES = [str(path) for path in sorted(MINIMAL.glob("*.csv"))]


def test_import_then_list_then_undo(capsys):
    call_command("import", *FILES)
    assert capsys.readouterr().out.startswith("Created 2 agencies, 1 operations")
    batch = ImportBatch.objects.get()

    call_command("import", list=True)
    listed = capsys.readouterr().out
    assert f"{batch.pk:>5}" in listed and "operator" in listed and "Imported" in listed

    call_command("import", undo=batch.pk)
    assert capsys.readouterr().out.startswith(f"Undid import {batch.pk}: removed 1 operations")
    assert not Encounter.objects.exists()


def test_a_dry_run_keeps_nothing(capsys):
    call_command("import", *FILES, dry_run=True)

    assert capsys.readouterr().out.startswith("Would create")
    assert not Encounter.objects.exists()
    assert not ImportBatch.objects.exists()


def test_every_problem_is_listed_and_nothing_is_kept(tmp_path):
    for path in MINIMAL.glob("*.csv"):
        (tmp_path / path.name).write_text(path.read_text(encoding="utf-8"), encoding="utf-8")
    encounters = tmp_path / "encounters.csv"
    encounters.write_text(
        encounters.read_text(encoding="utf-8")
        .replace("15_17", "teen")
        .replace("woman,unknown", "lady,unknown")
    )

    with pytest.raises(CommandError) as raised:
        call_command("import", *sorted(str(p) for p in tmp_path.glob("*.csv")))

    lines = str(raised.value).splitlines()
    assert lines[0] == "Nothing was imported: 2 problems to fix, then import the files again."
    assert lines[1].startswith("  encounters.csv row 2, column age_group: 'teen' is not in")
    assert lines[2].startswith("  encounters.csv row 3, column gender_identity: 'lady' is not in")
    assert not Encounter.objects.exists()


@pytest.mark.parametrize(
    ("arguments", "message"),
    [
        ([], "Give one or more files to import (or --list, or --undo N)."),
        (["/nowhere/encounters.csv"], "/nowhere/encounters.csv: no such file."),
        (["--undo", "99"], "There is no import 99 to undo; --list shows them."),
        (["--user", "nobody", "x.csv"], "No active user is named 'nobody'."),
    ],
)
def test_usage_mistakes_get_one_plain_line(arguments, message):
    with pytest.raises(CommandError) as raised:
        call_command("import", *arguments)

    assert str(raised.value) == message


def test_a_steward_named_with_user_imports_within_their_agency(harbor_steward, capsys):
    call_command("import", *FILES, user=harbor_steward.username)

    assert ImportBatch.objects.get().created_by == harbor_steward
