"""Every write to a plan goes through these functions: the browser's forms, the command line and
the API call them, so the same rules apply whichever way a plan arrives.

Each takes keyword-only arguments, checks who is acting (``PlanRefused`` in plain words when they
may not), validates, and runs in one transaction so that nothing is half-written.

The workflow: a steward of the lead agency writes a draft and submits it; the rule set reviews it
on submission; the prosecutor's office and the victim-service partner each record comments and a
recommendation; a steward of the lead agency who neither wrote nor submitted the version approves
it (waiving blocking findings by name, with a reason) or returns it. An approved version is
locked; changes are a new version (an amendment) that goes through the same steps.
"""

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Max
from django.utils import timezone

from beyondraid.standard import access
from beyondraid.standard.models import Agency, Operation

from . import document, permissions, rules, selectors
from .models import Plan, PlanReview, PlanVersion, Waiver


class PlanRefused(ValidationError):
    """An action the workflow or the person's role does not allow, said in plain words."""


def _require(condition: bool, message: str) -> None:
    if not condition:
        raise PlanRefused(message)


def _lead_steward(user, plan: Plan) -> None:
    _require(
        permissions.is_lead_steward(user, plan),
        "Only a data steward of the agency that leads this operation can do this.",
    )


def _checked_partners(prosecutor_office, service_partner) -> None:
    if prosecutor_office is not None and prosecutor_office.kind != "prosecutor":
        raise ValidationError({"prosecutor_office": "Choose a prosecutor's office."})
    if service_partner is not None and service_partner.kind != "victim_service_provider":
        raise ValidationError({"service_partner": "Choose a victim-service organisation."})


def _with_partners(content: dict, plan: Plan) -> dict:
    """The document as stored: the lead agency and the reviewing partners are the plan's own,
    whatever the draft said."""
    content = dict(content)
    content["lead_agency"] = plan.lead_agency.name
    content["prosecutor"] = {
        **content["prosecutor"],
        "office": plan.prosecutor_office.name if plan.prosecutor_office else "",
    }
    content["service_partner"] = plan.service_partner.name if plan.service_partner else ""
    return content


@transaction.atomic
def start_plan(
    *,
    user,
    prosecutor_office: Agency | None = None,
    service_partner: Agency | None = None,
    content: dict | None = None,
) -> Plan:
    """A new plan for the user's agency, with its first version as a draft."""
    _require(permissions.may_write_plans(user), "Only an agency data steward can write a plan.")
    lead = Agency.objects.get(pk=user.organisation_id)
    _checked_partners(prosecutor_office, service_partner)
    plan = Plan.objects.create(
        lead_agency=lead,
        prosecutor_office=prosecutor_office,
        service_partner=service_partner,
        created_by=user,
    )
    draft = document.parse(content, complete=False) if content else document.empty()
    PlanVersion.objects.create(
        plan=plan, number=1, document=_with_partners(draft, plan), written_by=user
    )
    return plan


@transaction.atomic
def save_draft(
    *,
    user,
    version: PlanVersion,
    content: dict,
    prosecutor_office: Agency | None = None,
    service_partner: Agency | None = None,
) -> PlanVersion:
    """Keep what has been typed so far. A draft may be incomplete; it must be readable."""
    version = PlanVersion.objects.select_for_update().get(pk=version.pk)
    plan = version.plan
    _lead_steward(user, plan)
    _require(
        version.status == PlanVersion.Status.DRAFT,
        "This version is no longer a draft: it is locked. Start an amendment to change it.",
    )
    _checked_partners(prosecutor_office, service_partner)
    if prosecutor_office is not None or service_partner is not None:
        plan.prosecutor_office = prosecutor_office or plan.prosecutor_office
        plan.service_partner = service_partner or plan.service_partner
        plan.save(update_fields=["prosecutor_office", "service_partner"])
    version.document = _with_partners(document.parse(content, complete=False), plan)
    version.save(update_fields=["document", "updated_at"])
    version.editors.add(user)
    return version


