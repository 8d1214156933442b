"""A record written anywhere — here through the standard's own services, as its pages do —
changes that person's alerts as soon as it is committed, not at the next nightly refresh."""

import pytest

from beyondraid.care.alerts import refresh_alerts
from beyondraid.care.models import Alert
from beyondraid.care.signals import records_about_people
from beyondraid.standard import services as standard
from beyondraid.standard.models import CooperationRecord, NonPunishmentAlert, TreatmentEvent

pytestmark = pytest.mark.django_db(transaction=True)


def test_an_offer_clears_and_an_arrest_raises_alerts_at_once(world):
    victim = world.encounter_b
    refresh_alerts(today=victim.encountered_on)
    assert Alert.objects.get(encounter=victim, kind=Alert.Kind.SERVICES_NOT_OFFERED).status == "due"

    standard.offer_service(
        encounter=victim,
        service_type="medical_care",
        offered_on=victim.encountered_on,
        offered_by=world.agency_b,
    )
    assert (
        Alert.objects.get(encounter=victim, kind=Alert.Kind.SERVICES_NOT_OFFERED).status
        == "cleared"
    )

    standard.record_treatment_event(
        encounter=victim,
        kind="arrested",
        occurred_on=victim.encountered_on,
        arrest_basis="probable_cause",
    )
    punished = Alert.objects.get(encounter=victim, kind=Alert.Kind.NON_PUNISHMENT)
    assert punished.status == "flagged"


def test_every_record_about_a_person_is_watched():
    watched = records_about_people()
    assert {TreatmentEvent, CooperationRecord, NonPunishmentAlert} <= set(watched)
