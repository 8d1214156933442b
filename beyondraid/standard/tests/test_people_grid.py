"""The people grid (issue 23): a steward records many people of an operation in one post, each
with the role, its basis and what was done; blank rows are ignored; one refused row writes
nothing and every refusal names its row and column with the entries kept; only a steward who
edits the operation reaches the grid."""

import datetime
from typing import Any

import pytest
from django.test import Client

from beyondraid.accounts.models import AuditEntry
from beyondraid.accounts.testing import sign_in_verified
from beyondraid.standard.models import Encounter, NonPunishmentAlert, ServiceOffer, TreatmentEvent

pytestmark = pytest.mark.django_db


def _signed_in(user) -> Client:
    client = Client()
    sign_in_verified(client, user)
    return client


def _url(operation) -> str:
    return f"/operations/{operation.code}/people/grid/"


def _grid(operation, *rows: dict[str, str], total: int = 5) -> dict[str, Any]:
    """A posted grid of ``total`` rows, the first ones filled with ``rows``, the rest blank."""
    data: dict[str, Any] = {
        "encountered_on": operation.start_date.isoformat(),
        "person-TOTAL_FORMS": total,
        "person-INITIAL_FORMS": 0,
        "person-MIN_NUM_FORMS": 0,
        "person-MAX_NUM_FORMS": 50,
    }
    for index in range(total):
        for name in (
            "encountered_on",
            "age_group",
            "gender_identity",
            "role",
            "role_basis",
            "arrest_basis",
            "event",
            "service_type",
            "response",
        ):
            data[f"person-{index}-{name}"] = ""
    for index, row in enumerate(rows):
        for name, value in row.items():
            data[f"person-{index}-{name}"] = value
    return data


VICTIM = {
    "age_group": "18_24",
    "gender_identity": "woman",
    "role": "suspected_victim",
    "role_basis": "screening_indicators",
    "event": "sheltered",
    "service_type": "trafficking_shelter",
    "response": "accepted",
}
BUYER = {"age_group": "35_and_over", "role": "buyer", "role_basis": "investigation"}


def test_three_rows_are_recorded_in_one_post_and_blank_rows_are_ignored(world):
    operation = world.operation_a
    before = set(Encounter.objects.values_list("pk", flat=True))
    second_day = operation.start_date + datetime.timedelta(days=1)
    arrested_buyer = {**BUYER, "arrest_basis": "probable_cause", "encountered_on": second_day}

    response = _signed_in(world.steward_a).post(
        _url(operation), _grid(operation, VICTIM, arrested_buyer, BUYER, total=6)
    )

    assert response.status_code == 302
    assert response["Location"] == f"/operations/{operation.code}/"
    new = Encounter.objects.exclude(pk__in=before).order_by("pk")
    assert [(person.current_role, person.age_group) for person in new] == [
        ("suspected_victim", "18_24"),
        ("buyer", "35_and_over"),
        ("buyer", "35_and_over"),
    ]
    victim, buyer, other_buyer = new
    assert victim.gender_identity == "woman" and other_buyer.gender_identity == "not_recorded"
    assessment = victim.current_role_assessment
    assert assessment is not None and assessment.basis == "screening_indicators"
    assert [person.encountered_on for person in new] == [
        operation.start_date,
        second_day,
        operation.start_date,
    ]
    assert list(victim.treatment_events.values_list("kind", flat=True)) == ["sheltered"]
    (arrest,) = TreatmentEvent.objects.filter(encounter=buyer)
    assert (arrest.kind, arrest.arrest_basis, arrest.occurred_on) == (
        "arrested",
        "probable_cause",
        second_day,
    )
    (offer,) = ServiceOffer.objects.filter(encounter=victim)
    assert (offer.service_type, offer.response, offer.offered_by) == (
        "trafficking_shelter",
        "accepted",
        world.agency_a,
    )
    assert not other_buyer.treatment_events.exists() and not other_buyer.service_offers.exists()
    assert {person.entered_by for person in new} == {world.steward_a}
    # Every write is in the audit log under the steward who made it.
    created = AuditEntry.objects.filter(object_type="standard.encounter", action="create")
    assert set(created.filter(actor=world.steward_a).values_list("object_id", flat=True)) >= {
        str(person.pk) for person in new
    }


def test_an_arrest_of_a_suspected_victim_raises_its_alert_as_when_recorded_alone(world):
    operation = world.operation_a
    arrested_victim = {**VICTIM, "arrest_basis": "outstanding_warrant"}

    _signed_in(world.steward_a).post(_url(operation), _grid(operation, arrested_victim))

    person = Encounter.objects.get(treatment_events__kind="arrested")
    assert NonPunishmentAlert.objects.filter(encounter=person, trigger="arrested").exists()


