"""From a person's page, a data steward of the operation opens the referral page, sees the
providers that meet the person's recorded needs, and sends a referral with the person's consent:
the date, the organisation it covers and what it may share. Without consent, or with consent for
another organisation, the form comes back as typed with the field named, and nothing is sent."""

import datetime

import pytest
from django.urls import reverse
from django.utils import timezone

from beyondraid.accounts.models import AuditEntry
from beyondraid.accounts.testing import sign_in_verified
from beyondraid.care.models import Referral
from beyondraid.standard.models import ServiceOffer
from beyondraid.standard.tests.builders import make_encounter

from .builders import CONSENTED, SENT, list_provider, second_provider

pytestmark = pytest.mark.django_db


@pytest.fixture
def listed(world):
    list_provider(world.provider, by=world.caseworker)
    world.youth, caseworker = second_provider("Bayside Youth Services")
    list_provider(
        world.youth,
        by=caseworker,
        services=["trafficking_shelter", "emergency_shelter"],
        age_groups=["15_17"],
        trafficking_shelter_places=2,
    )
    return world


def _refer_url(encounter) -> str:
    return reverse("care:refer", args=[encounter.code])


def _consented(world, **changes) -> dict:
    form = {
        "provider": str(world.provider.pk),
        "services": ["trafficking_shelter", "legal_services"],
        "sent_on": SENT.isoformat(),
        "basis": "consent",
        "consent_given_on": CONSENTED.isoformat(),
        "consent_organisation": "on",
        "consent_scope": ["referral_details", "age_gender_language"],
    }
    form.update(changes)
    return form


def test_the_persons_page_offers_the_referral_to_the_operations_steward_only(client, world):
    person = reverse("standard:encounter_detail", args=[world.referred_encounter.code])
    link = _refer_url(world.referred_encounter)

    sign_in_verified(client, world.steward_a)
    assert link in client.get(person).content.decode()
    for other in (world.prosecutor, world.analyst):
        sign_in_verified(client, other)
        assert link not in client.get(person).content.decode()
        assert client.get(link).status_code == 403
    # The provider has accepted no referral of the person: for its caseworker they do not exist.
    sign_in_verified(client, world.caseworker)
    assert client.get(person).status_code == 404
    assert client.get(link).status_code == 404


def test_the_page_shows_the_providers_that_meet_the_persons_needs(client, listed):
    teen = make_encounter(operation=listed.operation_a, role="suspected_victim", age_group="15_17")
    sign_in_verified(client, listed.steward_a)

    response = client.get(_refer_url(teen))

    assert response.status_code == 200
    assert [entry.provider for entry in response.context["matching"]] == [listed.youth]
    groups = dict(response.context["form"].fields["provider"].choices[1:])
    assert groups["Meet this person's recorded needs"] == [
        (str(listed.youth.pk), "Bayside Youth Services (open)")
    ]
    assert groups["Other providers in the directory"] == [
        (str(listed.provider.pk), "Harbor Survivor Services (open)")
    ]
    # The part of the consent every referral shares is ticked from the start.
    assert response.context["form"]["consent_scope"].value() == ["referral_details"]
    assert response["Cache-Control"] == "max-age=0, no-cache, no-store, must-revalidate, private"
    assert AuditEntry.objects.filter(
        action=AuditEntry.Action.VIEW,
        object_type="standard.encounter",
        object_id=str(teen.pk),
        actor=listed.steward_a,
    ).exists()


def test_the_providers_shown_narrow_to_a_service(client, listed):
    sign_in_verified(client, listed.steward_a)

    response = client.get(_refer_url(listed.referred_encounter), {"service": "crisis_counselling"})

    assert [entry.provider for entry in response.context["matching"]] == [listed.provider]


