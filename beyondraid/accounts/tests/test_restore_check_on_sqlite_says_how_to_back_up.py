"""On the embedded SQLite database ``beyondraid restore_check`` refuses in one sentence that says
how to back up SQLite instead (docs/operations.md). On PostgreSQL the check runs
(``test_restore_check_proves_a_backup_restores``)."""

import pytest
from django.core.management import CommandError, call_command

pytestmark = pytest.mark.sqlite


def test_restore_check_refuses_sqlite_and_says_how_to_back_it_up():
    with pytest.raises(CommandError) as refused:
        call_command("restore_check")

    assert refused.value.returncode == 2
    message = str(refused.value)
    assert "is for PostgreSQL" in message
    assert ".backup" in message and "copying the file" in message
    assert "\n" not in message
