"""What the start page shows one person, gathered from each domain's own selectors.

Three parts, each chosen by role and each link checked with the permission function the navigation
uses (``beyondraid.context_processors``), so the page never offers a link its reader cannot follow:

- **Due**: what waits for this person, with counts, how many are overdue, and the first few items.
  Items are codes and counts: plan, referral, report and request codes, and alerts by kind, never
  anything about a person beyond what the linked page shows.
- **Since your last visit**: what other people changed since the person's previous sign-in. Signing
  in overwrites ``last_login``, so the previous sign-in is read from the audit log, which records
  every sign-in; the changes come from the records' own timestamps or from the audit log.
- **Actions**: the two or three things the role does most.
"""

import datetime
from collections import Counter
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import cast

from django.db.models import CharField, Model, Q, QuerySet
from django.db.models.functions import Cast
from django.urls import reverse
from django.utils import timezone
from django.utils.http import urlencode

from beyondraid.accountability import permissions as oversight
from beyondraid.accountability import selectors as oversight_selectors
from beyondraid.accountability.selectors import ClockSummary, ReportRow
from beyondraid.accounts import selectors as accounts
from beyondraid.accounts.models import AuditEntry
from beyondraid.care import permissions as care
from beyondraid.care import selectors as care_selectors
from beyondraid.care.alerts import alerts_for
from beyondraid.care.models import Alert
from beyondraid.core import clocks
from beyondraid.intake import importing
from beyondraid.intake import permissions as intake
from beyondraid.planning import permissions as planning
from beyondraid.planning.models import Plan, PlanReview, PlanVersion
from beyondraid.planning.selectors import PlanRow, plan_rows
from beyondraid.records import permissions as records
from beyondraid.records import selectors as records_selectors
from beyondraid.records.models import RequestEvent, Status
from beyondraid.standard import access
from beyondraid.standard.vocabulary import vocabulary
from beyondraid.transparency import permissions as transparency
from beyondraid.transparency.models import Release

# How many items of each kind the page lists; the rest are one link away.
FIRST_FEW = 3

# While a request is in one of these states the agency owes a determination and the requester
# follows it up; afterwards the next steps are an appeal or a lawsuit, not a deadline.
_AWAITING_DETERMINATION = (
    Status.SUBMITTED,
    Status.ACKNOWLEDGED,
    Status.AWAITING_RESPONSE,
    Status.EXTENSION_CLAIMED,
)
_UNMET = (clocks.State.RUNNING, clocks.State.DUE_TODAY, clocks.State.OVERDUE)
_PAST_DUE = (clocks.State.DUE_TODAY, clocks.State.OVERDUE)


@dataclass(frozen=True)
class Item:
    label: str
    note: str
    url: str
    overdue: bool = False


@dataclass(frozen=True)
class Due:
    title: str
    count: int
    overdue: int
    items: tuple[Item, ...]
    url: str
    link_text: str


@dataclass(frozen=True)
class Change:
    text: str
    count: int
    url: str


@dataclass(frozen=True)
class Action:
    label: str
    url: str


@dataclass
class StartPage:
    role: str | None
    role_label: str
    actions: list[Action]
    due: list[Due]
    since: datetime.datetime | None
    changes: list[Change]
    # Person-level records the page lists, which the view marks as read like the pages that list
    # them do.
    shown: list[Model] = field(default_factory=list)


# --- Since your last visit -----------------------------------------------------------------------


def previous_sign_in(user) -> datetime.datetime | None:
    """When the user signed in before the session they are in now. ``auth.login`` sets
    ``last_login`` just before the sign-in of this session is logged, so that entry is never
    earlier than it; None when this is their first sign-in."""
    entries = AuditEntry.objects.filter(actor=user, action=AuditEntry.Action.SIGN_IN)
    if user.last_login is not None:
        entries = entries.filter(at__lt=user.last_login)
    return entries.order_by("-at").values_list("at", flat=True).first()


