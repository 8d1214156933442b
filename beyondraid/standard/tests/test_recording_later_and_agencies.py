"""A data steward records on the site what happened to a person after they were recorded, and
corrects which agencies and places an operation had (issue 23): each in one save; refused input
writes nothing and names the row and field; only the operation's stewards may; cooperation is
recorded apart from services; each change of the agencies and places is in the audit log with its
reason."""

import datetime
import re
from typing import Any

import pytest
from django.urls import reverse
from django.utils import timezone, translation

from beyondraid.accounts.models import AuditEntry
from beyondraid.accounts.testing import sign_in_verified
from beyondraid.standard.forms_recording import OfferForm
from beyondraid.standard.models import (
    Charge,
    CooperationRecord,
    FollowUp,
    NonPunishmentAlert,
    OperationParticipant,
    OperationPlace,
    ServiceOffer,
    Statute,
    TreatmentEvent,
)
from beyondraid.standard.tests.builders import management_form
from beyondraid.standard.writing import save_one

pytestmark = pytest.mark.django_db

LATER_PARTS = ("events", "charges", "offers", "cooperation", "follow_ups")


def _rows(prefix: str, rows: list[dict[str, Any]]) -> dict[str, Any]:
    data: dict[str, Any] = management_form(prefix, total=len(rows))
    for number, row in enumerate(rows):
        data.update({f"{prefix}-{number}-{name}": value for name, value in row.items()})
    return data


def _later(**parts: list[dict[str, Any]]) -> dict[str, Any]:
    """A posted page of what happened later: the parts given, every other part with no row."""
    data: dict[str, Any] = {}
    for part in LATER_PARTS:
        data.update(_rows(part, parts.get(part, [])))
    # As a browser posts a follow-up's answers left at their usual choice.
    for index in range(len(parts.get("follow_ups", []))):
        for name in ("still_receiving_services", "re_trafficking", "deported", "prosecuted"):
            data.setdefault(f"follow_ups-{index}-{name}", "unknown")
    return data


def _signed_in(client, user):
    sign_in_verified(client, user)
    return client


def _record_url(encounter) -> str:
    return reverse("standard:person_record", args=[encounter.code])


def _counts() -> list[int]:
    return [
        model.objects.count()
        for model in (TreatmentEvent, Charge, ServiceOffer, CooperationRecord, FollowUp)
    ]


# --- What happened later ------------------------------------------------------------------------


def test_what_happened_later_is_added_in_one_save(client, world):
    person = world.referred_encounter  # a suspected victim
    later = person.encountered_on + datetime.timedelta(days=20)
    statute = Statute.objects.get(code="ca-pc-647b")

    response = _signed_in(client, world.steward_a).post(
        _record_url(person),
        _later(
            events=[{"kind": "cited", "occurred_on": later.isoformat()}],
            charges=[
                {
                    "statute": statute.pk,
                    "disposition": "dismissed",
                    "disposition_on": later.isoformat(),
                }
            ],
            offers=[{"service_type": "legal_services", "response": "declined"}],
            cooperation=[{"status": "declined", "recorded_on": later.isoformat()}],
            follow_ups=[{"due_on": (later + datetime.timedelta(days=180)).isoformat()}],
        ),
    )

    assert response.status_code == 302
    assert response["Location"] == reverse("standard:encounter_detail", args=[person.code])
    event = person.treatment_events.get()
    assert (event.kind, event.occurred_on) == ("cited", later)
    charge = person.charges.get()
    # A row without its own date happened on the day of the encounter.
    assert (charge.statute, charge.disposition, charge.charged_on) == (
        statute,
        "dismissed",
        person.encountered_on,
    )
    offer = person.service_offers.get(service_type="legal_services")
    assert (offer.offered_by, offer.response) == (world.agency_a, "declined")
    assert person.cooperation_records.get().status == "declined"
    assert person.follow_ups.get().due_on == later + datetime.timedelta(days=180)
    assert {r.entered_by for r in (event, charge, offer)} == {world.steward_a}
    # The same rules as every other path: a suspected victim cited and charged is alerted.
    assert NonPunishmentAlert.objects.filter(encounter=person).count() == 2


