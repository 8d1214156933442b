"""The records of the standard, for an agency's own system: list, read, create and correct
operations, the people they encountered and what happened to them, and submit whole files.

Views are thin: the queries come from ``standard.access`` (what the token's agency may reach),
the writes from ``api.services``. Every person-level record a response shows is in the audit log,
under the token's name.
"""

import base64
import datetime
import re
from dataclasses import dataclass

from django.core.exceptions import NON_FIELD_ERRORS
from django.core.exceptions import ValidationError as ModelValidationError
from django.db.models import Prefetch
from django.http import Http404
from django.shortcuts import get_object_or_404
from django.urls import reverse
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import (
    OpenApiParameter,
    OpenApiResponse,
    extend_schema,
    extend_schema_view,
)
from rest_framework import generics, serializers, status
from rest_framework.exceptions import APIException, NotFound, ValidationError
from rest_framework.pagination import CursorPagination
from rest_framework.permissions import BasePermission
from rest_framework.response import Response

from beyondraid.accounts.audit import record_views
from beyondraid.intake.importing import MAX_FILE_BYTES, ImportRefused, SourceFile
from beyondraid.intake.interruptions import ImportInterrupted, settle_if_abandoned
from beyondraid.intake.models import ImportBatch
from beyondraid.intake.problems import MAX_LISTED_PROBLEMS, ProblemList, list_problems
from beyondraid.intake.progress import progress_of
from beyondraid.standard import access
from beyondraid.standard.loading import Problem
from beyondraid.standard.models import RoleAssessment

from . import idempotency
from . import services as api
from .authentication import ActsForToken, IntegrationTokenAuthentication, TokenCovers
from .models import IntegrationToken
from .parsers import (
    JsonParser,
    NdjsonParser,
    SubmissionMultiPartParser,
    ndjson_nesting_too_deep,
)
from .problems import BadInputListed, problem_response
from .serializers import (
    ProblemSerializer,
    SubmissionResultSerializer,
    SubmissionStatusSerializer,
)
from .shapes import RECORD_TABLES, serializer_for

PROBLEM = ProblemSerializer
SUBMISSION_NDJSON = "submission.ndjson"
RESPOND_ASYNC = "respond-async"
# How long a client following a queued submission waits before reading its status again: an
# import writes hundreds to thousands of rows a second, so a few seconds show it move.
POLL_SECONDS = 5
# Ids are 64-bit; a larger number in the address names no submission, and is not one the
# database could compare.
LARGEST_ID = 2**63 - 1
COMMON_ERRORS = {
    401: OpenApiResponse(PROBLEM, description="No token, or one invalid, revoked or expired."),
    403: OpenApiResponse(PROBLEM, description="The token's scopes do not cover this."),
}
WRITE_ERRORS = {
    400: OpenApiResponse(
        PROBLEM, description="The record is not valid: one problem per field, with its path."
    ),
    **COMMON_ERRORS,
    413: OpenApiResponse(
        PROBLEM, description="The body is larger than any one record; send a submission."
    ),
    415: OpenApiResponse(PROBLEM, description="The body is not JSON."),
    422: OpenApiResponse(
        PROBLEM, description="The Idempotency-Key was used before for a different request."
    ),
}
CORRECTION_ERRORS = {
    **WRITE_ERRORS,
    400: OpenApiResponse(
        PROBLEM,
        description="The correction is not valid, or gives a field that never changes or that "
        "the record does not have: one problem per field, with its path, saying why.",
    ),
}
IDEMPOTENCY_KEY = OpenApiParameter(
    idempotency.HEADER,
    OpenApiTypes.STR,
    OpenApiParameter.HEADER,
    description="A key unique to this write (e.g. a UUID). Sending the same request again with "
    "the same key returns the first answer and writes nothing.",
)
PREFER = OpenApiParameter(
    "Prefer",
    OpenApiTypes.STR,
    OpenApiParameter.HEADER,
    description="respond-async (RFC 7240): answer 202 at once and import in a task worker, "
    "whatever the submission's size. Other preferences are ignored.",
)
LOCATION = OpenApiParameter(
    "Location",
    OpenApiTypes.URI,
    OpenApiParameter.HEADER,
    description="The submission's status, to read until it is finished.",
    response=[202],
)
RETRY_AFTER = OpenApiParameter(
    "Retry-After",
    OpenApiTypes.INT,
    OpenApiParameter.HEADER,
    description="While the submission is queued or running: seconds to wait before reading "
    "its status again.",
    response=[200],
)


