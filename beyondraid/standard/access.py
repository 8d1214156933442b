"""Who may see and change which records of the standard (docs/principles.md, Who uses it), decided
in one place.

Selectors, views, the admin, exports and the API all ask these functions, so a rule changes in
one place only. They read two attributes of the signed-in user, ``role`` (a code of the
``staff_role`` vocabulary) and ``organisation_id`` (an Agency), so the standard does not depend
on the accounts app that defines the user.

A record a user may not see does not exist for them: callers answer 404, never 403, so that
nothing reveals whether an operation or a person is in the system.
"""

from collections.abc import Callable
from dataclasses import dataclass

from django.db.models import Q, QuerySet

from .models import Encounter, Operation, ServiceOffer
from .vocabulary import vocabulary

STEWARD = "steward"
PROSECUTOR = "prosecutor"
CASEWORKER = "caseworker"
ANALYST = "analyst"
INVESTIGATOR = "investigator"
ADMINISTRATOR = "administrator"

# Roles that work inside the operations their own organisation takes part in.
_OPERATION_MEMBERS = {STEWARD, PROSECUTOR}
# Roles that also reach the people their own organisation identified outside any operation, and
# read their whole record: the organisation recorded them (issue 21).
_IDENTIFYING_ROLES = {*_OPERATION_MEMBERS, CASEWORKER}
# Roles that record a person their organisation identified outside any operation.
_IDENTIFIERS = {STEWARD, CASEWORKER}
# Roles that read the whole record of every person they reach; a caseworker reads only what the
# person's consent shares with their organisation.
_WHOLE_RECORD_READERS = {*_OPERATION_MEMBERS, ANALYST}

# A caseworker reaches a person only through a referral to their organisation, and reads only what
# its consent shares. Referrals and consent are kept by the victim-service network (the care app),
# which depends on the standard and not the other way round, so it names here, when it starts, the
# referrals through which a provider reaches a person. Until it has, caseworkers reach no one.
_provider_referrals: Callable[[int], QuerySet] | None = None


def reach_providers_through(referrals: Callable[[int], QuerySet]) -> None:
    """``referrals(provider_id)``: the referrals through which the provider's caseworkers reach a
    person, each with ``encounter_id`` and ``shared_scope`` (codes of the consent_scope
    vocabulary)."""
    global _provider_referrals
    _provider_referrals = referrals


def role_of(user) -> str | None:
    """The role of an active, signed-in user with an organisation; None for anyone else."""
    if not (user and user.is_authenticated and user.is_active):
        return None
    if not getattr(user, "organisation_id", None):
        return None
    return getattr(user, "role", None) or None


def operations_for(user) -> QuerySet[Operation]:
    role = role_of(user)
    if role in _OPERATION_MEMBERS:
        return Operation.objects.filter(
            pk__in=Operation.objects.filter(participants__agency_id=user.organisation_id).values(
                "pk"
            )
        )
    if role == ANALYST:
        return Operation.objects.all()
    return Operation.objects.none()


def _referrals_reaching(user) -> QuerySet | None:
    if role_of(user) != CASEWORKER or _provider_referrals is None:
        return None
    return _provider_referrals(user.organisation_id)


def _identified_by_own_organisation(user) -> Q:
    return Q(identified_by_id=user.organisation_id)


def encounters_for(user) -> QuerySet[Encounter]:
    """Person-level records a user may read.

    Stewards and prosecutors see the people of their operations; they, and caseworkers, also see
    the people their own organisation identified outside any operation. Otherwise a caseworker
    sees a person only through a referral to their organisation that the care app counts as
    reaching the person (``reach_providers_through``), and then only what ``reading`` allows.
    """
    role = role_of(user)
    if role in _OPERATION_MEMBERS:
        return Encounter.objects.filter(
            Q(operation__in=operations_for(user)) | _identified_by_own_organisation(user)
        )
    if role == ANALYST:
        return Encounter.objects.all()
    if role == CASEWORKER:
        reached = _identified_by_own_organisation(user)
        referrals = _referrals_reaching(user)
        if referrals is not None:
            reached |= Q(pk__in=referrals.values("encounter_id"))
        return Encounter.objects.filter(reached)
    return Encounter.objects.none()


def identified_by_own_organisation(user, encounter: Encounter) -> bool:
    """Whether the user works for the organisation that identified the person outside any
    operation, in a role that reaches the people it identified."""
    return (
        role_of(user) in _IDENTIFYING_ROLES
        and encounter.identified_by_id is not None
        and encounter.identified_by_id == user.organisation_id
    )


def acts_for_identifying_organisation(user, encounter: Encounter) -> bool:
    """Stewards and caseworkers of the organisation that identified a person outside any
    operation act for the person (refer them, follow them up) as an operation's stewards do for
    the people it met."""
    return role_of(user) in _IDENTIFIERS and identified_by_own_organisation(user, encounter)


def may_record_identifications(user) -> bool:
    """Stewards and caseworkers record the people their organisation identified outside any
    operation, whatever kind of organisation it is."""
    return role_of(user) in _IDENTIFIERS


def linking_organisation(encounter: Encounter):
    """The organisation whose booking or case numbers link the person's records: the one that
    identified them outside any operation, or the lead agency of their operation, which holds
    the booking number of the contact (docs/linkage.md)."""
    if encounter.identified_by_id:
        return encounter.identified_by
    return encounter.operation.lead_agency if encounter.operation is not None else None


