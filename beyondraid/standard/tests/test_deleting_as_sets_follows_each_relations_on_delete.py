"""Deleting as sets (``standard.deleting``) applies each relation's ``on_delete`` as Django's
collector would, without loading a record: what PROTECTs refuses the whole delete and says what
refers to what, what is SET_NULL is emptied and kept, and ``not_referred_to`` leaves out the rows
that something protects. The standard has no SET_NULL relation today; the test makes one of a
nullable link for the length of the test."""

import datetime

import pytest
from django.db import models

from beyondraid.standard import services
from beyondraid.standard.deleting import StillReferred, delete_with_dependents, not_referred_to
from beyondraid.standard.models import Agency, Encounter

from .builders import make_agency

pytestmark = pytest.mark.django_db


@pytest.fixture
def clinic_referral():
    """A provider that identified a person whom a clinic referred to it."""
    provider = make_agency(name="Harbor Survivor Services", kind="victim_service_provider")
    clinic = make_agency(name="Harbor Community Clinic", kind="other")
    person = services.record_encounter(
        encountered_on=datetime.date(2024, 5, 2),
        identification_pathway="hospital_or_clinic",
        identified_by=provider,
        referring_organisation=clinic,
        work_sector="agriculture",
        trafficking_form="labour",
        role="suspected_victim",
        role_basis="screening_indicators",
    )
    return provider, clinic, person


def test_a_protected_row_refuses_the_whole_delete_and_names_who_refers_to_it(clinic_referral):
    provider, clinic, _ = clinic_referral
    lonely = make_agency(name="Agency nobody names")

    with pytest.raises(StillReferred) as refused:
        delete_with_dependents(Agency.objects.filter(pk__in=[provider.pk, clinic.pk, lonely.pk]))

    assert set(str(refused.value).split(", ")) == {
        "1 encounter refers to agencies as identified by",
        "1 encounter refers to agencies as referring organisation",
    }
    assert Agency.objects.filter(pk__in=[provider.pk, clinic.pk, lonely.pk]).count() == 3
    # The refusal left nothing behind that would stand in the way of the next delete.
    assert delete_with_dependents(Agency.objects.filter(pk=lonely.pk)).deleted == {Agency: 1}


def test_not_referred_to_leaves_out_the_rows_something_protects(clinic_referral):
    provider, clinic, _ = clinic_referral
    lonely = make_agency(name="Agency nobody names")
    chosen = Agency.objects.filter(pk__in=[provider.pk, clinic.pk, lonely.pk])

    done = delete_with_dependents(not_referred_to(chosen))

    assert done.deleted == {Agency: 1}
    assert set(Agency.objects.filter(pk__in=[provider.pk, clinic.pk, lonely.pk])) == {
        provider,
        clinic,
    }


def test_a_set_null_relation_is_emptied_and_its_rows_kept(clinic_referral, monkeypatch):
    _, clinic, person = clinic_referral
    relation = Encounter._meta.get_field("referring_organisation").remote_field
    monkeypatch.setattr(relation, "on_delete", models.SET_NULL)

    done = delete_with_dependents(Agency.objects.filter(pk=clinic.pk))

    assert done.deleted == {Agency: 1}
    assert done.emptied == {(Encounter, "referring_organisation"): 1}
    person.refresh_from_db()
    assert person.referring_organisation is None
    assert not Agency.objects.filter(pk=clinic.pk).exists()
