"""Reads of public-records requests: a request's deadline, and the agency transparency
scorecard.

Deadlines are never stored: they are computed from the dated steps by the clock engine
(``core/clocks.py``), so a step recorded late, or corrected, moves them at once.

The scorecard says what each figure measures (``FIGURES``), because a bare "responsiveness"
figure hides what was counted (MuckRock issue #1842). Figures about time use only dates the
record says are known: a date assumed because the source gives none (the 2021 study's demo)
never becomes a number of days. The findings of the audits of released tables are counted in
the documents audited, and where none was audited the scorecard says so rather than show 0.
"""

import datetime
import statistics
from collections import Counter, defaultdict
from collections.abc import Iterable
from dataclasses import dataclass, field

from django.db.models import QuerySet
from django.utils import timezone

from beyondraid.core import clocks
from beyondraid.intake import audit as intake_audit

from . import permissions
from .laws import law as law_of
from .models import AGENCY_ANSWERS, DETERMINATIONS, PAUSES, RecordsRequest, RequestEvent


@dataclass(frozen=True)
class Deadline:
    """Where the determination of a request stands on a day."""

    clock: clocks.Clock
    status: clocks.Status
    very_overdue: bool
    late_extension_claim: bool
    description: str
    # The law's follow-up reminder (``laws.toml``): its day while the agency owes a
    # determination (``None`` otherwise, and while paused), and whether the requester should
    # follow up now.
    reminder_on: datetime.date | None = None
    reminding: bool = False

    @property
    def label(self) -> str:
        label = self.status.label
        return f"{label} (very overdue)" if self.very_overdue else label


def _steps(request: RecordsRequest) -> list[RequestEvent]:
    return sorted(request.events.all(), key=lambda event: (event.on, event.pk))


def _pauses(steps: list[RequestEvent]) -> tuple[list[clocks.Pause], datetime.date | None]:
    """Closed pauses and the first day of one still going on.

    A pause runs from the day the agency asked the requester to fix the request or to pay, to
    the day of the next step (the requester's answer, or the agency's), both included: like the
    day a request is received, the day the answer is received is not counted."""
    closed, since = [], None
    for step in steps:
        if step.kind == "follow_up":
            continue
        if since is not None:
            closed.append(clocks.Pause(since, step.on))
            since = None
        if step.kind in PAUSES:
            since = step.on
    return closed, since


# While the request is in one of these states, the agency owes a determination and the
# requester may follow up; after "no response" the next steps are an appeal or a lawsuit.
_AWAITING_DETERMINATION = frozenset(
    {"submitted", "acknowledged", "awaiting_response", "extension_claimed"}
)


def deadline(request: RecordsRequest, today: datetime.date | None = None) -> Deadline | None:
    """The determination's clock; ``None`` for a draft, which has no clock yet.

    An extension counts only when it was claimed by the original due date: the law gives it by
    a written notice within the time for the determination, and a notice sent after it cannot
    excuse lateness that had already begun."""
    if request.sent_on is None:
        return None
    today = today or timezone.localdate()
    steps = _steps(request)
    rule = law_of(request.law).rule
    pauses, paused_since = _pauses(steps)
    met_on = next((step.on for step in steps if step.kind in DETERMINATIONS), None)
    claims = [step.on for step in steps if step.kind == "extension_claimed"]
    extended = bool(claims) and claims[0] <= clocks.due_date(rule, request.sent_on, pauses=pauses)
    clock = clocks.Clock(
        rule,
        request.sent_on,
        pauses=pauses,
        extended=extended,
        paused_since=paused_since,
        met_on=met_on,
    )
    awaiting = met_on is None and request.status in _AWAITING_DETERMINATION
    reminder_on = clock.reminder_on if awaiting else None
    return Deadline(
        clock=clock,
        status=clock.status(today),
        very_overdue=clock.very_overdue(today),
        late_extension_claim=bool(claims) and not extended,
        description=clock.describe(today),
        reminder_on=reminder_on,
        reminding=_reminding(steps, reminder_on, today),
    )


def _reminding(
    steps: list[RequestEvent], reminder_on: datetime.date | None, today: datetime.date
) -> bool:
    """The requester should follow up (R115): from the reminder's day, before and after the due
    date, while the agency owes a determination and the clock is not paused, until a follow-up
    is recorded on or after that day."""
    if reminder_on is None or today < reminder_on:
        return False
    return not any(step.kind == "follow_up" and step.on >= reminder_on for step in steps)


