"""Who may see and change which records of the standard (BRIEF §3), decided in one place.

Selectors, views, the admin, exports and the API all ask these functions, so a rule changes in
one place only. They read two attributes of the signed-in user, ``role`` (a code of the
``staff_role`` vocabulary) and ``organisation_id`` (an Agency), so the standard does not depend
on the accounts app that defines the user.

A record a user may not see does not exist for them: callers answer 404, never 403, so that
nothing reveals whether an operation or a person is in the system.
"""

from django.db.models import QuerySet

from .models import Encounter, Operation

STEWARD = "steward"
PROSECUTOR = "prosecutor"
CASEWORKER = "caseworker"
ANALYST = "analyst"
INVESTIGATOR = "investigator"
ADMINISTRATOR = "administrator"

# Roles that work inside the operations their own organisation takes part in.
_OPERATION_MEMBERS = {STEWARD, PROSECUTOR}


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


def encounters_for(user) -> QuerySet[Encounter]:
    """Person-level records a user may read.

    A caseworker sees a person only once the person has accepted a referral to the caseworker's
    organisation: accepting is the consent to share the record with that provider.
    """
    role = role_of(user)
    if role in _OPERATION_MEMBERS:
        return Encounter.objects.filter(operation__in=operations_for(user))
    if role == ANALYST:
        return Encounter.objects.all()
    if role == CASEWORKER:
        return Encounter.objects.filter(
            pk__in=Encounter.objects.filter(
                service_offers__provider_id=user.organisation_id,
                service_offers__response="accepted",
            ).values("pk")
        )
    return Encounter.objects.none()


def can_edit_operation(user, operation: Operation) -> bool:
    """Stewards edit the operations their agency takes part in, joint ones included."""
    return role_of(user) == STEWARD and operations_for(user).filter(pk=operation.pk).exists()


def can_record_encounter_details(user, encounter: Encounter) -> bool:
    """Stewards record what happened to the people their operations encountered."""
    return role_of(user) == STEWARD and encounters_for(user).filter(pk=encounter.pk).exists()


def can_record_charges(user, encounter: Encounter) -> bool:
    """Stewards and prosecutors record charges and dispositions in their operations."""
    return (
        role_of(user) in _OPERATION_MEMBERS
        and encounters_for(user).filter(pk=encounter.pk).exists()
    )
