"""The printable plan and checklist: one version of a plan as a PDF a person can read on paper.

It shows what the plan says with the vocabularies' labels instead of codes, the smart-raid
checklist (each item met or not met, read from the rule set's findings), the findings themselves
with their sources, the partners' reviews, the waivers and the decision. The views call
``plan_pdf`` and catch ``beyondraid.core.pdf.PdfUnavailable`` on a server without WeasyPrint's
libraries; ``plan_html`` is the same document as HTML.
"""

import datetime
from dataclasses import dataclass

from django.template.loader import render_to_string

from beyondraid.core import sources as citations
from beyondraid.core.pdf import html_to_pdf
from beyondraid.standard.models import Statute
from beyondraid.standard.vocabulary import UnknownCode, vocabulary

from . import rules, services
from .models import PlanReview, PlanVersion

# The smart-raid checklist: every rule of the rule set, said as what a plan must have. An item is
# met when the review has no finding of its rule.
CHECKLIST: tuple[tuple[str, tuple[tuple[str, str], ...]], ...] = (
    (
        "Justification and evidence",
        (
            ("sweep-operation-type", "The operation is not planned as a sweep"),
            ("sweep-no-trafficking-statute", "A trafficking statute is targeted"),
            (
                "sweep-no-trafficking-evidence",
                "Evidence of force, fraud, coercion or a minor, not only complaints, prostitution "
                "arrests, advertisements, tips or patrols",
            ),
            ("situation-without-evidence", "Reliable evidence supports the situation claimed"),
            ("other-reason-escalated", "One of the four justified situations applies"),
            (
                "alternatives-not-considered",
                "Alternatives considered, with why each was not enough",
            ),
            ("evidence-condoms", "No condoms among the evidence"),
            (
                "evidence-beyond-its-type",
                "No item of evidence marked as showing what its type cannot show",
            ),
            ("evidence-only-testimony", "Evidence that does not rest on victims' testimony alone"),
        ),
    ),
    (
        "Smart-raid elements",
        (
            ("safety-plan", "A safety plan for everyone at the scene"),
            (
                "segregation-plan",
                "Suspected traffickers and managers kept apart from possible victims",
            ),
            (
                "interview-plan",
                "A victim-centred interview plan: trained interviewers, a neutral site, after "
                "rest, an advocate present, basic needs first, an attorney or consulate first",
            ),
            ("cross-referencing", "Accounts cross-referenced with each other and the evidence"),
            ("aftercare", "Care and shelter arranged after the operation"),
            ("provider-not-notified", "Service providers notified and consulted in advance"),
            ("interpreters", "Interpreters for every expected language"),
            ("vulnerable-people", "A plan for minors, pregnant people and dependants"),
            ("prosecutor-not-involved", "The prosecutor involved in planning"),
            ("media", "No media"),
            ("early-home-entry", "No entry into a home before seven in the morning"),
        ),
    ),
    (
        "Policies and personnel",
        (
            ("agency-policies", "The lead agency acknowledged every policy"),
            ("no-personnel", "Every assigned officer listed with their training record"),
            ("officer-policies", "Every officer acknowledged every policy"),
            ("officer-training-hours", "Every officer has the specialised trafficking training"),
            ("officer-implicit-bias", "Every officer's implicit-bias training is current"),
            (
                "no-trauma-informed-interviewer",
                "An officer trained in trauma-informed interviewing",
            ),
            ("no-female-officer", "A female officer on site or on standby"),
            ("no-advocate", "An advocate on site or on standby"),
        ),
    ),
    (
        "Objectives and budget",
        (
            ("objectives-arrest-numbers", "Objectives not stated as arrest numbers"),
            ("objectives-without-victim-outcomes", "Objectives about outcomes for victims"),
            (
                "sector-focus-narrower-than-identifications",
                "Sectors targeted where the agency's own identifications come from",
            ),
            ("no-budget", "A planned budget by category, overtime included"),
        ),
    ),
)


@dataclass(frozen=True)
class PrintedFinding:
    rule: str
    title: str
    status: str
    message: str
    source: str
    sources: tuple[citations.Source, ...]


@dataclass(frozen=True)
class ChecklistItem:
    rule: str
    item: str
    met: bool
    note: str


def plan_pdf(version: PlanVersion) -> bytes:
    """The printable plan and checklist of one version, as PDF."""
    return html_to_pdf(plan_html(version))


def plan_html(version: PlanVersion) -> str:
    """The printable plan and checklist of one version, as the HTML the PDF is drawn from."""
    return render_to_string("planning/print.html", _context(version))


