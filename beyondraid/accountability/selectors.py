"""What the investigators' pages read, always through ``permissions.visible_reports``.

Reads only: nothing here writes, and the only read of sealed text goes through
``services.read_report``, which checks visibility again and audits it.
"""

import datetime
from collections import defaultdict
from dataclasses import dataclass
from typing import cast

from django.contrib.auth import get_user_model
from django.db.models import Count, F, Field, Q, QuerySet
from django.utils import translation

from beyondraid.core import clocks
from beyondraid.standard import access
from beyondraid.standard.models import Agency, Operation, OperationParticipant

from . import permissions, services
from .models import (
    Channel,
    Conduct,
    FeedbackAnswer,
    FeedbackAnswers,
    MisconductType,
    OfficerMark,
    Report,
    ReporterIs,
    ReportType,
)

# The kinds of agency whose officers a report can concern. Prosecutors' offices are among them
# because they employ sworn investigators who take part in operations.
AGENCY_KINDS_WITH_OFFICERS = (
    "local_police",
    "sheriff",
    "state_law_enforcement",
    "federal_law_enforcement",
    "task_force",
    "prosecutor",
)


@dataclass(frozen=True)
class ClockSummary:
    """Where one of a report's clocks stands, in the words the pages use."""

    clock: clocks.Clock
    status: clocks.Status
    summary: str
    sentence: str
    reminder_on: datetime.date | None
    reminding: bool

    @property
    def is_overdue(self) -> bool:
        return self.status.state in (clocks.State.OVERDUE, clocks.State.MET_LATE)


def _days(count: int) -> str:
    return f"{count} day{'s' if count != 1 else ''}"


def summarise_clock(clock: clocks.Clock, today: datetime.date) -> ClockSummary:
    status = clock.status(today)
    state = status.state
    if state is clocks.State.RUNNING:
        summary = f"due in {_days(status.days_left)}"
    elif state is clocks.State.DUE_TODAY:
        summary = "due today"
    elif state is clocks.State.OVERDUE:
        summary = f"overdue by {_days(status.days_late)}"
    elif state is clocks.State.MET_LATE:
        summary = f"met, {_days(status.days_late)} late"
    else:
        summary = "met"
    reminder_on = clock.reminder_on
    return ClockSummary(
        clock=clock,
        status=status,
        summary=summary,
        sentence=clock.describe(today),
        reminder_on=reminder_on,
        # The reminder matters only while the clock still runs.
        reminding=(
            reminder_on is not None
            and today >= reminder_on
            and state in (clocks.State.RUNNING, clocks.State.DUE_TODAY)
        ),
    )


@dataclass(frozen=True)
class ReportRow:
    report: Report
    acknowledgement: ClockSummary
    feedback: ClockSummary


def report_rows(user, today: datetime.date, *, channel: str = "") -> list[ReportRow]:
    """The reports ``user`` may see, of one channel when ``channel`` names it."""
    reports = permissions.visible_reports(user).select_related("assigned_to")
    if channel:
        reports = reports.filter(channel=channel)
    return [
        ReportRow(
            report=report,
            acknowledgement=summarise_clock(services.acknowledgement_clock(report), today),
            feedback=summarise_clock(services.feedback_clock(report), today),
        )
        for report in reports
    ]


@dataclass(frozen=True)
class Pattern:
    """Reports that name the same officer. Which officer, and what anyone wrote, is never
    part of it: the investigators open the reports themselves."""

    references: tuple[str, ...]


def patterns(user) -> list[Pattern]:
    """Groups of two or more of the reports ``user`` may see that share an officer mark. A
    badge and a name of the same officer give the same group twice; it is listed once."""
    visible = permissions.visible_reports(user)
    shared = (
        OfficerMark.objects.filter(report__in=visible)
        .values("digest")
        .annotate(reports=Count("report", distinct=True))
        .filter(reports__gte=2)
        .values("digest")
    )
    reports_by_digest: dict[str, set[str]] = defaultdict(set)
    for digest, reference in OfficerMark.objects.filter(
        report__in=visible, digest__in=shared
    ).values_list("digest", "report__reference"):
        reports_by_digest[digest].add(reference)
    groups = {tuple(sorted(references)) for references in reports_by_digest.values()}
    return [Pattern(references=group) for group in sorted(groups)]


