"""Operation and person pages show each persona exactly its part, and log every person-level
read."""

import pytest
from django.urls import reverse

from beyondraid.accounts.models import AuditEntry
from beyondraid.accounts.testing import sign_in_verified

pytestmark = pytest.mark.django_db


def _get(client, user, name, code):
    sign_in_verified(client, user)
    return client.get(reverse(f"standard:{name}", args=[code]))


def test_a_steward_reads_their_operation_and_its_people(client, world):
    response = _get(client, world.steward_a, "operation_detail", world.operation_a.code)
    assert response.status_code == 200
    assert world.encounter_a.code in response.text
    assert "no-store" in response["Cache-Control"]


def test_another_agencys_operation_and_people_do_not_exist_for_a_steward(client, world):
    assert (
        _get(client, world.steward_b, "operation_detail", world.operation_a.code).status_code == 404
    )
    assert (
        _get(client, world.steward_b, "encounter_detail", world.encounter_a.code).status_code == 404
    )


def test_the_operation_list_shows_only_what_the_steward_may_see(client, world):
    sign_in_verified(client, world.steward_b)
    response = client.get(reverse("standard:operation_list"))
    assert world.operation_b.name in response.text
    assert world.operation_a.name not in response.text


@pytest.mark.parametrize("persona", ["caseworker", "investigator", "administrator"])
def test_roles_without_operations_are_told_so(client, world, persona):
    sign_in_verified(client, world.personas[persona])
    response = client.get(reverse("standard:operation_list"))
    assert response.status_code == 403
    assert "does not include operations" in response.text


def test_a_person_page_read_is_logged_and_never_cached(client, world):
    response = _get(client, world.analyst, "encounter_detail", world.encounter_b.code)
    assert response.status_code == 200
    assert "no-store" in response["Cache-Control"]
    entry = AuditEntry.objects.get(action="view", object_id=str(world.encounter_b.pk))
    assert (entry.actor, entry.object_type) == (world.analyst, "standard.encounter")
    assert world.encounter_b.code not in entry.object_label  # issue 19


def test_a_refused_read_is_not_logged_as_a_view(client, world):
    _get(client, world.steward_b, "encounter_detail", world.encounter_a.code)
    assert not AuditEntry.objects.filter(action="view").exists()


def test_a_non_punishment_alert_is_shown_on_the_person_page(client, world):
    from beyondraid.standard import services

    services.record_treatment_event(
        encounter=world.encounter_b,
        kind="arrested",
        occurred_on=world.encounter_b.encountered_on,
        arrest_basis="outstanding_warrant",
    )
    response = _get(client, world.steward_b, "encounter_detail", world.encounter_b.code)
    assert "Non-punishment alerts" in response.text and "Victim arrested" in response.text


def test_signed_out_visitors_are_sent_to_sign_in(client, world):
    response = client.get(reverse("standard:operation_detail", args=[world.operation_a.code]))
    assert response.status_code == 302
    assert reverse("accounts:sign_in") in response["Location"]


def test_the_records_administration_logs_person_level_reads_too(client, world):
    sign_in_verified(client, world.analyst)
    page = client.get(reverse("admin:standard_encounter_change", args=[world.encounter_b.pk]))
    assert page.status_code == 200 and "no-store" in page["Cache-Control"]
    listing = client.get(reverse("admin:standard_encounter_changelist"))
    assert "no-store" in listing["Cache-Control"]
    viewed = AuditEntry.objects.filter(action="view", actor=world.analyst)
    assert viewed.filter(object_id=str(world.encounter_b.pk)).count() == 2
    assert viewed.count() == 1 + 3  # the change page, then the list of all three people