class _Pages(CursorPagination):
    ordering = "-pk"
    page_size = 100

    def decode_cursor(self, request):
        """A cursor that is not one of ours is bad input (400 naming it), not a missing page nor a
        server error. DRF decodes base64 leniently, skipping what is not base64, and checks a
        cursor's offset and direction but takes its position as it comes, while the list compares
        the position with the primary key (``ordering``): one that is not a whole number written
        as ours are would fail in the database."""
        encoded = request.query_params.get(self.cursor_query_param)
        try:
            if encoded is not None:
                base64.b64decode(encoded, validate=True)
            cursor = super().decode_cursor(request)
            position = None if cursor is None else cursor.position
            if position is not None and str(int(position)) != position:
                raise ValueError(position)
        except (NotFound, ValueError):
            raise ValidationError(
                {
                    self.cursor_query_param: "Not a cursor of this list; follow the next and "
                    "previous links as given."
                }
            ) from None
        return cursor


@dataclass(frozen=True)
class RecordType:
    """How the API serves one kind of record."""

    name: str  # the exchange table, and the token scope
    path: str  # in the address: /api/v1/<path>/
    date: str  # the date that ``since`` and ``until`` filter on
    person_level: bool
    lookup: str  # "code" or "pk"

    @property
    def title(self) -> str:
        return RECORD_TABLES[self.name].title.lower()


RECORD_TYPES = [
    RecordType("operations", "operations", "start_date", False, "code"),
    RecordType("encounters", "encounters", "encountered_on", True, "code"),
    RecordType("treatment_events", "treatment-events", "occurred_on", True, "pk"),
    RecordType("charges", "charges", "charged_on", True, "pk"),
    RecordType("service_offers", "service-offers", "offered_on", True, "pk"),
    RecordType("follow_ups", "follow-ups", "due_on", True, "pk"),
]


def _readable(actor, record_type: RecordType):
    """What the token may read of one kind of record, with what its answers need prefetched."""
    if record_type.name == "operations":
        return access.operations_for(actor).prefetch_related("participants__agency", "places")
    encounters = access.encounters_for(actor)
    if record_type.name == "encounters":
        return encounters.select_related("operation").prefetch_related(
            Prefetch("role_assessments", queryset=RoleAssessment.objects.all())
        )
    model = RECORD_TABLES[record_type.name].model
    queryset = model.objects.filter(encounter__in=encounters).select_related("encounter")
    related = {
        "charges": ("statute",),
        "service_offers": ("offered_by", "provider"),
    }.get(record_type.name, ())
    queryset = queryset.select_related(*related)
    if record_type.name == "follow_ups":
        queryset = queryset.prefetch_related("prosecuted_for")
    return queryset


# How the filters' descriptions name each record's own date.
DATE_WORDS = {
    "start_date": "that started",
    "encountered_on": "encountered",
    "occurred_on": "that happened",
    "charged_on": "charged",
    "offered_on": "offered",
    "due_on": "due",
}