def report_for(user, reference: str) -> Report | None:
    return (
        permissions.visible_reports(user)
        .select_related("concerned_agency", "operation", "assigned_to")
        .filter(reference=reference)
        .first()
    )


@dataclass(frozen=True)
class OpenedReport:
    """What the reporter wrote, with the labels of the codes they chose."""

    conduct: tuple[str, ...]
    account: str
    when: str
    where: str
    operation: str
    officers: tuple[dict, ...]
    reporter_is: str
    # A feedback's answers, each (question, answer), and the organisation in the person's words.
    answers: tuple[tuple[str, str], ...] = ()
    organisation: str = ""


def _feedback_answers(answers: dict) -> tuple[tuple[str, str], ...]:
    """The questions as ``FeedbackAnswers`` words them for the investigators, with the answers
    given, in the order of the page."""
    return tuple(
        (
            str(cast(Field, FeedbackAnswers._meta.get_field(question)).help_text),
            _label(FeedbackAnswer, answers[question]) if answers.get(question) else "Not answered",
        )
        for question in services.FEEDBACK_QUESTIONS
    )


def _label(choices, code: str) -> str:
    # A code retired from the list since the report was sealed is shown as it was stored.
    return str(choices(code).label) if code in choices.values else code


def opened_report(*, user, private_key, report: Report) -> OpenedReport:
    """The report opened with the investigator's key; ``services.read_report`` audits it."""
    content = services.read_report(user=user, private_key=private_key, report=report)
    return OpenedReport(
        conduct=tuple(_label(Conduct, code) for code in content.get("conduct", ())),
        account=content.get("account", ""),
        when=content.get("when", ""),
        where=content.get("where", ""),
        operation=content.get("operation", ""),
        officers=tuple(content.get("officers", ())),
        reporter_is=_label(ReporterIs, content.get("reporter_is", "")),
        answers=_feedback_answers(content["answers"]) if "answers" in content else (),
        organisation=content.get("organisation", ""),
    )


def language_name(code: str) -> str:
    """The English name of the language a report was written in (the investigators' pages are in
    English), or its code when Django does not know it."""
    try:
        return translation.get_language_info(code)["name"]
    except KeyError:
        return code


def agencies_with_officers() -> QuerySet[Agency]:
    return Agency.objects.filter(kind__in=AGENCY_KINDS_WITH_OFFICERS).order_by("name")


def operations_by_agency(agencies) -> list[tuple[Agency, list[Operation]]]:
    """Each agency with the operations it took part in, for a choice grouped by agency."""
    grouped: dict[int, list[Operation]] = defaultdict(list)
    for participation in (
        OperationParticipant.objects.filter(agency__in=agencies)
        .select_related("operation")
        .order_by("-operation__start_date", "operation__code")
    ):
        grouped[participation.agency_id].append(participation.operation)
    return [(agency, grouped[agency.pk]) for agency in agencies if grouped[agency.pk]]


def assignable_investigators():
    """Every active investigator. Those of the agency a report concerns are listed too, so that
    the conflict check says why one of them cannot take it."""
    return (
        get_user_model()
        .objects.filter(is_active=True, role=access.INVESTIGATOR)
        .select_related("organisation")
        .order_by("username")
    )


@dataclass(frozen=True)
class MisconductCount:
    """Reports of abuse by officers concerning one agency: of one type, or of any (``type`` is
    empty) — a report of two types counts once in the agency's total and once under each type."""

    agency: str
    type: str
    received: int
    investigated: int
    sustained: int


@dataclass(frozen=True)
class FeedbackCount:
    """The feedback concerning one organisation, with how many answered each question "no"."""

    organisation: str
    received: int
    no_rights_explained: int
    no_free_to_leave: int
    no_without_judgement: int
    no_help_needed: int
    complaints: int