def _context(version: PlanVersion) -> dict:
    plan = version.plan
    waivers = list(version.waivers.select_related("approver"))
    classification, ruleset_version, findings = _review(version)
    waived = {waiver.rule: waiver for waiver in waivers}
    printed = [_printed(finding, waived) for finding in findings]
    reviews = list(version.reviews.select_related("reviewer", "organisation"))
    return {
        "plan": plan,
        "version": version,
        "status": version.get_status_display(),
        "preliminary": version.status == PlanVersion.Status.DRAFT,
        "classification": dict(rules.CLASSIFICATIONS).get(classification, ""),
        "ruleset_version": ruleset_version,
        "reviewers": _reviewers(plan, reviews),
        "document": _readable(version.document),
        "checklist": _checklist(printed),
        "findings": printed,
        "reviews": [
            {
                "part": review.get_part_display(),
                "organisation": review.organisation.name,
                "reviewer": _person(review.reviewer),
                "recommendation": review.get_recommendation_display(),
                "comments": review.comments,
                "on": review.reviewed_at,
            }
            for review in reviews
        ],
        "waivers": [
            {
                "rule": waiver.rule,
                "title": _rule_title(waiver.rule),
                "reason": waiver.reason,
                "approver": _person(waiver.approver),
                "on": waiver.waived_at,
            }
            for waiver in waivers
        ],
        "written_by": _person(version.written_by),
        "submitted_by": _person(version.submitted_by) if version.submitted_by else "",
        "decided_by": _person(version.decided_by) if version.decided_by else "",
        "decision": "Returned" if version.status == PlanVersion.Status.RETURNED else "Approved",
        # Other drafts stay out: only the lead agency's stewards may know of them.
        "history": [
            {"number": v.number, "status": v.get_status_display(), "decided_at": v.decided_at}
            for v in plan.versions.order_by("number")
            if v.status != PlanVersion.Status.DRAFT or v.pk == version.pk
        ],
    }


def _review(version: PlanVersion) -> tuple[str, str, list[dict]]:
    """The review a reader of this version needs: the one recorded with the decision once the
    version is decided, otherwise the rule set's verdict now, with the waivers recorded so far."""
    if version.status in (
        PlanVersion.Status.APPROVED,
        PlanVersion.Status.RETURNED,
        PlanVersion.Status.SUPERSEDED,
    ):
        return version.classification, version.ruleset_version, list(version.findings)
    review = services.current_review(version)
    return (
        review.classification,
        review.ruleset_version,
        [finding.as_dict() for finding in review.findings],
    )


def _printed(finding: dict, waived: dict) -> PrintedFinding:
    if finding["blocking"]:
        status = "Blocks approval"
    elif finding["rule"] in waived:
        status = f"Waived by {_person(waived[finding['rule']].approver)}"
    else:
        status = "Note"
    return PrintedFinding(
        rule=finding["rule"],
        title=_rule_title(finding["rule"]),
        status=status,
        message=finding["message"],
        source=finding["source"],
        sources=citations.readable(finding["source"]),
    )


def _checklist(findings: list[PrintedFinding]) -> list[dict]:
    by_rule: dict[str, list[PrintedFinding]] = {}
    for finding in findings:
        by_rule.setdefault(finding.rule, []).append(finding)
    groups = []
    for title, items in CHECKLIST:
        rows = []
        for rule, item in items:
            found = by_rule.get(rule, [])
            statuses = sorted({finding.status for finding in found})
            rows.append(ChecklistItem(rule, item, not found, "; ".join(statuses)))
        groups.append({"title": title, "items": rows})
    return groups


def _rule_title(code: str) -> str:
    rule = rules.RULES.get(code)
    return rule.title if rule else code


def _reviewers(plan, reviews: list[PlanReview]) -> list[dict]:
    by_part = {review.part: review for review in reviews}
    rows = []
    for part, organisation in (
        (PlanReview.Part.PROSECUTOR, plan.prosecutor_office),
        (PlanReview.Part.VICTIM_SERVICES, plan.service_partner),
    ):
        review = by_part.get(part)
        rows.append(
            {
                "part": part.label,
                "organisation": organisation.name if organisation else "Not named yet",
                "reviewer": _person(review.reviewer) if review else "",
            }
        )
    return rows


def _person(user) -> str:
    return user.get_full_name() or user.get_username()


# --- The document in readable form ------------------------------------------------------------


def _label(vocabulary_name: str, code: str) -> str:
    if not code:
        return "Not stated"
    try:
        return vocabulary(vocabulary_name).label(code)
    except UnknownCode:
        # A document kept from an older vocabulary still prints, with the code it holds.
        return code


def _labels(vocabulary_name: str, codes: list[str]) -> list[str]:
    return [_label(vocabulary_name, code) for code in codes]


def _yes_no(value: bool) -> str:
    return "Yes" if value else "No"


def _day(value: str) -> str:
    if not value:
        return "Not stated"
    try:
        day = datetime.date.fromisoformat(value)
    except ValueError:
        return value
    return f"{day.day} {day:%B %Y}"


def _amount(value: float | int) -> str:
    return f"${value:,.2f}" if value != int(value) else f"${int(value):,}"


