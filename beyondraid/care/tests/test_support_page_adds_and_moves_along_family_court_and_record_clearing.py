"""The page "Family, court and record clearing" of a person: a steward or a caseworker who
accepted the person adds each record and moves it along; bad input comes back as typed with a
400 and the message on its field; the page is a logged person-level read, only for those who see
the person, prosecutors reading the court dates only."""

import pytest
from django.test import Client
from django.urls import reverse

from beyondraid.accounts.models import AuditEntry
from beyondraid.accounts.testing import sign_in_verified
from beyondraid.care.models import Alert, CourtDate, FamilyReunification, RecordClearing

from .builders import accepted, list_provider, refer, second_provider
from .support_builders import DAY, HEARING, REQUESTED, clearing, court_date, family_request

pytestmark = pytest.mark.django_db


def _signed_in(client, user):
    client.logout()
    sign_in_verified(client, user)
    return client


def _url(world):
    return reverse("care:support", args=[world.referred_encounter.code])


def _post(client, world, action, fields, *, record=None, prefix=None):
    prefix = prefix or (f"{action}-{record.code}" if record else action)
    data = {"action": action, **{f"{prefix}-{name}": value for name, value in fields.items()}}
    if record:
        data["record"] = record.code
    return client.post(_url(world), data)


def test_a_steward_records_a_family_request_and_moves_it_along(client, world):
    _signed_in(client, world.steward_a)
    response = _post(
        client,
        world,
        "add_family",
        {
            "requested_on": REQUESTED.isoformat(),
            "members_count": "3",
            "relationships": ["children", "parents"],
            "whereabouts": "in_another_country",
            "safety_concern": "concern",
            "concerns": ["children_with_trafficker"],
            "safety_plan": "on",
        },
        prefix="family",
    )
    assert response.status_code == 302
    request = FamilyReunification.objects.get()
    assert (request.members_count, request.relationships, request.concerns) == (
        3,
        ["children", "parents"],
        ["children_with_trafficker"],
    )
    page = client.get(_url(world)).content.decode()
    assert f"The family reunification request {request.code} is recorded" in page
    assert "about 3 family members: children, parents." in page

    moved = _post(
        client,
        world,
        "family_step",
        {"status": "in_progress", "changed_on": (REQUESTED + DAY).isoformat()},
        record=request,
    )
    assert moved.status_code == 302
    request.refresh_from_db()
    assert (request.status, request.started_on) == ("in_progress", REQUESTED + DAY)

    _post(
        client,
        world,
        "family_safety",
        {"safety_concern": "none_known"},
        record=request,
    )
    request.refresh_from_db()
    assert (request.safety_concern, request.concerns, request.safety_plan) == (
        "none_known",
        [],
        False,
    )


def test_a_steward_records_a_court_date_its_support_and_what_happened(client, world):
    _signed_in(client, world.steward_a)
    _post(
        client,
        world,
        "add_court",
        {"hearing_on": HEARING.isoformat(), "capacity": "defendant", "hearing_kind": "arraignment"},
        prefix="court",
    )
    hearing = CourtDate.objects.get()
    assert "<strong>none arranged</strong>" in client.get(_url(world)).content.decode()

    _post(client, world, "court_support", {"support": ["advocate", "transport"]}, record=hearing)
    _post(client, world, "court_outcome", {"outcome": "attended"}, record=hearing)

    hearing.refresh_from_db()
    assert (hearing.support, hearing.outcome) == (["advocate", "transport"], "attended")
    page = client.get(_url(world)).content.decode()
    assert "an advocate goes with the person; transport to and from court" in page
    assert f'name="court_outcome-{hearing.code}-outcome"' not in page


def test_a_caseworker_who_accepted_the_person_refers_them_for_record_clearing(client, world):
    list_provider(world.provider, by=world.caseworker)
    accepted(world)
    _signed_in(client, world.caseworker)
    response = _post(
        client,
        world,
        "add_clearing",
        {
            "remedy": "vacatur",
            "referred_on": REQUESTED.isoformat(),
            "referred_to": str(world.provider.pk),
        },
        prefix="clearing",
    )
    assert response.status_code == 302
    referral = RecordClearing.objects.get()
    assert (referral.referred_to, referral.recorded_by) == (world.provider, world.caseworker)

    for status, day in (("filed", REQUESTED + DAY), ("granted", REQUESTED + 2 * DAY)):
        _post(
            client,
            world,
            "clearing_step",
            {"status": status, "changed_on": day.isoformat()},
            record=referral,
        )
    referral.refresh_from_db()
    assert (referral.status, referral.filed_on, referral.closed_on) == (
        "granted",
        REQUESTED + DAY,
        REQUESTED + 2 * DAY,
    )
    page = client.get(_url(world)).content.decode()
    assert f"granted on {REQUESTED + 2 * DAY}" in page
    assert 'value="clearing_step"' not in page