def _days(count: int) -> str:
    return f"{count} day" if count == 1 else f"{count} days"


def deadline_phrase(due: Deadline | None) -> str:
    """Where a request's clock stands, in a few words for a list: due in N days, overdue by N
    days, very overdue, met, paused; an extension is said as such, never as lateness; and when
    the requester should send a follow-up, the reminder."""
    if due is None:
        return "no deadline: a draft"
    status = due.status
    state = status.state
    if state is clocks.State.PAUSED:
        phrase = "paused: the agency waits for the requester"
    elif state is clocks.State.RUNNING:
        phrase = f"due in {_days(status.days_left)}"
    elif state is clocks.State.DUE_TODAY:
        phrase = "due today"
    elif state is clocks.State.OVERDUE:
        phrase = f"overdue by {_days(status.days_late)}"
        if due.very_overdue:
            phrase += ": very overdue"
    elif state is clocks.State.MET_LATE:
        phrase = f"met, {_days(status.days_late)} late"
    else:
        phrase = "met on time"
    if due.clock.extended:
        phrase += " (extended)"
    if due.late_extension_claim:
        phrase += " (extension claimed too late to count)"
    if due.reminding:
        phrase += "; reminder: send a follow-up"
    return phrase


def request_for(user, code: str) -> RecordsRequest | None:
    """The request of that code if ``user`` may read it; ``None`` when it does not exist for
    them, so that a page answers 404 either way."""
    return (
        permissions.visible_requests(user)
        .select_related("requester", "agency")
        .prefetch_related("events", "categories")
        .filter(code=code)
        .first()
    )


@dataclass(frozen=True)
class ListedRequest:
    request: RecordsRequest
    deadline: Deadline | None
    phrase: str


def listed_requests(
    requests: QuerySet[RecordsRequest], today: datetime.date | None = None
) -> list[ListedRequest]:
    """Each request with where its deadline stands on ``today``."""
    today = today or timezone.localdate()
    listed = []
    for request in requests.select_related("requester", "agency").prefetch_related("events"):
        due = deadline(request, today)
        listed.append(ListedRequest(request, due, deadline_phrase(due)))
    return listed


def original_due_date(request: RecordsRequest) -> datetime.date:
    """The determination's due date without pauses or extension: the time the law gives the
    agency to say anything at all."""
    return clocks.due_date(law_of(request.law).rule, request.sent_on)


# --- The agency transparency scorecard -----------------------------------------------------------


@dataclass(frozen=True)
class Figure:
    key: str
    label: str
    measures: str


@dataclass(frozen=True)
class FindingKind:
    """Findings of the audit of released tables (``intake.audit``) counted together: the kinds
    the issue names, each made of the audit's finding codes that say it."""

    key: str
    label: str
    codes: frozenset[str]
    measures: str


AUDIT_FINDING_KINDS = (
    FindingKind(
        "totals_not_adding_up",
        "Totals that do not add up",
        frozenset({"total-mismatch", "cross-table-mismatch", "subset-exceeds-superset"}),
        "Number of findings, in the documents audited, of figures that contradict each other: "
        "a total that differs from the sum of its parts, two tables giving different figures "
        "for the same thing, or a part larger than the whole that includes it.",
    ),
    FindingKind(
        "conflated_categories",
        "Conflated categories",
        frozenset({"conflated-category"}),
        "Number of findings, in the documents audited, of a category that counts different "
        "kinds of people together, such as “Pimp/Pandering/Supervising” with suspected "
        "traffickers, or people selling sex with people buying it.",
    ),
    FindingKind(
        "missing_breakdowns",
        "Missing breakdowns",
        frozenset({"missing-breakdown"}),
        "Number of findings, in the documents audited, of an indicator of the uniform standard "
        "(demographics, services, follow-up, trafficking charges on their own) that a table "
        "cannot give, wholly or in part: at most one per indicator and table.",
    ),
)
OTHER_FINDINGS = "other_findings"
# Findings about how the audit read a document, not about what the agency released: a figure of
# a scan the OCR is not sure of says nothing against the agency, so it is not on its scorecard.
NOT_THE_AGENCYS_FINDINGS = frozenset({"ocr-uncertain"})
_OTHER_CODES = set(intake_audit.SEVERITY).difference(
    NOT_THE_AGENCYS_FINDINGS, *(kind.codes for kind in AUDIT_FINDING_KINDS)
)
_FINDINGS_ARE_COUNTED = (
    "Findings are counted, not documents: one document may have several. Where no document was "
    "audited the figure reads “no document audited”, never 0."
)


