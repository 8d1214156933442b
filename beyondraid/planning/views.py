"""The plan pages: stewards write a plan section by section and submit it, the prosecutor's office
and the victim-service partner review it, another steward of the lead agency decides on it.

Thin: each view parses its form, calls ``services`` (which check who may act, and refuse in plain
words) and renders. What a page offers is read from ``permissions``; the services decide again
on every action. A plan a user may not see answers 404, as an operation does; a refusal is shown
as a message on the plan's page, never as an error page. No page of a plan is kept in a cache: a
plan says when and where an operation will happen.
"""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.db.models import Q
from django.http import Http404, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from beyondraid.accounts.forms_people import add_service_errors
from beyondraid.core import sources as citations
from beyondraid.core.pdf import PdfUnavailable
from beyondraid.standard import access

from . import permissions, printing, rules, selectors, services
from .document import PlanDocumentError
from .forms import (
    SECTIONS,
    SECTIONS_BY_SLUG,
    ApproveForm,
    LinkOperationForm,
    NewPlanForm,
    ReturnForm,
    ReviewForm,
    SectionForms,
    WaiveForm,
    describe,
    readable,
)
from .models import Plan, PlanVersion

CLASSIFICATIONS = dict(rules.CLASSIFICATIONS)
LOCKED = {
    PlanVersion.Status.SUBMITTED: "Version {number} has been submitted and is locked while it is "
    "reviewed.",
    PlanVersion.Status.APPROVED: "Version {number} is approved and locked. Start an amendment to "
    "change the plan.",
    PlanVersion.Status.RETURNED: "Version {number} was returned. Start a revision to change it.",
}


def _no_access(request, message: str):
    return render(request, "planning/no_access.html", {"message": message}, status=403)


def _plan(request, code: str) -> Plan:
    return get_object_or_404(
        permissions.plans_for(request.user).select_related(
            "lead_agency", "prosecutor_office", "service_partner", "operation"
        ),
        code=code,
    )


def _version(request, plan: Plan, number: int) -> PlanVersion:
    return get_object_or_404(permissions.versions_for(request.user, plan), number=number)


def _refused(error: ValidationError) -> str:
    return " ".join(error.messages)


def _to_plan(request, plan: Plan, version: PlanVersion | None = None):
    """Back to the plan's page, on the version acted upon."""
    url = reverse("planning:detail", args=[plan.code])
    latest = permissions.versions_for(request.user, plan).first()
    if version is not None and version.number != latest.number:
        url += f"?version={version.number}"
    return redirect(url)


@never_cache
@login_required
@require_GET
def plan_list(request):
    if not permissions.may_see_plans(request.user):
        return _no_access(request, "Your role does not include operation plans")
    return render(
        request,
        "planning/plan_list.html",
        {
            "rows": selectors.plan_rows(request.user),
            "may_write": permissions.may_write_plans(request.user),
        },
    )


@never_cache
@login_required
@require_http_methods(["GET", "POST"])
def plan_new(request):
    if not permissions.may_write_plans(request.user):
        return _no_access(request, "Only agency data stewards write operation plans")
    form = NewPlanForm(request.POST if request.method == "POST" else None)
    if request.method == "POST" and form.is_valid():
        try:
            plan = services.start_plan(
                user=request.user,
                prosecutor_office=form.cleaned_data["prosecutor_office"],
                service_partner=form.cleaned_data["service_partner"],
                content=form.content(),
            )
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            messages.success(request, "The plan was started. Write it section by section.")
            return redirect("planning:edit", code=plan.code, section=SECTIONS[0].slug)
    return render(
        request,
        "planning/plan_new.html",
        {"form": form},
        status=400 if form.is_bound else 200,
    )


@never_cache
@login_required
@require_http_methods(["GET", "POST"])
def plan_edit(request, code: str, section: str):
    plan = _plan(request, code)
    chosen = SECTIONS_BY_SLUG.get(section)
    if chosen is None:
        raise Http404("No such section.")
    if not permissions.is_lead_steward(request.user, plan):
        return _no_access(request, "Only data stewards of the lead agency write its plans")
    version = plan.latest
    if version.status != PlanVersion.Status.DRAFT:
        messages.error(request, LOCKED[version.status].format(number=version.number))
        return _to_plan(request, plan)
    editor = SectionForms(chosen, version, request.POST if request.method == "POST" else None)
    status = 200
    if request.method == "POST":
        status = 400
        if editor.is_valid():
            try:
                services.save_draft(
                    user=request.user,
                    version=version,
                    content=editor.content(version.document),
                    **editor.partners(),
                )
            except PlanDocumentError as error:
                editor.show_problems(error.problems)
            except services.PlanRefused as refused:
                messages.error(request, _refused(refused))
                return _to_plan(request, plan)
            except ValidationError as error:
                editor.show_refusal(error)
            else:
                messages.success(request, f"{chosen.title} saved.")
                return redirect(_after_saving(request, plan, chosen))
    return render(
        request,
        "planning/plan_edit.html",
        {
            "plan": plan,
            "version": version,
            "sections": SECTIONS,
            "section": chosen,
            "editor": editor,
            "errors": editor.error_summary() if request.method == "POST" else [],
        },
        status=status,
    )


