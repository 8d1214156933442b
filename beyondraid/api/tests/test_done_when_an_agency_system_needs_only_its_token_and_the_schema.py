"""Issue 10's "Done when": the example client (examples/agency_system_client.py), with only an
agency token and the published schema, submits a synthetic operation with its encounters, reads
it back, retries the same request safely, gets clear problem details for bad records, and, as a
public client, downloads the latest release — against the real server, over HTTP."""

import datetime
import os
import subprocess
import sys
from pathlib import Path

import pytest

from beyondraid.standard.models import Encounter
from beyondraid.transparency import releases
from beyondraid.transparency.tests.conftest import load_synthetic

from .token_builders import agency_a_token

CLIENT = Path(__file__).resolve().parents[3] / "examples" / "agency_system_client.py"


@pytest.mark.django_db(transaction=True)
def test_the_example_client_does_everything_with_a_token_and_the_schema(
    world, live_server, tmp_path
):
    load_synthetic(tmp_path / "synthetic", operations=10, seed=3)
    release = releases.create_release(
        name="statewide",
        period_start=datetime.date(2000, 1, 1),
        period_end=datetime.date(2030, 12, 31),
    )
    releases.check_release(release)
    releases.publish_release(release)
    saved = tmp_path / "latest.zip"

    run = subprocess.run(
        [
            sys.executable,
            str(CLIENT),
            "--base",
            live_server.url,
            "--agency",
            world.agency_a.name,
            "--output",
            str(saved),
        ],
        env={**os.environ, "BEYONDRAID_TOKEN": agency_a_token(world)},
        capture_output=True,
        text=True,
        timeout=300,
    )
    assert run.returncode == 0, run.stdout + run.stderr
    assert "All steps passed." in run.stdout
    assert "lines[" in run.stdout  # the problem details were printed with their paths
    assert saved.read_bytes()[:2] == b"PK"
    assert Encounter.objects.filter(source="api").count() == 5