def test_a_refused_row_writes_nothing_and_names_its_row_and_field(client, world):
    person = world.encounter_a
    counts = _counts()
    tomorrow = timezone.localdate() + datetime.timedelta(days=1)

    response = _signed_in(client, world.steward_a).post(
        _record_url(person),
        _later(
            charges=[
                {"statute": Statute.objects.get(code="ca-pc-647b").pk, "disposition": "pending"}
            ],
            events=[{"kind": "cited"}, {"kind": "screened"}],
            follow_ups=[
                {"due_on": tomorrow.isoformat(), "done_on": tomorrow.isoformat(), "reached": "yes"}
            ],
        ),
    )

    assert response.status_code == 400
    assert _counts() == counts
    with translation.override("en"):
        assert "What was done, row 2: Who screened</a>: Required for the event" in response.text
        assert "Follow-ups, row 1: Done on</a>: This date is in the future" in response.text
    assert f'value="{tomorrow.isoformat()}"' in response.text  # every entry is kept


def test_a_page_with_nothing_entered_is_refused(client, world):
    response = _signed_in(client, world.steward_a).post(
        _record_url(world.encounter_a),
        # As a browser posts the blank rows: their lists at their first or usual choice.
        {
            **_later(
                charges=[{"disposition": "pending"}],
                offers=[{"response": "no_answer_yet"}],
                follow_ups=[{}],
            )
        },
    )
    assert response.status_code == 400
    assert "Nothing was entered" in response.text


@pytest.mark.parametrize(
    ("persona", "status"),
    [("analyst", 403), ("prosecutor", 403), ("caseworker", 404), ("steward_b", 404)],
)
def test_only_the_stewards_of_the_persons_operation_record_what_happened(
    client, world, persona, status
):
    counts = _counts()
    _signed_in(client, world.personas[persona])
    url = _record_url(world.encounter_a)

    assert client.get(url).status_code == status
    assert client.post(url, _later(events=[{"kind": "cited"}])).status_code == status
    assert _counts() == counts


def test_the_persons_page_leads_stewards_to_the_site_and_never_to_the_admin(client, world):
    person = world.encounter_a
    page = _signed_in(client, world.steward_a).get(
        reverse("standard:encounter_detail", args=[person.code])
    )
    assert _record_url(person) in page.text
    assert reverse("standard:person_edit", args=[person.code]) in page.text
    assert reverse("admin:standard_encounter_change", args=[person.pk]) not in page.text

    page = _signed_in(client, world.analyst).get(
        reverse("standard:encounter_detail", args=[person.code])
    )
    assert _record_url(person) not in page.text


def test_cooperation_is_recorded_apart_and_no_offer_depends_on_it(client, world):
    # The offer's row has nothing that could tie it to cooperation.
    assert not [name for name in OfferForm.base_fields if re.search(r"cooperat", name)]
    person = world.encounter_a
    page = _signed_in(client, world.steward_a).get(_record_url(person))
    text = page.text
    assert text.index('<h2 class="margin-top-4">Service offers') < text.index(
        '<h2 class="margin-top-4">Cooperation with law enforcement'
    )
    assert "no offer, referral or service depends on it" in text

    response = client.post(
        _record_url(person),
        _later(
            offers=[{"service_type": "trafficking_shelter", "response": "accepted"}],
            cooperation=[{"status": "declined"}],
        ),
    )

    assert response.status_code == 302
    offer = person.service_offers.get()
    assert (offer.service_type, offer.response) == ("trafficking_shelter", "accepted")
    assert person.cooperation_records.get().status == "declined"


# --- An operation's agencies and places ---------------------------------------------------------


def _agencies_url(operation) -> str:
    return reverse("standard:operation_agencies", args=[operation.code])


def _agencies(world, **fields: Any) -> dict[str, Any]:
    data: dict[str, Any] = {
        "lead_agency": world.agency_a.pk,
        **_rows("participants", []),
        **_rows("places", []),
    }
    data.update(fields)
    return data


def _parts(operation) -> set[tuple[str, str]]:
    return {(p.agency.name, p.part) for p in operation.participants.all()}


def _a_place(operation) -> OperationPlace:
    place = OperationPlace(operation=operation, venue_type="hotel", state="CA", city="Harbor")
    save_one(place)
    return place


def test_agencies_and_places_are_corrected_in_one_save_with_the_reason_in_the_audit_log(
    client, world
):
    operation = world.operation_a
    place = _a_place(operation)
    prosecutor_part = operation.participants.get(agency=world.prosecutor_office)

    response = _signed_in(client, world.steward_a).post(
        _agencies_url(operation),
        _agencies(
            world,
            removed_participants=[prosecutor_part.pk],
            removed_places=[place.pk],
            reason="source_checked",
            **_rows("participants", [{"agency": world.agency_b.pk, "part": "participant"}]),
            **_rows("places", [{"venue_type": "massage_business", "state": "NV", "city": ""}]),
        ),
    )

    assert response.status_code == 302
    assert _parts(operation) == {
        ("Agency A Police Department", "lead"),
        ("Agency B Police Department", "participant"),
    }
    assert [(p.venue_type, p.state) for p in operation.places.all()] == [("massage_business", "NV")]
    reason = "corrected: Checked again against the agency's own records"
    entries = AuditEntry.objects.filter(
        object_type__in=["standard.operationparticipant", "standard.operationplace"],
        actor=world.steward_a,
    )
    assert sorted((e.object_type, e.action) for e in entries) == [
        ("standard.operationparticipant", "create"),
        ("standard.operationparticipant", "delete"),
        ("standard.operationplace", "create"),
        ("standard.operationplace", "delete"),
    ]
    assert all(entry.object_label.endswith(reason) for entry in entries)


