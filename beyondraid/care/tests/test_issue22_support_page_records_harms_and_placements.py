"""Harms after an operation and placements on the person's support page (issue 22): a steward or
a caseworker who accepted the person records every kind of harm, only ever adding one; records a
placement with its conditions, ends it and corrects its conditions, with the change in the audit
log; a placement the person may not leave is called detention; each write refreshes the person's
alerts; the page stays a logged person-level read for those who see the person, and nobody else
records on it."""

from typing import Any

import pytest
from django.urls import reverse

from beyondraid.accounts.models import AuditEntry
from beyondraid.accounts.testing import sign_in_verified
from beyondraid.care import services
from beyondraid.care.models import Harm, Placement

from .builders import accepted, list_provider, refer, second_provider
from .support_builders import DAY, REQUESTED

pytestmark = pytest.mark.django_db

CONDITIONS_FREE: dict[str, Any] = {
    "free_to_leave": "yes",
    "phone_access": "yes",
    "staff_speak_language": "unknown",
    "locked": "no",
}


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


def _placement(world, **overrides):
    values = {"setting": "shelter", "placed_on": REQUESTED, **CONDITIONS_FREE, **overrides}
    return services.record_placement(
        user=world.steward_a, encounter=world.referred_encounter, **values
    )


def test_a_steward_records_every_kind_of_harm_and_the_page_lists_them_by_role_only(client, world):
    _signed_in(client, world.steward_a)
    for offset, kind in enumerate(Harm.Kind.values):
        day = REQUESTED + offset * DAY
        response = _post(
            client,
            world,
            "add_harm",
            {"kind": kind, "occurred_on": day.isoformat()},
            prefix="harm",
        )
        assert response.status_code == 302
    harms = Harm.objects.order_by("occurred_on")
    assert [harm.kind for harm in harms] == list(Harm.Kind.values)
    assert {harm.recorded_by for harm in harms} == {world.steward_a}

    page = client.get(_url(world)).content.decode()
    last = harms.last()
    assert last is not None
    assert f"The harm {last.code} is recorded" in page
    for harm in harms:
        assert harm.get_kind_display() in page
        assert harm.occurred_on.isoformat() in page
    assert "Agency data steward" in page
    assert world.steward_a.username not in page.split('id="harms-heading"')[1]


def test_a_harm_is_only_ever_added_never_changed_or_removed(client, world):
    harm = services.record_harm(
        user=world.steward_a,
        encounter=world.referred_encounter,
        kind="family_separation",
        occurred_on=REQUESTED,
    )
    _signed_in(client, world.steward_a)
    page = client.get(_url(world)).content.decode()
    assert f'name="record" value="{harm.code}"' not in page
    assert 'value="add_harm"' in page

    refused = client.post(_url(world), {"action": "delete_harm", "record": harm.code})
    assert refused.status_code == 400
    assert Harm.objects.get() == harm


def test_a_caseworker_who_accepted_the_person_records_a_harm(client, world):
    list_provider(world.provider, by=world.caseworker)
    accepted(world)
    _signed_in(client, world.caseworker)
    response = _post(
        client,
        world,
        "add_harm",
        {"kind": "violence_risk", "occurred_on": REQUESTED.isoformat()},
        prefix="harm",
    )
    assert response.status_code == 302
    harm = Harm.objects.get()
    assert (harm.kind, harm.recorded_by) == ("violence_risk", world.caseworker)
    assert "Victim-service caseworker" in client.get(_url(world)).content.decode()


def test_a_caseworker_reads_immigration_proceedings_only_under_a_consent_that_shares_them(
    client, world
):
    list_provider(world.provider, by=world.caseworker)
    accepted(world)
    notice, separation = (
        services.record_harm(
            user=world.steward_a,
            encounter=world.referred_encounter,
            kind=kind,
            occurred_on=REQUESTED,
        )
        for kind in ("notice_to_appear", "family_separation")
    )
    _signed_in(client, world.caseworker)
    page = client.get(_url(world)).content.decode()
    assert separation.code in page
    assert notice.code not in page
    # The steward of the operation reads the whole record.
    page = _signed_in(client, world.steward_a).get(_url(world)).content.decode()
    assert notice.code in page


def test_a_caseworker_whose_consent_shares_immigration_status_reads_them(client, world):
    list_provider(world.provider, by=world.caseworker)
    accepted(world, consent_scope=["referral_details", "immigration_status"])
    notice = services.record_harm(
        user=world.steward_a,
        encounter=world.referred_encounter,
        kind="notice_to_appear",
        occurred_on=REQUESTED,
    )
    page = _signed_in(client, world.caseworker).get(_url(world)).content.decode()
    assert notice.code in page


