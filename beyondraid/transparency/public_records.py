"""Public reads of public-records requests: the agency transparency scorecard of the requests
their requesters have made public, one such request, and its released documents.

These read live records, not a frozen release: a request is about an agency, never about a
person, so no disclosure control stands between it and the public (principle 5 of
docs/principles.md is about figures on people). What the public may read is decided in one place,
``records.permissions``; here it is always asked for an anonymous visitor, so that these pages are
the same for everyone, staff included.
"""

import datetime
import io
from dataclasses import dataclass

from django.contrib.auth.models import AnonymousUser
from django.db.models import Prefetch, QuerySet
from django.utils import timezone
from django.utils.text import capfirst

from beyondraid.core import spreadsheets
from beyondraid.records import permissions
from beyondraid.records import selectors as records
from beyondraid.records.laws import Law
from beyondraid.records.models import (
    EventKind,
    RecordsRequest,
    ReleasedDocument,
    RequestedCategory,
    RequestEvent,
)

REQUESTS_MEASURES = "Requests sent and made public by their requesters."


def public_requests() -> QuerySet[RecordsRequest]:
    """Requests sent and made public: what an anonymous visitor may read."""
    return (
        permissions.visible_requests(AnonymousUser())
        .select_related("agency", "requester")
        .prefetch_related("events")
    )


# --- The scorecard ------------------------------------------------------------------------------


@dataclass(frozen=True)
class Column:
    key: str
    label: str
    measures: str


COLUMNS = (
    Column("requests", "Requests", REQUESTS_MEASURES),
    *(Column(figure.key, figure.label, figure.measures) for figure in records.FIGURES),
)


NO_DATA = "No data"


@dataclass(frozen=True)
class Cell:
    """One figure as a page shows it: the figure and what it was computed over, or, where there
    is no figure, why (``missing``), which is never shown as 0."""

    figure: str | None
    basis: str = ""
    missing: str = NO_DATA

    @property
    def no_data(self) -> bool:
        return self.figure is None


def _cell(value: int | records.Value) -> Cell:
    if isinstance(value, int):
        return Cell(str(value))
    if isinstance(value, records.Share):
        if value.percent is None:
            return Cell(None)
        return Cell(f"{value.percent:g}%", f"{value.count} of {value.of}")
    if isinstance(value, records.Count):
        if value.value is None:
            return Cell(None, missing=capfirst(value.missing))
        return Cell(str(value.count), value.basis)
    if value.days is None:
        return Cell(None)
    return Cell(f"{value.days:g} days", f"over {value.over}")


@dataclass(frozen=True)
class Line:
    agency: str
    law_title: str
    cells: tuple[Cell, ...]


def _line(row: records.ScorecardRow) -> Line:
    values = {"requests": row.requests, **row.figures}
    return Line(row.agency, row.law_title, tuple(_cell(values[column.key]) for column in COLUMNS))


@dataclass(frozen=True)
class PublicScorecard:
    card: records.Scorecard
    lines: tuple[Line, ...]
    total: Line

    @property
    def as_of(self) -> datetime.date:
        return self.card.as_of

    @property
    def outcomes(self) -> list[tuple[str, int]]:
        """How many public requests ended each way, for the summary above the table."""
        return [(label, self.card.total.figures[code].count) for code, label in records.OUTCOMES]


def scorecard(today: datetime.date | None = None) -> PublicScorecard:
    card = records.scorecard(public_requests(), today=today)
    return PublicScorecard(
        card=card, lines=tuple(_line(row) for row in card.rows), total=_line(card.total)
    )


def _csv_fields(value: records.Value) -> list:
    """A figure in two or three columns; an empty first column is "no data", never 0."""
    if isinstance(value, records.Share):
        return ["" if value.percent is None else value.percent, value.count, value.of]
    if isinstance(value, records.Count):
        return ["" if value.value is None else value.count, value.over]
    return ["" if value.days is None else value.days, value.over]


def _csv_header(key: str, value: records.Value) -> list[str]:
    if isinstance(value, records.Share):
        return [f"{key}_percent", f"{key}_count", f"{key}_of"]
    if isinstance(value, records.Count):
        return [key, f"{key}_{value.base.joined_by}_{value.base.key}"]
    return [key, f"{key}_over"]


