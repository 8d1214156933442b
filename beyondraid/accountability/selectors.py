"""What the investigators' pages read, always through ``permissions.visible_reports``.

Reads only: nothing here writes, and the only read of sealed text goes through
``services.read_report``, which checks visibility again and audits it.
"""

import datetime
from collections import defaultdict
from dataclasses import dataclass

from django.contrib.auth import get_user_model
from django.db.models import Count, QuerySet
from django.utils import translation

from beyondraid.core import clocks
from beyondraid.standard import access
from beyondraid.standard.models import Agency, Operation, OperationParticipant

from . import permissions, services
from .models import Conduct, OfficerMark, Report, ReporterIs

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


def report_rows(user, today: datetime.date) -> list[ReportRow]:
    return [
        ReportRow(
            report=report,
            acknowledgement=summarise_clock(services.acknowledgement_clock(report), today),
            feedback=summarise_clock(services.feedback_clock(report), today),
        )
        for report in permissions.visible_reports(user).select_related("assigned_to")
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
