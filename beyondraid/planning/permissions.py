"""Who may do what with a plan, decided in one place for the pages, the navigation and the
services.

- Stewards write, submit, decide and amend the plans their agency leads; an agency administrator
  (a steward with the organisation-admin flag) is the escalated reviewer a plan resting on
  "another reason" needs.
- The prosecutor's office and the victim-service partner named in a plan read it once it is
  submitted and record their review.
- Oversight analysts read every submitted plan; they do not take part in the workflow.
- Investigators and administrators have no part in plans.

A plan someone may not see does not exist for them (404), as for operations.
"""

from django.db.models import Q, QuerySet

from beyondraid.standard import access

from .models import Plan, PlanReview, PlanVersion


def may_write_plans(user) -> bool:
    return access.role_of(user) == access.STEWARD


def may_see_plans(user) -> bool:
    return access.role_of(user) in {
        access.STEWARD,
        access.PROSECUTOR,
        access.CASEWORKER,
        access.ANALYST,
    }


def plans_for(user) -> QuerySet[Plan]:
    role = access.role_of(user)
    submitted = Q(versions__status__in=["submitted", "approved", "returned", "superseded"])
    if role == access.STEWARD:
        return Plan.objects.filter(lead_agency_id=user.organisation_id)
    if role == access.PROSECUTOR:
        found = Plan.objects.filter(submitted, prosecutor_office_id=user.organisation_id)
    elif role == access.CASEWORKER:
        found = Plan.objects.filter(submitted, service_partner_id=user.organisation_id)
    elif role == access.ANALYST:
        found = Plan.objects.filter(submitted)
    else:
        return Plan.objects.none()
    return Plan.objects.filter(pk__in=found.values("pk"))


def versions_for(user, plan: Plan) -> QuerySet[PlanVersion]:
    """The versions of a plan the user may read: all of them for the lead agency's stewards,
    only those past the draft for everyone else."""
    versions = plan.versions.order_by("-number")
    if is_lead_steward(user, plan):
        return versions
    return versions.exclude(status=PlanVersion.Status.DRAFT)


def is_lead_steward(user, plan: Plan) -> bool:
    return access.role_of(user) == access.STEWARD and user.organisation_id == plan.lead_agency_id


def review_part(user, plan: Plan) -> str | None:
    """The part a user reviews a plan as, if any."""
    role = access.role_of(user)
    if role == access.PROSECUTOR and user.organisation_id == plan.prosecutor_office_id:
        return PlanReview.Part.PROSECUTOR
    if role == access.CASEWORKER and user.organisation_id == plan.service_partner_id:
        return PlanReview.Part.VICTIM_SERVICES
    return None


def is_agency_administrator(user, plan: Plan) -> bool:
    return is_lead_steward(user, plan) and user.is_organisation_admin


def may_read_outcome(user, plan: Plan) -> bool:
    """The post-operation review counts the operation's people, so it is for those who may see
    the operation as well as the plan: not for the service partner, who sees only referrals."""
    return (
        plan.operation_id is not None
        and access.operations_for(user).filter(pk=plan.operation_id).exists()
    )
