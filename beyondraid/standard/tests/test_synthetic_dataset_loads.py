"""Issue 2 §3: a synthetic dataset loads through the services as it was written, and the victims
it arrests or cites surface as non-punishment alerts (principle 4, docs/principles.md)."""

import pytest
from django.core.management import call_command

from beyondraid.standard import synth
from beyondraid.standard.exchange import TABLES
from beyondraid.standard.models import Encounter, NonPunishmentAlert, Operation

pytestmark = pytest.mark.django_db


@pytest.fixture
def loaded(tmp_path):
    call_command("synth", operations=2, seed=12, out=tmp_path)
    call_command("load_exchange", str(tmp_path))
    return synth.generate(operations=2, seed=12), tmp_path


def test_every_row_becomes_one_record_with_its_code_origin_and_provenance(loaded):
    rows, directory = loaded
    for table in TABLES:
        assert table.model.objects.count() == len(rows[table.name]), table.name
    assert set(Operation.objects.values_list("code", flat=True)) == {
        row["operation_code"] for row in rows["operations"]
    }
    assert set(Operation.objects.values_list("data_origin", flat=True)) == {"synthetic"}
    first = rows["encounters"][0]
    encounter = Encounter.objects.get(code=first["encounter_code"])
    assert encounter.source == "import"
    assert encounter.source_reference == f"{directory.name}/encounters.csv row 2"
    assert encounter.operation.code == first["operation_code"]


def test_victims_arrested_or_cited_raise_non_punishment_alerts(loaded):
    alerts = NonPunishmentAlert.objects.all()
    assert alerts.exists()
    for alert in alerts:
        assert (
            alert.role_when_raised in {"suspected_victim", "confirmed_victim"}
            or alert.encounter.is_minor
            or (
                alert.trigger == "charged_entered_as_minor"
                and alert.encounter.entered_as_minor == "yes"
            )
        )
