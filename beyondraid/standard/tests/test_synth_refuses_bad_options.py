"""Rule 8: a bad option to `beyondraid synth` is one clear line, and nothing is overwritten."""

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize("operations", [0, -3, 10_001])
def test_the_number_of_operations_must_be_between_1_and_10000(tmp_path, operations):
    with pytest.raises(CommandError, match="--operations must be between 1 and 10000"):
        call_command("synth", operations=operations, seed=1, out=tmp_path / "out")
    assert not (tmp_path / "out").exists()


def test_a_file_is_not_an_output_directory(tmp_path):
    target = tmp_path / "data.csv"
    target.write_text("keep me", encoding="utf-8")
    with pytest.raises(CommandError, match="is a file, not a directory"):
        call_command("synth", operations=1, seed=1, out=target)
    assert target.read_text(encoding="utf-8") == "keep me"


def test_a_directory_holding_other_files_is_refused_and_left_alone(tmp_path):
    (tmp_path / "notes.txt").write_text("keep me", encoding="utf-8")
    with pytest.raises(
        CommandError, match=r"already holds files synth does not write \(notes.txt\)"
    ):
        call_command("synth", operations=1, seed=1, out=tmp_path)
    assert [path.name for path in tmp_path.iterdir()] == ["notes.txt"]


def test_a_directory_synth_wrote_before_is_written_again(tmp_path):
    call_command("synth", operations=1, seed=1, out=tmp_path)
    call_command("synth", operations=2, seed=2, out=tmp_path)
    assert "--operations 2 --seed 2" in (tmp_path / "README.txt").read_text(encoding="utf-8")


def test_an_unwritable_place_is_named(tmp_path):
    blocker = tmp_path / "blocker"
    blocker.write_text("", encoding="utf-8")
    with pytest.raises(CommandError, match="Cannot write to .*blocker/out"):
        call_command("synth", operations=1, seed=1, out=blocker / "out")
