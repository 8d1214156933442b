"""An import is in the audit log as one "created" entry per table, with the number of records it
created there and the import it belongs to, not as one entry per record (issue 25): still every
create, never a value of a record. Outside an import every create is its own entry, as before."""

import contextvars
import re
from collections import Counter

import pytest
from django.apps import apps
from django.urls import reverse
from django.utils.html import escape

from beyondraid.accounts import audit
from beyondraid.accounts.models import AuditEntry
from beyondraid.accounts.testing import sign_in_verified
from beyondraid.intake import importing
from beyondraid.intake.models import ImportBatch
from beyondraid.intake.tests.conftest import HARBOR, minimal_files
from beyondraid.standard.models import Encounter
from beyondraid.standard.tests.builders import make_agency, make_encounter
from beyondraid.standard.writing import records_created

pytestmark = pytest.mark.django_db

COUNTED = re.compile(r"import (\d+): ([\d,]+) created")


@pytest.fixture
def harbor_steward(world, django_user_model):
    """A steward of the agency that leads the operation of the minimal exchange files."""
    return django_user_model.objects.create_user(
        username="steward.harbor",
        password="x",
        organisation=make_agency(name=HARBOR),
        role="steward",
    )


def _last_entry() -> int:
    return AuditEntry.objects.order_by("-pk").values_list("pk", flat=True).first() or 0


def _entries_after(start: int):
    return AuditEntry.objects.filter(pk__gt=start).order_by("pk")


def _record_counts() -> Counter:
    return Counter(
        {
            model._meta.label_lower: model._base_manager.count()
            for model in apps.get_app_config("standard").get_models()
        }
    )


def test_an_import_is_logged_as_one_entry_per_table_with_its_count(harbor_steward):
    before, start = _record_counts(), _last_entry()

    importing.import_files(minimal_files(), user=harbor_steward)

    batch = ImportBatch.objects.get()
    created = _record_counts() - before
    assert created["standard.encounter"] == 2 and created["standard.operation"] == 1
    creates = list(_entries_after(start).filter(action=AuditEntry.Action.CREATE))
    # Every table the import wrote to, once, with the number of records it added there.
    assert sorted(entry.object_type for entry in creates) == sorted(created)
    for entry in creates:
        assert entry.object_label == f"import {batch.pk}: {created[entry.object_type]} created"
        assert (entry.object_id, entry.actor) == ("", harbor_steward)
    # Rows already stored (the leading agency) are left as they are: nothing changed, nothing
    # deleted.
    assert (
        not _entries_after(start)
        .filter(action__in=[AuditEntry.Action.UPDATE, AuditEntry.Action.DELETE])
        .exists()
    )
    # The batch's own entry stays beside them.
    assert (
        _entries_after(start)
        .filter(action=AuditEntry.Action.IMPORT, object_id=str(batch.pk))
        .exists()
    )


def test_no_entry_of_an_import_names_a_record_or_copies_a_value(harbor_steward):
    start = _last_entry()

    importing.import_files(minimal_files(), user=harbor_steward)

    entries = list(_entries_after(start))
    creates = [entry for entry in entries if entry.action == AuditEntry.Action.CREATE]
    assert creates and all(COUNTED.fullmatch(entry.object_label) for entry in creates)
    assert all(entry.changed_fields == [] for entry in entries)
    logged = " ".join(
        f"{entry.object_id} {entry.object_label} {entry.changed_fields}" for entry in entries
    )
    for value in ("E-1111-2222", "E-3333-4444", "OP-7K3M-9QX2", "Test hotel sting", "2020-10"):
        assert value not in logged
    assert {entry.object_id for entry in creates} == {""}


def test_a_refused_import_leaves_no_create_entry():
    start = _last_entry()
    bad = (
        "encounter_code,operation_code,encountered_on,age_group,age_determination,"
        "entered_as_minor,gender_identity,citizenship_status,primary_language,interpreter,"
        "race_ethnicity\n"
        "E-1111-2222,OP-7K3M-9QX2,2020-13-12,15_17,document,yes,woman,us_citizen,en,"
        "not_needed,black_african_american\n"
    )

    with pytest.raises(importing.ImportRefused):
        importing.import_files(minimal_files(encounters=bad))

    assert not _entries_after(start).filter(action=AuditEntry.Action.CREATE).exists()
    assert not Encounter.objects.filter(code="E-1111-2222").exists()


def test_a_single_save_outside_an_import_is_still_its_own_entry(world):
    start = _last_entry()

    with audit.acting_as(world.steward_a):
        encounter = make_encounter(operation=world.operation_a)

    entry = _entries_after(start).get(object_type="standard.encounter")
    assert (entry.action, entry.object_id, entry.object_label, entry.actor) == (
        AuditEntry.Action.CREATE,
        str(encounter.pk),
        "Encounter",
        world.steward_a,
    )


def test_inside_a_count_changes_are_still_logged_one_by_one_and_blocks_nest(world):
    start = _last_entry()
    encounter = world.encounter_a

    with audit.acting_as(world.steward_a), audit.counting_creates("outer"):
        make_encounter(operation=world.operation_a)
        with audit.counting_creates("inner"):
            make_encounter(operation=world.operation_a)
            records_created.send(sender=Encounter, instances=[encounter] * 1200)
        encounter.citizenship_status = "undocumented"
        encounter.save()

    entries = _entries_after(start)
    change = entries.get(action=AuditEntry.Action.UPDATE)
    assert (change.object_id, change.changed_fields) == (str(encounter.pk), ["citizenship_status"])
    counted = set(
        entries.filter(
            action=AuditEntry.Action.CREATE, object_type="standard.encounter"
        ).values_list("object_label", "object_id", "actor")
    )
    assert counted == {
        ("outer: 1 created", "", world.steward_a.pk),
        ("inner: 1,201 created", "", world.steward_a.pk),
    }


def test_a_count_belongs_to_the_context_that_opened_it(world):
    """Another thread or task starts from its own context: its creates are logged one by one,
    never counted by a block opened elsewhere."""
    start = _last_entry()

    with audit.counting_creates("import elsewhere"):
        elsewhere = contextvars.Context().run(make_encounter, operation=world.operation_a)

    entries = _entries_after(start).filter(object_type="standard.encounter")
    assert list(entries.values_list("object_id", "object_label")) == [
        (str(elsewhere.pk), "Encounter")
    ]


def test_a_block_that_fails_keeps_neither_its_records_nor_their_count(world):
    start, encounters = _last_entry(), Encounter.objects.count()

    with pytest.raises(RuntimeError), audit.counting_creates("failed"):
        make_encounter(operation=world.operation_a)
        raise RuntimeError("stopped")

    assert Encounter.objects.count() == encounters
    assert not _entries_after(start).exists()


def test_the_audit_log_page_shows_an_imports_counts_without_a_link(client, world):
    importing.import_files(minimal_files())
    batch = ImportBatch.objects.get()
    sign_in_verified(client, world.analyst)

    page = client.get(reverse("accounts:audit_log"), {"object": f"import {batch.pk}:"})

    text = page.content.decode()
    label = escape(f"import {batch.pk}: 2 created")
    assert label in text
    assert f">{label}</a>" not in text
