"""Abuse by officers by agency and type, and what the people served say, by organisation (issue 22
items 4 and 5; R-171: "misconduct statistics (reported, investigated, substantiated, by
agency)"), disclosure-checked like every count of people.

**What is counted.** Only what the oversight investigators recorded at triage and after: the
agency or organisation a report concerns (``Report.concerned_agency``), the types of misconduct
(``ReportType``), the state and finding of the case, and the answers they read in a feedback
(``FeedbackAnswers``). Never what the person wrote, which stays sealed to the oversight key.

- A *report of abuse* counted is a report of the misconduct channel that was triaged: its state
  is past received and acknowledged. It is *investigated* when its finding is set or it is under
  investigation, and *sustained* when its finding is sustained or a policy failure
  (``Report.SUSTAINED_FINDINGS``); a sustained report has a finding, so it is investigated.
- A *feedback* counted is a report of the feedback channel whose answers the investigator
  recorded at triage.

**Which reports a release counts** (as ``release_identifications`` counts people): a report the
investigators linked to an operation when that operation is one of the release's; a report linked
to none when it was received in the release's period and, in a state release, concerns an agency
of that state, in an agency release, that agency. A report whose operation is not one of the
release's is counted in the releases of that operation.

**Atoms: one unit per report.** A report's atom lies at a unit of its own (``report_unit``), not at
its operation: the tables group reports by the agency they concern, and one operation's reports
may concern several agencies, so an operation could not be split between their rows. A unit per
report is the same in every release, as an operation is, so the checker relates releases to one
another; blocks group the units no figure tells apart, so a release stores few blocks. The kind
of a report of abuse is ``misconduct_type|<its types, joined by +>|<how far it went>``: a type's
row takes the kinds whose types include it and the agency's all-types row every kind, so the
checker sees each type row inside its all-types row even where a report has several types. The
kind of a feedback is ``feedback|<rights>|<free>|<judgement>|<help>|<complaint>``.

**Protection.** Both tables are protected after the tables of operations, with those tables'
shown figures taken as known (``releases.create_release``), so a small count of reports never
hides a figure of what operations did. A release protected by noise leaves them out, as it
leaves out the people identified outside operations: its cells cover operations only and it
states no contribution bound for these units (``dp_release``).
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Collection, Iterable, Sequence

from django.db.models import Q, QuerySet

from beyondraid.accountability.models import (
    Channel,
    FeedbackAnswer,
    MisconductType,
    Report,
    ReportType,
)
from beyondraid.core.disclosure import Count as CountFigure
from beyondraid.standard.models import Agency, Operation

from .release_tables import (
    ALL,
    ALL_AGENCIES,
    FEEDBACK_BY_ORGANISATION,
    MISCONDUCT_BY_AGENCY_AND_TYPE,
    BuiltTable,
    Column,
    ReleaseData,
    Scope,
    _agency_label,
    _Atoms,
)

# Report units start this far below zero. Operations are positive; ``atoms.NO_OPERATION`` is -1;
# a person identified outside operations is at -1 - the primary key of their record
# (``atoms.person_unit``), so from -2 down to -2**40 while encounter keys stay below 2**40 - 1
# (a million million records). Reports take -2**40 - their primary key, below every one of
# those, and the kind numbers the checker multiplies units by (``atoms.AtomSpace``) keep the
# product within 64 bits for up to 2**21 kinds.
REPORT_UNIT_OFFSET = 1 << 40
MISCONDUCT = "misconduct_type"
FEEDBACK = "feedback"
NOT_TRIAGED = (Report.State.RECEIVED, Report.State.ACKNOWLEDGED)
# How far a report of abuse went: a partition, so that each report is in one kind.
SUSTAINED, INVESTIGATED, NOT_INVESTIGATED = "sustained", "investigated", "not_investigated"
PROGRESS = {
    "received": (SUSTAINED, INVESTIGATED, NOT_INVESTIGATED),
    "investigated": (SUSTAINED, INVESTIGATED),
    "sustained": (SUSTAINED,),
}
# The types of a report the triage has given none yet.
NO_TYPE = "none"
ALL_TYPES = "All types"
ALL_ORGANISATIONS = "All organisations"
ANSWERS = ("rights_explained", "free_to_leave", "without_judgement", "help_needed")
COMPLAINT, NO_COMPLAINT = "complaint", "no_complaint"


def report_unit(report_pk: int) -> int:
    """Where the atoms of one report lie: a unit of its own (see ``REPORT_UNIT_OFFSET``)."""
    return -REPORT_UNIT_OFFSET - report_pk


def reports_in_scope(scope: Scope, operations: QuerySet[Operation]) -> QuerySet[Report]:
    """The reports a release counts: linked to one of its ``operations``, or linked to none and
    received in its period, about an agency in its scope."""
    outside = Q(
        operation__isnull=True,
        received_on__gte=scope.period_start,
        received_on__lte=scope.period_end,
    )
    if scope.agency_id:
        outside &= Q(concerned_agency_id=scope.agency_id)
    if scope.state:
        outside &= Q(concerned_agency__state=scope.state)
    return Report.objects.filter(Q(operation__in=operations) | outside)


class TriagedReports:
    """The triaged reports of abuse and feedback a release counts: their atoms, added to the
    release's, and the units of the reports concerning each agency or organisation."""

    def __init__(self, scope: Scope, operations: QuerySet[Operation], atoms: _Atoms):
        reports = reports_in_scope(scope, operations).order_by("pk")
        triaged = reports.filter(channel=Channel.MISCONDUCT).exclude(state__in=NOT_TRIAGED)
        abuse = triaged.values_list("pk", "concerned_agency_id", "state", "finding")
        types: dict[int, list[str]] = defaultdict(list)
        for report, kind in ReportType.objects.filter(report__in=triaged.values("pk")).values_list(
            "report_id", "type"
        ):
            types[report].append(kind)
        self.abuse_of: dict[int | None, list[int]] = defaultdict(list)
        # Per agency, the types its reports are about, for its rows.
        self.types_of: dict[int | None, set[str]] = defaultdict(set)
        units, parts = [], []
        for pk, agency, state, finding in abuse:
            unit = report_unit(pk)
            self.abuse_of[agency].append(unit)
            self.types_of[agency].update(types[pk])
            units.append(unit)
            parts.append((_combination(types[pk]), _progress(state, finding)))
        self.combinations = sorted({combination for combination, _ in parts})
        atoms.add(MISCONDUCT, units, [1] * len(units), parts)

        feedback = reports.filter(channel=Channel.FEEDBACK, answers__isnull=False).values_list(
            "pk",
            "concerned_agency_id",
            *(f"answers__{name}" for name in ANSWERS),
            "answers__complaint",
        )
        self.feedback_of: dict[int | None, list[int]] = defaultdict(list)
        units, parts = [], []
        for pk, organisation, *answers, complaint in feedback:
            unit = report_unit(pk)
            self.feedback_of[organisation].append(unit)
            units.append(unit)
            parts.append((*answers, COMPLAINT if complaint else NO_COMPLAINT))
        atoms.add(FEEDBACK, units, [1] * len(units), parts)


