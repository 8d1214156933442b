"""Plans for the planning tests, built from the example documents in docs/examples/plans/.

``justified.json`` has no findings at all, so a test that changes one thing in it sees exactly
what that change does. The workflow helpers go through the services, as the pages do.
"""

import copy
import json
from pathlib import Path

from beyondraid.accounts.models import User
from beyondraid.conftest import PASSWORD
from beyondraid.planning import services
from beyondraid.planning.models import PlanVersion

EXAMPLES = Path(__file__).resolve().parents[3] / "docs" / "examples" / "plans"


def example(name: str) -> dict:
    """The raw example document ``docs/examples/plans/<name>.json``, a fresh copy each time."""
    return json.loads((EXAMPLES / f"{name}.json").read_text(encoding="utf-8"))


def justified() -> dict:
    return copy.deepcopy(example("justified"))


def second_steward(world, *, username: str = "steward.a2", **extra) -> User:
    """Another steward of agency A, who may decide on plans steward_a wrote."""
    return User.objects.create_user(
        username=username,
        password=PASSWORD,
        organisation=world.agency_a,
        role="steward",
        **extra,
    )


def draft(world, content: dict | None = None) -> PlanVersion:
    """Version 1 of a new plan of agency A, written by steward_a, reviewed by the world's
    prosecutor's office and provider."""
    plan = services.start_plan(
        user=world.steward_a,
        prosecutor_office=world.prosecutor_office,
        service_partner=world.provider,
        content=justified() if content is None else content,
    )
    return plan.latest


def submitted(world, content: dict | None = None) -> PlanVersion:
    version = draft(world, content)
    return services.submit(user=world.steward_a, version=version)


def reviewed(world, content: dict | None = None) -> PlanVersion:
    """A submitted version both partners have recommended for approval."""
    version = submitted(world, content)
    for reviewer in (world.prosecutor, world.caseworker):
        services.record_review(
            user=reviewer,
            version=version,
            recommendation="approve",
            comments="Read in full; nothing to add.",
        )
    version.refresh_from_db()
    return version
