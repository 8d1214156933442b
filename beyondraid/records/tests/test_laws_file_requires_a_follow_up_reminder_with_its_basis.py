"""``laws.toml`` is checked when read: every law says when its requester is reminded to follow
up and on what basis; a law without them, or with a reminder that is not a whole number of days,
is named with the field in plain words."""

import pytest

from beyondraid.records.laws import LAWS_FILE, load_laws


def _with(tmp_path, old: str, new: str):
    text = LAWS_FILE.read_text(encoding="utf-8")
    assert old in text
    edited = tmp_path / "laws.toml"
    edited.write_text(text.replace(old, new, 1), encoding="utf-8")
    return edited


def test_the_shipped_file_reads():
    assert {law.code: law.reminder_days_before for law in load_laws().values()} == {
        "foia": 7,
        "cpra": 3,
    }


def test_a_law_without_a_reminder_is_named(tmp_path):
    edited = _with(tmp_path, "reminder_days_before = 3\n", "")
    with pytest.raises(ValueError, match=r"laws.toml: law 'cpra' lacks reminder_days_before\."):
        load_laws(edited)


@pytest.mark.parametrize("days", ["0", "true", '"3"', "2.5"])
def test_a_reminder_that_is_not_whole_days_is_refused(tmp_path, days):
    edited = _with(tmp_path, "reminder_days_before = 7\n", f"reminder_days_before = {days}\n")
    with pytest.raises(
        ValueError, match=r"law 'foia': reminder_days_before must be a whole number of at least 1"
    ):
        load_laws(edited)


def test_a_reminder_without_its_basis_is_refused(tmp_path):
    basis = next(
        line
        for line in LAWS_FILE.read_text(encoding="utf-8").splitlines(keepends=True)
        if line.startswith('reminder_basis = "Project policy: FOIA')
    )
    edited = _with(tmp_path, basis, 'reminder_basis = " "\n')
    with pytest.raises(ValueError, match=r"law 'foia': reminder_basis must say who sets"):
        load_laws(edited)