def _counts(prefix: str = "") -> dict:
    """Received, investigated (a finding was reached, or the investigation is under way) and
    sustained, of the reports at ``prefix``."""
    return {
        "received": Count("pk"),
        "investigated": Count(
            "pk",
            filter=Q(**{f"{prefix}state": Report.State.INVESTIGATING})
            | ~Q(**{f"{prefix}finding": ""}),
        ),
        "sustained": Count("pk", filter=Q(**{f"{prefix}finding__in": Report.SUSTAINED_FINDINGS})),
    }


def statistics_by_agency_and_type(user) -> list[MisconductCount]:
    """The triaged reports of abuse by officers ``user`` may see, per agency concerned: the
    agency's total first, then each type the investigators set at triage (R-171: "Misconduct
    statistics (reported, investigated, substantiated, by agency)"). Only the investigators'
    triage and findings are counted, never what a reporter wrote."""
    triaged = permissions.visible_reports(user).filter(
        channel=Channel.MISCONDUCT, concerned_agency__isnull=False
    )
    totals = (
        triaged.order_by()
        .values("concerned_agency", "concerned_agency__name")
        .annotate(**_counts())
        .order_by("concerned_agency__name", "concerned_agency")
    )
    by_type = defaultdict(list)
    for row in (
        ReportType.objects.filter(report__in=triaged)
        .order_by()
        .values("report__concerned_agency", "type")
        .annotate(**_counts("report__"))
    ):
        by_type[row["report__concerned_agency"]].append(row)
    order = {code: position for position, code in enumerate(MisconductType.values)}
    counts = []
    for total in totals:
        agency = total["concerned_agency__name"]
        counts.append(
            MisconductCount(
                agency=agency,
                type="",
                received=total["received"],
                investigated=total["investigated"],
                sustained=total["sustained"],
            )
        )
        counts.extend(
            MisconductCount(
                agency=agency,
                type=str(MisconductType(row["type"]).label),
                received=row["received"],
                investigated=row["investigated"],
                sustained=row["sustained"],
            )
            for row in sorted(
                by_type[total["concerned_agency"]], key=lambda row: order[row["type"]]
            )
        )
    return counts


def feedback_statistics(user) -> list[FeedbackCount]:
    """The triaged feedback ``user`` may see, per organisation it concerns: how many, how many
    answered each question "no", and how many carry a complaint."""
    no = FeedbackAnswer.NO
    rows = (
        permissions.visible_reports(user)
        .filter(channel=Channel.FEEDBACK, concerned_agency__isnull=False, answers__isnull=False)
        .order_by()
        .values("concerned_agency")
        .annotate(
            organisation=F("concerned_agency__name"),
            received=Count("pk"),
            no_rights_explained=Count("pk", filter=Q(answers__rights_explained=no)),
            no_free_to_leave=Count("pk", filter=Q(answers__free_to_leave=no)),
            no_without_judgement=Count("pk", filter=Q(answers__without_judgement=no)),
            no_help_needed=Count("pk", filter=Q(answers__help_needed=no)),
            complaints=Count("pk", filter=Q(answers__complaint=True)),
        )
        .order_by("organisation", "concerned_agency")
    )
    return [
        FeedbackCount(**{name: row[name] for name in FeedbackCount.__dataclass_fields__})
        for row in rows
    ]


def triage_of(report: Report) -> tuple[list[ReportType], FeedbackAnswers | None]:
    """What the investigators recorded at triage: the report's types, and a feedback's answers."""
    return list(report.types.all()), FeedbackAnswers.objects.filter(report=report).first()


def recorded_answers(answers: FeedbackAnswers) -> list[tuple[str, str]]:
    """Each question with the answer the investigator recorded, in the order of the page."""
    return [
        (
            services.feedback_question(question),
            str(FeedbackAnswer(getattr(answers, question)).label),
        )
        for question in services.FEEDBACK_QUESTIONS
    ]