def _filter_parameters(record_type: RecordType) -> list[OpenApiParameter]:
    date = DATE_WORDS[record_type.date]
    parameters = [
        OpenApiParameter("since", OpenApiTypes.DATE, description=f"Only those {date} on or after."),
        OpenApiParameter(
            "until", OpenApiTypes.DATE, description=f"Only those {date} on or before."
        ),
        OpenApiParameter(
            "updated_since",
            OpenApiTypes.DATETIME,
            description="Only those created or corrected at or after this moment (ISO 8601), to "
            "keep another system in step.",
        ),
    ]
    if record_type.name != "operations":
        parameters.append(
            OpenApiParameter("operation_code", OpenApiTypes.STR, description="Of this operation.")
        )
    if record_type.person_level and record_type.name != "encounters":
        parameters.append(
            OpenApiParameter("encounter_code", OpenApiTypes.STR, description="About this person.")
        )
    return parameters


def _parsed(request, name: str, parse, example: str):
    """A filter's value, or None when it is not given; a value given empty or wrong is bad
    input naming the filter."""
    text = request.query_params.get(name)
    if text is None:
        return None
    try:
        value = parse(text)
        if isinstance(value, datetime.datetime) and value.tzinfo is not None:
            # PostgreSQL refuses some UTC offsets Python accepts (-22:23); UTC is the same moment.
            value = value.astimezone(datetime.UTC)
    except (ValueError, OverflowError):
        raise ValidationError(
            {name: f"{text!r} is not valid here; write it like {example}."}
        ) from None
    return value


def _holds_nul(text: str) -> bool:
    """No code holds a NUL character, and PostgreSQL cannot even compare text with one."""
    return "\x00" in text


def _code_filter(request, name: str) -> str | None:
    code = request.query_params.get(name)
    if code is not None and _holds_nul(code):
        raise ValidationError({name: "Not a code; codes look like OP-7K3M-9QX2 or E-7K3M-9QX2."})
    return code


def _filtered(queryset, request, record_type: RecordType):
    since = _parsed(request, "since", datetime.date.fromisoformat, "2024-01-31")
    until = _parsed(request, "until", datetime.date.fromisoformat, "2024-12-31")
    updated = _parsed(
        request, "updated_since", datetime.datetime.fromisoformat, "2024-01-31T00:00:00Z"
    )
    if since and until and since > until:
        raise ValidationError({"until": f"{until} is before since, {since}."})
    if since:
        queryset = queryset.filter(**{f"{record_type.date}__gte": since})
    if until:
        queryset = queryset.filter(**{f"{record_type.date}__lte": until})
    if updated:
        if updated.tzinfo is None:
            raise ValidationError(
                {"updated_since": "Give the time zone, e.g. 2024-01-31T00:00:00Z."}
            )
        queryset = queryset.filter(updated_at__gte=updated)
    operation_code = _code_filter(request, "operation_code")
    if operation_code and record_type.name != "operations":
        through = "operation" if record_type.name == "encounters" else "encounter__operation"
        queryset = queryset.filter(**{f"{through}__code": operation_code})
    encounter_code = _code_filter(request, "encounter_code")
    if encounter_code and record_type.person_level and record_type.name != "encounters":
        queryset = queryset.filter(encounter__code=encounter_code)
    return queryset


def _problems_of(error: ModelValidationError) -> dict:
    return {
        ("non_field_errors" if path == NON_FIELD_ERRORS else path): messages
        for path, messages in error.message_dict.items()
    }


class _RecordView(ActsForToken, generics.GenericAPIView):
    authentication_classes = [IntegrationTokenAuthentication]
    permission_classes = [TokenCovers]
    parser_classes = [JsonParser]
    kind: RecordType

    @property
    def record_type(self) -> str:
        """The token scope this view needs (``TokenCovers``)."""
        return self.kind.name

    def get_queryset(self):
        return _readable(self.request.user, self.kind)

    def _shown(self, records) -> list:
        """Serialize records for the answer, logging each person-level one as viewed."""
        data = serializer_for(self.kind.name)(records, many=True).data
        if self.kind.person_level:
            record_views(records)
        return data

    def _location(self, record) -> str:
        key = record.code if self.kind.lookup == "code" else record.pk
        return self.request.build_absolute_uri(reverse(f"api:{self.kind.name}_detail", args=[key]))

    def _answer(self, record, status_code: int) -> Response:
        fresh = self.get_queryset().get(pk=record.pk)
        body = serializer_for(self.kind.name)(fresh).data
        return Response(body, status=status_code, headers={"Location": self._location(fresh)})


