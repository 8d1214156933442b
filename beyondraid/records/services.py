"""Every write to public-records requests goes through these functions, so that the pages, the
API and the command line apply the same rules.

Each takes keyword-only arguments, checks who is acting (``RecordsRefused`` in plain words when
they may not: ``permissions``), validates the whole record and runs in one transaction. Bad
input raises ``ValidationError`` keyed by the argument at fault, naming what is wrong and what
would be right: a step out of the lifecycle names the request's current state and the steps it
can take next; a date before the step before it names that step.
"""

import datetime
from collections.abc import Iterable

from django.core.exceptions import ValidationError
from django.core.files import File
from django.db import transaction
from django.utils import timezone

from beyondraid.core import clocks
from beyondraid.intake.audit import audit_uploads
from beyondraid.intake.sheets import ScanAllowance, SheetError
from beyondraid.standard.models import Agency
from beyondraid.standard.writing import save_one

from . import laws, permissions, selectors
from .models import (
    STUDY_CATEGORIES,
    TRANSITIONS,
    Category,
    Correspondence,
    EventKind,
    RecordsRequest,
    ReleasedDocument,
    RequestedCategory,
    RequestEvent,
    Status,
    sha256_of,
)


class RecordsRefused(ValidationError):
    """An action the lifecycle or the person's role does not allow, said in plain words."""


def _require(allowed: bool, message: str | dict[str, str]) -> None:
    if not allowed:
        raise RecordsRefused(message)


def _may_move(user, request: RecordsRequest) -> None:
    _require(
        permissions.may_move(user, request),
        f"Only an oversight analyst, or the oversight staff of {request.requester}, can record "
        f"the steps of request {request.code}.",
    )


@transaction.atomic
def create_request(
    *,
    user,
    requester: Agency,
    agency: Agency,
    law: str,
    subject: str,
    categories: Iterable[str] = STUDY_CATEGORIES,
    other_categories: Iterable[str] = (),
    records_period: str = "",
    note: str = "",
    sent_on: datetime.date | None = None,
    channel: str = "",
    tracking_number: str = "",
) -> RecordsRequest:
    """A request; ``categories`` are codes of the five of the 2021 study, ``other_categories``
    the names of the requester's own. Without ``sent_on`` it is a draft; with it, the step that
    submits it is recorded on that day, its date checked like any step's."""
    _require(
        permissions.may_file_for(user, requester),
        {
            "requester": f"Only an oversight analyst, or the oversight staff of {requester}, "
            f"can file a request on its behalf."
        },
    )
    try:
        laws.law(law)
    except laws.UnknownLaw as error:
        raise ValidationError({"law": str(error)}) from None
    codes = list(categories)
    others = [name.strip() for name in other_categories if name.strip()]
    if unknown := [code for code in codes if code not in STUDY_CATEGORIES]:
        raise ValidationError(
            {
                "categories": f"{', '.join(unknown)} is not a category of the list; use "
                f"{', '.join(STUDY_CATEGORIES)}, or name your own among the other categories."
            }
        )
    if not codes and not others:
        raise ValidationError({"categories": "Ask for at least one category of records."})
    if len(set(codes)) != len(codes) or len(set(others)) != len(others):
        raise ValidationError({"categories": "A category is asked for twice."})
    request = save_one(
        RecordsRequest(
            requester=requester,
            agency=agency,
            law=law,
            subject=subject.strip(),
            records_period=records_period.strip(),
            note=note.strip(),
            channel=channel,
            tracking_number=tracking_number.strip(),
            created_by=user,
        )
    )
    for code in codes:
        save_one(RequestedCategory(request=request, code=code))
    for name in others:
        save_one(RequestedCategory(request=request, code=Category.OTHER, label=name))
    if sent_on is not None:
        record_step(
            user=user, request=request, kind=EventKind.SUBMITTED, on=sent_on, channel=channel
        )
        request.refresh_from_db()
    return request


def _label(value: str) -> str:
    return f"“{EventKind(value).label}”" if value in EventKind.values else f"{value!r}"


