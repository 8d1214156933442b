"""Plans, versions, reviews and waivers are accountability records: every write to them is in the
audit log, attributed to the person acting."""

import pytest

from beyondraid.accounts.audit import acting_as
from beyondraid.accounts.models import AuditEntry
from beyondraid.planning import services

from .plan_builders import draft, justified, reviewed, second_steward

pytestmark = pytest.mark.django_db


def _entries(instance, action=None):
    entries = AuditEntry.objects.filter(
        object_type=instance._meta.label_lower, object_id=str(instance.pk)
    )
    return entries.filter(action=action) if action else entries


def test_starting_a_plan_logs_the_plan_and_its_first_version(world):
    with acting_as(world.steward_a):
        version = draft(world)

    for record in (version.plan, version):
        (entry,) = _entries(record, AuditEntry.Action.CREATE)
        assert entry.actor == world.steward_a
    assert _entries(version.plan, AuditEntry.Action.CREATE).get().object_label == (
        version.plan.code
    )


def test_editing_and_submitting_a_draft_log_the_changed_fields(world):
    version = draft(world)
    changed = justified()
    changed["safety_plan"] = "Two officers enter; everyone else waits outside."

    with acting_as(world.steward_a):
        services.save_draft(user=world.steward_a, version=version, content=changed)
        services.submit(user=world.steward_a, version=version)

    updates = list(_entries(version, AuditEntry.Action.UPDATE).order_by("at", "pk"))
    assert updates[0].changed_fields == ["document"]
    assert {"status", "classification", "submitted_by_id"} <= set(updates[1].changed_fields)
    assert all(entry.actor == world.steward_a for entry in updates)


def test_reviews_waivers_and_decisions_are_logged(world):
    content = justified()
    content["media_invited"] = True
    version = reviewed(world, content)
    approver = second_steward(world)

    with acting_as(approver):
        waiver = services.waive(
            user=approver,
            version=version,
            rule="media",
            reason="A court-ordered observer, not press, accompanies the team.",
        )
        services.approve(user=approver, version=version)

    for review in version.reviews.all():
        assert _entries(review, AuditEntry.Action.CREATE).exists()
    assert _entries(waiver, AuditEntry.Action.CREATE).get().actor == approver
    decision = _entries(version, AuditEntry.Action.UPDATE).filter(actor=approver).get()
    assert {"status", "decided_by_id", "decided_at"} <= set(decision.changed_fields)


def test_superseding_the_version_in_force_is_logged(world):
    v1 = reviewed(world)
    approver = second_steward(world)
    services.approve(user=approver, version=v1)
    v2 = services.new_version(user=world.steward_a, plan=v1.plan)
    services.submit(user=world.steward_a, version=v2)
    for reviewer in (world.prosecutor, world.caseworker):
        services.record_review(user=reviewer, version=v2, recommendation="approve", comments="Ok.")

    with acting_as(approver):
        services.approve(user=approver, version=v2)

    by_the_approver = _entries(v1, AuditEntry.Action.UPDATE).filter(actor=approver)
    assert any("status" in entry.changed_fields for entry in by_the_approver)