class RecordList(_RecordView):
    pagination_class = _Pages

    def get_serializer_class(self):
        return serializer_for(self.kind.name)

    def get(self, request):
        queryset = _filtered(self.get_queryset(), request, self.kind)
        page = self.paginate_queryset(queryset)
        return self.get_paginated_response(self._shown(page))

    def post(self, request):
        content = request.body
        return idempotency.idempotent(request, content, lambda: self._create(request))

    def _create(self, request) -> Response:
        serializer = serializer_for(self.kind.name)(data=request.data)
        serializer.is_valid(raise_exception=True)
        try:
            record = api.create_record(
                token=request.auth,
                actor=request.user,
                record_type=self.kind.name,
                data=dict(serializer.validated_data),
            )
        except ModelValidationError as error:
            raise ValidationError(_problems_of(error)) from None
        return self._answer(record, status.HTTP_201_CREATED)


class RecordDetail(_RecordView):
    http_method_names = ["get", "patch", "head", "options"]

    def get_serializer_class(self):
        if self.request is not None and self.request.method == "PATCH":
            return serializer_for(self.kind.name, for_update=True)
        return serializer_for(self.kind.name)

    def get_object(self):
        """The record the address names, or 404. A key that no record could have (an id that is
        not a number in ASCII digits, a code with a NUL) is answered the same, never passed to
        the database, which would fail on it."""
        key = self.kwargs["key"]
        if self.kind.lookup == "code":
            lookup = None if _holds_nul(key) else {"code": key}
        else:
            # A 64-bit id has at most 19 digits; int() alone would also take " 7", "+7" or "٧".
            lookup = {"pk": int(key)} if re.fullmatch("[0-9]{1,19}", key) else None
        if lookup is None:
            raise Http404
        return get_object_or_404(self.get_queryset(), **lookup)

    def get(self, request, key):
        record = self.get_object()
        return Response(self._shown([record])[0])

    def patch(self, request, key):
        content = request.body
        return idempotency.idempotent(request, content, lambda: self._correct(request))

    def _correct(self, request) -> Response:
        record = self.get_object()
        if not api.may_correct(request.user, record):
            raise Http404
        serializer = serializer_for(self.kind.name, for_update=True)(data=request.data)
        serializer.is_valid(raise_exception=True)
        try:
            api.correct_record(
                actor=request.user,
                record_type=self.kind.name,
                record=record,
                data=dict(serializer.validated_data),
            )
        except ModelValidationError as error:
            raise ValidationError(_problems_of(error)) from None
        return self._answer(record, status.HTTP_200_OK)


def _not_found(record_type: RecordType) -> OpenApiResponse:
    return OpenApiResponse(
        PROBLEM, description=f"No such record among the {record_type.title} of this agency."
    )


