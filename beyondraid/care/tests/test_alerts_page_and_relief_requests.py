"""The alerts page lists what is due about the people each role may see, and a steward records a
relief request whose deadline appears there at once; reading it is a logged person-level read."""

import datetime

import pytest
from django.urls import reverse

from beyondraid.accounts.models import AuditEntry
from beyondraid.accounts.testing import sign_in_verified
from beyondraid.care.alerts import refresh_alerts
from beyondraid.care.models import Alert, ReliefRequest

pytestmark = pytest.mark.django_db


def _signed_in(client, user):
    client.logout()
    sign_in_verified(client, user)
    return client


def test_the_alerts_page_shows_each_role_its_own_people(client, world):
    refresh_alerts(today=world.encounter_b.encountered_on)
    url = reverse("care:alerts")
    page = _signed_in(client, world.steward_b).get(url)
    assert page.status_code == 200
    assert world.encounter_b.code in page.content.decode()
    assert "No services offered yet" in page.content.decode()
    assert AuditEntry.objects.filter(
        action="view",
        object_type="standard.encounter",
        object_id=str(world.encounter_b.pk),
        actor=world.steward_b,
    ).exists()
    assert (
        world.encounter_b.code not in _signed_in(client, world.steward_a).get(url).content.decode()
    )
    for persona in ("investigator", "administrator"):
        assert _signed_in(client, world.personas[persona]).get(url).status_code == 403


def test_a_steward_records_a_declaration_request_and_sees_its_deadline(client, world):
    victim = world.referred_encounter
    _signed_in(client, world.steward_a)
    received = datetime.date(2026, 3, 2)
    response = client.post(
        reverse("care:relief", args=[victim.code]),
        {"kind": "t_visa_declaration", "requested_on": received.isoformat()},
    )
    assert response.status_code == 302
    request = ReliefRequest.objects.get(encounter=victim)
    alert = Alert.objects.get(kind=Alert.Kind.DECLARATION_DUE, encounter=victim)
    assert alert.due_on == datetime.date(2026, 6, 1)
    alerts = client.get(reverse("care:alerts")).content.decode()
    assert request.code in alerts

    decided = client.post(
        reverse("care:decide_relief", args=[victim.code, request.code]),
        {
            f"decide-{request.code}-status": "declined",
            f"decide-{request.code}-decided_on": "2026-03-20",
            f"decide-{request.code}-decline_reason": "",
        },
        follow=True,
    )
    assert "Say why the request was declined" in decided.content.decode()
    request.refresh_from_db()
    assert request.status == "pending"

    client.post(
        reverse("care:decide_relief", args=[victim.code, request.code]),
        {
            f"decide-{request.code}-status": "signed",
            f"decide-{request.code}-decided_on": "2026-03-20",
        },
    )
    request.refresh_from_db()
    assert request.status == "signed"
    assert Alert.objects.get(pk=alert.pk).status == "cleared"


def test_a_bad_request_keeps_what_was_typed_and_names_the_field(client, world):
    _signed_in(client, world.steward_a)
    response = client.post(
        reverse("care:relief", args=[world.referred_encounter.code]),
        {"kind": "u_visa_certification", "requested_on": "2099-01-01"},
    )
    assert response.status_code == 400
    page = response.content.decode()
    assert "in the future" in page
    assert 'value="2099-01-01"' in page
    assert not ReliefRequest.objects.exists()


def test_only_those_who_see_the_person_reach_their_relief_page(client, world):
    url = reverse("care:relief", args=[world.referred_encounter.code])
    assert _signed_in(client, world.steward_b).get(url).status_code == 404
    analyst_page = _signed_in(client, world.analyst).get(url)
    assert analyst_page.status_code == 200
    assert "Record a request received" not in analyst_page.content.decode()
