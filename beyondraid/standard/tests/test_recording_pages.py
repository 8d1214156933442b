"""A data steward records an operation and its people on the site's own pages (issue 23): an
operation in one save, a person with their role, an arrest, a charge and a service offer in one
save; refused input comes back whole and writes nothing; only the operation's stewards may; a
correction says why, and the audit log keeps the reason."""

import datetime
from typing import Any

import pytest
from django.urls import reverse
from django.utils import translation

from beyondraid.accounts.models import AuditEntry
from beyondraid.accounts.testing import sign_in_verified
from beyondraid.standard.models import (
    Charge,
    Encounter,
    NonPunishmentAlert,
    Operation,
    RoleAssessment,
    ServiceOffer,
    Statute,
    TreatmentEvent,
)
from beyondraid.standard.tests.builders import management_form

pytestmark = pytest.mark.django_db


def _rows(prefix: str, rows: list[dict[str, Any]]) -> dict[str, Any]:
    data: dict[str, Any] = management_form(prefix, total=len(rows))
    for number, row in enumerate(rows):
        data.update({f"{prefix}-{number}-{name}": value for name, value in row.items()})
    return data


def _operation_post(world, **overrides) -> dict[str, Any]:
    data: dict[str, Any] = {
        "name": "Operation Harbor Light",
        "operation_type": "raid",
        "initiative": "local",
        "trigger": "targeted_investigation",
        "start_date": "2023-04-03",
        "end_date": "2023-04-04",
        "lead_agency": world.agency_a.pk,
        "stated_objective": "Reach two women confined in a massage business.",
        "sector_focus": ["massage_and_spa"],
        **_rows("participants", [{"agency": world.prosecutor_office.pk, "part": "prosecutor"}]),
        **_rows("places", [{"venue_type": "massage_business", "state": "CA", "city": "Harbor"}]),
    }
    data.update(overrides)
    return data


def _person_post(world, **overrides) -> dict[str, Any]:
    day = world.operation_a.start_date.isoformat()
    data: dict[str, Any] = {
        "role": "suspected_victim",
        "role_basis": "screening_indicators",
        "encountered_on": day,
        "age_group": "18_24",
        "age_determination": "self_reported",
        "entered_as_minor": "unknown",
        "gender_identity": "woman",
        "race_ethnicity": ["asian"],
        "citizenship_status": "unknown",
        "primary_language": "unknown",
        "interpreter": "unknown",
        "work_sector": "not_recorded",
        "trafficking_form": "not_recorded",
        **_rows("events", [{"kind": "arrested", "arrest_basis": "probable_cause"}]),
        **_rows(
            "charges",
            [{"statute": Statute.objects.get(code="ca-pc-647b").pk, "disposition": "pending"}],
        ),
        **_rows(
            "offers",
            [
                {
                    "service_type": "trafficking_shelter",
                    "provider": world.provider.pk,
                    "response": "accepted",
                }
            ],
        ),
    }
    data.update(overrides)
    return data


def _saved(response):
    """A save answers with a redirect; anything else shows what was refused."""
    assert response.status_code == 302, response.context and response.context["summary"]
    return response


def _signed_in(client, user):
    sign_in_verified(client, user)
    return client


def test_a_steward_records_an_operation_in_one_save(client, world):
    response = _signed_in(client, world.steward_a).post(
        reverse("standard:operation_new"), _operation_post(world)
    )

    _saved(response)
    operation = Operation.objects.get(name="Operation Harbor Light")
    assert response["Location"] == reverse("standard:operation_detail", args=[operation.code])
    assert operation.lead_agency == world.agency_a
    assert operation.entered_by == world.steward_a
    assert operation.sector_focus == ["massage_and_spa"]
    assert {(p.agency, p.part) for p in operation.participants.all()} == {
        (world.agency_a, "lead"),
        (world.prosecutor_office, "prosecutor"),
    }
    assert [(p.venue_type, p.state, p.city) for p in operation.places.all()] == [
        ("massage_business", "CA", "Harbor")
    ]


def test_the_operation_list_offers_recording_to_stewards_only(client, world):
    page = _signed_in(client, world.steward_a).get(reverse("standard:operation_list"))
    assert reverse("standard:operation_new") in page.text
    page = _signed_in(client, world.analyst).get(reverse("standard:operation_list"))
    assert reverse("standard:operation_new") not in page.text


def test_the_new_operation_form_uses_date_inputs_without_time_zone_notes(client, world):
    page = _signed_in(client, world.steward_a).get(reverse("standard:operation_new")).text
    assert 'type="date" name="start_date"' in page
    assert "server time" not in page