def _combination(types: Iterable[str]) -> str:
    return "+".join(sorted(types)) or NO_TYPE


def _progress(state: str, finding: str) -> str:
    if finding in Report.SUSTAINED_FINDINGS:
        return SUSTAINED
    if finding or state == Report.State.INVESTIGATING:
        return INVESTIGATED
    return NOT_INVESTIGATED


def _agencies(pks: Iterable[int | None]) -> list[tuple[int, dict]]:
    """The agencies named, by name, each with its labels."""
    agencies = Agency.objects.filter(pk__in=[pk for pk in pks if pk]).order_by("name", "pk")
    return [(agency.pk, _agency_label(agency)) for agency in agencies]


def misconduct_table(data: ReleaseData) -> BuiltTable:
    reports = data.reports
    table = BuiltTable(
        MISCONDUCT_BY_AGENCY_AND_TYPE,
        "Abuse by officers, by agency and type",
        "Reports of abuse by officers received through the anonymous reporting page, by the "
        "agency whose officers they concern and the type of misconduct, with those investigated "
        "and those found to be true. Only reports the oversight investigators have triaged are "
        "counted, and only from what they recorded (the agency, the types, the state of the "
        "case, the finding); what the person wrote stays sealed and is never read to count. A "
        "report about several types counts once in each type's row and once in its agency's "
        "row of all types; a report whose agency is not yet known counts only in the rows of "
        "all agencies. Reports linked to an operation are counted in the releases of that "
        "operation; others by the day they were received (R-171).",
        [
            Column("agency", "Agency", "label", "The agency whose officers the reports concern."),
            Column("agency_key", "Agency key", "label", "A stable key for links."),
            Column("type", "Type of misconduct", "label", "As the investigators found it."),
            Column("type_key", "Type key", "label", "A stable key for links."),
            Column("received", "Received", "count", "Reports received and triaged."),
            Column(
                "investigated",
                "Investigated",
                "count",
                "Reports with a finding, or under investigation.",
            ),
            Column(
                "sustained",
                "Found to be true",
                "count",
                "Reports whose finding is sustained or a policy failure.",
            ),
        ],
    )

    def figures(units: Sequence[int] | None, combinations: list[str]) -> dict[str, CountFigure]:
        return {
            column: data.atoms.count(MISCONDUCT, units, combinations, progress)
            for column, progress in PROGRESS.items()
        }

    types = [(code, str(label)) for code, label in MisconductType.choices]
    # Each agency with the types its reports are about; all agencies (every unit) with every type.
    groups: list[tuple[dict, list[int] | None, Collection[str]]] = [
        (labels, reports.abuse_of[pk], reports.types_of[pk])
        for pk, labels in _agencies(reports.abuse_of)
    ]
    groups.append(({"agency": ALL_AGENCIES, "agency_key": ALL}, None, MisconductType.values))
    for labels, units, listed in groups:
        table.add_row(
            {**labels, "type": ALL_TYPES, "type_key": ALL}, figures(units, reports.combinations)
        )
        for code, label in types:
            if code in listed:
                having = [c for c in reports.combinations if code in c.split("+")]
                table.add_row({**labels, "type": label, "type_key": code}, figures(units, having))
    return table


