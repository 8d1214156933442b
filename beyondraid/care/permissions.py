"""Who may do what in the victim-service network, decided in one place for the pages, the
services and the selectors.

- **The directory** describes organisations, not people: every signed-in staff member may read
  it. A provider keeps its own entry: a caseworker of that provider creates and changes it. An
  administrator may create the entry of any provider (so that a new provider is listed before
  its first caseworker signs in) and change any entry, so that a wrong or unsafe public entry
  (an address that must stay confidential, a line that no longer answers) is corrected or taken
  off the public directory at once even when the provider has no one signed in. Every change
  names who made it (``updated_by``) and is in the audit log. The public directory
  (``selectors_public``) needs no permission: it shows what providers chose to publish.
- **Referring**: a data steward of an agency taking part in the operation that encountered the
  person (``access.can_record_encounter_details``) sends a referral, with the person's consent;
  so does a steward or a caseworker of the organisation that identified a person outside any
  operation (``access.acts_for_identifying_organisation``), to another provider or to their own.
- **Overriding consent**: a steward who may refer the person *and* is their organisation's
  administrator (``is_organisation_admin``) may send a referral without consent, with a written
  reason of at least ``OVERRIDE_REASON_MIN_WORDS`` words; the override is audited. Everyone
  else is refused in plain words.
- **Answering and follow-through**: only a caseworker of the provider a referral went to
  accepts or declines it, starts and closes services, and records deliveries and follow-ups.
- **Reading referrals**: a caseworker reads the referrals to their own organisation and those of
  the people it identified; a steward reads the referrals of the people their agency's operations
  encountered or it identified; an oversight analyst reads all
  of them, but never the free texts (override reasons, decline explanations: docs/principles.md, Who
  uses it); prosecutors, investigators and administrators read none.
- **Reaching the person** (``referrals_reaching_the_person``): a caseworker reads the referred
  person's record only once their provider accepted a referral the person consented to, and then
  only what that consent shares (``Referral.shared_scope``, read through ``access.reading``) on
  every page, export and alert; until then the referral itself is all they are told. Relief
  requests tell the person's immigration situation: only for readers of it (``may_read_relief``).
- **The unmet-need log** follows the referrals it comes from.
- **The cooperation parity report** is read by analysts (any agency or all) and by stewards
  (their own agency only).
- **Family reunification, court dates and record clearing** (``may_record_support``): recorded
  and moved along by the stewards of the agencies in the person's operation and by the
  caseworkers of a provider that accepted a referral of the person, or of the organisation that
  identified them outside any operation. Everyone who sees the person
  reads the court dates, prosecutors included: their office's cases are why the person is in
  court. Family reunification and record clearing are the person's own business with the
  services: prosecutors do not read them (a record-clearing petition reaches their office
  when it is filed, through the court, not through this system).

A referral someone may not read does not exist for them (404), as for operations and people.
Nothing here looks at cooperation with law enforcement (principle 3, docs/principles.md).
"""

from django.db.models import Q, QuerySet

from beyondraid.standard import access
from beyondraid.standard.models import Agency, Encounter

from .models import PROVIDER_KIND, ProviderProfile, Referral, UnmetNeed

# Long enough that an override cannot be waved through with "urgent" or "see file".
OVERRIDE_REASON_MIN_WORDS = 8


def may_read_directory(user) -> bool:
    return access.role_of(user) is not None


def is_caseworker_of(user, provider: Agency) -> bool:
    return access.role_of(user) == access.CASEWORKER and user.organisation_id == provider.pk


def may_create_profile(user, provider: Agency) -> bool:
    if provider.kind != PROVIDER_KIND:
        return False
    return access.role_of(user) == access.ADMINISTRATOR or is_caseworker_of(user, provider)


def may_edit_profile(user, profile: ProviderProfile) -> bool:
    return access.role_of(user) == access.ADMINISTRATOR or is_caseworker_of(user, profile.provider)


def may_refer(user, encounter: Encounter) -> bool:
    return access.can_record_encounter_details(
        user, encounter
    ) or access.acts_for_identifying_organisation(user, encounter)


