"""Issue 21: a person is met in an operation, through it, or identified outside any operation by
an organisation of any kind, through another pathway; never both, never neither. The rule holds in
the model's validation, with the field named, and in the database, so that no import, API call or
raw fix can store a person nobody identified. Sectors and forms of trafficking are closed lists."""

import datetime

import pytest
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.utils import timezone

from beyondraid.standard import services
from beyondraid.standard.models import Encounter

from .builders import make_agency, make_encounter, make_operation

pytestmark = pytest.mark.django_db

DAY = datetime.date(2024, 5, 2)


@pytest.fixture
def provider():
    return make_agency(name="Harbor Survivor Services", kind="victim_service_provider")


def _identified(provider, **changes) -> Encounter:
    values = {
        "encountered_on": DAY,
        "identification_pathway": "hotline",
        "identified_by": provider,
        "work_sector": "agriculture",
        "trafficking_form": "labour",
        "role": "suspected_victim",
        "role_basis": "screening_indicators",
    }
    values.update(changes)
    return services.record_encounter(**values)


def _refused(**changes) -> dict[str, list[str]]:
    with pytest.raises(ValidationError) as refused:
        services.record_encounter(**{"encountered_on": DAY, "role": "suspected_victim", **changes})
    return refused.value.message_dict


def test_a_person_identified_outside_any_operation_is_recorded_with_how_and_by_whom(provider):
    clinic = make_agency(name="Harbor Community Clinic", kind="other")

    person = _identified(
        provider, identification_pathway="hospital_or_clinic", referring_organisation=clinic
    )

    assert person.operation is None
    assert (person.identified_by, person.referring_organisation) == (provider, clinic)
    assert person.data_origin == "recorded"
    assert person.current_role == "suspected_victim"


def test_a_person_met_in_an_operation_is_identified_through_it():
    person = make_encounter(work_sector="massage_and_spa", trafficking_form="sex")

    assert person.identification_pathway == "law_enforcement_operation"
    assert person.identified_by is None


def test_a_person_outside_operations_names_who_identified_them_and_how(provider):
    assert _refused(identification_pathway="self_referral") == {
        "identified_by": [
            "Name the organisation that identified the person, or that they came to: a person "
            "identified outside an operation is recorded by that organisation."
        ]
    }
    assert _refused(identified_by=provider) == {
        "identification_pathway": [
            "Say how the person was identified or came forward: a person identified outside an "
            "operation is counted by it."
        ]
    }
    assert "identification_pathway" in _refused(
        identified_by=provider, identification_pathway="law_enforcement_operation"
    )


def test_a_person_met_in_an_operation_has_its_pathway_and_no_identifying_organisation(provider):
    operation = make_operation()
    refused = _refused(
        operation=operation,
        encountered_on=operation.start_date,
        identification_pathway="self_referral",
        identified_by=provider,
    )
    assert set(refused) == {"identification_pathway", "identified_by"}
    assert refused["identification_pathway"][0].startswith(
        "A person met in an operation was identified through it"
    )


def test_a_referring_organisation_is_another_one_and_none_refers_a_self_referral(provider):
    clinic = make_agency(name="Harbor Community Clinic", kind="other")
    base = {"identified_by": provider, "encountered_on": DAY}

    refused = _refused(
        **base, identification_pathway="self_referral", referring_organisation=clinic
    )
    assert refused["referring_organisation"][0].startswith(
        "The pathway 'self-referral' has no referring organisation"
    )
    refused = _refused(**base, identification_pathway="hotline", referring_organisation=provider)
    assert refused["referring_organisation"][0].startswith(
        "The referring organisation is the one that sent the person"
    )


def test_a_person_is_recorded_once_identified_never_ahead(provider):
    tomorrow = timezone.localdate() + datetime.timedelta(days=1)
    refused = _refused(
        identified_by=provider, identification_pathway="hotline", encountered_on=tomorrow
    )
    assert refused == {
        "encountered_on": [
            "This date is in the future; record a person once they have been identified."
        ]
    }


def test_unknown_sectors_and_forms_are_refused_with_their_field_named(provider):
    refused = _refused(
        identified_by=provider,
        identification_pathway="hotline",
        work_sector="fishing_fleet",
        trafficking_form="forced_marriage",
    )
    assert set(refused) == {"work_sector", "trafficking_form"}


def test_the_database_refuses_a_person_nobody_identified(provider):
    met = make_encounter()
    identified = _identified(provider)
    for people, change in (
        (Encounter.objects.filter(pk=met.pk), {"identification_pathway": "hotline"}),
        (Encounter.objects.filter(pk=met.pk), {"identified_by": provider}),
        (Encounter.objects.filter(pk=identified.pk), {"identified_by": None}),
        (Encounter.objects.filter(pk=identified.pk), {"work_sector": "fishing_fleet"}),
        (
            Encounter.objects.filter(pk=identified.pk),
            {"identification_pathway": "self_referral", "referring_organisation": provider},
        ),
    ):
        with pytest.raises(IntegrityError), transaction.atomic():
            people.update(**change)


def test_a_person_met_in_a_synthetic_operation_is_synthetic_too(provider):
    person = make_encounter(operation=make_operation(data_origin="synthetic"))
    assert person.data_origin == "synthetic"
    refused = _refused(
        identified_by=provider, identification_pathway="hotline", data_origin="published_aggregate"
    )
    assert refused["data_origin"] == [
        "A person identified outside an operation is recorded, or synthetic demo data."
    ]


def test_an_operations_sector_focus_is_a_list_of_known_sectors():
    operation = make_operation(sector_focus=["agriculture", "construction"])
    assert operation.sector_focus == ["agriculture", "construction"]
    for focus, message in (
        (["agriculture", "not_recorded"], "'Not recorded' cannot be combined with another choice."),
        (["fishing_fleet"], "Unknown sector code(s) fishing_fleet; use: "),
    ):
        with pytest.raises(ValidationError) as refused:
            make_operation(sector_focus=focus)
        assert refused.value.message_dict["sector_focus"][0].startswith(message)