def may_link_person(user, encounter: Encounter) -> bool:
    """Only a data steward or a caseworker of the organisation that holds the person's number
    links their record: a link is made under that organisation's key."""
    if role_of(user) not in _IDENTIFIERS:
        return False
    organisation = linking_organisation(encounter)
    return (
        organisation is not None
        and organisation.pk == user.organisation_id
        and encounters_for(user).filter(pk=encounter.pk).exists()
    )


@dataclass(frozen=True)
class Reading:
    """What of one person's record a user may read: ``scope``, the codes of the consent_scope
    vocabulary, in its order; and with ``whole``, the rest of the record too, which no consent
    shares (race and ethnicity, the day and the operation of the encounter, cooperation)."""

    whole: bool
    scope: tuple[str, ...]

    def shares(self, *codes: str) -> bool:
        return all(code in self.scope for code in codes)


NOTHING = Reading(whole=False, scope=())


def reads_whole_records(user) -> bool:
    """Whether the role reads the whole record of everyone it reaches; a caseworker reads the
    whole record only of the people their own organisation identified (``reading``)."""
    return role_of(user) in _WHOLE_RECORD_READERS


def _scopes_of(referrals: QuerySet | None) -> dict[int, tuple[str, ...]]:
    """Each person the referrals reach, with what their consents share together."""
    shared: dict[int, set[str]] = {}
    for referral in referrals if referrals is not None else ():
        shared.setdefault(referral.encounter_id, set()).update(referral.shared_scope)
    order = vocabulary("consent_scope").codes
    return {
        encounter_id: tuple(code for code in order if code in codes)
        for encounter_id, codes in shared.items()
    }


def shared_scopes(user) -> dict[int, tuple[str, ...]]:
    """For a caseworker, each person they reach through a referral (by encounter id) with what
    the consent of the referrals to their organisation shares of them; empty for every other
    role. The people their organisation identified are read whole (``reading``)."""
    return _scopes_of(_referrals_reaching(user))


def reading(user, encounter: Encounter) -> Reading:
    """What the user may read of the person's record; ``NOTHING`` for a person out of reach."""
    whole = Reading(whole=True, scope=vocabulary("consent_scope").codes)
    if reads_whole_records(user):
        return whole if encounters_for(user).filter(pk=encounter.pk).exists() else NOTHING
    if identified_by_own_organisation(user, encounter):
        return whole
    referrals = _referrals_reaching(user)
    if referrals is None:
        return NOTHING
    scope = _scopes_of(referrals.filter(encounter_id=encounter.pk)).get(encounter.pk)
    return NOTHING if scope is None else Reading(whole=False, scope=scope)


def service_offers_for(user) -> QuerySet[ServiceOffer]:
    """Service offers a user may read: every offer made to the people they reach, or for a
    caseworker only the offers to their own organisation, which are the referral itself, and
    every offer to a person their organisation identified; an offer of another agency or provider
    to someone else is not theirs to read."""
    offers = ServiceOffer.objects.filter(encounter__in=encounters_for(user))
    if role_of(user) == CASEWORKER:
        return offers.filter(
            Q(provider_id=user.organisation_id)
            | Q(encounter__identified_by_id=user.organisation_id)
        )
    return offers


def can_edit_operation(user, operation: Operation) -> bool:
    """Stewards edit the operations their agency takes part in, joint ones included."""
    return role_of(user) == STEWARD and operations_for(user).filter(pk=operation.pk).exists()


def can_record_encounter_details(user, encounter: Encounter) -> bool:
    """Stewards record what happened to the people their operations encountered, and to those
    their agency identified outside any operation."""
    return role_of(user) == STEWARD and encounters_for(user).filter(pk=encounter.pk).exists()


def can_record_charges(user, encounter: Encounter) -> bool:
    """Stewards and prosecutors record charges and dispositions in their operations."""
    return (
        role_of(user) in _OPERATION_MEMBERS
        and encounters_for(user).filter(pk=encounter.pk).exists()
    )


# Funding is money, not people: every role that answers for operations or oversees them reads it.
# Caseworkers record people and services, not grants.
FUNDING_READERS = frozenset({STEWARD, PROSECUTOR, ANALYST, INVESTIGATOR, ADMINISTRATOR})
FUNDING_RECORDERS = frozenset({STEWARD, ADMINISTRATOR})


def may_read_funding(user) -> bool:
    return role_of(user) in FUNDING_READERS


def may_record_funding(user) -> bool:
    """Stewards record their agency's money; administrators record and correct any."""
    return role_of(user) in FUNDING_RECORDERS


def funding_is_theirs(user, funding) -> bool:
    """Whether the money is the user's to record: for an administrator any; for a steward money
    their agency gave or received, entered by their agency, or allocated to operations their
    agency takes part in."""
    role = role_of(user)
    if role == ADMINISTRATOR:
        return True
    if role != STEWARD:
        return False
    organisation = user.organisation_id
    if organisation in (funding.funder_id, funding.recipient_id):
        return True
    if funding.pk is None:
        return False
    entered_by = funding.entered_by
    return (entered_by is not None and entered_by.organisation_id == organisation) or (
        funding.allocations.filter(operation__in=operations_for(user)).exists()
    )
