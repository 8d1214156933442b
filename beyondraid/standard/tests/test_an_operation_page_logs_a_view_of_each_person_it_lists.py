"""An operation's page lists its people (code, role, age group, alerts): each person shown is a
person-level read, logged once, as the person's own page, the records administration and the API
log them (issue 19, item 8)."""

import pytest
from django.urls import reverse

from beyondraid.accounts.models import AuditEntry
from beyondraid.accounts.testing import sign_in_verified

from .builders import make_encounter

pytestmark = pytest.mark.django_db


def _viewed_people(user) -> list[str]:
    return sorted(
        AuditEntry.objects.filter(
            action=AuditEntry.Action.VIEW, actor=user, object_type="standard.encounter"
        ).values_list("object_id", flat=True)
    )


def test_viewing_an_operation_with_n_people_logs_n_person_level_views(client, world):
    third = make_encounter(operation=world.operation_a, role="witness")
    sign_in_verified(client, world.steward_a)

    response = client.get(reverse("standard:operation_detail", args=[world.operation_a.code]))

    assert response.status_code == 200
    assert "no-store" in response["Cache-Control"]
    shown = [world.encounter_a, world.referred_encounter, third]
    assert _viewed_people(world.steward_a) == sorted(str(person.pk) for person in shown)


def test_an_operation_out_of_reach_logs_no_one(client, world):
    sign_in_verified(client, world.steward_b)

    response = client.get(reverse("standard:operation_detail", args=[world.operation_a.code]))

    assert response.status_code == 404
    assert _viewed_people(world.steward_b) == []