def _readable(doc: dict) -> dict:
    """The plan document with labels in place of codes and dates written out, for print."""
    justification = doc.get("justification", {})
    interview = doc.get("interview_plan", {})
    aftercare = doc.get("aftercare", {})
    vulnerable = doc.get("vulnerable_people_plan", {})
    prosecutor = doc.get("prosecutor", {})
    policies = vocabulary("plan_policy")
    statute_names = {
        statute.code: f"{statute.citation} — {statute.title}"
        for statute in Statute.objects.filter(code__in=doc.get("statutes", []))
    }
    budget = doc.get("budget", [])
    return {
        "name": doc.get("name") or "Untitled plan",
        "operation_type": _label("operation_type", doc.get("operation_type", "")),
        "venue_type": _label("venue_type", doc.get("venue_type", "")),
        "sector_focus": _labels("work_sector", doc.get("sector_focus", [])),
        "planned_start": _day(doc.get("planned_start", "")),
        "planned_end": _day(doc.get("planned_end", "")),
        "time_of_entry": doc.get("time_of_entry") or "Not stated",
        "situation": _label("plan_situation", justification.get("situation", "")),
        "explanation": justification.get("explanation", ""),
        "other_reason": justification.get("other_reason", ""),
        "alternatives": [
            {
                "alternative": _label("plan_alternative", item["alternative"]),
                "why_not_enough": item["why_not_enough"],
            }
            for item in doc.get("alternatives", [])
        ],
        "evidence": [
            {
                "type": _label("evidence_type", item["type"]),
                "dated": _day(item["dated"]),
                "reliability": _label("evidence_reliability", item["reliability"]),
                "supports": _labels("evidence_element", item["supports"]),
                "summary": item["summary"],
            }
            for item in doc.get("evidence", [])
        ],
        "statutes": [statute_names.get(code, code) for code in doc.get("statutes", [])],
        "safety_plan": doc.get("safety_plan", ""),
        "segregation_plan": doc.get("segregation_plan", ""),
        "interview": [
            ("Who interviews", interview.get("interviewers", "")),
            ("Their training", interview.get("interviewer_training", "")),
            ("Where", _label("interview_location", interview.get("setting", ""))),
            ("When", _label("interview_timing", interview.get("timing", ""))),
            ("Advocate present", _yes_no(interview.get("advocate_present", False))),
            ("Basic needs first", _yes_no(interview.get("basic_needs_first", False))),
            (
                "Attorney or consulate before questioning",
                _yes_no(interview.get("legal_access_before_questioning", False)),
            ),
        ],
        "cross_referencing_plan": doc.get("cross_referencing_plan", ""),
        "aftercare_provider": aftercare.get("provider", ""),
        "shelter_places": [
            {
                "gender_identity": _label("gender_identity", item["gender_identity"]),
                "age_group": _label("age_group", item["age_group"]),
                "places": item["places"],
            }
            for item in aftercare.get("shelter_places", [])
        ],
        "provider_notifications": [
            {
                "provider": item["provider"],
                "notified_on": _day(item["notified_on"]),
                "expected_population": item["expected_population"],
                "answer": item["answer"],
            }
            for item in doc.get("provider_notifications", [])
        ],
        "expected_languages": _labels("language", doc.get("expected_languages", [])),
        "interpreter_languages": _labels("language", doc.get("interpreter_languages", [])),
        "vulnerable": [
            ("Minors", vulnerable.get("minors", "")),
            ("Pregnant people", vulnerable.get("pregnant_people", "")),
            ("Children and other dependants", vulnerable.get("dependants", "")),
        ],
        "prosecutor_office": prosecutor.get("office", ""),
        "prosecutor_involved": _yes_no(prosecutor.get("involved_in_planning", False)),
        "service_partner": doc.get("service_partner", ""),
        "media_invited": _yes_no(doc.get("media_invited", False)),
        "expected_people": [
            (_label("role", role), count) for role, count in doc.get("expected_people", {}).items()
        ],
        "agency_policies": [
            (term.label, _yes_no(term.code in doc.get("policies_acknowledged_by_agency", [])))
            for term in policies.terms
        ],
        "personnel": [
            {
                "officer": officer["officer"],
                "hours": f"{officer['trafficking_training_hours']:g}",
                "implicit_bias": _day(officer["implicit_bias_training_on"]),
                "trauma_informed": _yes_no(officer["trauma_informed_interviewing"]),
                "policies_missing": [
                    term.label
                    for term in policies.terms
                    if term.code not in officer["policies_acknowledged"]
                ],
            }
            for officer in doc.get("personnel", [])
        ],
        "female_officer": _label("plan_presence", doc.get("female_officer", "")),
        "advocate": _label("plan_presence", doc.get("advocate", "")),
        "objectives": doc.get("objectives", ""),
        "budget": [
            (_label("funding_category", line["category"]), _amount(line["amount"]))
            for line in budget
        ],
        "budget_total": _amount(sum(line["amount"] for line in budget)) if budget else "",
    }
