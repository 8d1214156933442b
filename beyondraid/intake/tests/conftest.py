from pathlib import Path

import pytest

from beyondraid.intake.importing import SourceFile
from beyondraid.standard.tests.builders import make_agency

MINIMAL = Path(__file__).parents[2] / "standard" / "tests" / "data" / "exchange_minimal"
HARBOR = "Test Harbor Police Department"


@pytest.fixture(autouse=True)
def _imports_run_at_once(settings):
    """The upload page queues an import for a worker; in tests it runs as soon as it is queued."""
    settings.TASKS = {"default": {"BACKEND": "django_tasks.backends.immediate.ImmediateBackend"}}


def minimal_files(**replaced: str) -> list[SourceFile]:
    """The minimal exchange dataset, with some files' text replaced."""
    files = []
    for path in sorted(MINIMAL.glob("*.csv")):
        text = replaced.get(path.stem, path.read_text(encoding="utf-8"))
        files.append(SourceFile(path.name, text.encode("utf-8")))
    return files


@pytest.fixture
def harbor_steward(world, django_user_model):
    """A steward of the agency that leads the minimal dataset's operation."""
    harbor = make_agency(name=HARBOR)
    return django_user_model.objects.create_user(
        username="steward.harbor", password="x", organisation=harbor, role="steward"
    )