def test_one_refused_row_writes_nothing_and_each_refusal_names_its_row_and_column(world):
    operation = world.operation_a
    counts = (Encounter.objects.count(), ServiceOffer.objects.count())
    minor_as_adult = {
        "age_group": "15_17",
        "role": "adult_in_commercial_sex",
        "role_basis": "other",
    }
    after_operation = {**BUYER, "encountered_on": "2031-01-01"}
    answer_without_offer = {**BUYER, "response": "declined"}

    response = _signed_in(world.steward_a).post(
        _url(operation),
        _grid(operation, VICTIM, minor_as_adult, after_operation, answer_without_offer),
    )

    assert response.status_code == 400
    # The first row was good, and written, before the others were refused: it is undone too.
    assert (Encounter.objects.count(), ServiceOffer.objects.count()) == counts
    page = response.content.decode()
    assert "Nothing was recorded" in page
    assert "Row 2, Role: A minor can never be recorded as an adult in commercial sex" in page
    assert "Row 3, Date: The encounter date must fall within the operation" in page
    assert "Row 4, Service offered: Choose the service offered" in page
    # Each message links to the cell it concerns, and what was typed is shown again.
    assert 'href="#id_person-1-role"' in page
    assert 'value="2031-01-01"' in page
    assert '<option value="adult_in_commercial_sex" selected>' in page
    assert '<option value="trafficking_shelter" selected>' in page


def test_a_wrong_choice_is_refused_before_anything_is_written(world):
    operation = world.operation_a
    count = Encounter.objects.count()
    no_basis = {"role": "buyer"}

    response = _signed_in(world.steward_a).post(_url(operation), _grid(operation, VICTIM, no_basis))

    assert response.status_code == 400 and Encounter.objects.count() == count
    assert "Row 2, Basis of the role: Choose the basis of the role." in response.content.decode()


def test_an_all_blank_grid_is_refused_with_a_reason(world):
    operation = world.operation_a
    count = Encounter.objects.count()

    response = _signed_in(world.steward_a).post(_url(operation), _grid(operation))

    assert response.status_code == 400 and Encounter.objects.count() == count
    assert "Every row is blank" in response.content.decode()


def test_adding_rows_keeps_the_entries_and_saves_nothing(world):
    operation = world.operation_a
    count = Encounter.objects.count()

    response = _signed_in(world.steward_a).post(
        _url(operation), {**_grid(operation, VICTIM, total=2), "add_rows": "1"}
    )

    assert response.status_code == 200 and Encounter.objects.count() == count
    page = response.content.decode()
    assert 'name="person-TOTAL_FORMS" value="7"' in page
    assert 'id="id_person-6-role"' in page
    assert '<option value="suspected_victim" selected>' in page
    assert "Nothing was recorded" not in page


def test_the_grid_labels_every_cell_with_its_row_and_column(world):
    page = _signed_in(world.steward_a).get(_url(world.operation_a) + "?rows=3").content.decode()

    assert 'id="id_person-2-role"' in page and 'id="id_person-3-role"' not in page
    assert '<label class="usa-sr-only" for="id_person-2-role">Row 3, Role</label>' in page
    assert '<label class="usa-sr-only" for="id_person-0-encountered_on">Row 1, Date</label>' in page


def test_the_operation_page_links_to_the_grid_for_those_who_edit_it(world):
    link = _url(world.operation_a)

    assert link in _signed_in(world.steward_a).get(f"/operations/{world.operation_a.code}/").text
    assert (
        link not in _signed_in(world.prosecutor).get(f"/operations/{world.operation_a.code}/").text
    )


@pytest.mark.parametrize(
    ("persona", "status"),
    [("prosecutor", 403), ("analyst", 403), ("steward_b", 404), ("caseworker", 404)],
)
def test_only_a_steward_who_edits_the_operation_reaches_the_grid(world, persona, status):
    client = _signed_in(world.personas[persona])
    url = _url(world.operation_a)
    count = Encounter.objects.count()

    assert client.get(url).status_code == status
    assert client.post(url, _grid(world.operation_a, VICTIM)).status_code == status
    assert Encounter.objects.count() == count


def test_signed_out_visitors_are_sent_to_sign_in(world):
    response = Client().get(_url(world.operation_a))

    assert response.status_code == 302 and response["Location"].startswith("/accounts/sign-in/")