def _check_transition(request: RecordsRequest, kind: str) -> None:
    if kind not in EventKind.values:
        raise ValidationError(
            {
                "kind": f"{kind!r} is not a step of a request; the steps are: "
                f"{', '.join(EventKind.values)}."
            }
        )
    allowed = TRANSITIONS[request.status]
    if kind not in allowed:
        current = Status(request.status).label.lower()
        following = (
            ", ".join(_label(step) for step in EventKind.values if step in allowed)
            or "nothing: it is closed"
        )
        raise RecordsRefused(
            {
                "kind": f"Request {request.code} is {current}: it cannot go to {_label(kind)}. "
                f"Next it can go to: {following}."
            }
        )


def _check_date(request: RecordsRequest, kind: str, on: datetime.date) -> None:
    if on > timezone.localdate():
        raise ValidationError(
            {"on": f"{on.isoformat()} is in the future; record a step once it has happened."}
        )
    last = request.events.order_by("-on", "-pk").first()
    if last is not None and on < last.on:
        raise ValidationError(
            {
                "on": f"{_label(kind)} cannot be dated {on.isoformat()}, before the step "
                f"before it ({last.get_kind_display().lower()} on {last.on.isoformat()})."
            }
        )
    if request.sent_on is not None and on < request.sent_on:
        raise ValidationError(
            {
                "on": f"{_label(kind)} cannot be dated {on.isoformat()}, before the request was "
                f"sent ({request.sent_on.isoformat()})."
            }
        )


def _check_once_only_extension(request: RecordsRequest) -> None:
    claimed = request.events.filter(kind=EventKind.EXTENSION_CLAIMED).first()
    if claimed is not None:
        raise RecordsRefused(
            {
                "kind": f"An extension was already claimed on {claimed.on.isoformat()}; the "
                f"{request.governing_law.title} allows one."
            }
        )


def _check_no_response_is_due(request: RecordsRequest, on: datetime.date) -> None:
    due = selectors.deadline(request, on)
    if due.status.state is clocks.State.PAUSED:
        raise RecordsRefused(
            {
                "kind": "The agency is waiting for the requester (a fix or a payment): record "
                "the requester's answer before recording that the agency did not respond."
            }
        )
    if on <= due.status.due_on:
        raise RecordsRefused(
            {
                "kind": f"The agency has until {due.status.due_on.isoformat()} to answer; record "
                "“No response” after that day."
            }
        )


@transaction.atomic
def record_step(
    *,
    user,
    request: RecordsRequest,
    kind: str,
    on: datetime.date,
    reasons: Iterable[str] = (),
    agency_words: str = "",
    note: str = "",
    date_is_known: bool = True,
    channel: str = "",
    tracking_number: str = "",
    correspondence: Iterable[File] = (),
) -> RequestEvent:
    """Record one dated step of a request's lifecycle and move its status.

    ``reasons`` are codes of the law's lists: exactly one for an extension, at least one for a
    denial. ``channel`` goes with the step that submits the request; ``tracking_number`` with
    any step (agencies give one when they acknowledge). ``correspondence`` are the letters of
    the step, stored with their SHA-256."""
    _may_move(user, request)
    request = RecordsRequest.objects.select_for_update().get(pk=request.pk)
    _check_transition(request, kind)
    _check_date(request, kind, on)
    if kind == EventKind.EXTENSION_CLAIMED:
        _check_once_only_extension(request)
    if kind == EventKind.NO_RESPONSE:
        _check_no_response_is_due(request, on)
    event = save_one(
        RequestEvent(
            request=request,
            kind=kind,
            on=on,
            date_is_known=date_is_known,
            reasons=list(reasons),
            agency_words=agency_words.strip(),
            note=note.strip(),
            recorded_by=user,
        )
    )
    if kind == EventKind.SUBMITTED:
        request.sent_on = on
        # A draft may already say how it will be sent.
        request.channel = channel or request.channel
    if tracking_number.strip():
        request.tracking_number = tracking_number.strip()
    if kind != EventKind.FOLLOW_UP:
        request.status = kind
    save_one(request)
    for uploaded in correspondence:
        _store(Correspondence(event=event), uploaded)
    return event