def _changed_by_others(user, since: datetime.datetime, records: QuerySet) -> int:
    """How many of ``records`` someone else created or changed since ``since``, by the audit log,
    which captures every write to them whatever path it took."""
    ids = records.order_by().annotate(audit_id=Cast("pk", CharField())).values("audit_id")
    return (
        AuditEntry.objects.filter(
            object_type=records.model._meta.label_lower,
            object_id__in=ids,
            action__in=[AuditEntry.Action.CREATE, AuditEntry.Action.UPDATE],
            at__gt=since,
        )
        .exclude(actor=user)
        .order_by()
        .values("object_id")
        .distinct()
        .count()
    )


def _plans_submitted_since(user, since: datetime.datetime) -> int:
    return (
        PlanVersion.objects.filter(plan__in=planning.plans_for(user), submitted_at__gt=since)
        .exclude(submitted_by=user)
        .count()
    )


def _changes(user, role: str | None, since: datetime.datetime) -> list[Change]:
    found: list[tuple[str, int, str]] = []
    if role == access.STEWARD:
        plans = planning.plans_for(user)
        reviews = PlanReview.objects.filter(version__plan__in=plans, reviewed_at__gt=since)
        decisions = PlanVersion.objects.filter(plan__in=plans, decided_at__gt=since)
        found += [
            (
                "referrals of your people answered or moved on by the provider",
                _changed_by_others(user, since, care.visible_referrals(user)),
                reverse("care:referral_list"),
            ),
            (
                "reviews and decisions on your agency's plans by someone else",
                reviews.exclude(reviewer=user).count() + decisions.exclude(decided_by=user).count(),
                reverse("planning:list"),
            ),
            (
                "operations of your agency recorded or changed by someone else",
                _changed_by_others(user, since, access.operations_for(user)),
                reverse("standard:operation_list"),
            ),
            (
                "imports into your agency's records finished",
                importing.batches_for(user).filter(finished_at__gt=since).count(),
                reverse("intake:import_list"),
            ),
        ]
    elif role == access.PROSECUTOR:
        found += [
            (
                "plans submitted for your office's review",
                _plans_submitted_since(user, since),
                reverse("planning:list"),
            ),
            (
                "operations of your office recorded or changed by someone else",
                _changed_by_others(user, since, access.operations_for(user)),
                reverse("standard:operation_list"),
            ),
        ]
    elif role == access.CASEWORKER:
        found += [
            (
                "referrals sent to your organisation",
                care.visible_referrals(user)
                .filter(provider_id=user.organisation_id, created_at__gt=since)
                .count(),
                reverse("care:referral_list"),
            ),
            (
                "plans submitted for your organisation's review",
                _plans_submitted_since(user, since),
                reverse("planning:list"),
            ),
        ]
    elif role == access.ANALYST:
        releases = Release.objects.exclude(created_by=user)
        found += [
            (
                "plans submitted for review",
                _plans_submitted_since(user, since),
                reverse("planning:list"),
            ),
            (
                "releases made or published by someone else",
                releases.filter(Q(created_at__gt=since) | Q(published_at__gt=since)).count(),
                reverse("releases:list"),
            ),
            (
                "steps of records requests recorded by someone else",
                RequestEvent.objects.filter(
                    request__in=records.visible_requests(user), recorded_at__gt=since
                )
                .exclude(recorded_by=user)
                .count(),
                reverse("records:list"),
            ),
        ]
    elif role == access.INVESTIGATOR:
        # Reports are dated by the day only, so that no moment lines up with a network log.
        found.append(
            (
                "reports received since the day of your last visit",
                oversight.visible_reports(user)
                .filter(received_on__gte=timezone.localdate(since))
                .count(),
                reverse("oversight:reports"),
            )
        )
    if accounts.can_manage_users(user):
        found += [
            (
                "accounts created or changed by someone else",
                _changed_by_others(user, since, accounts.manageable_users(user)),
                reverse("accounts:users"),
            ),
            (
                "roles asked for",
                accounts.grants_visible_to(user)
                .filter(requested_at__gt=since)
                .exclude(requested_by=user)
                .count(),
                reverse("accounts:users"),
            ),
        ]
    return [Change(text, count, url) for text, count, url in found if count]


# --- Due -----------------------------------------------------------------------------------------