def test_bad_input_comes_back_as_typed_with_the_message_on_its_field(client, world):
    _signed_in(client, world.steward_a)
    response = _post(
        client,
        world,
        "add_family",
        {
            "requested_on": REQUESTED.isoformat(),
            "members_count": "1",
            "relationships": ["children", "siblings"],
            "whereabouts": "unknown",
            "safety_concern": "unknown",
        },
        prefix="family",
    )
    assert response.status_code == 400
    page = response.content.decode()
    assert "Nothing was saved. Please correct:" in page
    assert 'href="#id_family-members_count"' in page
    assert "so the request is about at least 2 family members, not 1." in page
    assert 'name="family-members_count" value="1"' in page
    assert 'value="siblings"' in page and "checked" in page
    assert not FamilyReunification.objects.exists()

    future = _post(
        client,
        world,
        "add_clearing",
        {"remedy": "sealing", "referred_on": "2999-01-01"},
        prefix="clearing",
    )
    assert future.status_code == 400
    assert "This date is in the future; record what has happened." in future.content.decode()
    assert 'value="2999-01-01"' in future.content.decode()
    assert not RecordClearing.objects.exists()


def test_a_step_out_of_order_comes_back_on_its_record(client, world):
    request = family_request(world)
    _signed_in(client, world.steward_a)
    response = _post(
        client,
        world,
        "family_step",
        {"status": "reunited", "changed_on": (REQUESTED - DAY).isoformat()},
        record=request,
    )
    assert response.status_code == 400
    page = response.content.decode()
    assert "Nothing was recorded. Please correct:" in page
    assert f'href="#id_family_step-{request.code}-changed_on"' in page
    assert f"A request cannot close before it was made ({REQUESTED})." in page
    assert f'value="{(REQUESTED - DAY).isoformat()}"' in page
    request.refresh_from_db()
    assert request.status == "requested"


def test_an_unknown_action_records_nothing(client, world):
    _signed_in(client, world.steward_a)
    response = client.post(_url(world), {"action": "delete_everything"})
    assert response.status_code == 400
    assert "Nothing was recorded: use one of the forms on this page." in response.content.decode()


def test_recording_refreshes_the_persons_alerts_at_once(client, world):
    _signed_in(client, world.steward_a)
    _post(
        client,
        world,
        "add_family",
        {
            "requested_on": REQUESTED.isoformat(),
            "members_count": "1",
            "relationships": ["partner"],
            "whereabouts": "in_this_country",
            "safety_concern": "none_known",
        },
        prefix="family",
    )
    alert = Alert.objects.get(kind=Alert.Kind.FAMILY_REUNIFICATION_WAITING)
    assert alert.encounter == world.referred_encounter


def test_reading_the_page_is_logged_and_never_cached(client, world):
    _signed_in(client, world.steward_a)
    response = client.get(_url(world))
    assert response.status_code == 200
    assert "no-store" in response["Cache-Control"]
    assert AuditEntry.objects.filter(
        action=AuditEntry.Action.VIEW,
        actor=world.steward_a,
        object_type="standard.encounter",
        object_id=str(world.referred_encounter.pk),
    ).exists()


def test_another_providers_caseworker_and_the_one_not_yet_accepting_find_nothing(client, world):
    family_request(world)
    _, other_caseworker = second_provider()
    assert _signed_in(client, other_caseworker).get(_url(world)).status_code == 404
    assert _signed_in(client, world.steward_b).get(_url(world)).status_code == 404

    list_provider(world.provider, by=world.caseworker)
    refer(world)  # sent, not yet accepted: the referral itself is all the provider is told
    _signed_in(client, world.caseworker)
    assert client.get(_url(world)).status_code == 404
    refused = _post(client, world, "add_court", {"hearing_on": HEARING.isoformat()}, prefix="court")
    assert refused.status_code == 404
    assert not CourtDate.objects.exists()


def test_prosecutors_read_the_court_dates_only_and_analysts_read_without_forms(client, world):
    request = family_request(world)
    hearing = court_date(world)
    referral = clearing(world)

    prosecutor_page = _signed_in(client, world.prosecutor).get(_url(world)).content.decode()
    assert hearing.code in prosecutor_page
    assert request.code not in prosecutor_page and referral.code not in prosecutor_page
    assert "Family reunification" not in prosecutor_page
    assert 'name="action"' not in prosecutor_page

    analyst_page = _signed_in(client, world.analyst).get(_url(world)).content.decode()
    for record in (request, hearing, referral):
        assert record.code in analyst_page
    assert 'name="action"' not in analyst_page


def test_every_form_carries_the_csrf_token_and_a_post_without_it_is_refused(world):
    family_request(world)
    court_date(world)
    clearing(world)
    client = Client(enforce_csrf_checks=True)
    sign_in_verified(client, world.steward_a)
    page = client.get(_url(world)).content.decode()
    assert page.count('name="action"') == 10
    assert page.count('name="csrfmiddlewaretoken"') == page.count('method="post"')

    refused = client.post(_url(world), {"action": "add_court", "court-hearing_on": HEARING})
    assert refused.status_code == 403
    assert CourtDate.objects.count() == 1


def test_the_person_and_referral_pages_link_to_it(client, world):
    list_provider(world.provider, by=world.caseworker)
    referral = accepted(world)
    link = f'href="{_url(world)}"'
    person = reverse("standard:encounter_detail", args=[world.referred_encounter.code])
    assert link in _signed_in(client, world.steward_a).get(person).content.decode()
    detail = reverse("care:referral_detail", args=[referral.code])
    assert link in _signed_in(client, world.caseworker).get(detail).content.decode()
