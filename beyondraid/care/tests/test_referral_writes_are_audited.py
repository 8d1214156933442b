"""Referrals, answers, deliveries and the unmet-need log are accountability records: every
write to them is in the audit log, attributed to the person acting."""

import pytest

from beyondraid.accounts.audit import acting_as
from beyondraid.accounts.models import AuditEntry
from beyondraid.care import services

from .builders import ANSWERED, refer

pytestmark = pytest.mark.django_db


def _entries(instance, action):
    return AuditEntry.objects.filter(
        object_type=instance._meta.label_lower, object_id=str(instance.pk), action=action
    )


def test_sending_and_declining_are_logged_with_who_did_them(world):
    with acting_as(world.steward_a):
        referral = refer(world)
    with acting_as(world.caseworker):
        services.decline_referral(
            user=world.caseworker,
            referral=referral,
            decline_reason="not_eligible_residence",
            declined_on=ANSWERED,
        )

    assert _entries(referral, AuditEntry.Action.CREATE).get().actor == world.steward_a
    (update,) = _entries(referral, AuditEntry.Action.UPDATE)
    assert update.actor == world.caseworker
    assert {"status", "declined_on", "decline_reason"} <= set(update.changed_fields)
    for need in referral.unmet_needs.all():
        assert _entries(need, AuditEntry.Action.CREATE).get().actor == world.caseworker