def may_override_consent(user, encounter: Encounter) -> bool:
    return may_refer(user, encounter) and bool(user.is_organisation_admin)


def referrals_reaching_the_person(provider_id: int) -> QuerySet[Referral]:
    """The referrals through which a provider's caseworkers reach the person referred
    (``access.encounters_for``) and read what the consent shares (``access.reading``): those the
    provider accepted, of a person who accepted the offer. Until the provider accepts, a referral
    shows only itself; one sent under a consent override leaves the person's offers unanswered,
    so it never shows more than itself."""
    return Referral.objects.filter(
        provider_id=provider_id, accepted_on__isnull=False, offers__response="accepted"
    ).distinct()


def visible_referrals(user) -> QuerySet[Referral]:
    role = access.role_of(user)
    if role == access.CASEWORKER:
        # Those to their organisation, and those it sent for the people it identified.
        return Referral.objects.filter(
            Q(provider_id=user.organisation_id)
            | Q(encounter__identified_by_id=user.organisation_id)
        )
    if role == access.STEWARD:
        return Referral.objects.filter(encounter__in=access.encounters_for(user))
    if role == access.ANALYST:
        return Referral.objects.all()
    return Referral.objects.none()


def may_read_referrals(user) -> bool:
    """Whether the user has referrals to read at all (``visible_referrals``), so that pages
    answer everyone else plainly instead of showing an empty list."""
    return access.role_of(user) in {access.CASEWORKER, access.STEWARD, access.ANALYST}


def may_answer(user, referral: Referral) -> bool:
    """Accept, decline, start, close, and record deliveries and follow-ups."""
    return is_caseworker_of(user, referral.provider)


def may_read_free_text(user, referral: Referral) -> bool:
    """The override reason and the decline explanation: for the provider and the referring
    side, never for oversight analysts."""
    return access.role_of(user) in {access.CASEWORKER, access.STEWARD} and (
        visible_referrals(user).filter(pk=referral.pk).exists()
    )


def visible_unmet_needs(user) -> QuerySet[UnmetNeed]:
    return UnmetNeed.objects.filter(referral__in=visible_referrals(user))


def may_read_parity(user, agency: Agency | None) -> bool:
    role = access.role_of(user)
    if role == access.ANALYST:
        return True
    return role == access.STEWARD and agency is not None and agency.pk == user.organisation_id


def may_read_relief(user, encounter: Encounter) -> bool:
    """A person's relief requests tell their immigration situation: for those who may read it."""
    return access.reading(user, encounter).shares("immigration_status")


def may_record_relief(user, encounter: Encounter) -> bool:
    """Stewards of the agencies in the person's operation receive and record relief requests."""
    return access.can_record_encounter_details(user, encounter)


def may_decide_relief(user, request) -> bool:
    """The agency asked decides: one of its stewards."""
    return access.role_of(user) == access.STEWARD and user.organisation_id == request.agency_id


def may_read_alerts(user) -> bool:
    """The roles that act on alerts; each sees only those about people it may see."""
    return access.role_of(user) in {
        access.STEWARD,
        access.PROSECUTOR,
        access.CASEWORKER,
        access.ANALYST,
    }


def may_record_support(user, encounter: Encounter) -> bool:
    """Record and move along a person's family reunification requests, court dates and record
    clearing: a steward of an agency in the person's operation, or a caseworker who reaches the
    person (``referrals_reaching_the_person``: a referral merely sent does not make the person
    the provider's to follow)."""
    role = access.role_of(user)
    if role == access.STEWARD:
        return access.can_record_encounter_details(user, encounter)
    if role == access.CASEWORKER:
        return access.encounters_for(user).filter(pk=encounter.pk).exists()
    return False


def may_read_family_and_record_clearing(user) -> bool:
    """Of the people they see, everyone but prosecutors reads these two records."""
    return access.role_of(user) in {access.STEWARD, access.CASEWORKER, access.ANALYST}
