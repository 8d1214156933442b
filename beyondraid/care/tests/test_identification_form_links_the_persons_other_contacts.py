"""Issue 21, item 3: the caseworker's identification form takes, optionally, a booking or case
number to link the person's other contacts. Only the keyed hash is kept; a placeholder is refused
on its field, and the number is never written back into the page."""

import io

import pytest
from django.core.management import call_command
from django.urls import reverse

from beyondraid.accounts.testing import sign_in_verified
from beyondraid.care.tests.test_recording_a_person_identified_refuses_bad_input_in_plain_words import (  # noqa: E501
    FORM,
)
from beyondraid.standard import linkage
from beyondraid.standard.models import Encounter

pytestmark = pytest.mark.django_db

NUMBER = "SP-CASE 2024-0417"


@pytest.fixture
def caseworker(client, world):
    sign_in_verified(client, world.caseworker)
    return client


def test_a_person_identified_with_a_case_number_is_linked_by_its_hash_alone(caseworker, world):
    response = caseworker.post(reverse("care:identify"), {**FORM, "link_identifier": NUMBER})
    assert response.status_code == 302
    person = Encounter.objects.get(identified_by=world.provider)
    assert person.person_link == linkage.person_link("sp-case-2024 0417", world.provider)
    page = caseworker.get(response["Location"]).content.decode()
    stored = io.StringIO()
    call_command("dumpdata", "standard", "accounts", "care", stdout=stored)
    for text in (NUMBER, "SPCASE20240417"):
        assert text not in stored.getvalue()
        assert text not in page
    assert "Other contacts of this person" in page


def test_without_a_number_the_person_is_recorded_unlinked(caseworker, world):
    assert caseworker.post(reverse("care:identify"), FORM).status_code == 302
    assert Encounter.objects.get(identified_by=world.provider).person_link == ""


def test_a_placeholder_is_refused_on_its_field_and_not_written_back(caseworker, world):
    response = caseworker.post(
        reverse("care:identify"), {**FORM, "link_identifier": "Unknown", "work_sector": "x"}
    )
    assert response.status_code == 400
    assert not Encounter.objects.filter(identified_by=world.provider).exists()
    form = response.context["form"]
    assert form.errors["work_sector"]
    # Refused by the form already for the sector; refused alone, by the service:
    response = caseworker.post(reverse("care:identify"), {**FORM, "link_identifier": "Unknown"})
    assert response.status_code == 400
    assert response.context["form"].errors["link_identifier"] == [
        "The booking or case number is a placeholder, not a number: give the number your "
        "organisation holds, or leave the person unlinked."
    ]
    assert 'value="Unknown"' not in response.content.decode()
    assert not Encounter.objects.filter(identified_by=world.provider).exists()