def missing_for_submission(version: PlanVersion) -> list[document.Problem]:
    """What a draft still lacks before it can be submitted, field by field."""
    problems = []
    try:
        document.parse(version.document, complete=True)
    except document.PlanDocumentError as error:
        problems = list(error.problems)
    plan = version.plan
    if plan.prosecutor_office_id is None and not any(
        p.field == "prosecutor.office" for p in problems
    ):
        problems.append(document.Problem("prosecutor.office", "is required."))
    if plan.service_partner_id is None and not any(p.field == "service_partner" for p in problems):
        problems.append(document.Problem("service_partner", "is required."))
    return problems


@transaction.atomic
def submit(*, user, version: PlanVersion) -> PlanVersion:
    """Freeze the draft and run the rule set on it; the reviewers can now read it."""
    version = PlanVersion.objects.select_for_update().get(pk=version.pk)
    _lead_steward(user, version.plan)
    _require(version.status == PlanVersion.Status.DRAFT, "Only a draft can be submitted.")
    missing = missing_for_submission(version)
    if missing:
        raise document.PlanDocumentError(missing)
    _record_review(
        version,
        rules.review(
            version.document, lead_agency=selectors.agency_record(version.plan.lead_agency)
        ),
    )
    version.status = PlanVersion.Status.SUBMITTED
    version.submitted_by = user
    version.submitted_at = timezone.now()
    version.save()
    return version


def _record_review(version: PlanVersion, review: rules.Review) -> None:
    version.classification = review.classification
    version.ruleset_version = review.ruleset_version
    version.findings = [f.as_dict() for f in review.findings]


def current_review(version: PlanVersion) -> rules.Review:
    """The rule set's verdict on a version with the waivers recorded so far."""
    return rules.review(
        version.document,
        waived=set(version.waivers.values_list("rule", flat=True)),
        lead_agency=selectors.agency_record(version.plan.lead_agency),
    )


@transaction.atomic
def record_review(*, user, version: PlanVersion, recommendation: str, comments: str) -> PlanReview:
    version = PlanVersion.objects.select_for_update().get(pk=version.pk)
    part = permissions.review_part(user, version.plan)
    _require(
        part is not None,
        "Only the prosecutor's office and the victim-service partner named in the plan review it.",
    )
    _require(
        version.status == PlanVersion.Status.SUBMITTED,
        "Only a submitted version can be reviewed; this one has been decided or is a draft.",
    )
    _require(
        not version.reviews.filter(part=part).exists(),
        "Your organisation has already reviewed this version.",
    )
    review = PlanReview(
        version=version,
        part=part,
        reviewer=user,
        organisation_id=user.organisation_id,
        recommendation=recommendation,
        comments=comments.strip(),
    )
    review.full_clean()
    review.save()
    return review


def _decider(user, version: PlanVersion) -> None:
    _lead_steward(user, version.plan)
    _require(
        user.pk not in (version.written_by_id, version.submitted_by_id)
        and not version.editors.filter(pk=user.pk).exists(),
        "You cannot decide on a plan you wrote or submitted, or whose draft you changed: "
        "another steward of your agency must approve or return it.",
    )
    _require(
        version.status == PlanVersion.Status.SUBMITTED,
        "Only a submitted version awaits a decision.",
    )


@transaction.atomic
def waive(*, user, version: PlanVersion, rule: str, reason: str) -> Waiver:
    """A named approver waives the blocking findings of one rule, with a written reason."""
    version = PlanVersion.objects.select_for_update().get(pk=version.pk)
    _decider(user, version)
    blocking = {f.rule for f in current_review(version).blocking}
    _require(rule in blocking, "This rule has no blocking finding on this version to waive.")
    _require(not rules.RULES[rule].sweep, rules.SWEEP_NOT_WAIVABLE)
    waiver = Waiver(version=version, rule=rule, reason=reason.strip(), approver=user)
    waiver.full_clean()
    waiver.save()
    return waiver