def finding_kind(code: str) -> str:
    """The scorecard figure a finding of the audit is counted under."""
    return next((kind.key for kind in AUDIT_FINDING_KINDS if code in kind.codes), OTHER_FINDINGS)


OUTCOMES = (
    ("released", "Released"),
    ("partially_released", "Partially released"),
    ("no_responsive_records", "No responsive records"),
    ("denied", "Denied"),
    ("unanswered", "Unanswered"),
    ("pending", "Pending"),
)

FIGURES = (
    Figure(
        "acknowledged_on_time",
        "Acknowledged on time",
        "Share of requests whose first answer from the agency (an acknowledgement, an extension "
        "notice, a request to fix the request or to pay, or a determination) came no later than "
        "the determination's original due date under the law, among the requests where this is "
        "known: answered, or past that date without an answer. Requests with an assumed date "
        "are left out.",
    ),
    Figure(
        "determined_on_time",
        "Determined on time",
        "Share of requests determined (released, partially released, no responsive records or "
        "denied) by the due date of the law, which an extension claimed in time and the days the "
        "clock was paused move later, among the requests determined or past their due date. An "
        "extension is not lateness. Requests with an assumed date are left out.",
    ),
    Figure(
        "median_days_to_determination",
        "Median days to a determination",
        "Median number of calendar days from the day the request was sent to the agency's first "
        "determination, paused days included, over the requests determined whose dates are "
        "known.",
    ),
    Figure(
        "median_days_to_completion",
        "Median days to completion",
        "Median number of calendar days from the day the request was sent to the day it was "
        "closed, appeals and litigation included, over the closed requests whose dates are "
        "known.",
    ),
    *(
        Figure(
            code,
            label,
            f"Share of the requests sent whose latest determination is “{label.lower()}”.",
        )
        for code, label in OUTCOMES[:4]
    ),
    Figure(
        "unanswered",
        "Unanswered",
        "Share of the requests sent without any determination that were marked as not "
        "answered, are past their due date, or were closed without one.",
    ),
    Figure(
        "pending",
        "Pending",
        "Share of the requests sent without any determination that are still within their "
        "time (running or paused).",
    ),
    Figure(
        "categories_received",
        "Categories received",
        "Share of the categories of records asked for that the released documents cover, over "
        "every category asked for in the requests sent (a request that got nothing received "
        "none of its categories).",
    ),
    Figure(
        "documents_audited",
        "Documents audited",
        "Number of the released documents stored with the requests sent that went through the "
        "audit of released tables, of every released document stored with them. Only tables "
        "(CSV, TSV, spreadsheets, PDFs with a text layer) can be audited; a letter or a scan is "
        "stored but not audited.",
    ),
    *(
        Figure(
            kind.key,
            kind.label,
            f"{kind.measures} The audit's codes: {', '.join(sorted(kind.codes))} "
            f"(docs/audit.md). {_FINDINGS_ARE_COUNTED}",
        )
        for kind in AUDIT_FINDING_KINDS
    ),
    Figure(
        OTHER_FINDINGS,
        "Other findings",
        "Number of the audit's other findings in the documents audited: totals that cannot be "
        "verified because a part is blank or missing, blank cells and notations such as N/A, "
        "euphemisms such as “rescued”, footnote markers, and its other checks. The audit's "
        f"codes: {', '.join(sorted(_OTHER_CODES))} (docs/audit.md). {_FINDINGS_ARE_COUNTED} "
        "A figure of a scan the audit's OCR is not sure of is not counted: it is about the "
        "reading, not about what the agency released.",
    ),
)


