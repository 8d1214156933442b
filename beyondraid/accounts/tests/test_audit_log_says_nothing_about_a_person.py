"""Issue 19, item 2: the audit log points at person-level records and says nothing about them.

An administrator reads the audit log but may read no person-level data, so no entry carries a
person's code or any fact about them; the entry's type and id point at the record, and the page
links to it only for a reader who may read it.
"""

import csv
import importlib
import io

import pytest
from django.db import DatabaseError, connection, transaction
from django.db.migrations.executor import MigrationExecutor
from django.urls import reverse

from beyondraid.accounts import audit
from beyondraid.accounts.models import AuditEntry
from beyondraid.accounts.testing import sign_in_verified
from beyondraid.standard import services
from beyondraid.standard.models import Statute

pytestmark = pytest.mark.django_db

relabel = importlib.import_module(
    "beyondraid.accounts.migrations.0008_person_level_audit_labels_name_the_kind_only"
)


@pytest.fixture
def harmed(world):
    """B's suspected victim arrested (a non-punishment alert), charged and asked to cooperate,
    as B's steward records it."""
    encounter = world.encounter_b
    day = encounter.encountered_on
    with audit.acting_as(world.steward_b):
        arrest = services.record_treatment_event(
            encounter=encounter, kind="arrested", occurred_on=day, arrest_basis="probable_cause"
        )
        charge = services.record_charge(
            encounter=encounter, statute=Statute.objects.get(code="ca-pc-647b"), charged_on=day
        )
        cooperation = services.record_cooperation(
            encounter=encounter, status="declined", recorded_on=day
        )
    return encounter, arrest, charge, cooperation


def _facts(harmed) -> list[str]:
    """What the log must never say: the person's code and what the records say of them."""
    encounter, arrest, charge, cooperation = harmed
    return [
        encounter.code,
        str(arrest),
        str(arrest.alert),
        str(charge),
        charge.statute.citation,
        charge.charged_on.isoformat(),
        encounter.role_assessments.get().get_role_display(),
        cooperation.get_status_display(),
    ]


def _csv_text(response) -> str:
    return b"".join(response.streaming_content).decode()


def test_no_entry_names_the_person_or_what_happened_to_them(client, world, harmed):
    encounter, arrest, charge, _ = harmed
    logged = AuditEntry.objects.filter(object_type__startswith="standard.")
    assert {("standard.treatmentevent", str(arrest.pk)), ("standard.charge", str(charge.pk))} <= {
        (entry.object_type, entry.object_id) for entry in logged
    }
    sign_in_verified(client, world.administrator)
    page = client.get(reverse("accounts:audit_log")).content.decode()
    export = _csv_text(client.get(reverse("accounts:audit_export")))
    assert "Treatment event" in page and "Non-punishment alert" in page
    for fact in _facts(harmed):
        assert fact not in page, fact
        assert fact not in export, fact
    rows = list(csv.reader(io.StringIO(export)))
    assert ["standard.charge", str(charge.pk), "Charge"] in [row[3:6] for row in rows]


def test_the_administrator_has_no_link_to_the_person_and_cannot_open_it(client, world, harmed):
    encounter = harmed[0]
    sign_in_verified(client, world.administrator)
    page = client.get(reverse("accounts:audit_log")).content.decode()
    person_page = reverse("standard:encounter_detail", args=[encounter.code])
    assert person_page not in page
    assert client.get(person_page).status_code == 404


def test_a_reader_who_may_read_the_person_follows_the_entry_to_them(client, world, harmed):
    encounter, arrest, _, _ = harmed
    sign_in_verified(client, world.analyst)
    response = client.get(reverse("accounts:audit_log"), {"object": arrest.pk})
    person_page = reverse("standard:encounter_detail", args=[encounter.code])
    assert f'href="{person_page}"' in response.content.decode()
    assert client.get(person_page).status_code == 200


def test_a_search_by_code_finds_the_person_only_for_who_may_read_them(client, world, harmed):
    encounter, arrest, charge, _ = harmed
    about = {("standard.treatmentevent", str(arrest.pk)), ("standard.charge", str(charge.pk))}
    found = {}
    for persona in ("analyst", "administrator"):
        sign_in_verified(client, getattr(world, persona))
        response = client.get(reverse("accounts:audit_log"), {"object": encounter.code})
        page = response.context["page"].object_list
        found[persona] = {(entry.object_type, entry.object_id) for entry in page}
    assert about <= found["analyst"]
    assert found["administrator"] == set()


def _migrate() -> None:
    """Run the migration that rewrites the labels, on the models as it sees them (the
    application's model refuses every update)."""
    if connection.vendor == "postgresql":
        # A migration starts a transaction of its own; this test's still has the checks of its
        # inserts pending, which PostgreSQL would not let the trigger be switched off over.
        with connection.cursor() as cursor:
            cursor.execute("SET CONSTRAINTS ALL IMMEDIATE")
    before = MigrationExecutor(connection).loader.project_state(relabel.Migration.dependencies)
    relabel.name_the_kind_only(before.apps, connection.schema_editor())


def test_entries_written_before_the_fix_lose_the_person_data(world, harmed):
    """The migration rewrites the labels the old code wrote, and nothing else."""
    encounter, arrest, charge, _ = harmed
    old = [
        AuditEntry.objects.create(
            actor_label="steward.b",
            action="create",
            object_type=record._meta.label_lower,
            object_id=str(record.pk),
            object_label=label,
        )
        for record, label in (
            (encounter, encounter.code),
            (arrest.alert, str(arrest.alert)),
            (charge, str(charge)),
        )
    ]
    operation = AuditEntry.objects.create(
        actor_label="steward.b",
        action="create",
        object_type="standard.operation",
        object_id=str(world.operation_b.pk),
        object_label=world.operation_b.code,
    )
    _migrate()
    assert [AuditEntry.objects.get(pk=entry.pk).object_label for entry in old] == [
        "Encounter",
        "Non-punishment alert",
        "Charge",
    ]
    assert AuditEntry.objects.get(pk=operation.pk).object_label == world.operation_b.code
    assert not any(
        fact in label
        for label in AuditEntry.objects.values_list("object_label", flat=True)
        for fact in _facts(harmed)
    )


@pytest.mark.postgresql
def test_the_database_refuses_changes_again_once_the_labels_are_rewritten(world):
    entry = audit.record_view(world.analyst, world.encounter_b)
    _migrate()
    with (
        pytest.raises(DatabaseError, match="append-only"),
        transaction.atomic(),
        connection.cursor() as cursor,
    ):
        cursor.execute(
            "UPDATE accounts_auditentry SET object_label = 'x' WHERE id = %s", [entry.pk]
        )
