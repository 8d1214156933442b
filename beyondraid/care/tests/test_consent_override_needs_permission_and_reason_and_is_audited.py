"""A referral without consent goes only under an override: the steward must be their agency's
administrator, must write a reason of at least eight words, and the override is in the audit
log under its own type. Its offers stay unanswered: the person has not accepted anything."""

import pytest
from django.core.exceptions import ValidationError

from beyondraid.accounts.models import AuditEntry
from beyondraid.accounts.selectors import AuditFilters, audit_entries
from beyondraid.care import selectors, services
from beyondraid.care.models import ConsentOverride, Referral
from beyondraid.care.services import CareRefused
from beyondraid.standard import access
from beyondraid.standard.tests.builders import make_encounter

from .builders import ANSWERED, OVERRIDE_REASON, administrator_steward, refer

pytestmark = pytest.mark.django_db
NO_CONSENT = {"consent_given_on": None, "consent_organisation": None, "consent_scope": []}


@pytest.fixture
def person(world):
    return make_encounter(operation=world.operation_a, role="suspected_victim", age_group="12_14")


def _overridden(world, person, by):
    return refer(world, encounter=person, by=by, override_reason=OVERRIDE_REASON, **NO_CONSENT)


def test_an_agency_administrator_overrides_consent_with_a_written_reason(world, person):
    admin = administrator_steward(world)

    referral = _overridden(world, person, admin)

    assert referral.consent_overridden is True
    override = referral.consent_override
    assert override.overridden_by == admin
    assert override.reason == OVERRIDE_REASON
    assert {offer.response for offer in referral.offers.all()} == {"no_answer_yet"}


def test_the_override_is_findable_in_the_audit_log_under_the_person_who_decided(world, person):
    admin = administrator_steward(world)
    referral = _overridden(world, person, admin)

    found = audit_entries(world.analyst, AuditFilters(object_type="care.consentoverride"))

    (entry,) = found
    assert entry.action == AuditEntry.Action.CREATE
    assert entry.actor == admin
    assert entry.object_id == str(referral.consent_override.pk)
    # Named by its kind only: the audit log carries no code of a person's record (issue 19).
    assert entry.object_label == "Consent override"
    assert (
        audit_entries(world.analyst, AuditFilters(object=referral.code))
        .filter(object_type="care.consentoverride")
        .exists()
    )


def test_a_steward_who_is_not_an_administrator_is_refused_in_plain_words(world, person):
    with pytest.raises(CareRefused) as refused:
        refer(world, encounter=person, override_reason=OVERRIDE_REASON, **NO_CONSENT)

    assert refused.value.message_dict["override_reason"] == [
        "Only your agency's administrator can send a referral without the person's consent. "
        "Record the person's consent, or ask your administrator."
    ]
    assert not Referral.objects.exists()
    assert not ConsentOverride.objects.exists()


def test_an_override_needs_a_reason_of_at_least_eight_words(world, person):
    admin = administrator_steward(world)

    with pytest.raises(ValidationError) as refused:
        refer(world, encounter=person, by=admin, override_reason="Urgent, see file.", **NO_CONSENT)

    assert "at least 8 words" in refused.value.message_dict["override_reason"][0]
    assert not Referral.objects.exists()
    assert not AuditEntry.objects.filter(object_type="care.consentoverride").exists()


def test_an_override_cannot_be_mixed_with_a_recorded_consent(world, person):
    admin = administrator_steward(world)

    with pytest.raises(CareRefused) as refused:
        refer(world, encounter=person, by=admin, override_reason=OVERRIDE_REASON)

    assert "consent is recorded" in refused.value.message_dict["override_reason"][0]


def test_under_an_override_the_provider_sees_the_referral_but_not_the_whole_record(world, person):
    admin = administrator_steward(world)
    referral = _overridden(world, person, admin)

    assert selectors.referral_record(world.caseworker, referral.code) == referral
    assert not access.encounters_for(world.caseworker).filter(pk=person.pk).exists()
    scopes = {fact.scope for fact in selectors.shared_facts(world.caseworker, referral)}
    assert scopes == {"referral_details"}

    referral = services.accept_referral(
        user=world.caseworker, referral=referral, accepted_on=ANSWERED
    )

    assert not access.encounters_for(world.caseworker).filter(pk=person.pk).exists()
    scopes = {fact.scope for fact in selectors.shared_facts(world.caseworker, referral)}
    assert scopes == {"referral_details", "age_gender_language"}