def record_views_for(record_type: RecordType):
    """The list and the detail view of one kind of record, documented."""
    read = serializer_for(record_type.name)
    correction = serializer_for(record_type.name, for_update=True)
    tag = record_type.path
    plural = record_type.title
    list_view = extend_schema_view(
        get=extend_schema(
            tags=[tag],
            operation_id=f"{record_type.name}_list",
            summary=f"The {plural} the token's agency may read, newest first",
            parameters=_filter_parameters(record_type),
            responses={
                200: read(many=True),
                400: OpenApiResponse(PROBLEM, description="A filter is not valid."),
                **COMMON_ERRORS,
            },
        ),
        post=extend_schema(
            tags=[tag],
            operation_id=f"{record_type.name}_create",
            summary=f"Record one of the {plural}",
            parameters=[IDEMPOTENCY_KEY],
            request=read,
            responses={201: read, **WRITE_ERRORS},
        ),
    )(type(f"{read.__name__}List", (RecordList,), {"kind": record_type}))
    detail_view = extend_schema_view(
        get=extend_schema(
            tags=[tag],
            operation_id=f"{record_type.name}_read",
            summary=f"One of the {plural}",
            responses={200: read, **COMMON_ERRORS, 404: _not_found(record_type)},
        ),
        patch=extend_schema(
            tags=[tag],
            operation_id=f"{record_type.name}_correct",
            summary=f"Correct one of the {plural}: only the fields given change",
            parameters=[IDEMPOTENCY_KEY],
            request=correction,
            responses={200: read, **CORRECTION_ERRORS, 404: _not_found(record_type)},
        ),
    )(type(f"{read.__name__}Detail", (RecordDetail,), {"kind": record_type}))
    return list_view, detail_view


# Submissions of whole files -------------------------------------------------------------------


class _SubmissionFiles(serializers.Serializer):
    files = serializers.ListField(
        child=serializers.FileField(),
        help_text="The standard's CSV files, each named after its table (operations.csv, "
        "operation_agencies.csv, encounters.csv, role_assessments.csv, …).",
    )


class ImportStopped(APIException):
    """The database stopped a submission's import (its connection lost, its disk full); nothing
    was kept, and sending it again later may succeed."""

    status_code = status.HTTP_503_SERVICE_UNAVAILABLE
    default_code = "import_stopped"


