"""Reads of plans that other parts of the system count by: what each operation was, as its plan
review found it.

An operation's *review* is decided here once, and the release tables and the scorecards read it:

- an operation recorded as a sweep is a sweep, whatever its plan said: what happened outweighs
  what was planned;
- otherwise the classification of its plan's version in force (approved); failing that, of the
  plan's latest reviewed version (submitted or returned), because an operation that ran on a
  plan returned as a sweep was a sweep;
- without a reviewed plan, an operation recorded as a sweep, or as triggered by something that is
  not evidence of trafficking (a complaint about sex work, a tip, a patrol: the
  ``evidence_based`` attribute of the trigger vocabulary), is a sweep all the same (principle 7,
  docs/principles.md);
- any other operation without a reviewed plan is *not reviewed*: nobody can say it was justified.
"""

from collections.abc import Collection
from dataclasses import dataclass

from django.db.models import Count, Prefetch, Q

from beyondraid.standard import access
from beyondraid.standard.models import Agency, Encounter, Operation
from beyondraid.standard.selectors import with_current_role
from beyondraid.standard.vocabulary import vocabulary

from . import permissions, rules
from .models import PlanVersion

NOT_REVIEWED = "not_reviewed"
REVIEWS = (
    (rules.JUSTIFIED, "Justified targeted operation"),
    (rules.DEFICIENT, "Deficient plan"),
    (rules.SWEEP, "Sweep (not anti-trafficking)"),
    (NOT_REVIEWED, "No plan reviewed"),
)
# The order in which a plan's versions speak for its operation: the plan in force first.
_STANDING = {
    PlanVersion.Status.APPROVED: 0,
    PlanVersion.Status.RETURNED: 1,
    PlanVersion.Status.SUBMITTED: 1,
    PlanVersion.Status.SUPERSEDED: 2,
}


@dataclass(frozen=True)
class OperationReview:
    classification: str
    waivers: int
    plan_code: str = ""

    @property
    def label(self) -> str:
        return dict(REVIEWS)[self.classification]


def operation_reviews(operation_ids: Collection[int]) -> dict[int, OperationReview]:
    """Each operation's review, read with two queries whatever the number of operations."""
    versions = (
        PlanVersion.objects.filter(plan__operation_id__in=operation_ids, status__in=list(_STANDING))
        .values("plan__operation_id", "plan__code", "status", "number", "classification")
        .annotate(waiver_count=Count("waivers"))
    )
    chosen: dict[int, dict] = {}
    for version in versions:
        op = version["plan__operation_id"]
        rank = (_STANDING[version["status"]], -version["number"])
        if op not in chosen or rank < chosen[op]["rank"]:
            chosen[op] = {**version, "rank": rank}
    not_evidence = set(vocabulary("operation_trigger").codes_where("evidence_based", False))
    reviews = {}
    for pk, operation_type, trigger in Operation.objects.filter(pk__in=operation_ids).values_list(
        "pk", "operation_type", "trigger"
    ):
        version = chosen.get(pk)
        if operation_type == "sweep":
            # What was recorded as happening outweighs what was planned.
            reviews[pk] = OperationReview(
                rules.SWEEP,
                version["waiver_count"] if version else 0,
                version["plan__code"] if version else "",
            )
        elif version:
            reviews[pk] = OperationReview(
                version["classification"], version["waiver_count"], version["plan__code"]
            )
        elif trigger in not_evidence:
            reviews[pk] = OperationReview(rules.SWEEP, 0)
        else:
            reviews[pk] = OperationReview(NOT_REVIEWED, 0)
    return reviews


def agency_record(agency: Agency) -> rules.AgencyRecord:
    """What the rule set reads of an agency's own records: the victims it identified (current
    role suspected or confirmed victim), in the operations it led or outside any operation, by
    the sector of the work they were in. One grouped query."""
    victims = with_current_role(
        Encounter.objects.filter(
            Q(operation__participants__agency=agency, operation__participants__part="lead")
            | Q(identified_by=agency)
        )
    ).filter(current_role_code__in=vocabulary("role").codes_where("is_victim", True))
    by_sector = dict(
        victims.order_by()
        .values("work_sector")
        .annotate(people=Count("pk", distinct=True))
        .values_list("work_sector", "people")
    )
    return rules.AgencyRecord(name=agency.name, identified_by_sector=by_sector)


@dataclass(frozen=True)
class PlanRow:
    plan: object
    version: PlanVersion
    name: str
    classification: str


def plan_rows(user) -> list[PlanRow]:
    """The plans a user may see, each with the newest version they may read, in two queries
    however many plans there are. Stewards see their agency's plans, drafts included; everyone
    else sees versions past the draft only (``permissions.versions_for``)."""
    readable = PlanVersion.objects.order_by("-number")
    if access.role_of(user) != access.STEWARD:
        readable = readable.exclude(status=PlanVersion.Status.DRAFT)
    plans = (
        permissions.plans_for(user)
        .select_related("lead_agency")
        .prefetch_related(Prefetch("versions", queryset=readable, to_attr="readable"))
    )
    names = dict(rules.CLASSIFICATIONS)
    return [
        PlanRow(
            plan=plan,
            version=plan.readable[0],
            name=plan.readable[0].document.get("name") or "Untitled plan",
            classification=names.get(plan.readable[0].classification, ""),
        )
        for plan in plans
        if plan.readable
    ]
