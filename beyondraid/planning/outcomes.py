"""The post-operation review: what a plan said would happen, beside what the records show did.

Reports from both studies find operations judged by the evidence collected rather than by what
happened to people (R-070, R-074, R139). This comparison puts the plan in force (or the latest
reviewed version) next to the operation's recorded encounters, treatment, charges and service
offers, and names each departure that harmed someone or broke the plan.

It reads one operation's records and shows counts only: no person is listed. Who may open it is
decided by the view (the plan's readers who may also see the operation).
"""

from collections import Counter
from dataclasses import dataclass, field

from django.db.models import Exists, OuterRef

from beyondraid.standard.models import (
    Charge,
    Encounter,
    ServiceOffer,
    TreatmentEvent,
)
from beyondraid.standard.selectors import with_current_role
from beyondraid.standard.vocabulary import vocabulary

from .models import Plan, PlanVersion
from .selectors import OperationReview, operation_reviews


@dataclass(frozen=True)
class Comparison:
    """One line of the review: what was planned, what happened, and the concern if any."""

    subject: str
    planned: str
    happened: str
    concern: str = ""


@dataclass
class OutcomeReview:
    plan: Plan
    version: PlanVersion
    review: OperationReview
    people: list[tuple[str, int | None, int]]  # role label, expected (None: not said), encountered
    arrests_by_role: list[tuple[str, int]]
    comparisons: list[Comparison] = field(default_factory=list)

    @property
    def concerns(self) -> list[Comparison]:
        return [c for c in self.comparisons if c.concern]


def _event(kind: str, **more):
    return Exists(TreatmentEvent.objects.filter(encounter=OuterRef("pk"), kind=kind, **more))


def _people(operation) -> list[dict]:
    """One row of flags per encounter of the operation, computed by the database."""
    return list(
        with_current_role(Encounter.objects.filter(operation=operation))
        .annotate(
            arrested=_event("arrested"),
            cited=_event("cited"),
            charged=Exists(Charge.objects.filter(encounter=OuterRef("pk"))),
            immigration_referral=_event("immigration_referral"),
            offered=Exists(ServiceOffer.objects.filter(encounter=OuterRef("pk"))),
            accepted=Exists(
                ServiceOffer.objects.filter(encounter=OuterRef("pk"), response="accepted")
            ),
            interviewed=_event("interviewed"),
            without_advocate=_event("interviewed", advocate_present="no"),
            before_basic_needs=_event("interviewed", basic_needs_before="no"),
            not_neutral=Exists(
                TreatmentEvent.objects.filter(encounter=OuterRef("pk"), kind="interviewed").exclude(
                    interview_location="neutral_site"
                )
            ),
        )
        .values(
            "current_role_code",
            "age_group",
            "primary_language",
            "interpreter",
            "arrested",
            "cited",
            "charged",
            "immigration_referral",
            "offered",
            "accepted",
            "interviewed",
            "without_advocate",
            "before_basic_needs",
            "not_neutral",
        )
    )


def _version_for_outcome(plan: Plan) -> PlanVersion | None:
    return (
        plan.in_force
        or plan.versions.exclude(status=PlanVersion.Status.DRAFT).order_by("-number").first()
    )


def outcome_review(plan: Plan) -> OutcomeReview | None:
    """The comparison for a plan tied to a recorded operation; None before that."""
    operation = plan.operation
    version = _version_for_outcome(plan)
    if operation is None or version is None:
        return None
    planned = version.document
    rows = _people(operation)
    roles = vocabulary("role")
    victims = set(roles.codes_where("is_victim", True))
    minors = set(vocabulary("age_group").codes_where("is_minor", True))
    role_of = [row["current_role_code"] or "unknown" for row in rows]
    encountered = Counter(role_of)
    expected = planned.get("expected_people", {})
    people = [
        (term.label, expected.get(term.code), encountered.get(term.code, 0))
        for term in roles.terms
        if term.code in expected or encountered.get(term.code)
    ]
    arrested = Counter(role for role, row in zip(role_of, rows, strict=True) if row["arrested"])
    arrests_by_role = [
        (term.label, arrested[term.code]) for term in roles.terms if arrested[term.code]
    ]

    victim_rows = [row for role, row in zip(role_of, rows, strict=True) if role in victims]
    minor_rows = [row for row in rows if row["age_group"] in minors]
    review = OutcomeReview(
        plan=plan,
        version=version,
        review=operation_reviews([operation.pk])[operation.pk],
        people=people,
        arrests_by_role=arrests_by_role,
    )
    add = review.comparisons.append
    add(_dates(planned, operation))
    add(_kind(planned, operation))
    add(_only_sex_work_arrests(rows, role_of, victims))
    punished = sum(1 for row in victim_rows if row["arrested"] or row["cited"] or row["charged"])
    add(
        Comparison(
            "Victims arrested, cited or charged",
            "None: the non-punishment principle was acknowledged"
            if "non_punishment" in planned.get("policies_acknowledged_by_agency", [])
            else "The non-punishment principle was not acknowledged",
            f"{punished} of {len(victim_rows)} victims",
            "Victims were punished for what they were made to do." if punished else "",
        )
    )
    offered = sum(1 for row in victim_rows if row["offered"])
    accepted = sum(1 for row in victim_rows if row["accepted"])
    add(
        Comparison(
            "Services offered to victims",
            f"Care and shelter with {planned['aftercare']['provider'] or 'no provider named'}",
            f"{offered} of {len(victim_rows)} victims offered services; {accepted} accepted",
            "Some victims were offered no service." if offered < len(victim_rows) else "",
        )
    )
    add(_interpreters(planned, rows))
    interviewed = sum(1 for row in rows if row["interviewed"])
    badly = sum(
        1
        for row in rows
        if row["without_advocate"] or row["before_basic_needs"] or row["not_neutral"]
    )
    add(
        Comparison(
            "Interviews",
            "At a neutral site, after rest and basic needs, with an advocate"
            if planned["interview_plan"].get("setting") == "neutral_site"
            else "Not planned as victim-centred",
            f"{_people_count(interviewed)} interviewed; {badly} without an advocate, before "
            "basic needs or away from a neutral site",
            "Interviews departed from the victim-centred plan." if badly else "",
        )
    )
    minors_arrested = sum(1 for row in minor_rows if row["arrested"] or row["cited"])
    add(
        Comparison(
            "Minors",
            planned["vulnerable_people_plan"].get("minors") or "No plan for minors",
            f"{_people_count(len(minor_rows))} under 18 encountered; {minors_arrested} arrested "
            "or cited",
            "Minors were arrested or cited: a minor in commercial sex is a victim in law."
            if minors_arrested
            else "",
        )
    )
    referred = sum(1 for row in rows if row["immigration_referral"])
    add(
        Comparison(
            "Referrals to immigration enforcement",
            "None: the policy was acknowledged"
            if "no_immigration_referral" in planned.get("policies_acknowledged_by_agency", [])
            else "The policy against referrals was not acknowledged",
            f"{_people_count(referred)} referred",
            "People were referred to immigration enforcement." if referred else "",
        )
    )
    add(_notice(planned, operation))
    add(_misconduct_reports(operation))
    return review


