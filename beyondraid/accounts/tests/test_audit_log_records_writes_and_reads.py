import pytest
from django.core.exceptions import ValidationError

from beyondraid.accounts import audit
from beyondraid.accounts.models import AuditEntry
from beyondraid.standard import services
from beyondraid.standard.tests.builders import make_encounter

pytestmark = pytest.mark.django_db


def test_a_write_through_a_service_is_logged_with_its_actor(world):
    with audit.acting_as(world.steward_a):
        encounter = make_encounter(operation=world.operation_a)
    entry = AuditEntry.objects.get(object_type="standard.encounter", object_id=str(encounter.pk))
    # Named by its kind only: the log never carries a person's code (issue 19).
    assert (entry.action, entry.actor, entry.object_label) == (
        "create",
        world.steward_a,
        "Encounter",
    )


def test_a_change_names_the_changed_fields_but_never_copies_their_values(world):
    encounter = world.encounter_a
    encounter.citizenship_status = "undocumented"
    with audit.acting_as(world.steward_a):
        encounter.save()
    entry = AuditEntry.objects.filter(action="update", object_id=str(encounter.pk)).get()
    assert entry.changed_fields == ["citizenship_status"]
    assert "undocumented" not in str(entry.__dict__)


def test_a_command_without_a_signed_in_user_is_named(world):
    with audit.acting_as(label="command: load_exchange"):
        services.record_cooperation(
            encounter=world.encounter_a,
            status="not_asked",
            recorded_on=world.encounter_a.encountered_on,
        )
    entry = AuditEntry.objects.filter(object_type="standard.cooperationrecord").get()
    assert (entry.actor, entry.actor_label) == (None, "command: load_exchange")


def test_a_view_of_a_person_level_page_is_logged(world):
    audit.record_view(world.analyst, world.encounter_b)
    entry = AuditEntry.objects.get(action="view")
    assert (entry.actor, entry.object_type, entry.object_id, entry.object_label) == (
        world.analyst,
        "standard.encounter",
        str(world.encounter_b.pk),
        "Encounter",
    )


def test_the_application_has_no_path_to_change_or_remove_an_entry(world):
    entry = audit.record_view(world.analyst, world.encounter_b)
    entry.action = "create"
    with pytest.raises(ValidationError, match="append-only"):
        entry.save()
    with pytest.raises(ValidationError, match="append-only"):
        entry.delete()
    with pytest.raises(ValidationError, match="append-only"):
        AuditEntry.objects.filter(pk=entry.pk).update(action="create")
    with pytest.raises(ValidationError, match="append-only"):
        AuditEntry.objects.all().delete()
    assert AuditEntry.objects.get(pk=entry.pk).action == "view"
