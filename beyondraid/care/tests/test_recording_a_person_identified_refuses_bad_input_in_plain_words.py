"""Issue 21, bad input: the form that records a person identified outside any operation comes back
as typed, with a 400 and the message on the field at fault, for a pathway or a sector outside the
vocabulary, a day in the future, a referring organisation for a self-referral, or a role nobody
identifies to serve; nothing is written. Anyone but a steward or a caseworker is refused."""

import datetime

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse
from django.utils import timezone

from beyondraid.accounts.testing import sign_in_verified
from beyondraid.care import services
from beyondraid.standard.models import Encounter
from beyondraid.standard.tests.builders import make_agency

pytestmark = pytest.mark.django_db

FORM = {
    "identified_on": "2024-05-02",
    "identification_pathway": "hotline",
    "work_sector": "agriculture",
    "trafficking_form": "labour",
    "role": "suspected_victim",
    "role_basis": "screening_indicators",
    "age_group": "unknown",
    "age_determination": "not_recorded",
    "gender_identity": "not_recorded",
    "race_ethnicity": ["not_recorded"],
    "citizenship_status": "unknown",
    "primary_language": "unknown",
    "interpreter": "unknown",
}


@pytest.fixture
def signed_in(client, world):
    sign_in_verified(client, world.caseworker)
    return client


def _errors(client, **changes) -> dict:
    before = Encounter.objects.count()
    response = client.post(reverse("care:identify"), {**FORM, **changes})
    assert response.status_code == 400
    assert Encounter.objects.count() == before
    assert "Nothing was saved" in response.content.decode()
    return response.context["form"].errors


def test_a_pathway_or_sector_outside_the_lists_is_named(signed_in):
    errors = _errors(signed_in, identification_pathway="raid", work_sector="nail_salon")
    assert errors == {
        "identification_pathway": ["Choose one of the options in the list."],
        "work_sector": ["Choose one of the options in the list."],
    }
    # Through the operation is not a pathway of a person identified outside one.
    assert _errors(signed_in, identification_pathway="law_enforcement_operation") == {
        "identification_pathway": ["Choose one of the options in the list."]
    }
    assert _errors(signed_in, identification_pathway="") == {
        "identification_pathway": ["Say how the person was identified or came forward."]
    }


def test_a_day_in_the_future_is_refused(signed_in):
    tomorrow = timezone.localdate() + datetime.timedelta(days=1)
    assert _errors(signed_in, identified_on=tomorrow.isoformat()) == {
        "identified_on": ["This date is in the future; record what has happened."]
    }


def test_nobody_refers_a_self_referral(signed_in):
    clinic = make_agency(name="Harbor Community Clinic", kind="other")
    errors = _errors(
        signed_in, identification_pathway="self_referral", referring_organisation=clinic.pk
    )
    assert errors["referring_organisation"][0].startswith(
        "The pathway 'self-referral' has no referring organisation"
    )


def test_a_basis_that_needs_a_minor_names_its_field(signed_in):
    errors = _errors(signed_in, role_basis="minor_by_age", age_group="25_34")
    assert errors == {
        "role_basis": ["'Minor, by age' needs an age group under 18 on the encounter."]
    }


def test_only_victims_or_people_not_yet_assessed_are_recorded(world):
    with pytest.raises(ValidationError) as refused:
        services.record_identification(
            user=world.caseworker,
            identified_on=datetime.date(2024, 5, 2),
            identification_pathway="hotline",
            role="buyer",
            role_basis="investigation",
        )
    assert refused.value.message_dict["role"][0].startswith(
        "A person identified outside an operation is recorded as 'suspected victim of trafficking'"
    )


@pytest.mark.parametrize("persona", ["prosecutor", "analyst", "investigator", "administrator"])
def test_other_roles_record_no_one(client, world, persona):
    sign_in_verified(client, getattr(world, persona))
    assert client.post(reverse("care:identify"), FORM).status_code == 403
    with pytest.raises(services.CareRefused):
        services.record_identification(
            user=getattr(world, persona),
            identified_on=datetime.date(2024, 5, 2),
            identification_pathway="hotline",
            role="suspected_victim",
            role_basis="screening_indicators",
        )
    assert not Encounter.objects.filter(operation=None).exists()