def test_a_steward_refers_the_person_with_their_consent(client, listed):
    sign_in_verified(client, listed.steward_a)

    response = client.post(_refer_url(listed.referred_encounter), _consented(listed))

    referral = Referral.objects.get()
    assert response.status_code == 302
    assert response["Location"] == reverse("care:referral_detail", args=[referral.code])
    assert referral.provider == listed.provider
    assert referral.sent_by == listed.steward_a
    assert referral.sent_on == SENT
    assert referral.consent_given_on == CONSENTED
    assert referral.consent_organisation == listed.provider
    assert referral.consent_scope == ["referral_details", "age_gender_language"]
    assert referral.consent_overridden is False
    assert referral.services == ["trafficking_shelter", "legal_services"]
    assert {offer.response for offer in referral.offers.all()} == {"accepted"}
    page = client.get(response["Location"]).content.decode()
    assert "was sent to Harbor Survivor Services" in page


def test_without_consent_the_form_comes_back_naming_the_field(client, listed):
    sign_in_verified(client, listed.steward_a)
    offers = ServiceOffer.objects.count()

    response = client.post(
        _refer_url(listed.referred_encounter), _consented(listed, consent_given_on="")
    )

    assert response.status_code == 400
    page = response.content.decode()
    assert (
        "Consent given on</a>: Record the day the person consented to share their information "
        "with the provider. Without consent, a referral can be sent only under a consent "
        "override." in page
    )
    form = response.context["form"]
    assert form["services"].value() == ["trafficking_shelter", "legal_services"]
    assert form["provider"].value() == str(listed.provider.pk)
    assert not Referral.objects.exists()
    assert ServiceOffer.objects.count() == offers


def test_consent_for_another_organisation_is_not_consent_for_this_one(client, listed):
    sign_in_verified(client, listed.steward_a)

    response = client.post(
        _refer_url(listed.referred_encounter), _consented(listed, consent_organisation="")
    )

    assert response.status_code == 400
    assert (
        "The consent covers the provider chosen above</a>: Say which organisation the consent "
        "covers." in response.content.decode()
    )
    assert not Referral.objects.exists()


def test_missing_choices_are_named(client, listed):
    sign_in_verified(client, listed.steward_a)

    response = client.post(
        _refer_url(listed.referred_encounter), _consented(listed, provider="", services=[])
    )

    assert response.status_code == 400
    page = response.content.decode()
    assert "Provider</a>: Choose the provider to refer the person to." in page
    response = client.post(_refer_url(listed.referred_encounter), _consented(listed, services=[]))
    assert response.status_code == 400
    assert "Services to refer the person for</a>: Choose at least one service" in (
        response.content.decode()
    )
    assert not Referral.objects.exists()


# The changes are made when the test runs, not when it is collected: a run that starts before
# midnight and reaches this test after it would otherwise send "tomorrow" as today.
@pytest.mark.parametrize(
    ("changes", "named"),
    [
        (
            lambda: {"sent_on": (timezone.localdate() + datetime.timedelta(days=1)).isoformat()},
            "Sent on</a>: This date",
        ),
        (
            lambda: {"consent_given_on": (SENT + datetime.timedelta(days=1)).isoformat()},
            "Consent given on</a>: Consent must be given before or on the day the referral is "
            f"sent ({SENT}).",
        ),
    ],
    ids=["sent-tomorrow", "consent-after-sending"],
)
def test_dates_in_the_future_or_out_of_order_are_named(client, listed, changes, named):
    sign_in_verified(client, listed.steward_a)

    response = client.post(_refer_url(listed.referred_encounter), _consented(listed, **changes()))

    assert response.status_code == 400
    assert named in response.content.decode()
    assert not Referral.objects.exists()


def test_a_person_out_of_reach_does_not_exist(client, listed):
    sign_in_verified(client, listed.steward_b)

    assert client.get(_refer_url(listed.referred_encounter)).status_code == 404
    response = client.post(_refer_url(listed.referred_encounter), _consented(listed))

    assert response.status_code == 404
    assert not Referral.objects.exists()