def _store(record: Correspondence | ReleasedDocument, uploaded: File):
    record.sha256 = sha256_of(uploaded)
    record.size = uploaded.size
    record.name = _file_name(uploaded)
    record.file.save(record.name, uploaded, save=False)
    return save_one(record)


def _file_name(uploaded: File) -> str:
    name = (uploaded.name or "").replace("\\", "/").rsplit("/", 1)[-1]
    if not name:
        raise ValidationError({"files": "Each file needs a name."})
    return name[:200]


@transaction.atomic
def attach_correspondence(
    *, user, event: RequestEvent, files: Iterable[File]
) -> list[Correspondence]:
    """Attach letters to a step recorded earlier (an answer scanned later, say)."""
    _may_move(user, event.request)
    return [_store(Correspondence(event=event), uploaded) for uploaded in files]


@transaction.atomic
def store_released_documents(
    *, user, request: RecordsRequest, files: Iterable[File]
) -> list[ReleasedDocument]:
    """Store what the agency released, each file with its SHA-256, under its latest release."""
    _may_move(user, request)
    release = (
        request.events.filter(kind__in=(EventKind.RELEASED, EventKind.PARTIALLY_RELEASED))
        .order_by("-on", "-pk")
        .first()
    )
    _require(
        release is not None,
        {"files": f"Request {request.code} has no release yet: record the release first."},
    )
    stored = []
    for uploaded in files:
        sha256 = sha256_of(uploaded)
        if request.released_documents.filter(sha256=sha256).exists():
            raise ValidationError(
                {"files": f"{_file_name(uploaded)} is already stored with request {request.code}."}
            )
        stored.append(_store(ReleasedDocument(request=request, event=release), uploaded))
    return stored


def audit_released_document(*, user, document: ReleasedDocument) -> ReleasedDocument:
    """Run the intake audit (``intake.audit``) on a released table and keep its report with the
    document; a file that is not a table (a letter, a scan) is refused in plain words."""
    _may_move(user, document.request)
    with document.file.open("rb") as stored:
        content = stored.read()
    try:
        report = audit_uploads([(document.name, content)], scans=ScanAllowance())
    except SheetError as unreadable:
        raise RecordsRefused(
            f"{document.name} cannot be audited: {unreadable} The audit reads tables (CSV, TSV, "
            "spreadsheets, and PDFs with a text layer); keep other documents as they are."
        ) from None
    document.audit, document.audited_at = report.to_json(), timezone.now()
    document.save(update_fields=["audit", "audited_at"])
    return document


@transaction.atomic
def record_categories_received(
    *, user, request: RecordsRequest, received: Iterable[RequestedCategory]
) -> RecordsRequest:
    """Mark which of the categories asked for the released documents cover; the others are
    marked not received."""
    _may_move(user, request)
    _require(
        request.events.filter(kind__in=(EventKind.RELEASED, EventKind.PARTIALLY_RELEASED)).exists(),
        {"received": f"Request {request.code} has no release yet: nothing has been received."},
    )
    chosen = {category.pk for category in received}
    asked = {category.pk: category for category in request.categories.all()}
    if chosen - asked.keys():
        raise ValidationError(
            {"received": "Only the categories this request asked for can be received."}
        )
    for pk, category in asked.items():
        if category.received != (pk in chosen):
            category.received = pk in chosen
            save_one(category)
    return request


@transaction.atomic
def set_public(*, user, request: RecordsRequest, is_public: bool) -> RecordsRequest:
    """The requester makes the request's record public, or private again."""
    _may_move(user, request)
    # Read afresh: the caller's copy may predate steps recorded since.
    request = RecordsRequest.objects.select_for_update().get(pk=request.pk)
    request.is_public = is_public
    return save_one(request)