@dataclass(frozen=True)
class Share:
    count: int
    of: int

    @property
    def percent(self) -> float | None:
        return None if self.of == 0 else round(100 * self.count / self.of, 1)

    def __str__(self) -> str:
        if self.of == 0:
            return "no data"
        return f"{self.percent:g}% ({self.count} of {self.of})"

    def as_dict(self) -> dict:
        return {"count": self.count, "of": self.of, "percent": self.percent}


@dataclass(frozen=True)
class Median:
    days: float | None
    over: int

    def __str__(self) -> str:
        return "no data" if self.days is None else f"{self.days:g} days (over {self.over})"

    def as_dict(self) -> dict:
        return {"median_days": self.days, "over": self.over}


@dataclass(frozen=True)
class Base:
    """The documents a ``Count`` is counted in, said for one and for several, and the word that
    joins a count to them: findings *in* documents audited, documents audited *of* those stored."""

    key: str
    one: str
    several: str
    joined_by: str

    def of(self, number: int) -> str:
        return f"{number} {self.one if number == 1 else self.several}"


AUDITED = Base("documents_audited", "document audited", "documents audited", "in")
STORED = Base("documents_stored", "released document stored", "released documents stored", "of")


@dataclass(frozen=True)
class Count:
    """A number counted in a set of documents. Without any document in the set there is nothing
    to count, which is said as such ("no document audited"), never as 0."""

    count: int
    over: int
    base: Base

    @property
    def value(self) -> int | None:
        return None if self.over == 0 else self.count

    @property
    def missing(self) -> str:
        """What is said instead of a number when the set is empty."""
        return f"no {self.base.one}"

    @property
    def basis(self) -> str:
        """What the number was counted in: "in 2 documents audited"."""
        return f"{self.base.joined_by} {self.base.of(self.over)}"

    def __str__(self) -> str:
        return self.missing if self.over == 0 else f"{self.count} {self.basis}"

    def as_dict(self) -> dict:
        return {"count": self.value, self.base.key: self.over}


Value = Share | Median | Count


@dataclass
class _Facts:
    """What one request contributes to the scorecard; ``None`` where it does not count."""

    outcome: str
    acknowledged_on_time: bool | None
    determined_on_time: bool | None
    days_to_determination: int | None
    days_to_completion: int | None
    categories_asked: int
    categories_received: int
    documents_stored: int
    documents_audited: int
    findings: Counter[str]


def _facts(request: RecordsRequest, today: datetime.date) -> _Facts:
    steps = _steps(request)
    sent = next(step for step in steps if step.kind == "submitted")
    determinations = [step for step in steps if step.kind in DETERMINATIONS]
    first_determination = determinations[0] if determinations else None
    first_answer = next((step for step in steps if step.kind in AGENCY_ANSWERS), None)
    closing = next((step for step in steps if step.kind == "closed"), None)
    clock = deadline(request, today)

    if determinations:
        outcome = determinations[-1].kind
    elif request.status in ("no_response", "closed") or clock.status.state is clocks.State.OVERDUE:
        outcome = "unanswered"
    else:
        outcome = "pending"

    # Timing counts only when every step up to the one measured has a known date: a pause or
    # an extension with an assumed date would move the due date by an assumption.
    def known_until(last: RequestEvent | None) -> bool:
        relevant = steps if last is None else [step for step in steps if step.on <= last.on]
        return all(step.date_is_known for step in relevant)

    acknowledged = None
    if known_until(first_answer):
        if first_answer is not None:
            acknowledged = first_answer.on <= original_due_date(request)
        elif today > original_due_date(request):
            acknowledged = False

    determined = None
    if known_until(first_determination):
        state = clock.status.state
        if state is clocks.State.MET_ON_TIME:
            determined = True
        elif state in (clocks.State.MET_LATE, clocks.State.OVERDUE):
            determined = False

    categories = list(request.categories.all())
    audited = [document for document in request.released_documents.all() if document.audit]
    return _Facts(
        outcome=outcome,
        acknowledged_on_time=acknowledged,
        determined_on_time=determined,
        days_to_determination=(
            (first_determination.on - sent.on).days
            if first_determination and sent.date_is_known and first_determination.date_is_known
            else None
        ),
        days_to_completion=(
            (closing.on - sent.on).days
            if closing and sent.date_is_known and closing.date_is_known
            else None
        ),
        categories_asked=len(categories),
        categories_received=sum(category.received for category in categories),
        documents_stored=len(request.released_documents.all()),
        documents_audited=len(audited),
        findings=Counter(
            finding_kind(finding["code"])
            for document in audited
            for finding in document.findings
            if finding["code"] not in NOT_THE_AGENCYS_FINDINGS
        ),
    )