def test_a_steward_records_a_placement_with_its_conditions(client, world):
    _signed_in(client, world.steward_a)
    response = _post(
        client,
        world,
        "add_placement",
        {
            "setting": "safe_house",
            "provider": str(world.provider.pk),
            "placed_on": REQUESTED.isoformat(),
            "time_limit_days": "90",
            **CONDITIONS_FREE,
        },
        prefix="placement",
    )
    assert response.status_code == 302
    placement = Placement.objects.get()
    assert (placement.provider, placement.time_limit_days, placement.ended_on) == (
        world.provider,
        90,
        None,
    )
    assert not placement.is_detention

    page = client.get(_url(world)).content.decode()
    assert f"The placement {placement.code} is recorded." in page
    assert "Run by Harbor Survivor Services." in page
    assert "Free to leave: yes. Locked: no." in page
    assert "Staff who speak the person's language: not known." in page
    assert "Time limit: 90 days." in page
    assert "<strong>still placed</strong>" in page
    assert "This placement is detention" not in page


def test_a_placement_the_person_may_not_leave_is_called_detention(client, world):
    _placement(world, free_to_leave="no", locked="unknown", setting="protective_custody")
    _placement(world, free_to_leave="unknown", locked="yes", setting="hotel")
    page = _signed_in(client, world.steward_a).get(_url(world)).content.decode()
    assert page.count("This placement is detention: the person may not leave.") == 2


def test_a_placement_is_ended_once_and_its_end_form_goes(client, world):
    placement = _placement(world)
    _signed_in(client, world.steward_a)
    ended = REQUESTED + 10 * DAY
    response = _post(
        client, world, "placement_end", {"ended_on": ended.isoformat()}, record=placement
    )
    assert response.status_code == 302
    placement.refresh_from_db()
    assert placement.ended_on == ended

    page = client.get(_url(world)).content.decode()
    assert f"The end of placement {placement.code} is recorded." in page
    assert f"ended on {ended.isoformat()}" in page
    assert f'name="placement_end-{placement.code}-ended_on"' not in page
    assert f'name="placement_correct-{placement.code}-locked"' in page


def test_correcting_the_conditions_is_kept_in_the_audit_log(client, world):
    placement = _placement(world)
    _signed_in(client, world.steward_a)
    response = _post(
        client,
        world,
        "placement_correct",
        {**CONDITIONS_FREE, "free_to_leave": "no", "locked": "yes", "time_limit_days": "30"},
        record=placement,
    )
    assert response.status_code == 302
    placement.refresh_from_db()
    assert (placement.free_to_leave, placement.locked, placement.time_limit_days) == (
        "no",
        "yes",
        30,
    )
    entry = AuditEntry.objects.get(
        action=AuditEntry.Action.UPDATE,
        object_type="care.placement",
        object_id=str(placement.pk),
    )
    assert entry.actor == world.steward_a
    assert entry.changed_fields == ["free_to_leave", "locked", "time_limit_days"]
    page = client.get(_url(world)).content.decode()
    assert f"The conditions of placement {placement.code} are corrected." in page
    assert "This placement is detention: the person may not leave." in page


def test_each_write_refreshes_the_persons_alerts_at_once(client, world, monkeypatch):
    refreshed = []
    monkeypatch.setattr(
        services, "refresh_alerts", lambda *, encounters: refreshed.append(list(encounters))
    )
    placement = _placement(world)
    services.record_harm(
        user=world.steward_a,
        encounter=world.referred_encounter,
        kind="removed",
        occurred_on=REQUESTED,
    )
    services.update_placement(user=world.steward_a, placement=placement, **CONDITIONS_FREE)
    services.end_placement(user=world.steward_a, placement=placement, ended_on=REQUESTED)
    assert refreshed == [[world.referred_encounter]] * 4


def test_reading_the_page_is_a_logged_person_level_read(client, world):
    _placement(world)
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


def test_those_who_may_not_record_are_refused_and_nothing_is_written(client, world):
    placement = _placement(world)
    harm_fields = {"kind": "notice_to_appear", "occurred_on": REQUESTED.isoformat()}

    _, other_caseworker = second_provider()
    for outsider in (other_caseworker, world.steward_b):
        assert _signed_in(client, outsider).get(_url(world)).status_code == 404
        assert _post(client, world, "add_harm", harm_fields, prefix="harm").status_code == 404

    list_provider(world.provider, by=world.caseworker)
    refer(world)  # sent, not yet accepted: the person is not the provider's yet
    _signed_in(client, world.caseworker)
    assert _post(client, world, "add_harm", harm_fields, prefix="harm").status_code == 404

    _signed_in(client, world.analyst)
    analyst_page = client.get(_url(world)).content.decode()
    assert placement.code in analyst_page and 'name="action"' not in analyst_page
    assert _post(client, world, "add_harm", harm_fields, prefix="harm").status_code == 403
    ending = _post(client, world, "placement_end", {"ended_on": REQUESTED}, record=placement)
    assert ending.status_code == 403

    prosecutor_page = _signed_in(client, world.prosecutor).get(_url(world)).content.decode()
    assert "Harms after the operation" not in prosecutor_page
    assert placement.code not in prosecutor_page
    assert _post(client, world, "add_harm", harm_fields, prefix="harm").status_code == 403

    assert not Harm.objects.exists()
    placement.refresh_from_db()
    assert placement.ended_on is None

    with pytest.raises(services.CareRefused, match="records the harms"):
        services.record_harm(user=world.analyst, encounter=world.referred_encounter, kind="removed")