def test_a_steward_must_record_an_operation_their_agency_takes_part_in(client, world):
    response = _signed_in(client, world.steward_a).post(
        reverse("standard:operation_new"),
        _operation_post(world, lead_agency=world.agency_b.pk, **_rows("participants", [])),
    )

    assert response.status_code == 400
    assert "Your agency must take part" in response.text
    assert not Operation.objects.filter(name="Operation Harbor Light").exists()


def test_a_refused_operation_keeps_every_entry_names_the_field_and_writes_nothing(client, world):
    response = _signed_in(client, world.steward_a).post(
        reverse("standard:operation_new"), _operation_post(world, end_date="2023-04-01")
    )

    assert response.status_code == 400
    with translation.override("en"):
        assert "End date</a>: " in response.text or "An operation cannot end" in response.text
    assert 'value="Operation Harbor Light"' in response.text
    assert 'value="Harbor"' in response.text  # the place's row
    assert not Operation.objects.filter(name="Operation Harbor Light").exists()


def test_a_person_with_role_arrest_charge_and_offer_is_recorded_in_one_post(client, world):
    before = set(Encounter.objects.values_list("pk", flat=True))

    response = _signed_in(client, world.steward_a).post(
        reverse("standard:person_new", args=[world.operation_a.code]), _person_post(world)
    )

    assert _saved(response)["Location"] == reverse(
        "standard:operation_detail", args=[world.operation_a.code]
    )
    (person,) = Encounter.objects.exclude(pk__in=before)
    assert person.operation == world.operation_a
    assert person.race_ethnicity == ["asian"]
    assessment = person.role_assessments.get()
    assert (assessment.role, assessment.basis, assessment.stage) == (
        "suspected_victim",
        "screening_indicators",
        "at_encounter",
    )
    arrest = TreatmentEvent.objects.get(encounter=person)
    assert (arrest.kind, arrest.arrest_basis, arrest.occurred_on) == (
        "arrested",
        "probable_cause",
        world.operation_a.start_date,
    )
    charge = Charge.objects.get(encounter=person)
    assert (charge.statute.code, charge.disposition) == ("ca-pc-647b", "pending")
    offer = ServiceOffer.objects.get(encounter=person)
    assert (offer.offered_by, offer.provider, offer.response) == (
        world.agency_a,
        world.provider,
        "accepted",
    )
    assert {record.entered_by for record in (person, arrest, charge, offer)} == {world.steward_a}
    # The same rules as every other path: a suspected victim arrested and charged is alerted.
    assert NonPunishmentAlert.objects.filter(encounter=person).count() == 2


def test_a_refused_person_keeps_every_entry_and_writes_nothing(client, world):
    counts = [model.objects.count() for model in (Encounter, RoleAssessment, ServiceOffer)]
    # The arrest is dated before the encounter: the rule refuses the row, after the person and
    # their role were written, and the whole save is undone.
    early = (world.operation_a.start_date - datetime.timedelta(days=1)).isoformat()
    data = _person_post(
        world,
        **_rows(
            "events",
            [
                {"kind": "arrested", "arrest_basis": "probable_cause", "occurred_on": early},
                {"kind": "screened"},
            ],
        ),
    )

    response = _signed_in(client, world.steward_a).post(
        reverse("standard:person_new", args=[world.operation_a.code]), data
    )

    assert response.status_code == 400
    assert [model.objects.count() for model in (Encounter, RoleAssessment, ServiceOffer)] == counts
    assert not TreatmentEvent.objects.filter(occurred_on=early).exists()
    text = response.text
    with translation.override("en"):
        assert "What was done, row 1: On</a>: This date cannot be before the encounter" in text
        assert "What was done, row 2: Who screened</a>: Required for the event" in text
    # Every entry is still there: the role, the ticks, the rows.
    assert 'value="suspected_victim" selected' in text
    assert 'value="asian" class="usa-checkbox__input" id="id_race_ethnicity_' in text
    assert "checked" in text.split('value="asian"')[1].split(">")[0]
    assert f'value="{early}"' in text
    assert 'value="trafficking_shelter" selected' in text


def test_an_untouched_row_is_not_a_record(client, world):
    # As a browser posts the blank rows: their lists at their first or usual choice.
    data = {
        name: value
        for name, value in _person_post(world).items()
        if not name.startswith(("events-", "charges-", "offers-"))
    }
    data.update(
        **_rows("events", [{"kind": ""}, {"kind": ""}]),
        **_rows("charges", [{"disposition": "pending"}]),
        **_rows("offers", [{"response": "no_answer_yet"}] * 2),
    )
    response = _signed_in(client, world.steward_a).post(
        reverse("standard:person_new", args=[world.operation_a.code]), data
    )
    _saved(response)
    person = Encounter.objects.latest("created_at")
    assert not person.treatment_events.exists()
    assert not person.service_offers.exists()