def _after_saving(request, plan: Plan, section) -> str:
    if "continue" not in request.POST:
        return reverse("planning:edit", args=[plan.code, section.slug])
    position = SECTIONS.index(section)
    if position + 1 < len(SECTIONS):
        return reverse("planning:edit", args=[plan.code, SECTIONS[position + 1].slug])
    return reverse("planning:detail", args=[plan.code])


@never_cache
@login_required
@require_GET
def plan_detail(request, code: str):
    plan = _plan(request, code)
    versions = permissions.versions_for(request.user, plan)
    wanted = request.GET.get("version")
    if wanted is None:
        version = versions.first()
    elif wanted.isdigit():
        version = versions.filter(number=int(wanted)).first()
    else:
        version = None
    if version is None:
        raise Http404("No such version.")
    return _detail(request, plan, version)


def _findings(version: PlanVersion) -> list[dict]:
    """The findings of a version as reviewed: with the waivers recorded so far while it awaits a
    decision, as they stood at the decision afterwards."""
    if version.status == PlanVersion.Status.SUBMITTED:
        findings = [f.as_dict() for f in services.current_review(version).findings]
    else:
        findings = version.findings
    waived = set(version.waivers.values_list("rule", flat=True))
    return [
        {
            **finding,
            "title": rules.RULES[finding["rule"]].title,
            "sources": citations.readable(finding["source"]),
            "waived": finding["rule"] in waived,
            "waivable": finding["blocking"] and not rules.RULES[finding["rule"]].sweep,
        }
        for finding in findings
    ]


def _waivable(findings: list[dict]) -> list[tuple[str, str]]:
    """The rules whose blocking findings may be waived, once each (a rule may find several
    things)."""
    return list(dict.fromkeys((f["rule"], f["title"]) for f in findings if f["waivable"]))


def _operations_to_tie(user, plan: Plan):
    """Operations the plan may become: led by the plan's agency, not tied to another plan."""
    return (
        access.operations_for(user)
        .filter(participants__part="lead", participants__agency=plan.lead_agency)
        .filter(Q(plan__isnull=True) | Q(plan=plan))
        .order_by("-start_date")
    )


def _detail(request, plan: Plan, version: PlanVersion, *, status: int = 200, **bound):
    """The plan's page for one version, with the actions the user is offered on it. ``bound``
    holds a form just posted with its errors, shown in place of the empty one."""
    user = request.user
    latest = plan.latest
    versions = permissions.versions_for(user, plan).select_related(
        "written_by", "submitted_by", "decided_by"
    )
    is_latest = version.number == versions[0].number
    lead_steward = permissions.is_lead_steward(user, plan)
    findings = _findings(version)
    reviews = version.reviews.select_related("reviewer", "organisation")
    part = permissions.review_part(user, plan)
    awaiting_decision = version.status == PlanVersion.Status.SUBMITTED
    deciding = (
        lead_steward
        and awaiting_decision
        and user.pk not in (version.written_by_id, version.submitted_by_id)
    )
    waivable = _waivable(findings)
    approval_refusal = services.approval_refusal(user=user, version=version) if deciding else None
    operations = _operations_to_tie(user, plan) if lead_steward else None
    # What to fix: on a returned version, and on the draft that revises it.
    returned = version if version.status == PlanVersion.Status.RETURNED else None
    if version.status == PlanVersion.Status.DRAFT and version.number > 1:
        returned = versions.filter(
            number=version.number - 1, status=PlanVersion.Status.RETURNED
        ).first()
    context = {
        "plan": plan,
        "version": version,
        "versions": versions,
        "latest": latest,
        "is_latest": is_latest,
        "classification": CLASSIFICATIONS.get(version.classification, ""),
        "findings": findings,
        "returned": returned,
        "to_fix": [f for f in _findings(returned) if f["blocking"]] if returned else [],
        "reviews": reviews,
        "waivers": [
            (waiver, rules.RULES[waiver.rule].title)
            for waiver in version.waivers.select_related("approver")
        ],
        "readable": readable(version.document),
        "sections": SECTIONS,
        "can_edit": lead_steward and is_latest and version.status == PlanVersion.Status.DRAFT,
        "can_start_version": lead_steward and not latest.is_open,
        "may_read_outcome": permissions.may_read_outcome(user, plan),
        "review_form": bound.get("review_form")
        or (
            ReviewForm()
            if part and awaiting_decision and not reviews.filter(part=part).exists()
            else None
        ),
        "waive_form": bound.get("waive_form")
        or (WaiveForm(rules=waivable) if deciding and waivable else None),
        # A button that cannot work now is replaced by the reason (issue 23).
        "approval_refusal": approval_refusal,
        "approve_form": bound.get("approve_form")
        or (ApproveForm() if deciding and approval_refusal is None else None),
        "return_form": bound.get("return_form") or (ReturnForm() if deciding else None),
        "decider_is_writer": lead_steward and awaiting_decision and not deciding,
        "link_form": bound.get("link_form")
        or (
            LinkOperationForm(operations=operations)
            if operations is not None
            and plan.versions.exclude(status=PlanVersion.Status.DRAFT).exists()
            else None
        ),
        "missing": bound.get("missing", []),
    }
    return render(request, "planning/plan_detail.html", context, status=status)


