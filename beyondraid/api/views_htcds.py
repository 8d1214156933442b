"""The caseworker's download of their provider's cases in the HTCDS-compatible shape
(docs/htcds.md): a page saying what the file holds, and the file itself with ``?format=csv`` or
``?format=json``.

Thin: ``htcds`` decides whose cases, which columns and what is audited. Only caseworkers of a
victim-service provider have a part in it; everyone else signed in gets a plain 403 page, and
visitors are sent to sign in. An unknown format brings the page back with a 400 naming the
choices. Nothing here is cached: the file is person-level data.
"""

from django.contrib.auth.decorators import login_required
from django.http import HttpResponse
from django.shortcuts import render
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET

from beyondraid.standard.vocabulary import vocabulary

from . import htcds


def _page(request, *, provider, unknown_format: str | None = None, status: int = 200):
    scopes = vocabulary("consent_scope")
    mapping = htcds.mapping()
    return render(
        request,
        "api/htcds.html",
        {
            "provider": provider,
            "case_count": htcds.held_cases(request.user).count(),
            "columns": [(column, scopes.label(column.scope)) for column in mapping.columns],
            "reference": mapping.reference,
            "reference_url": mapping.reference_url,
            "formats": htcds.FORMATS,
            "unknown_format": unknown_format,
        },
        status=status,
    )


@never_cache
@login_required
@require_GET
def htcds_export(request):
    try:
        provider = htcds.provider_of(request.user)
    except htcds.NotAProvider as refused:
        return render(request, "api/htcds.html", {"refused": str(refused)}, status=403)
    chosen = request.GET.get("format")
    if chosen is None:
        return _page(request, provider=provider)
    if chosen not in htcds.FORMATS:
        return _page(request, provider=provider, unknown_format=chosen, status=400)
    file = htcds.export(request.user, format=chosen)
    response = HttpResponse(file.content, content_type=file.content_type)
    response["Content-Disposition"] = f'attachment; filename="{file.filename}"'
    return response