def _alerts(user) -> Due | None:
    """The alerts about the people the user acts for, by kind: a kind links to the alerts page
    showing that kind, so the start page names no person."""
    if not care.may_read_alerts(user):
        return None
    by_kind: Counter[str] = Counter()
    overdue: Counter[str] = Counter()
    for kind, status in alerts_for(user).values_list("kind", "status"):
        by_kind[kind] += 1
        overdue[kind] += status == Alert.Status.OVERDUE
    kinds = sorted(by_kind, key=lambda kind: (-overdue[kind], -by_kind[kind], kind))
    alerts_url = reverse("care:alerts")
    items = tuple(
        Item(
            label=Alert.Kind(kind).label,
            note=f"{by_kind[kind]} in all, {overdue[kind]} overdue",
            url=f"{alerts_url}?{urlencode({'kind': kind})}",
            overdue=bool(overdue[kind]),
        )
        for kind in kinds[:FIRST_FEW]
    )
    return Due(
        "Alerts about the people you act for",
        by_kind.total(),
        overdue.total(),
        items,
        alerts_url,
        "All alerts",
    )


def _plan(row: PlanRow) -> Plan:
    # ``PlanRow`` types its plan loosely; ``plan_rows`` always puts a Plan there.
    return cast(Plan, row.plan)


def _plan_item(row: PlanRow, note: str) -> Item:
    code = _plan(row).code
    return Item(label=code, note=f"{row.name}: {note}", url=reverse("planning:detail", args=[code]))


def _escalated(version: PlanVersion) -> bool:
    """A plan resting on "another reason" than the justified situations, which only an agency
    administrator approves (``planning.services.approve``)."""
    return version.document.get("justification", {}).get("situation") == "other"


def _plans_to_decide(user, rows: list[PlanRow]) -> Due:
    """Submitted versions of the agency's plans that the user may decide on: nobody decides on a
    plan they wrote, submitted or changed."""
    submitted = [
        row
        for row in rows
        if row.version.status == PlanVersion.Status.SUBMITTED
        and user.pk not in (row.version.written_by_id, row.version.submitted_by_id)
    ]
    ids = [row.version.pk for row in submitted]
    edited = set(PlanVersion.objects.filter(pk__in=ids, editors=user).values_list("pk", flat=True))
    reviewed: dict[int, set[str]] = {}
    for version_id, part in PlanReview.objects.filter(version_id__in=ids).values_list(
        "version_id", "part"
    ):
        reviewed.setdefault(version_id, set()).add(part)
    waiting = [row for row in submitted if row.version.pk not in edited]
    # An agency administrator sees first the plans only they can approve.
    if user.is_organisation_admin:
        waiting.sort(key=lambda row: not _escalated(row.version))
    items = []
    for row in waiting[:FIRST_FEW]:
        parts = reviewed.get(row.version.pk, set())
        note = (
            "both reviews are in"
            if len(parts) == len(PlanReview.Part)
            else f"{len(parts)} of {len(PlanReview.Part)} reviews in"
        )
        if _escalated(row.version):
            note += "; escalated: an agency administrator approves it"
        items.append(_plan_item(row, note))
    return Due(
        "Plans waiting for your decision",
        len(waiting),
        0,
        tuple(items),
        reverse("planning:list"),
        "All plans",
    )


def _plans_returned(rows: list[PlanRow]) -> Due:
    returned = [row for row in rows if row.version.status == PlanVersion.Status.RETURNED]
    return Due(
        "Plans returned to your agency to revise",
        len(returned),
        0,
        tuple(_plan_item(row, "returned with findings") for row in returned[:FIRST_FEW]),
        reverse("planning:list"),
        "All plans",
    )


def _plans_to_review(user, rows: list[PlanRow]) -> Due:
    """Submitted versions the user's organisation reviews as the prosecutor's office or the
    victim-service partner named in the plan, and has not reviewed yet."""
    submitted = [
        row
        for row in rows
        if row.version.status == PlanVersion.Status.SUBMITTED
        and planning.review_part(user, _plan(row)) is not None
    ]
    done = set(
        PlanReview.objects.filter(
            version_id__in=[row.version.pk for row in submitted],
            organisation_id=user.organisation_id,
        ).values_list("version_id", flat=True)
    )
    waiting = [row for row in submitted if row.version.pk not in done]
    return Due(
        "Plans waiting for your review",
        len(waiting),
        0,
        tuple(_plan_item(row, "submitted for review") for row in waiting[:FIRST_FEW]),
        reverse("planning:list"),
        "All plans",
    )