def feedback_table(data: ReleaseData) -> BuiltTable:
    reports = data.reports
    table = BuiltTable(
        FEEDBACK_BY_ORGANISATION,
        "What the people served say",
        "Feedback from people encountered in an operation or served by an organisation, about "
        "how they were treated, by the organisation it concerns. Only feedback the oversight "
        "investigators have triaged is counted, from their answers to four questions and whether "
        "it carries a complaint; what the person wrote stays sealed and is never read to count. "
        "Feedback whose organisation is not yet known counts only in the row of all "
        "organisations.",
        [
            Column("agency", "Organisation", "label", "The organisation the feedback concerns."),
            Column("agency_key", "Organisation key", "label", "A stable key for links."),
            Column("received", "Feedback received", "count", "Feedback received and triaged."),
            Column(
                "rights_not_explained",
                "Rights not explained in their language",
                "count",
                "Their rights were not explained to them in their language.",
            ),
            Column(
                "not_free_to_leave",
                "Not free to leave",
                "count",
                "They did not feel free to leave.",
            ),
            Column("judged", "Judged", "count", "They were not treated without judgement."),
            Column(
                "help_not_needed",
                "Help not what they needed",
                "count",
                "The help was not what they needed.",
            ),
            Column(
                "complaint",
                "With a complaint",
                "count",
                "The feedback carries a complaint about the organisation.",
            ),
        ],
    )
    every = [answer for answer, _ in FeedbackAnswer.choices]

    def answered_no(question: str) -> list[list[str]]:
        return [[FeedbackAnswer.NO] if name == question else every for name in ANSWERS]

    def figures(units: Sequence[int] | None) -> dict[str, CountFigure]:
        complaints = [COMPLAINT, NO_COMPLAINT]
        return {
            "received": data.atoms.count(FEEDBACK, units, *[every] * len(ANSWERS), complaints),
            "rights_not_explained": data.atoms.count(
                FEEDBACK, units, *answered_no("rights_explained"), complaints
            ),
            "not_free_to_leave": data.atoms.count(
                FEEDBACK, units, *answered_no("free_to_leave"), complaints
            ),
            "judged": data.atoms.count(
                FEEDBACK, units, *answered_no("without_judgement"), complaints
            ),
            "help_not_needed": data.atoms.count(
                FEEDBACK, units, *answered_no("help_needed"), complaints
            ),
            "complaint": data.atoms.count(FEEDBACK, units, *[every] * len(ANSWERS), [COMPLAINT]),
        }

    for pk, labels in _agencies(reports.feedback_of):
        table.add_row(labels, figures(reports.feedback_of[pk]))
    table.add_row({"agency": ALL_ORGANISATIONS, "agency_key": ALL}, figures(None))
    return table


def build(data: ReleaseData) -> list[BuiltTable]:
    """The two tables, unless the release is protected by noise (``dp_release``)."""
    if not data.beyond_operations:
        return []
    return [misconduct_table(data), feedback_table(data)]