@pytest.mark.parametrize(
    ("persona", "status"),
    [
        ("analyst", 403),
        ("prosecutor", 403),
        ("caseworker", 404),
        ("steward_b", 404),
    ],
)
def test_only_the_operations_stewards_record_and_correct_it(client, world, persona, status):
    _signed_in(client, world.personas[persona])
    code = world.operation_a.code
    counts = Encounter.objects.count()

    for url in (
        reverse("standard:person_new", args=[code]),
        reverse("standard:operation_edit", args=[code]),
        reverse("standard:person_edit", args=[world.encounter_a.code]),
    ):
        assert client.get(url).status_code == status
        assert client.post(url, _person_post(world)).status_code == status
    assert Encounter.objects.count() == counts


@pytest.mark.parametrize("persona", ["analyst", "caseworker", "prosecutor"])
def test_only_stewards_record_an_operation(client, world, persona):
    _signed_in(client, world.personas[persona])
    response = client.post(reverse("standard:operation_new"), _operation_post(world))
    assert response.status_code == 403
    assert "does not record operations" in response.text
    assert not Operation.objects.filter(name="Operation Harbor Light").exists()


def _correction_of(operation) -> dict[str, Any]:
    return {
        "name": operation.name,
        "operation_type": operation.operation_type,
        "initiative": operation.initiative,
        "trigger": operation.trigger,
        "start_date": operation.start_date.isoformat(),
        "end_date": operation.end_date.isoformat(),
        "stated_objective": operation.stated_objective,
    }


def test_an_operation_is_corrected_only_with_a_reason_kept_in_the_audit_log(client, world):
    operation = world.operation_a
    url = reverse("standard:operation_edit", args=[operation.code])
    _signed_in(client, world.steward_a)
    data = {**_correction_of(operation), "operation_type": "raid"}

    refused = client.post(url, data)

    assert refused.status_code == 400
    assert "Choose why the record is corrected." in refused.text
    operation.refresh_from_db()
    assert operation.operation_type == "sting"

    corrected = client.post(url, {**data, "reason": "entry_mistake"})

    assert corrected.status_code == 302
    operation.refresh_from_db()
    assert operation.operation_type == "raid"
    entry = AuditEntry.objects.get(action="update", object_id=str(operation.pk))
    assert entry.changed_fields == ["operation_type"]
    assert entry.actor == world.steward_a
    assert entry.object_label.endswith("corrected: A mistake made when the record was entered")


def test_a_correction_that_changes_nothing_is_refused(client, world):
    response = _signed_in(client, world.steward_a).post(
        reverse("standard:operation_edit", args=[world.operation_a.code]),
        {**_correction_of(world.operation_a), "reason": "entry_mistake"},
    )
    assert response.status_code == 400
    assert "Nothing was changed" in response.text


def test_a_persons_record_is_corrected_with_a_reason_and_a_new_role_is_a_new_assessment(
    client, world
):
    person = world.encounter_a  # a buyer, 35 and over
    url = reverse("standard:person_edit", args=[person.code])
    page = _signed_in(client, world.steward_a).get(url)
    assert page.status_code == 200
    assert "no-store" in page["Cache-Control"]  # a person-level read, logged
    assert AuditEntry.objects.filter(action="view", object_id=str(person.pk)).exists()

    data = {
        "role": "witness",
        "role_basis": "investigation",
        "encountered_on": person.encountered_on.isoformat(),
        "age_group": "25_34",
        "age_determination": person.age_determination,
        "entered_as_minor": person.entered_as_minor,
        "gender_identity": person.gender_identity,
        "race_ethnicity": person.race_ethnicity,
        "citizenship_status": person.citizenship_status,
        "primary_language": person.primary_language,
        "interpreter": person.interpreter,
        "work_sector": person.work_sector,
        "trafficking_form": person.trafficking_form,
    }
    assert client.post(url, data).status_code == 400
    assert person.role_assessments.count() == 1

    response = client.post(url, {**data, "reason": "source_checked"})

    assert response.status_code == 302
    person.refresh_from_db()
    assert person.age_group == "25_34"
    assert [a.role for a in person.role_assessments.order_by("pk")] == ["buyer", "witness"]
    entry = AuditEntry.objects.get(action="update", object_id=str(person.pk))
    assert entry.changed_fields == ["age_group"]
    # The log names the record by its kind and the reason from the closed list, never the code.
    assert person.code not in entry.object_label
    assert entry.object_label.endswith("corrected: Checked again against the agency's own records")