def _referrals_waiting(user, shown: list[Model]) -> Due:
    """Referrals to the caseworker's organisation not yet accepted or declined, oldest first."""
    waiting = sorted(
        (
            referral
            for referral in care_selectors.referrals_for(user, status="sent")
            if care.may_answer(user, referral)
        ),
        key=lambda referral: (referral.sent_on, referral.code),
    )
    listed = waiting[:FIRST_FEW]
    # Each referral is about a person, as on the referrals page: a person-level read.
    shown.extend(referral.encounter for referral in listed)
    return Due(
        "Referrals waiting for your answer",
        len(waiting),
        0,
        tuple(
            Item(
                label=referral.code,
                note=f"sent {referral.sent_on:%Y-%m-%d}",
                url=reverse("care:referral_detail", args=[referral.code]),
            )
            for referral in listed
        ),
        f"{reverse('care:referral_list')}?{urlencode({'status': 'sent'})}",
        "All referrals waiting",
    )


def _records_requests(user, today: datetime.date) -> Due | None:
    """Requests the user files whose determination is due or overdue, or which the law says to
    follow up now."""
    if not records.may_file(user):
        return None
    requests = records.visible_requests(user).filter(
        requester__in=records.requesters_for(user), status__in=_AWAITING_DETERMINATION
    )
    due = [
        (listed, listed.deadline.status.state is clocks.State.OVERDUE)
        for listed in records_selectors.listed_requests(requests, today)
        if listed.deadline is not None
        and (listed.deadline.status.state in _PAST_DUE or listed.deadline.reminding)
    ]
    due.sort(key=lambda pair: not pair[1])
    return Due(
        "Records requests to follow up",
        len(due),
        sum(overdue for _, overdue in due),
        tuple(
            Item(
                label=listed.request.code,
                note=f"{listed.request.agency}: {listed.phrase}",
                url=reverse("records:detail", args=[listed.request.code]),
                overdue=overdue,
            )
            for listed, overdue in due[:FIRST_FEW]
        ),
        reverse("records:list"),
        "All records requests",
    )


def _reports(user, today: datetime.date) -> list[Due]:
    """Reports of abuse whose acknowledgement (for those who acknowledge) or feedback to the
    reporter is still owed, overdue first."""
    rows = oversight_selectors.report_rows(user, today)

    def owed(title: str, clock_of: Callable[[ReportRow], ClockSummary]) -> Due:
        waiting = [(row, clock_of(row)) for row in rows if clock_of(row).status.state in _UNMET]
        # Overdue first, then the nearest due date.
        waiting.sort(key=lambda pair: (not pair[1].is_overdue, pair[1].status.days_left))
        return Due(
            title,
            len(waiting),
            sum(clock.is_overdue for _, clock in waiting),
            tuple(
                Item(
                    label=row.report.reference,
                    note=clock.summary,
                    url=reverse("oversight:report", args=[row.report.reference]),
                    overdue=clock.is_overdue,
                )
                for row, clock in waiting[:FIRST_FEW]
            ),
            reverse("oversight:reports"),
            "All reports",
        )

    due = []
    if oversight.may_manage_intake(user):
        due.append(owed("Reports to acknowledge", lambda row: row.acknowledgement))
    due.append(owed("Reports owing the reporter feedback", lambda row: row.feedback))
    return due


def _releases() -> Due:
    waiting = Release.objects.exclude(status=Release.Status.PUBLISHED).order_by("-created_at")
    return Due(
        "Releases not yet published",
        waiting.count(),
        waiting.filter(status=Release.Status.FAILED).count(),
        tuple(
            Item(
                label=release.label,
                note=release.get_status_display(),
                url=reverse("releases:detail", args=[release.name, release.version]),
                overdue=release.status == Release.Status.FAILED,
            )
            for release in waiting[:FIRST_FEW]
        ),
        reverse("releases:list"),
        "All releases",
    )


def _grants(user) -> Due | None:
    if not accounts.can_manage_users(user):
        return None
    pending = [
        grant for grant in accounts.pending_grants(user) if accounts.may_decide_grant(user, grant)
    ]
    roles = vocabulary("staff_role")
    return Due(
        "Roles waiting for your confirmation",
        len(pending),
        0,
        tuple(
            Item(
                label=grant.user.get_username(),
                note=f"{roles.label(grant.role)}, asked by {grant.requested_by.get_username()}",
                url=reverse("accounts:users"),
            )
            for grant in pending[:FIRST_FEW]
        ),
        reverse("accounts:users"),
        "All users",
    )


