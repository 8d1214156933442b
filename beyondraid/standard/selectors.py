"""Reads of the data standard.

Only aggregates leave this module for pages anyone can open. Every person-level read goes
through ``access``, so it returns only what the user may see.
"""

import datetime
from dataclasses import dataclass

from django.db.models import Count, Exists, OuterRef, Prefetch, QuerySet, Subquery, Sum

from . import access
from .models import (
    Charge,
    Encounter,
    FollowUp,
    FundingSource,
    Operation,
    OperationParticipant,
    RoleAssessment,
    TreatmentEvent,
)
from .vocabulary import vocabulary


@dataclass(frozen=True)
class OriginCount:
    code: str
    label: str
    operations: int


@dataclass(frozen=True)
class StandardOverview:
    operations: int
    encounters: int
    operations_by_origin: tuple[OriginCount, ...]


def standard_overview() -> StandardOverview:
    """How many operations (by origin of the data) and encounters are loaded; counts only."""
    counts = dict(
        Operation.objects.order_by()
        .values_list("data_origin")
        .annotate(operations=Count("pk"))
        .values_list("data_origin", "operations")
    )
    by_origin = tuple(
        OriginCount(code=code, label=label, operations=counts.get(code, 0))
        for code, label in vocabulary("data_origin").choices
    )
    return StandardOverview(
        operations=sum(item.operations for item in by_origin),
        encounters=Encounter.objects.count(),
        operations_by_origin=by_origin,
    )


def with_current_role(encounters: QuerySet[Encounter]) -> QuerySet[Encounter]:
    """Annotate each encounter with ``current_role_code``, the role of its latest assessment
    (ordered as ``Encounter.current_role`` orders them); None when it has none yet, which the
    standard reads as 'unknown'."""
    latest = RoleAssessment.objects.filter(encounter=OuterRef("pk")).order_by(
        "-assessed_on", "-created_at", "-pk"
    )
    return encounters.annotate(current_role_code=Subquery(latest.values("role")[:1]))


def operations_visible_to(user) -> QuerySet[Operation]:
    """The operations a user may see, newest first, with their agencies and number of people."""
    return (
        access.operations_for(user)
        .annotate(encounter_count=Count("encounters"))
        .prefetch_related(
            Prefetch("participants", queryset=OperationParticipant.objects.select_related("agency"))
        )
        .order_by("-start_date", "name")
    )


def encounters_in(operation: Operation, user) -> QuerySet[Encounter]:
    """The people of one operation a user may see, with their current role and alert count."""
    return with_current_role(
        access.encounters_for(user)
        .filter(operation=operation)
        .annotate(alert_count=Count("non_punishment_alerts"))
        .order_by("encountered_on", "code")
    )


def encounter_record(user, code: str) -> Encounter | None:
    """One person's record with everything about them, if the user may see it; which parts of it
    a page may show is ``access.reading``. Its service offers are those the user may read."""
    return (
        access.encounters_for(user)
        .select_related("operation", "identified_by", "referring_organisation")
        .prefetch_related(
            "role_assessments",
            "treatment_events",
            Prefetch("charges", queryset=Charge.objects.select_related("statute")),
            Prefetch(
                "service_offers",
                queryset=access.service_offers_for(user).select_related("offered_by", "provider"),
            ),
            "cooperation_records",
            Prefetch("follow_ups", queryset=FollowUp.objects.prefetch_related("prosecuted_for")),
            "non_punishment_alerts",
        )
        .filter(code=code)
        .first()
    )


# What counts as a punishment on a linked contact: an arrest, or a citation in its place.
ARRESTED_OR_CITED = ("arrested", "cited")


def linked_contacts(user, encounter: Encounter) -> list[Encounter]:
    """The person's other contacts linked with the same booking or case number, oldest first,
    that the user reads whole (the day and the operation of a contact are never shared by a
    consent); none when the user does not read this record whole either. Each carries
    ``current_role_code`` and ``arrested_or_cited``. Links are made under the key of a linkage
    group, so the contacts found are those of organisations in the group, and the user sees
    among them only those ``access`` lets them reach."""
    if not encounter.person_link or not access.reading(user, encounter).whole:
        return []
    contacts = with_current_role(
        access.encounters_for(user)
        .filter(person_link=encounter.person_link)
        .exclude(pk=encounter.pk)
        .select_related("operation", "identified_by")
        .annotate(
            arrested_or_cited=Exists(
                TreatmentEvent.objects.filter(encounter=OuterRef("pk"), kind__in=ARRESTED_OR_CITED)
            )
        )
        .order_by("encountered_on", "code")
    )
    return [contact for contact in contacts if access.reading(user, contact).whole]


def funding_visible_to(
    user, *, purpose: str = "", period: tuple[datetime.date, datetime.date] | None = None
) -> QuerySet[FundingSource]:
    """The funding sources a user may read (money is not person-level: every reader reads all),
    of one purpose and overlapping a period when given, newest first, each with the total
    allocated to operations."""
    if not access.may_read_funding(user):
        return FundingSource.objects.none()
    funding = FundingSource.objects.select_related("funder", "recipient").annotate(
        allocated=Sum("allocations__amount_allocated")
    )
    if purpose:
        funding = funding.filter(purpose=purpose)
    if period is not None:
        first, last = period
        funding = funding.filter(period_start__lte=last, period_end__gte=first)
    return funding.order_by("-period_start", "programme", "pk")
