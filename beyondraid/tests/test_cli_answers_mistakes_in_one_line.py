"""Rule 8: a user mistake gets one clear line and a non-zero exit, never a traceback."""

import os
import subprocess
import sys

import pytest


def _beyondraid(*args, **env):
    environment = {k: v for k, v in os.environ.items() if k != "DATABASE_URL"}
    environment.update(env)
    return subprocess.run(
        [sys.executable, "-m", "beyondraid.cli", *args],
        capture_output=True,
        text=True,
        env=environment,
        timeout=120,
    )


def test_an_unreachable_database_is_named_without_its_password():
    result = _beyondraid("migrate", DATABASE_URL="postgres://user:s3cret@127.0.0.1:1/nowhere")
    assert result.returncode == 2
    assert "Traceback" not in result.stderr
    assert "Cannot use the database (postgres://…@127.0.0.1:1/nowhere)" in result.stderr
    assert "s3cret" not in result.stderr
    assert len(result.stderr.strip().splitlines()) == 1


@pytest.mark.parametrize(
    ("env", "message"),
    [
        ({"BEYONDRAID_ENV": "staging"}, "set it to 'demo' or 'production'"),
        ({"BEYONDRAID_ENV": "production", "SECRET_KEY": "short"}, "SECRET_KEY must be set"),
        (
            {"BEYONDRAID_ENV": "production", "SECRET_KEY": "k" * 60, "ALLOWED_HOSTS": ""},
            "ALLOWED_HOSTS must name",
        ),
    ],
)
def test_a_bad_configuration_is_one_line_that_says_what_to_set(env, message):
    result = _beyondraid("check", **env)
    assert result.returncode == 2
    assert "Traceback" not in result.stderr
    assert message in result.stderr


def test_an_unknown_command_is_refused_without_a_traceback():
    result = _beyondraid("no-such-command")
    assert result.returncode != 0
    assert "Unknown command" in result.stderr
    assert "Traceback" not in result.stderr