def approval_refusal(*, user, version: PlanVersion) -> str | None:
    """Why ``approve`` would refuse this user this version now, in plain words; None when it
    would succeed. The plan's page shows the reason in place of a button that cannot work."""
    try:
        _decider(user, version)
        reviewed = set(version.reviews.values_list("part", flat=True))
        waiting = [part.label.lower() for part in PlanReview.Part if part not in reviewed]
        _require(
            not waiting,
            "The plan cannot be approved before both reviews are in; waiting for the "
            + " and the ".join(waiting)
            + ".",
        )
        review = current_review(version)
        _require(
            review.classification != rules.SWEEP,
            "A sweep cannot be approved as an anti-trafficking operation. Return the plan.",
        )
        _require(
            not review.blocking,
            "Blocking findings remain: "
            + "; ".join(rules.RULES[f.rule].title.lower() for f in review.blocking)
            + ". Waive each with a reason, or return the plan.",
        )
        if version.document["justification"]["situation"] == "other":
            _require(
                permissions.is_agency_administrator(user, version.plan),
                "This plan rests on another reason than the four justified situations: only an "
                "agency administrator can approve it (escalated review).",
            )
    except PlanRefused as refused:
        return refused.message
    return None


@transaction.atomic
def approve(*, user, version: PlanVersion, note: str = "") -> PlanVersion:
    version = PlanVersion.objects.select_for_update().get(pk=version.pk)
    refusal = approval_refusal(user=user, version=version)
    if refusal is not None:
        raise PlanRefused(refusal)
    plan = version.plan
    review = current_review(version)
    # One save per version, not a bulk update, so that the audit log records the change.
    for in_force in plan.versions.filter(status=PlanVersion.Status.APPROVED):
        in_force.status = PlanVersion.Status.SUPERSEDED
        in_force.save(update_fields=["status", "updated_at"])
    _record_review(version, review)
    version.status = PlanVersion.Status.APPROVED
    version.decided_by = user
    version.decided_at = timezone.now()
    version.decision_note = note.strip()
    version.save()
    return version


@transaction.atomic
def return_plan(*, user, version: PlanVersion, note: str) -> PlanVersion:
    """Send a submitted version back with the decider's reasons; its findings stay with it."""
    version = PlanVersion.objects.select_for_update().get(pk=version.pk)
    _decider(user, version)
    if not note.strip():
        raise ValidationError({"note": "Say what must change before the plan can be approved."})
    _record_review(version, current_review(version))
    version.status = PlanVersion.Status.RETURNED
    version.decided_by = user
    version.decided_at = timezone.now()
    version.decision_note = note.strip()
    version.save()
    return version


@transaction.atomic
def new_version(*, user, plan: Plan) -> PlanVersion:
    """A new draft copied from the latest version: a revision of a returned plan or an amendment
    of an approved one. Earlier versions stay as they were."""
    plan = Plan.objects.select_for_update().get(pk=plan.pk)
    _lead_steward(user, plan)
    latest = plan.latest
    _require(
        not latest.is_open,
        "This plan already has a version in preparation or review.",
    )
    number = plan.versions.aggregate(top=Max("number"))["top"] + 1
    return PlanVersion.objects.create(
        plan=plan, number=number, document=latest.document, written_by=user
    )


@transaction.atomic
def link_operation(*, user, plan: Plan, operation: Operation) -> Plan:
    """Tie a plan to the operation recorded after it happened, for the post-operation review."""
    plan = Plan.objects.select_for_update().get(pk=plan.pk)
    _lead_steward(user, plan)
    _require(
        plan.versions.exclude(status=PlanVersion.Status.DRAFT).exists(),
        "Submit the plan before tying it to a recorded operation.",
    )
    _require(
        access.operations_for(user).filter(pk=operation.pk).exists()
        and operation.lead_agency == plan.lead_agency,
        "Choose an operation your agency led.",
    )
    _require(
        not Plan.objects.filter(operation=operation).exclude(pk=plan.pk).exists(),
        "That operation is already tied to another plan.",
    )
    plan.operation = operation
    plan.save(update_fields=["operation"])
    return plan