@dataclass(frozen=True)
class ScorecardRow:
    """The figures of one agency under one law, or of every request (``agency`` = "Total")."""

    agency: str
    law: str
    law_title: str
    requests: int
    figures: dict[str, Value] = field(default_factory=dict)

    def in_order(self) -> list[tuple[Figure, Value]]:
        """Each figure with its value, in the order of ``FIGURES``, for a table."""
        return [(figure, self.figures[figure.key]) for figure in FIGURES]

    def as_dict(self) -> dict:
        return {
            "agency": self.agency,
            "law": self.law,
            "law_title": self.law_title,
            "requests": self.requests,
            "figures": {key: value.as_dict() for key, value in self.figures.items()},
        }


@dataclass(frozen=True)
class Scorecard:
    as_of: datetime.date
    rows: tuple[ScorecardRow, ...]
    total: ScorecardRow

    def as_dict(self) -> dict:
        return {
            "as_of": self.as_of.isoformat(),
            "figures": [
                {"key": "requests", "label": "Requests", "measures": "Requests sent."},
                *({"key": f.key, "label": f.label, "measures": f.measures} for f in FIGURES),
            ],
            "rows": [row.as_dict() for row in self.rows],
            "total": self.total.as_dict(),
        }


def _share(facts: list[_Facts], attribute: str) -> Share:
    decided = [getattr(fact, attribute) for fact in facts if getattr(fact, attribute) is not None]
    return Share(sum(decided), len(decided))


def _median(facts: list[_Facts], attribute: str) -> Median:
    days = [getattr(fact, attribute) for fact in facts if getattr(fact, attribute) is not None]
    return Median(statistics.median(days) if days else None, len(days))


def _row(agency: str, law: str, law_title: str, facts: list[_Facts]) -> ScorecardRow:
    figures: dict[str, Value] = {
        "acknowledged_on_time": _share(facts, "acknowledged_on_time"),
        "determined_on_time": _share(facts, "determined_on_time"),
        "median_days_to_determination": _median(facts, "days_to_determination"),
        "median_days_to_completion": _median(facts, "days_to_completion"),
    }
    for code, _ in OUTCOMES:
        figures[code] = Share(sum(fact.outcome == code for fact in facts), len(facts))
    figures["categories_received"] = Share(
        sum(fact.categories_received for fact in facts),
        sum(fact.categories_asked for fact in facts),
    )
    audited = sum(fact.documents_audited for fact in facts)
    figures["documents_audited"] = Count(
        audited, sum(fact.documents_stored for fact in facts), STORED
    )
    findings = sum((fact.findings for fact in facts), Counter())
    for key in (*(kind.key for kind in AUDIT_FINDING_KINDS), OTHER_FINDINGS):
        figures[key] = Count(findings[key], audited, AUDITED)
    return ScorecardRow(
        agency=agency, law=law, law_title=law_title, requests=len(facts), figures=figures
    )


def scorecard(
    requests: QuerySet[RecordsRequest] | Iterable[RecordsRequest] | None = None,
    today: datetime.date | None = None,
) -> Scorecard:
    """The scorecard of the requests given (every request by default; pass
    ``permissions.visible_requests(user)`` for a reader), per agency and law and in total.
    Drafts were never sent and are left out."""
    today = today or timezone.localdate()
    if requests is None:
        requests = RecordsRequest.objects.all()
    if isinstance(requests, QuerySet):
        requests = requests.select_related("agency").prefetch_related(
            "events", "categories", "released_documents"
        )
    groups: dict[tuple[str, str], list[_Facts]] = defaultdict(list)
    every: list[_Facts] = []
    for request in requests:
        if request.sent_on is None:
            continue
        facts = _facts(request, today)
        groups[(request.agency.name, request.law)].append(facts)
        every.append(facts)
    rows = tuple(
        _row(agency, law, law_of(law).title, facts)
        for (agency, law), facts in sorted(groups.items())
    )
    return Scorecard(as_of=today, rows=rows, total=_row("Total", "all", "All laws", every))
