"""Issue 21, done when: a provider's caseworker records a person who came forward on their own
from work in a restaurant, outside any operation; refers them to another provider with their
consent; and the alerts and the indicators count them, by pathway and by sector. The same rules
hold as for a person met in an operation: a random code, coded facts, no name, every reading of
the person in the audit log."""

import datetime

import pytest
from django.urls import reverse
from django.utils import timezone

from beyondraid.accounts.models import AuditEntry
from beyondraid.accounts.testing import sign_in_verified
from beyondraid.care.models import Alert, Referral
from beyondraid.standard.models import Encounter
from beyondraid.transparency import indicators

from .builders import list_provider, second_provider

pytestmark = pytest.mark.django_db

IDENTIFIED = timezone.localdate() - datetime.timedelta(days=3)
PERSON = {
    "identified_on": IDENTIFIED.isoformat(),
    "identification_pathway": "self_referral",
    "referring_organisation": "",
    "work_sector": "restaurants_and_food",
    "trafficking_form": "labour",
    "role": "suspected_victim",
    "role_basis": "self_identified",
    "age_group": "25_34",
    "age_determination": "self_reported",
    "gender_identity": "man",
    "race_ethnicity": ["hispanic_latino"],
    "citizenship_status": "undocumented",
    "primary_language": "es",
    "interpreter": "provided",
}


def _value(level: str, code: str, unit_label: str):
    return next(
        row
        for row in indicators.compute(level)
        if row.indicator.code == code and row.unit_label == unit_label
    )


def test_a_self_referred_restaurant_worker_is_recorded_referred_alerted_and_counted(
    client, world, django_capture_on_commit_callbacks
):
    legal, legal_caseworker = second_provider("Bayside Legal Aid for Survivors")
    list_provider(
        legal,
        by=legal_caseworker,
        services=["legal_services", "immigration_legal"],
        trafficking_shelter_places=0,
    )

    # The caseworker records the person who came to their organisation.
    sign_in_verified(client, world.caseworker)
    assert client.get(reverse("care:identify")).status_code == 200
    recorded = client.post(reverse("care:identify"), PERSON)

    person = Encounter.objects.get(identified_by=world.provider)
    assert recorded.status_code == 302
    assert recorded["Location"] == reverse("standard:encounter_detail", args=[person.code])
    assert person.operation is None
    assert (person.identification_pathway, person.work_sector, person.trafficking_form) == (
        "self_referral",
        "restaurants_and_food",
        "labour",
    )
    assert person.current_role == "suspected_victim"
    assert person.entered_by == world.caseworker

    page = client.get(recorded["Location"]).content.decode()
    assert "Self-referral" in page and "Restaurants and food" in page
    assert "outside any operation, by Harbor Survivor Services" in page
    assert reverse("care:refer", args=[person.code]) in page
    assert person.code in client.get(reverse("care:identified_list")).content.decode()
    reads = AuditEntry.objects.filter(
        action=AuditEntry.Action.VIEW, actor=world.caseworker, object_type="standard.encounter"
    )
    assert set(reads.values_list("object_id", flat=True)) == {str(person.pk)}

    # No service offered yet: the alert is the identifying organisation's to act on.
    owed = Alert.objects.get(encounter=person, kind=Alert.Kind.SERVICES_NOT_OFFERED)
    assert owed.agency == world.provider

    # With the person's consent, the caseworker refers them to a legal provider.
    with django_capture_on_commit_callbacks(execute=True):
        sent = client.post(
            reverse("care:refer", args=[person.code]),
            {
                "provider": str(legal.pk),
                "services": ["legal_services", "immigration_legal"],
                "sent_on": (IDENTIFIED + datetime.timedelta(days=1)).isoformat(),
                "basis": "consent",
                "consent_given_on": IDENTIFIED.isoformat(),
                "consent_organisation": "on",
                "consent_scope": ["referral_details", "age_gender_language"],
            },
        )
    referral = Referral.objects.get(encounter=person)
    assert sent.status_code == 302
    assert (referral.provider, referral.referring_agency) == (legal, world.provider)
    assert set(referral.offers.values_list("response", flat=True)) == {"accepted"}

    # The alerts follow: services are offered now, the reflection period runs.
    alerts = client.get(reverse("care:alerts")).content.decode()
    assert person.code in alerts and "Reflection period until" in alerts
    owed.refresh_from_db()
    assert owed.status == Alert.Status.CLEARED

    # The legal provider accepts, and reads the person within the consent only.
    client.logout()
    sign_in_verified(client, legal_caseworker)
    accepted = client.post(
        reverse("care:accept", args=[referral.code]),
        {"accept-accepted_on": (IDENTIFIED + datetime.timedelta(days=2)).isoformat()},
    )
    assert accepted.status_code == 302
    shared = client.get(reverse("standard:encounter_detail", args=[person.code]))
    assert shared.status_code == 200
    assert "Restaurants and food" not in shared.content.decode()

    # The indicators count the person by pathway and sector, and not among operations' people.
    pathway = _value("all", "identifications_by_pathway", "All operations")
    assert ("Self-referral", 1) in [(item.label, item.value) for item in pathway.breakdown]
    assert ("Law-enforcement operation", 2) in [
        (item.label, item.value) for item in pathway.breakdown
    ]
    sector = _value("all", "identifications_by_sector", "All operations")
    assert ("Restaurants and food", 1) in [(item.label, item.value) for item in sector.breakdown]
    share = _value("all", "share_identified_through_operations", "All operations")
    assert (share.numerator, share.denominator, share.value) == (2, 3, 66.7)
    assert _value("all", "victims_identified", "All operations").value == 2
    by_provider = _value("agency", "identifications_by_pathway", "Harbor Survivor Services")
    assert by_provider.value == 1

    client.logout()
    sign_in_verified(client, world.analyst)
    shown = client.get(reverse("indicators:index"), {"level": "all"}).content.decode()
    assert "Where identifications come from" in shown
    assert "Self-referral: 1" in shown and "Restaurants and food: 1" in shown