def _due(user, role: str | None, today: datetime.date, shown: list[Model]) -> list[Due]:
    due: list[Due | None] = []
    if role == access.CASEWORKER:
        due.append(_referrals_waiting(user, shown))
    if role in (access.STEWARD, access.PROSECUTOR, access.CASEWORKER):
        rows = plan_rows(user)
        if planning.may_write_plans(user):
            due += [_plans_to_decide(user, rows), _plans_returned(rows)]
        else:
            due.append(_plans_to_review(user, rows))
    if role in (access.STEWARD, access.PROSECUTOR, access.CASEWORKER):
        due.append(_alerts(user))
    if role == access.ANALYST and transparency.may_make_releases(user):
        due.append(_releases())
    if oversight.is_investigator(user):
        due += _reports(user, today)
    if role in (access.ANALYST, access.INVESTIGATOR):
        due.append(_records_requests(user, today))
    due.append(_grants(user))
    return [block for block in due if block is not None]


# --- Actions -------------------------------------------------------------------------------------


def _actions(user, role: str | None) -> list[Action]:
    """The role's most frequent actions, each offered only when its page lets the user in."""
    offered: list[tuple[str, str, bool]] = []
    if role == access.STEWARD:
        decide = ("Plans waiting for your decision", reverse("planning:list"), True)
        offered += [
            ("Record an operation", reverse("standard:operation_new"), True),
            ("Import records", reverse("intake:import_list"), intake.may_import(user)),
        ]
        # The agency administrator is the escalated reviewer of its plans.
        if user.is_organisation_admin:
            offered.insert(0, decide)
        else:
            offered.append(
                ("Write a plan", reverse("planning:new"), planning.may_write_plans(user))
            )
    elif role == access.PROSECUTOR:
        offered += [
            (
                "Plans waiting for your review",
                reverse("planning:list"),
                planning.may_see_plans(user),
            ),
            ("Operations", reverse("standard:operation_list"), True),
            ("Alerts", reverse("care:alerts"), care.may_read_alerts(user)),
        ]
    elif role == access.CASEWORKER:
        offered += [
            (
                "Referrals waiting",
                f"{reverse('care:referral_list')}?{urlencode({'status': 'sent'})}",
                care.may_read_referrals(user),
            ),
            (
                "Record a person identified",
                reverse("care:identify"),
                access.may_record_identifications(user),
            ),
            ("Alerts", reverse("care:alerts"), care.may_read_alerts(user)),
        ]
    elif role == access.ANALYST:
        offered += [
            ("Indicators", reverse("indicators:index"), transparency.may_read_indicators(user)),
            ("Releases", reverse("releases:list"), transparency.may_make_releases(user)),
            ("Records requests", reverse("records:list"), records.may_use_staff_pages(user)),
        ]
    elif role == access.INVESTIGATOR:
        offered += [
            (
                "Reports to acknowledge"
                if oversight.may_manage_intake(user)
                else "Reports assigned to you",
                reverse("oversight:reports"),
                True,
            ),
            ("Statistics", reverse("oversight:statistics"), True),
        ]
    elif role == access.ADMINISTRATOR:
        offered += [
            ("Users", reverse("accounts:users"), accounts.can_manage_users(user)),
            ("Invite a user", reverse("accounts:user_invite"), accounts.can_manage_users(user)),
            ("Audit log", reverse("accounts:audit_log"), accounts.can_read_audit_log(user)),
        ]
    return [Action(label, url) for label, url, allowed in offered if allowed]


def start_page(user, today: datetime.date) -> StartPage:
    role = access.role_of(user)
    shown: list[Model] = []
    since = previous_sign_in(user) if role else None
    return StartPage(
        role=role,
        role_label=vocabulary("staff_role").label(role) if role else "",
        actions=_actions(user, role),
        due=_due(user, role, today, shown) if role else [],
        since=since,
        changes=_changes(user, role, since) if since else [],
        shown=shown,
    )
