"""Principle 8 (docs/principles.md): never a partial import. One bad row in the last table loaded
leaves the database as it was, and the row is named."""

import csv

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError

from beyondraid.standard import synth
from beyondraid.standard.models import (
    Agency,
    Charge,
    Encounter,
    FollowUp,
    NonPunishmentAlert,
    Operation,
    RoleAssessment,
    TreatmentEvent,
)

pytestmark = pytest.mark.django_db

MODELS = (
    Agency,
    Operation,
    Encounter,
    RoleAssessment,
    TreatmentEvent,
    Charge,
    FollowUp,
    NonPunishmentAlert,
)


def _counts():
    return {model.__name__: model.objects.count() for model in MODELS}


def test_a_bad_follow_up_in_the_last_row_writes_nothing(tmp_path):
    rows = synth.generate(operations=2, seed=3)
    synth.write(rows, tmp_path, operations=2, seed=3)
    last = rows["encounters"][-1]
    with (tmp_path / "follow_ups.csv").open(encoding="utf-8", newline="") as handle:
        follow_ups = list(csv.reader(handle))
    # Valid cell by cell; only the model rule (nothing before the encounter) refuses it, so the
    # agencies, operations and encounters have already been written when it is found.
    follow_ups.append(
        [last["encounter_code"], last["encountered_on"], "2020-01-01", "yes"]
        + ["unknown"] * 4
        + [""]
    )
    with (tmp_path / "follow_ups.csv").open("w", encoding="utf-8", newline="") as handle:
        csv.writer(handle).writerows(follow_ups)
    before = _counts()

    with pytest.raises(CommandError) as raised:
        call_command("load_exchange", str(tmp_path))

    assert _counts() == before
    assert (
        f"follow_ups.csv row {len(follow_ups)}, column done_on: '2020-01-01' — This date cannot "
        f"be before the encounter ({last['encountered_on']})."
    ) in str(raised.value)
    assert str(raised.value).count("\n") == 1, "only the bad row is reported"