def scorecard_csv(today: datetime.date | None = None) -> str:
    """The scorecard's table: one line per agency and law, then the total. Each share is its
    percent, count and denominator; each median its days and the number of requests it is over;
    each count of documents or findings the count and the number of documents it was counted in.
    An empty percent, median or count is no data."""
    card = records.scorecard(public_requests(), today=today)
    header = ["agency", "law", "law_title", "requests"]
    for figure in records.FIGURES:
        header += _csv_header(figure.key, card.total.figures[figure.key])
    out = io.StringIO()
    writer = spreadsheets.writer(out, lineterminator="\n")
    writer.writerow(header)
    for row in (*card.rows, card.total):
        fields = [row.agency, row.law, row.law_title, row.requests]
        for figure in records.FIGURES:
            fields += _csv_fields(row.figures[figure.key])
        writer.writerow(fields)
    return out.getvalue()


# --- The list of public requests ----------------------------------------------------------------


@dataclass(frozen=True)
class Listed:
    request: RecordsRequest
    sent_on: datetime.date
    sent_on_is_known: bool


def _sending(request: RecordsRequest) -> RequestEvent | None:
    return next((step for step in request.events.all() if step.kind == EventKind.SUBMITTED), None)


def listed_requests() -> list[Listed]:
    listed = []
    for request in public_requests().order_by("agency__name", "code"):
        sending = _sending(request)
        listed.append(
            Listed(request, request.sent_on, sending is not None and sending.date_is_known)
        )
    return listed


# --- One request --------------------------------------------------------------------------------


@dataclass(frozen=True)
class Step:
    """A dated step of the timeline, with the law's reasons spelled out."""

    on: datetime.date
    date_is_known: bool
    label: str
    reasons: tuple[str, ...]
    agency_words: str
    note: str


def _reason_wording(law: Law, step: RequestEvent, code: str) -> str:
    find = law.extension_reason if step.kind == EventKind.EXTENSION_CLAIMED else law.denial_reason
    try:
        return find(code).wording
    except ValueError:
        # A reason the law's list no longer holds (the list is edited as the law changes): the
        # code the step recorded is still what the agency cited.
        return f"{code} (no longer in the {law.title}'s list)"


def _step(law: Law, step: RequestEvent) -> Step:
    return Step(
        on=step.on,
        date_is_known=step.date_is_known,
        label=step.get_kind_display(),
        reasons=tuple(_reason_wording(law, step, code) for code in step.reasons),
        agency_words=step.agency_words,
        note=step.note,
    )


@dataclass(frozen=True)
class PublicRequest:
    request: RecordsRequest
    law: Law
    timeline: tuple[Step, ...]
    categories: tuple[RequestedCategory, ...]
    documents: tuple[ReleasedDocument, ...]
    deadline: records.Deadline
    sent_on_is_known: bool

    @property
    def dates_assumed(self) -> bool:
        """Some day of the timeline is an assumption, so lateness cannot be told from it."""
        return any(not step.date_is_known for step in self.timeline)


def public_request(code: str, today: datetime.date | None = None) -> PublicRequest | None:
    """A request made public, or ``None`` for one that is not (or does not exist): the caller
    cannot tell the two apart, so a private request's existence is never revealed."""
    request = (
        public_requests()
        .prefetch_related(
            "categories",
            Prefetch("released_documents", ReleasedDocument.objects.order_by("name", "pk")),
        )
        .filter(code=code)
        .first()
    )
    if request is None:
        return None
    law = request.governing_law
    steps = sorted(request.events.all(), key=lambda step: (step.on, step.pk))
    sending = _sending(request)
    return PublicRequest(
        request=request,
        law=law,
        timeline=tuple(_step(law, step) for step in steps),
        categories=tuple(request.categories.all()),
        documents=tuple(request.released_documents.all()),
        deadline=records.deadline(request, today or timezone.localdate()),
        sent_on_is_known=sending is not None and sending.date_is_known,
    )


def released_document(code: str, sha256: str) -> ReleasedDocument | None:
    """A document released to a request made public; ``None`` otherwise."""
    return (
        ReleasedDocument.objects.filter(
            request__in=permissions.visible_requests(AnonymousUser()),
            request__code=code,
            sha256=sha256,
        )
        .select_related("request")
        .first()
    )
