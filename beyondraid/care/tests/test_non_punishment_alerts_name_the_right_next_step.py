"""Each non-punishment alert tells staff what to do about it, and a person charged for what they
entered as a minor is owed record clearing like any other victim (R36)."""

import pytest

from beyondraid.care import alerts
from beyondraid.care.models import Alert
from beyondraid.standard import services
from beyondraid.standard.models import Statute
from beyondraid.standard.tests.builders import make_encounter
from beyondraid.standard.vocabulary import vocabulary

pytestmark = pytest.mark.django_db


def test_every_non_punishment_trigger_says_its_next_step_and_whether_it_leaves_a_record():
    for term in vocabulary("non_punishment_trigger").terms:
        assert term.attributes["next_step"], term.code
        assert isinstance(term.attributes["leaves_a_record"], bool), term.code


def test_a_minor_asked_to_cooperate_is_not_told_to_clear_a_record():
    minor = make_encounter(age_group="15_17", role="suspected_victim", role_basis="minor_by_age")
    services.record_cooperation(
        encounter=minor, status="cooperating", recorded_on=minor.encountered_on
    )
    alerts.refresh_alerts(encounters=type(minor).objects.filter(pk=minor.pk))

    messages = list(
        Alert.objects.filter(encounter=minor, kind=Alert.Kind.NON_PUNISHMENT)
        .filter(message__startswith="Minor asked to cooperate")
        .values_list("message", flat=True)
    )
    assert messages and "advocate was present" in messages[0]
    assert "record clearing" not in messages[0]


def test_a_person_charged_for_what_they_entered_as_a_minor_is_owed_record_clearing():
    person = make_encounter(
        age_group="18_24",
        entered_as_minor="yes",
        role="adult_in_commercial_sex",
        role_basis="screening_indicators",
    )
    services.record_charge(
        encounter=person,
        statute=Statute.objects.get(code="ca-pc-647b"),
        charged_on=person.encountered_on,
    )
    alerts.refresh_alerts(encounters=type(person).objects.filter(pk=person.pk))

    assert Alert.objects.filter(encounter=person, kind=Alert.Kind.RECORD_CLEARING_DUE).exists()