@extend_schema_view(
    post=extend_schema(
        tags=["submissions"],
        operation_id="submissions_create",
        summary="Submit whole operations with everything about them, as NDJSON lines or the "
        "standard's CSV files, through the importer: all or nothing",
        description="A submission larger than "
        f"{api.QUEUED_ABOVE_BYTES // 2**20} MB, or sent with Prefer: respond-async, is checked "
        "for what can be checked at once (the token's scopes, the files' size, JSON nested too "
        "deep), kept, and imported by a task worker: the answer is 202 with its status address "
        "(Location), to read until it is finished. A smaller one is imported within the request.",
        parameters=[IDEMPOTENCY_KEY, PREFER, LOCATION],
        request={
            "application/x-ndjson": OpenApiTypes.STR,
            "multipart/form-data": _SubmissionFiles,
        },
        responses={
            201: OpenApiResponse(SubmissionResultSerializer, description="Imported."),
            202: OpenApiResponse(
                SubmissionStatusSerializer,
                description="Kept and queued for a task worker; read its status at Location "
                "(url) until it is completed, unchanged or rejected.",
            ),
            200: OpenApiResponse(
                SubmissionResultSerializer,
                description="These exact files were imported before; nothing changed.",
            ),
            400: OpenApiResponse(
                PROBLEM,
                description="Nothing was imported: one problem per line or cell, with its path "
                "(lines[7].occurred_on, encounters.csv[3].occurred_on), and problem_count. "
                f"{MAX_LISTED_PROBLEMS} at most are listed, the first of each kind; the last "
                "listed of a kind says how many more of it were found (more_of_this_kind).",
            ),
            **COMMON_ERRORS,
            413: OpenApiResponse(PROBLEM, description="The submission is too large; split it."),
            415: OpenApiResponse(PROBLEM, description="Neither NDJSON nor multipart files."),
            422: WRITE_ERRORS[422],
            503: OpenApiResponse(
                PROBLEM,
                description="The database stopped the import (its connection lost, its disk "
                "full); nothing was kept. Send the submission again later.",
            ),
        },
    )
)
class Submissions(ActsForToken, generics.GenericAPIView):
    authentication_classes = [IntegrationTokenAuthentication]
    permission_classes = [TokenCovers]
    parser_classes = [NdjsonParser, SubmissionMultiPartParser]
    serializer_class = SubmissionResultSerializer
    record_type = "operations"

    def post(self, request):
        files = self._files(request)
        missing = sorted(
            kind
            for kind in api.record_types_of_submission(files)
            if not request.auth.covers(kind, write=True)
        )
        if missing:
            self.permission_denied(
                request,
                message=f"This token does not write {', '.join(missing)}; ask your agency's "
                "administrator for one that does.",
            )
        content = b"".join(source.name.encode() + b"\0" + source.content for source in files)
        asked = _prefers_async(request)
        if api.is_queued(files, asked=asked):
            return idempotency.idempotent(
                request, content, lambda: self._queue(request, files, asked=asked)
            )
        return idempotency.idempotent(request, content, lambda: self._import(request, files))

    def _files(self, request) -> list[SourceFile]:
        files = self._sent(request)
        too_deep = ndjson_nesting_too_deep(files)
        if too_deep:
            raise _refused(list_problems(too_deep), _names(files))
        return files

    def _sent(self, request) -> list[SourceFile]:
        data = request.data
        if isinstance(data, bytes):
            return [SourceFile(SUBMISSION_NDJSON, data)]
        uploads = request.FILES.getlist("files")
        if not uploads:
            raise ValidationError(
                {
                    "files": "Send NDJSON lines (Content-Type: application/x-ndjson), or attach "
                    "the standard's CSV files as 'files' (multipart/form-data)."
                }
            )
        files = []
        for upload in uploads:
            if upload.size > MAX_FILE_BYTES:
                raise ValidationError(
                    {
                        "files": f"{upload.name} is larger than "
                        f"{MAX_FILE_BYTES // 2**20} MB; split it."
                    }
                )
            files.append(SourceFile(upload.name, upload.read()))
        return files

    def _import(self, request, files) -> Response:
        try:
            outcome = api.submit_files(token=request.auth, actor=request.user, files=files)
        except ImportRefused as refused:
            raise _refused(refused.listing, _names(files)) from None
        except ImportInterrupted as interrupted:
            raise ImportStopped(str(interrupted)) from None
        body = SubmissionResultSerializer.of(outcome)
        code = status.HTTP_200_OK if outcome.already_imported_in else status.HTTP_201_CREATED
        return Response(body, status=code)

    def _queue(self, request, files, *, asked: bool) -> Response:
        try:
            batch = api.queue_submission(token=request.auth, actor=request.user, files=files)
        except ImportRefused as refused:
            raise _refused(refused.listing, _names(files)) from None
        body = _status_of(request, batch)
        headers = {"Location": body["url"]}
        if asked:
            headers["Preference-Applied"] = RESPOND_ASYNC
        return Response(body, status=status.HTTP_202_ACCEPTED, headers=headers)


def _prefers_async(request) -> bool:
    """Whether the client asked for an answer before the work is done: ``Prefer: respond-async``
    (RFC 7240), among any other preferences, each ``name[=value][; parameter]``, names in any
    case. A preference the API does not know is ignored, as the RFC asks."""
    preferences = request.headers.get("Prefer", "").split(",")
    return any(
        preference.split(";")[0].split("=")[0].strip().lower() == RESPOND_ASYNC
        for preference in preferences
    )


def _names(files: list[SourceFile]) -> list[str]:
    return [source.name for source in files]


def _refused(listing: ProblemList[Problem], names: list[str]) -> BadInputListed:
    """The problems of a refused submission, as the importer lists them (``intake.problems``):
    the first of each kind, each at its place (``_place``), the last listed of a kind saying how
    many more of it were found. ``names`` are the submission's files."""
    ndjson = names == [SUBMISSION_NDJSON]
    more = dict(listing.more)
    entries = []
    for position, problem in enumerate(listing.listed):
        entry: dict[str, str | int] = {"path": _place(problem, ndjson), "message": problem.message}
        if position in more:
            entry["more_of_this_kind"] = more[position]
        entries.append(entry)
    detail = f"Nothing was imported: {listing.counted} to fix, then send the submission again."
    if len(entries) < listing.count:
        detail += (
            " The first problems of each kind are listed, with how many more of each kind were "
            "found."
        )
    return BadInputListed(detail, entries, listing.count, listing.of_other_kinds)