def _misconduct_reports(operation) -> Comparison:
    """Anonymous reports of abuse by officers the investigators linked to this operation (issue
    8), read through the relation the accountability app declares on operations, so that
    planning depends on none of its code; only the triage and the findings, never a report's
    text, which stays sealed. Feedback from the people served shares that table (issue 22) and
    is not a report of abuse: only the misconduct channel counts."""
    reports = operation.misconduct_reports.filter(channel="misconduct")
    total = reports.count()
    sustained = reports.filter(finding__in=("sustained", "policy_failure")).count()
    return Comparison(
        "Reports of abuse by officers",
        "None",
        f"{total} linked to this operation by the oversight investigators; {sustained} found "
        "to be true (sustained or a policy failure)",
        "People reported abuse by officers during this operation." if total else "",
    )


def _people_count(count: int) -> str:
    return f"{count} {'person' if count == 1 else 'people'}"


def _kind(planned: dict, operation) -> Comparison:
    kind = planned.get("operation_type", "")
    concern = ""
    if operation.operation_type == "sweep" and kind != "sweep":
        concern = "Recorded as a sweep: it is counted as a sweep, not as anti-trafficking."
    elif kind and operation.operation_type != kind:
        concern = "The operation was of another kind than the one planned."
    return Comparison(
        "Kind of operation",
        vocabulary("operation_type").label(kind) if kind else "Not said",
        operation.get_operation_type_display(),
        concern,
    )


def _dates(planned: dict, operation) -> Comparison:
    start, end = planned.get("planned_start", ""), planned.get("planned_end", "")
    happened = f"{operation.start_date.isoformat()} to {operation.end_date.isoformat()}"
    return Comparison(
        "Dates",
        f"{start} to {end}" if start else "Not said",
        happened,
        "The operation ran outside the approved dates."
        if start
        and (operation.start_date.isoformat() < start or operation.end_date.isoformat() > end)
        else "",
    )


def _only_sex_work_arrests(rows: list[dict], role_of: list[str], victims: set[str]) -> Comparison:
    """R139: an operation that ends only in arrests of people selling or buying sex made things
    worse for the people it claimed to help."""
    arrested_roles = {role for role, row in zip(role_of, rows, strict=True) if row["arrested"]}
    sex_work = victims | {"adult_in_commercial_sex", "buyer"}
    only = bool(arrested_roles) and arrested_roles <= sex_work
    return Comparison(
        "Whom the operation arrested",
        "Suspected traffickers, on evidence of trafficking",
        ", ".join(vocabulary("role").label(r).lower() for r in sorted(arrested_roles)) or "Nobody",
        "Only people selling or buying sex were arrested; no suspected trafficker (R139)."
        if only
        else "",
    )


def _interpreters(planned: dict, rows: list[dict]) -> Comparison:
    languages = vocabulary("language")
    arranged = planned.get("interpreter_languages", [])
    needed = sum(1 for row in rows if row["interpreter"] == "needed_not_provided")
    provided = sum(1 for row in rows if row["interpreter"] == "provided")
    spoken = {row["primary_language"] for row in rows} - {"en", "unknown", ""}
    unplanned = sorted(code for code in spoken if code not in arranged)
    concern = ""
    if needed:
        concern = f"{_people_count(needed)} needed an interpreter and had none."
    elif unplanned:
        concern = "Languages spoken with no interpreter arranged: " + ", ".join(
            languages.label(code) for code in unplanned
        )
    return Comparison(
        "Interpreters",
        ", ".join(languages.label(code) for code in arranged) or "None arranged",
        f"{_people_count(provided)} had an interpreter; {needed} needed one and had none",
        concern,
    )


def _notice(planned: dict, operation) -> Comparison:
    notices = planned.get("provider_notifications", [])
    start = operation.start_date.isoformat()
    late = [n["provider"] for n in notices if n["notified_on"] >= start]
    return Comparison(
        "Service providers told in advance",
        "; ".join(f"{n['provider']} on {n['notified_on']}" for n in notices) or "Nobody",
        "In time" if notices and not late else ("Late: " + ", ".join(late) if late else "Nobody"),
        "Providers were not told before the operation started." if late or not notices else "",
    )
