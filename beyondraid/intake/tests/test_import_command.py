"""``beyondraid import``: the same import from the command line, with plain one-line errors."""

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError

from beyondraid.intake.models import ImportBatch
from beyondraid.intake.ndjson import MAX_DEPTH
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


def test_files_another_agency_imported_are_refused_for_their_codes_not_known(world, capsys):
    """Issue 19: a steward of another agency is not told that the files were imported, nor
    when; their codes are refused as any code taken."""
    call_command("import", *FILES)

    with pytest.raises(CommandError) as raised:
        call_command("import", *FILES, user=world.steward_b.username)

    assert str(raised.value).splitlines() == [
        "Nothing was imported: 1 problem to fix, then import the files again.",
        "  operations.csv row 2, column operation_code: operation code OP-7K3M-9QX2 cannot be "
        "used: each code is used once, across every agency's records; give this row another code.",
    ]
    assert ImportBatch.objects.filter(created_by=world.steward_b).get().status == "rejected"


@pytest.mark.parametrize("depth", [1000, MAX_DEPTH + 1], ids=["beyond recursion", "just beyond"])
def test_an_ndjson_line_nested_too_deep_is_refused_naming_the_file_and_line(tmp_path, depth):
    """Issue 19: bad input never causes a crash; the decoder would recurse once per level."""
    deep = "[" * depth + "]" * depth
    submission = tmp_path / "cases.ndjson"
    submission.write_text(f'{{"table": "agencies", "name": "X", "kind": "other"}}\n{deep}\n')

    with pytest.raises(CommandError) as raised:
        call_command("import", str(submission))

    assert str(raised.value).splitlines() == [
        "Nothing was imported: 1 problem to fix, then import the files again.",
        f"  cases.ndjson row 2: nests lists and objects more than {MAX_DEPTH} levels deep; a "
        "record of the standard needs three at most.",
    ]
    assert ImportBatch.objects.get().status == ImportBatch.Status.REJECTED
