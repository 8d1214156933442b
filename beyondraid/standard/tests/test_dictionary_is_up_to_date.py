"""The committed data dictionary and Table Schemas are what the standard generates today."""

import shutil

import pytest
from django.core.management import CommandError, call_command

from beyondraid.standard import dictionary
from beyondraid.standard.table_schemas import SCHEMA_DIR


def test_the_committed_files_equal_freshly_generated_output():
    for file in dictionary.generated_files():
        assert file.path.read_text(encoding="utf-8") == file.content, (
            f"{file.path} is out of date; run `beyondraid dictionary`."
        )


def test_the_check_passes_on_the_committed_tree(capsys):
    call_command("dictionary", "--check")
    assert "up to date" in capsys.readouterr().out


def test_generating_twice_gives_the_same_bytes():
    first = [(file.path, file.content) for file in dictionary.generated_files()]
    second = [(file.path, file.content) for file in dictionary.generated_files()]
    assert first == second


@pytest.fixture
def copy_of_outputs(tmp_path):
    docs = tmp_path / "docs" / "standard.md"
    docs.parent.mkdir()
    shutil.copy(dictionary.DEFAULT_DOCS, docs)
    schemas = tmp_path / "schemas"
    shutil.copytree(SCHEMA_DIR, schemas)
    return docs, schemas


def _arguments(docs, schemas):
    return ["--docs", str(docs), "--schemas", str(schemas)]


def test_the_check_names_an_altered_file_and_changes_nothing(copy_of_outputs):
    docs, schemas = copy_of_outputs
    altered = schemas / "encounters.json"
    altered.write_text(altered.read_text(encoding="utf-8") + " ")
    docs.write_text(docs.read_text(encoding="utf-8") + "A hand-written note.\n")
    before = {path: path.read_bytes() for path in [docs, *schemas.iterdir()]}

    with pytest.raises(CommandError) as raised:
        call_command("dictionary", "--check", *_arguments(docs, schemas))

    message = str(raised.value)
    assert "\n" not in message
    assert str(altered) in message and str(docs) in message
    assert "agencies.json" not in message
    assert "run `beyondraid dictionary`" in message.lower()
    assert {path: path.read_bytes() for path in [docs, *schemas.iterdir()]} == before


def test_the_check_names_a_missing_file(copy_of_outputs):
    docs, schemas = copy_of_outputs
    (schemas / "datapackage.json").unlink()
    with pytest.raises(CommandError, match="datapackage.json"):
        call_command("dictionary", "--check", *_arguments(docs, schemas))


def test_the_check_names_a_schema_no_table_produces(copy_of_outputs):
    docs, schemas = copy_of_outputs
    (schemas / "raids.json").write_text("{}\n")
    with pytest.raises(CommandError, match=r"raids\.json.*delete it"):
        call_command("dictionary", "--check", *_arguments(docs, schemas))


def test_regenerating_repairs_the_files_and_the_check_then_passes(copy_of_outputs, capsys):
    docs, schemas = copy_of_outputs
    (schemas / "charges.json").write_text("{}\n")
    docs.unlink()

    call_command("dictionary", *_arguments(docs, schemas))
    wrote = capsys.readouterr().out
    assert "charges.json" in wrote and "standard.md" in wrote
    assert "encounters.json" not in wrote

    call_command("dictionary", "--check", *_arguments(docs, schemas))
    assert "up to date" in capsys.readouterr().out


def test_an_output_path_that_cannot_be_written_gives_one_clear_line(tmp_path):
    blocked = tmp_path / "not-a-directory"
    blocked.write_text("")
    with pytest.raises(CommandError, match="Cannot write") as raised:
        call_command(
            "dictionary", "--docs", str(blocked / "standard.md"), "--schemas", str(tmp_path)
        )
    assert "\n" not in str(raised.value)
