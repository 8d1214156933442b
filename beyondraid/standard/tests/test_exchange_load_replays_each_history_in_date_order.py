"""Principle 4 (docs/principles.md): loading a file raises the same non-punishment alerts as
entering its records one by one in the order they happened, whatever the order of the rows."""

import csv
import shutil
from pathlib import Path

import pytest

from beyondraid.standard.loading import load_exchange
from beyondraid.standard.models import Encounter, NonPunishmentAlert

pytestmark = pytest.mark.django_db

MINIMAL = Path(__file__).parent / "data" / "exchange_minimal"


@pytest.fixture
def directory(tmp_path):
    target = tmp_path / "exchange"
    shutil.copytree(MINIMAL, target)
    return target


def _rewrite_roles(directory, rows):
    with (directory / "role_assessments.csv").open("w", encoding="utf-8", newline="") as handle:
        writer = csv.writer(handle)
        writer.writerow(["encounter_code", "role", "basis", "stage", "assessed_on"])
        writer.writerows(rows)


def test_a_person_arrested_as_a_seller_and_later_found_a_victim_is_alerted_then(directory):
    load_exchange(directory)
    alerts = NonPunishmentAlert.objects.filter(encounter__code="E-3333-4444")
    assert sorted(alerts.values_list("trigger", "role_when_raised")) == [
        ("arrested", "suspected_victim"),
        ("charged", "suspected_victim"),
    ]


def test_a_victim_arrested_and_later_reassessed_keeps_the_alert_raised_at_the_arrest(directory):
    # The later assessment comes first in the file; the arrest between them still meets a victim.
    _rewrite_roles(
        directory,
        [
            ["E-3333-4444", "adult_in_commercial_sex", "investigation", "later", "2020-10-20"],
            ["E-1111-2222", "confirmed_victim", "minor_by_age", "at_encounter", "2020-10-12"],
            ["E-3333-4444", "suspected_victim", "self_identified", "at_encounter", "2020-10-13"],
        ],
    )
    load_exchange(directory)
    encounter = Encounter.objects.get(code="E-3333-4444")
    assert encounter.current_role == "adult_in_commercial_sex"
    assert sorted(encounter.non_punishment_alerts.values_list("trigger", "role_when_raised")) == [
        ("arrested", "suspected_victim"),
        ("charged", "suspected_victim"),
    ]


def test_codes_and_provenance_come_from_the_file_and_its_rows(directory):
    load_exchange(directory, source_reference="Harbor PD release 2021-03")
    encounter = Encounter.objects.select_related("operation").get(code="E-3333-4444")
    assert encounter.operation is not None and encounter.operation.code == "OP-7K3M-9QX2"
    assert (encounter.source, encounter.source_reference) == (
        "import",
        "Harbor PD release 2021-03, encounters.csv row 3",
    )
    later = encounter.role_assessments.get(stage="later")
    assert later.source_reference == "Harbor PD release 2021-03, role_assessments.csv row 4"
    assert encounter.race_ethnicity == ["hispanic_latino", "white"]