def _place(problem: Problem, ndjson: bool) -> str:
    """Where a problem of a submission is, as the client sent it: ``lines[7].occurred_on`` in
    NDJSON (line numbers from 1), ``encounters.csv[3].occurred_on`` in a CSV file (row numbers as
    a spreadsheet shows them, the header being row 1). A problem of no place (a file that cannot
    be read at all) says where in its message."""
    if not problem.file:
        return ""
    place = "lines" if ndjson else problem.file
    if problem.row is not None:
        place += f"[{problem.row}]"
    if problem.columns:
        place += "." + ",".join(problem.columns)
    return place


# Following a queued submission ------------------------------------------------------------------


def _status_of(request, batch) -> dict:
    """A submission's status document; a rejected one carries the problem document a submission
    refused at once is answered with."""
    done, total = progress_of(batch)
    refusal = None
    if batch.status == ImportBatch.Status.REJECTED:
        refused = _refused(api.refusal_of(batch), api.submitted_file_names(batch))
        refusal = problem_response(
            refused.status_code, str(refused.detail), refused.problems, members=refused.members
        ).data
    return SubmissionStatusSerializer.of(
        batch,
        summary=api.submission_summary(batch, done=done, total=total),
        done=done,
        total=total,
        url=request.build_absolute_uri(reverse("api:submission", args=[batch.pk])),
        refusal=refusal,
    )


class _MaySubmit(BasePermission):
    """Following a submission is part of making one: the tokens that may submit (write
    operations) read the status of their agency's submissions, whether or not they may read."""

    message = (
        "This token does not send submissions, so it does not follow them; ask your agency's "
        "administrator for one that writes operations."
    )

    def has_permission(self, request, view) -> bool:
        token = request.auth
        return isinstance(token, IntegrationToken) and token.covers("operations", write=True)


@extend_schema_view(
    get=extend_schema(
        tags=["submissions"],
        operation_id="submissions_status",
        summary="Where a submission is: queued, running (rows done of rows to write), or "
        "finished, with what it created or why nothing was imported",
        description="Any submission of the token's agency, queued or imported at once, by the "
        "batch number its answer gave. Read it again after Retry-After seconds until the status "
        "is completed, unchanged, rejected or undone.",
        parameters=[
            OpenApiParameter(
                "batch",
                OpenApiTypes.INT,
                OpenApiParameter.PATH,
                description="The submission's import batch (batch in its answer).",
            ),
            RETRY_AFTER,
        ],
        responses={
            200: OpenApiResponse(
                SubmissionStatusSerializer,
                description="The submission's status. While it is queued or running, "
                f"Retry-After says when to read it again ({POLL_SECONDS} seconds).",
            ),
            **COMMON_ERRORS,
            404: OpenApiResponse(
                PROBLEM, description="No such submission among those of this token's agency."
            ),
        },
    )
)
class SubmissionStatus(ActsForToken, generics.GenericAPIView):
    authentication_classes = [IntegrationTokenAuthentication]
    permission_classes = [_MaySubmit]
    serializer_class = SubmissionStatusSerializer

    def get(self, request, batch: int):
        if batch > LARGEST_ID:
            raise Http404
        # A batch whose worker died says so here, as on the import pages.
        found = settle_if_abandoned(get_object_or_404(api.submissions_of(request.auth), pk=batch))
        headers = {} if found.is_finished else {"Retry-After": str(POLL_SECONDS)}
        return Response(_status_of(request, found), headers=headers)