def _act(request, plan: Plan, version: PlanVersion, action, success: str, *, form, name: str):
    """Run one workflow action; a refusal goes back to the plan as a message, a form error
    brings the page back with the form as typed."""
    if form.is_valid():
        try:
            action(**form.cleaned_data)
        except services.PlanRefused as refused:
            messages.error(request, _refused(refused))
            return _to_plan(request, plan, version)
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            messages.success(request, success)
            return _to_plan(request, plan, version)
    return _detail(request, plan, version, status=400, **{name: form})


@login_required
@require_POST
def plan_submit(request, code: str, number: int):
    plan = _plan(request, code)
    version = _version(request, plan, number)
    try:
        services.submit(user=request.user, version=version)
    except PlanDocumentError as error:
        return _detail(request, plan, version, status=400, missing=describe(error.problems))
    except services.PlanRefused as refused:
        messages.error(request, _refused(refused))
        return _to_plan(request, plan, version)
    version.refresh_from_db()
    messages.success(
        request,
        f"Version {version.number} was submitted. The rule set classified it as "
        f"{CLASSIFICATIONS[version.classification].lower()}; the prosecutor's office and the "
        "victim-service partner can now review it.",
    )
    return _to_plan(request, plan, version)


@login_required
@require_POST
def plan_review(request, code: str, number: int):
    plan = _plan(request, code)
    version = _version(request, plan, number)

    def review(recommendation: str, comments: str):
        services.record_review(
            user=request.user, version=version, recommendation=recommendation, comments=comments
        )

    return _act(
        request,
        plan,
        version,
        review,
        "Your review was recorded.",
        form=ReviewForm(request.POST),
        name="review_form",
    )


@login_required
@require_POST
def plan_waive(request, code: str, number: int):
    plan = _plan(request, code)
    version = _version(request, plan, number)
    waivable = _waivable(_findings(version))

    def waive(rule: str, reason: str):
        services.waive(user=request.user, version=version, rule=rule, reason=reason)

    return _act(
        request,
        plan,
        version,
        waive,
        "The finding was waived, with your name and reason.",
        form=WaiveForm(request.POST, rules=waivable),
        name="waive_form",
    )


@login_required
@require_POST
def plan_approve(request, code: str, number: int):
    plan = _plan(request, code)
    version = _version(request, plan, number)

    def approve(note: str):
        services.approve(user=request.user, version=version, note=note)

    return _act(
        request,
        plan,
        version,
        approve,
        f"Version {version.number} is approved. It is locked: changes are made in an amendment.",
        form=ApproveForm(request.POST),
        name="approve_form",
    )


@login_required
@require_POST
def plan_return(request, code: str, number: int):
    plan = _plan(request, code)
    version = _version(request, plan, number)

    def return_plan(note: str):
        services.return_plan(user=request.user, version=version, note=note)

    return _act(
        request,
        plan,
        version,
        return_plan,
        f"Version {version.number} was returned with its findings and your note.",
        form=ReturnForm(request.POST),
        name="return_form",
    )


@login_required
@require_POST
def plan_new_version(request, code: str):
    plan = _plan(request, code)
    try:
        version = services.new_version(user=request.user, plan=plan)
    except services.PlanRefused as refused:
        messages.error(request, _refused(refused))
        return _to_plan(request, plan)
    messages.success(
        request,
        f"Version {version.number} was started from version {version.number - 1}. "
        "Change what needs changing, then submit it.",
    )
    return redirect("planning:edit", code=plan.code, section=SECTIONS[0].slug)


@login_required
@require_POST
def plan_link_operation(request, code: str):
    plan = _plan(request, code)
    version = permissions.versions_for(request.user, plan).first()

    def link(operation):
        services.link_operation(user=request.user, plan=plan, operation=operation)

    return _act(
        request,
        plan,
        version,
        link,
        "The plan is tied to the recorded operation.",
        form=LinkOperationForm(request.POST, operations=_operations_to_tie(request.user, plan)),
        name="link_form",
    )


@never_cache
@login_required
@require_GET
def plan_pdf(request, code: str, number: int):
    plan = _plan(request, code)
    version = _version(request, plan, number)
    try:
        content = printing.plan_pdf(version)
    except PdfUnavailable as unavailable:
        return render(
            request,
            "planning/pdf_unavailable.html",
            {"plan": plan, "version": version, "reason": str(unavailable)},
            status=503,
        )
    response = HttpResponse(content, content_type="application/pdf")
    response["Content-Disposition"] = f'attachment; filename="{plan.code}-v{version.number}.pdf"'
    return response
