"""Issue 21: a person identified outside any operation belongs to the organisation that identified
them. Its caseworkers or stewards read the whole record, refer the person and see every alert about
them; another provider's caseworker sees nothing of the person until the person consents to a
referral to it and it accepts, and then only what the consent shares; another agency's steward
never sees them; an analyst reads everyone. A record out of reach is a 404, and a page that shows
a person is a person-level read in the audit log."""

import datetime

import pytest
from django.urls import reverse

from beyondraid.accounts.models import AuditEntry
from beyondraid.accounts.testing import sign_in_verified
from beyondraid.care import alerts, selectors, services
from beyondraid.care.models import Alert, UnmetNeed
from beyondraid.standard import access

from .builders import list_provider, second_provider

pytestmark = pytest.mark.django_db

DAY = datetime.date(2024, 5, 2)


def _identify(
    by,
    *,
    identification_pathway: str = "community_or_faith_organisation",
    work_sector: str = "domestic_work",
):
    return services.record_identification(
        user=by,
        identified_on=DAY,
        identification_pathway=identification_pathway,
        role="suspected_victim",
        role_basis="screening_indicators",
        work_sector=work_sector,
        trafficking_form="labour",
        primary_language="tl",
    )


@pytest.fixture
def people(world):
    """A person the world's provider identified, one a second provider identified, and one agency
    A's steward identified outside any operation."""
    world.other_provider, world.other_caseworker = second_provider()
    world.ours = _identify(world.caseworker)
    world.theirs = _identify(world.other_caseworker, work_sector="construction")
    world.police_contact = _identify(
        world.steward_a, identification_pathway="other_law_enforcement"
    )
    return world


def _page(client, user, person) -> int:
    client.logout()
    sign_in_verified(client, user)
    return client.get(reverse("standard:encounter_detail", args=[person.code])).status_code


def test_each_role_sees_only_its_organisations_people(client, people):
    w = people
    reached = {
        name: set(access.encounters_for(user).filter(operation=None))
        for name, user in w.personas.items()
        if user is not None
    }
    assert reached["caseworker"] == {w.ours}
    assert reached["steward_a"] == {w.police_contact}
    assert reached["steward_b"] == set()
    assert reached["prosecutor"] == set()
    assert reached["analyst"] == {w.ours, w.theirs, w.police_contact}
    assert reached["investigator"] == reached["administrator"] == set()
    assert access.encounters_for(w.other_caseworker).get() == w.theirs

    assert _page(client, w.caseworker, w.ours) == 200
    assert _page(client, w.caseworker, w.theirs) == 404
    assert _page(client, w.steward_b, w.police_contact) == 404
    assert _page(client, w.steward_a, w.police_contact) == 200
    read = AuditEntry.objects.filter(
        action=AuditEntry.Action.VIEW, object_type="standard.encounter"
    )
    assert set(read.values_list("actor__username", "object_id")) == {
        ("caseworker", str(w.ours.pk)),
        ("steward.a", str(w.police_contact.pk)),
    }


def test_the_identifying_organisation_reads_the_whole_record_and_refers_the_person(people):
    w = people
    assert access.reading(w.caseworker, w.ours).whole
    assert access.reading(w.caseworker, w.theirs) == access.NOTHING
    assert access.acts_for_identifying_organisation(w.caseworker, w.ours)
    assert not access.acts_for_identifying_organisation(w.other_caseworker, w.ours)
    assert not access.acts_for_identifying_organisation(w.analyst, w.ours)

    with pytest.raises(services.CareRefused):
        services.send_referral(
            user=w.other_caseworker,
            encounter=w.ours,
            provider=w.other_provider,
            services=["legal_services"],
            consent_given_on=DAY,
            consent_organisation=w.other_provider,
            consent_scope=["referral_details"],
        )


def test_another_provider_reads_only_what_the_persons_consent_shares_once_it_accepts(people):
    w = people
    list_provider(w.other_provider, by=w.other_caseworker)
    referral = services.send_referral(
        user=w.caseworker,
        encounter=w.ours,
        provider=w.other_provider,
        services=["crisis_counselling"],
        sent_on=DAY + datetime.timedelta(days=1),
        consent_given_on=DAY,
        consent_organisation=w.other_provider,
        consent_scope=["referral_details", "age_gender_language"],
    )
    assert w.ours not in access.encounters_for(w.other_caseworker)
    services.accept_referral(
        user=w.other_caseworker, referral=referral, accepted_on=DAY + datetime.timedelta(days=2)
    )

    reading = access.reading(w.other_caseworker, w.ours)
    assert not reading.whole
    assert reading.scope == ("referral_details", "age_gender_language")
    # The identifying caseworker follows the referral they sent.
    assert selectors.referral_record(w.caseworker, referral.code) == referral


def test_a_decline_is_logged_as_unmet_need_without_an_operation(people):
    w = people
    referral = services.send_referral(
        user=w.caseworker,
        encounter=w.ours,
        provider=w.other_provider,
        services=["legal_services"],
        sent_on=DAY,
        consent_given_on=DAY,
        consent_organisation=w.other_provider,
        consent_scope=["referral_details"],
    )
    services.decline_referral(
        user=w.other_caseworker, referral=referral, decline_reason="no_capacity", declined_on=DAY
    )
    need = UnmetNeed.objects.get(referral=referral)
    assert need.operation is None


def test_alerts_about_a_person_are_for_the_organisation_that_identified_them(people):
    w = people
    alerts.refresh_alerts(today=DAY + datetime.timedelta(days=5))

    about_ours = Alert.objects.filter(encounter=w.ours)
    assert set(about_ours.values_list("agency", flat=True)) == {w.provider.pk}
    assert set(about_ours.values_list("kind", flat=True)) >= {
        Alert.Kind.SERVICES_NOT_OFFERED,
        Alert.Kind.REFLECTION_PERIOD,
    }
    assert set(alerts.alerts_for(w.caseworker).values_list("encounter", flat=True)) == {w.ours.pk}
    outside = alerts.alerts_for(w.steward_a).filter(encounter__operation=None)
    assert set(outside.values_list("encounter", flat=True)) == {w.police_contact.pk}
    assert not alerts.alerts_for(w.steward_b).filter(encounter__operation=None).exists()


def test_the_list_of_people_identified_is_the_organisations_own(client, people):
    w = people
    sign_in_verified(client, w.caseworker)
    page = client.get(reverse("care:identified_list")).content.decode()
    assert w.ours.code in page and w.theirs.code not in page
    assert "Domestic work" in page and "Community or faith organisation" in page

    client.logout()
    sign_in_verified(client, w.analyst)
    assert client.get(reverse("care:identified_list")).status_code == 403
