"""Issue 21, Bad input: production without the key of person links, or with a short one, is a
clear error at start-up, as a missing SECRET_KEY is; a key file is read, and one that cannot be
read is named."""

import subprocess
import sys

import pytest

from beyondraid.tests.test_production_settings_pass_the_deploy_check import (
    _production_environment,
)

KEY = "a-long-random-linkage-key-" + "Lk9v" * 8


def _start(environment) -> subprocess.CompletedProcess:
    return subprocess.run(
        [
            sys.executable,
            "-c",
            "from django.conf import settings; print(len(settings.LINKAGE_KEY))",
        ],
        capture_output=True,
        text=True,
        env={**environment, "DJANGO_SETTINGS_MODULE": "beyondraid.settings"},
        timeout=60,
    )


@pytest.mark.parametrize("key", ["", "too-short"])
def test_production_without_a_long_linkage_key_does_not_start(tmp_path, key):
    result = _start(_production_environment(tmp_path, BEYONDRAID_LINKAGE_KEY=key))
    assert result.returncode != 0
    assert "ImproperlyConfigured" in result.stderr
    assert "BEYONDRAID_LINKAGE_KEY" in result.stderr and "at least 32 characters" in result.stderr


def test_production_reads_the_key_from_the_file_it_is_given(tmp_path):
    key_file = tmp_path / "linkage.key"
    key_file.write_text(KEY + "\n")
    environment = _production_environment(tmp_path, BEYONDRAID_LINKAGE_KEY_FILE=str(key_file))
    del environment["BEYONDRAID_LINKAGE_KEY"]
    result = _start(environment)
    assert result.returncode == 0, result.stderr
    assert result.stdout.strip() == str(len(KEY))


def test_a_key_file_that_cannot_be_read_is_named(tmp_path):
    environment = _production_environment(
        tmp_path, BEYONDRAID_LINKAGE_KEY_FILE=str(tmp_path / "missing.key")
    )
    del environment["BEYONDRAID_LINKAGE_KEY"]
    result = _start(environment)
    assert result.returncode != 0
    assert "missing.key, which cannot be read" in result.stderr
