"""Principle 4 (docs/principles.md): a victim arrested, cited, charged or referred to immigration is
stored as it happened and surfaced as a non-punishment alert."""

import datetime

import pytest

from beyondraid.standard import services
from beyondraid.standard.models import NonPunishmentAlert, Statute, TreatmentEvent
from beyondraid.standard.tests.builders import make_encounter

pytestmark = pytest.mark.django_db


def _arrest(encounter, basis="probable_cause"):
    return services.record_treatment_event(
        encounter=encounter,
        kind="arrested",
        occurred_on=encounter.encountered_on,
        arrest_basis=basis,
    )


@pytest.mark.parametrize("kind", ["cited", "immigration_referral"])
def test_a_suspected_victim_cited_or_referred_to_immigration_raises_an_alert(kind):
    encounter = make_encounter(role="suspected_victim", role_basis="screening_indicators")
    event = services.record_treatment_event(
        encounter=encounter, kind=kind, occurred_on=encounter.encountered_on
    )
    alert = NonPunishmentAlert.objects.get(encounter=encounter)
    assert (alert.trigger, alert.treatment_event, alert.role_when_raised) == (
        kind,
        event,
        "suspected_victim",
    )


def test_a_victim_arrested_is_stored_as_it_happened_and_alerted():
    encounter = make_encounter(role="confirmed_victim", role_basis="investigation")
    event = _arrest(encounter, basis="material_witness_warrant")
    assert TreatmentEvent.objects.get(pk=event.pk).arrest_basis == "material_witness_warrant"
    assert encounter.non_punishment_alerts.get().trigger == "arrested"


def test_a_charge_against_a_minor_raises_an_alert_whatever_the_recorded_role():
    encounter = make_encounter(age_group="15_17", role="unknown")
    services.record_charge(
        encounter=encounter,
        statute=Statute.objects.get(code="other-curfew"),
        charged_on=encounter.encountered_on,
    )
    assert encounter.non_punishment_alerts.get().trigger == "charged"


def test_a_buyer_arrested_raises_no_alert():
    encounter = make_encounter(role="buyer", age_group="35_and_over")
    _arrest(encounter)
    assert not encounter.non_punishment_alerts.exists()


def test_a_person_arrested_and_later_identified_as_a_victim_is_alerted_then():
    encounter = make_encounter(role="adult_in_commercial_sex", age_group="18_24")
    _arrest(encounter)
    assert not encounter.non_punishment_alerts.exists()
    services.assess_role(
        encounter=encounter,
        role="suspected_victim",
        basis="screening_indicators",
        assessed_on=encounter.encountered_on + datetime.timedelta(days=3),
    )
    assert encounter.non_punishment_alerts.get().role_when_raised == "suspected_victim"


def test_an_alert_stays_when_the_role_changes_and_is_never_raised_twice():
    encounter = make_encounter(role="suspected_victim", role_basis="self_identified")
    _arrest(encounter)
    services.assess_role(
        encounter=encounter,
        role="confirmed_victim",
        basis="investigation",
        assessed_on=encounter.encountered_on,
    )
    services.assess_role(
        encounter=encounter,
        role="witness",
        basis="investigation",
        assessed_on=encounter.encountered_on,
    )
    assert encounter.non_punishment_alerts.count() == 1


def test_supportive_events_raise_no_alert():
    encounter = make_encounter(role="suspected_victim", role_basis="self_identified")
    for kind in ["basic_needs_provided", "contact_allowed", "sheltered", "released"]:
        services.record_treatment_event(
            encounter=encounter, kind=kind, occurred_on=encounter.encountered_on
        )
    assert not encounter.non_punishment_alerts.exists()
