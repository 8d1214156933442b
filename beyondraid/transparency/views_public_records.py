"""The public pages of records requests: the agency transparency scorecard, its CSV, one public
request and its released documents.

Anyone may open them, signed in or not, and everyone sees the same: the requests their
requesters have made public (``public_records``). A request that is not public, or does not
exist, is a 404 either way. Unlike the release pages these read live records and are not kept
in the public cache: a request made public, or a new step, shows at once.
"""

from django.http import FileResponse, Http404, HttpResponse
from django.shortcuts import render
from django.utils import timezone
from django.views.decorators.http import require_safe

from . import public_records

TEMPLATES = "transparency/public"


@require_safe
def records_scorecard(request):
    return render(
        request,
        f"{TEMPLATES}/records_scorecard.html",
        {
            "scorecard": public_records.scorecard(),
            "columns": public_records.COLUMNS,
            "requests": public_records.listed_requests(),
        },
    )


@require_safe
def records_scorecard_csv(request):
    today = timezone.localdate()
    response = HttpResponse(
        public_records.scorecard_csv(today), content_type="text/csv; charset=utf-8"
    )
    response["Content-Disposition"] = (
        f'attachment; filename="records-requests-scorecard-{today.isoformat()}.csv"'
    )
    return response


@require_safe
def records_request(request, code: str):
    public = public_records.public_request(code)
    if public is None:
        raise Http404("No public records request with that code.")
    return render(request, f"{TEMPLATES}/records_request.html", {"public": public})


@require_safe
def records_file(request, code: str, sha256: str):
    document = public_records.released_document(code, sha256)
    if document is None:
        raise Http404("No such document released to a public records request.")
    try:
        stored = document.file.open("rb")
    except FileNotFoundError:
        raise Http404("This document's file is missing from the server.") from None
    # Always a download, never shown in the page: a released file is the agency's, not ours,
    # and must not run as part of this site.
    return FileResponse(stored, as_attachment=True, filename=document.name)
