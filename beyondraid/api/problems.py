"""Errors as RFC 9457 problem details (``application/problem+json``), for every API answer that is
not a success: a title, the status, a plain ``detail``, and for bad input one entry per problem
with the path of the field at fault, so a client program can point at it. Never a 500 for input.
A refused submission lists its problems as the importer does, the first of each kind and counts
of the rest (``BadInputListed``): a large file may hold one on every line.
"""

import logging

from django.conf import settings
from django.core.exceptions import RequestDataTooBig, SuspiciousOperation
from django.http import Http404, JsonResponse
from rest_framework import exceptions, status
from rest_framework.response import Response
from rest_framework.views import exception_handler

from beyondraid import views as site_views

PROBLEM_JSON = "application/problem+json"

TITLES = {
    400: "The request is not valid",
    401: "Authentication is needed",
    403: "Not allowed",
    404: "Not found",
    405: "Method not allowed",
    406: "Not acceptable",
    413: "The request is too large",
    415: "Unsupported media type",
    429: "Too many requests",
}


def _problems(detail, path: str = "") -> list[dict]:
    """Flatten DRF's nested error details into one entry per problem, each with its field path
    (``encounters[2].occurred_on``) and its message."""
    if isinstance(detail, dict):
        found = []
        for name, value in detail.items():
            if isinstance(name, int):
                # DRF keys the errors of a list's items by their index.
                found += _problems(value, f"{path}[{name}]")
                continue
            child = name if name != "non_field_errors" else ""
            found += _problems(value, f"{path}.{child}" if path and child else path or child)
        return found
    if isinstance(detail, list):
        if all(isinstance(item, str) for item in detail):
            return [{"path": path, "message": str(item)} for item in detail]
        found = []
        for index, item in enumerate(detail):
            found += _problems(item, f"{path}[{index}]")
        return found
    return [{"path": path, "message": str(detail)}]


class BadInputListed(exceptions.APIException):
    """Bad input whose problems may be too many to list, as in a refused submission of a large
    file: ``problems`` are the entries listed, the first of each kind (``intake.problems``), the
    last listed of a kind saying how many more of it were found (``more_of_this_kind``);
    ``count`` is every problem found, and ``of_other_kinds`` those of kinds not listed at all."""

    status_code = status.HTTP_400_BAD_REQUEST
    default_code = "invalid"

    def __init__(self, detail: str, problems: list[dict], count: int, of_other_kinds: int):
        super().__init__(detail)
        self.problems = problems
        self.count = count
        self.of_other_kinds = of_other_kinds

    @property
    def members(self) -> dict:
        """The problem document's members beyond those of every problem document."""
        members: dict = {"problem_count": self.count}
        if self.of_other_kinds:
            members["more_of_other_kinds"] = self.of_other_kinds
        return members


def _document(status_code: int, detail: str, problems=(), members=None) -> dict:
    body = {
        "type": "about:blank",
        "title": TITLES.get(status_code, "Error"),
        "status": status_code,
        "detail": detail,
    }
    if problems:
        body["problems"] = list(problems)
    body.update(members or {})
    return body


def problem_response(
    status_code: int, detail: str, problems=(), headers=None, members=None
) -> Response:
    body = _document(status_code, detail, problems, members)
    response = Response(body, status=status_code, headers=headers)
    response.content_type = PROBLEM_JSON
    return response


def _is_api(request) -> bool:
    return request.path_info.startswith("/api/")


def page_not_found(request, exception):
    """The site's ``handler404``. An API address that no route takes (a version that is not a
    number, a release name that is not a slug, a misspelt path) gets a problem document like every
    other API error, not an HTML page; the rest of the site gets its own page."""
    if not _is_api(request):
        return site_views.page_not_found(request, exception)
    body = _document(404, str(exceptions.NotFound.default_detail))
    return JsonResponse(body, status=404, content_type=PROBLEM_JSON)


def _refused_request(exc: Exception) -> tuple[int, str]:
    """The status and plain message for a request Django refuses to read (``SuspiciousOperation``,
    ``BadRequest``): a body over ``DATA_UPLOAD_MAX_MEMORY_SIZE``, too many fields or files, a host
    not served."""
    if isinstance(exc, RequestDataTooBig):
        limit = settings.DATA_UPLOAD_MAX_MEMORY_SIZE / 2**20
        return 413, (
            f"The request is larger than {limit:g} MB, more than any one record takes; send many "
            "records at once as a submission (/api/v1/submissions/)."
        )
    return 400, "The request cannot be read as it was sent; check its headers and its body."


def bad_request(request, exception):
    """The site's ``handler400``, for a request Django refuses before any API view reads it: an
    API address gets a problem document with the right status, the rest of the site its own
    page. (Django has already logged it.)"""
    if not _is_api(request):
        return site_views.bad_request(request, exception)
    status_code, detail = _refused_request(exception)
    return JsonResponse(
        _document(status_code, detail), status=status_code, content_type=PROBLEM_JSON
    )


# Headers of DRF's own answer that a client needs (how to authenticate, what is allowed, when to
# come back).
_KEPT_HEADERS = ("WWW-Authenticate", "Allow", "Retry-After")


def handle_exception(exc, context):
    """DRF's exception handler, answering in problem details."""
    if isinstance(exc, Http404):
        exc = exceptions.NotFound()
    if isinstance(exc, SuspiciousOperation):
        # Raised while a view reads the request (``request.body``, a multipart upload). DRF would
        # pass it on to Django, which answers with its HTML page; it is logged as Django would.
        status_code, detail = _refused_request(exc)
        logging.getLogger(f"django.security.{type(exc).__name__}").error(
            str(exc), extra={"status_code": status_code, "request": context.get("request")}
        )
        return problem_response(status_code, detail)
    response = exception_handler(exc, context)
    if response is None:
        return None
    headers = {name: response[name] for name in _KEPT_HEADERS if response.has_header(name)}
    if isinstance(exc, BadInputListed):
        return problem_response(
            exc.status_code, str(exc.detail), exc.problems, headers, members=exc.members
        )
    if isinstance(exc, exceptions.ValidationError):
        problems = _problems(exc.detail)
        detail = "; ".join(
            f"{p['path']}: {p['message']}" if p["path"] else p["message"] for p in problems
        )
        return problem_response(status.HTTP_400_BAD_REQUEST, detail, problems, headers)
    detail = exc.detail if isinstance(getattr(exc, "detail", None), str) else str(exc)
    return problem_response(response.status_code, str(detail), headers=headers)


# drf-spectacular names the component of ``serializers.ProblemSerializer`` after it.
_PROBLEM_SCHEMA = {"$ref": "#/components/schemas/Problem"}


def document_problem_media_type(result, generator, request, public):
    """drf-spectacular post-processing hook (``SPECTACULAR_SETTINGS["POSTPROCESSING_HOOKS"]``):
    every response documented as a problem document is sent as ``application/problem+json``
    (``handle_exception``), so the schema says that media type for it, not the renderer's JSON."""
    for operations in result.get("paths", {}).values():
        for operation in operations.values():
            if not isinstance(operation, dict):
                continue
            for response in operation.get("responses", {}).values():
                content = response.get("content", {})
                if content.get("application/json", {}).get("schema") == _PROBLEM_SCHEMA:
                    content[PROBLEM_JSON] = content.pop("application/json")
    return result