def test_the_lead_agency_is_changed_and_the_stewards_own_agency_must_stay(client, world):
    operation = world.operation_a
    _signed_in(client, world.steward_a)

    refused = client.post(
        _agencies_url(operation),
        _agencies(world, lead_agency=world.agency_b.pk, reason="entry_mistake"),
    )

    assert refused.status_code == 400
    assert "Your agency must stay in the operation" in refused.text
    assert operation.lead_agency == world.agency_a

    response = client.post(
        _agencies_url(operation),
        _agencies(
            world,
            lead_agency=world.agency_b.pk,
            reason="entry_mistake",
            **_rows("participants", [{"agency": world.agency_a.pk, "part": "participant"}]),
        ),
    )

    assert response.status_code == 302
    assert _parts(operation) == {
        ("Agency B Police Department", "lead"),
        ("Agency A Police Department", "participant"),
        ("County District Attorney", "prosecutor"),
    }
    entry = AuditEntry.objects.get(object_type="standard.operationparticipant", action="update")
    assert entry.changed_fields == ["agency_id"]
    assert entry.object_label.endswith("corrected: A mistake made when the record was entered")


def test_a_refused_row_undoes_the_whole_correction_and_names_its_row(client, world):
    operation = world.operation_a
    place = _a_place(operation)
    before = _parts(operation)

    response = _signed_in(client, world.steward_a).post(
        _agencies_url(operation),
        _agencies(
            world,
            removed_places=[place.pk],
            reason="entry_mistake",
            # Already in the operation in this part.
            **_rows("participants", [{"agency": world.prosecutor_office.pk, "part": "prosecutor"}]),
        ),
    )

    assert response.status_code == 400
    with translation.override("en"):
        assert "Agency to add, row 1" in response.text
        assert "already has this part in the operation" in response.text
    assert _parts(operation) == before
    assert operation.places.filter(pk=place.pk).exists()


def test_a_correction_of_the_agencies_says_why_and_changes_something(client, world):
    operation = world.operation_a
    _signed_in(client, world.steward_a)
    added = _rows("places", [{"venue_type": "hotel", "state": "CA"}])

    no_reason = client.post(_agencies_url(operation), _agencies(world, **added))
    nothing = client.post(_agencies_url(operation), _agencies(world, reason="entry_mistake"))

    assert no_reason.status_code == 400
    assert "Choose why the record is corrected." in no_reason.text
    assert nothing.status_code == 400
    assert "Nothing was changed" in nothing.text
    assert not operation.places.exists()


def test_only_agencies_and_places_of_the_operation_are_removed(client, world):
    other = world.operation_b.participants.get()
    response = _signed_in(client, world.steward_a).post(
        _agencies_url(world.operation_a),
        _agencies(world, removed_participants=[other.pk], reason="entry_mistake"),
    )
    assert response.status_code == 400
    assert OperationParticipant.objects.filter(pk=other.pk).exists()


@pytest.mark.parametrize(
    ("persona", "status"),
    [("analyst", 403), ("prosecutor", 403), ("caseworker", 404), ("steward_b", 404)],
)
def test_only_the_operations_stewards_correct_its_agencies(client, world, persona, status):
    operation = world.operation_a
    before = _parts(operation)
    _signed_in(client, world.personas[persona])
    data = _agencies(world, lead_agency=world.agency_b.pk, reason="entry_mistake")

    assert client.get(_agencies_url(operation)).status_code == status
    assert client.post(_agencies_url(operation), data).status_code == status
    assert _parts(operation) == before


def test_the_operation_pages_lead_to_the_agencies_correction(client, world):
    operation = world.operation_a
    _signed_in(client, world.steward_a)
    for name in ("standard:operation_detail", "standard:operation_edit"):
        page = client.get(reverse(name, args=[operation.code]))
        assert _agencies_url(operation) in page.text
        assert "records administration" not in page.text
