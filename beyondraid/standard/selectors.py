"""Reads of the data standard.

Only aggregates leave this module for pages anyone can open; person-level reads are for the
records administration, which has its own permissions.
"""

from dataclasses import dataclass

from django.db.models import Count, OuterRef, QuerySet, Subquery

from .models import Encounter, Operation, RoleAssessment
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
