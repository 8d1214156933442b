"""Reads of the data standard.

Only aggregates leave this module for pages anyone can open. Every person-level read goes
through ``access``, so it returns only what the user may see.
"""

from dataclasses import dataclass

from django.db.models import Count, OuterRef, Prefetch, QuerySet, Subquery

from . import access
from .models import (
    Charge,
    Encounter,
    FollowUp,
    Operation,
    OperationParticipant,
    RoleAssessment,
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
