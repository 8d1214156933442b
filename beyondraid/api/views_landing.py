"""``/api/``, named in the README: what the API offers and where its documentation is, as a page
for a person and as JSON for a program (``Accept: application/json``)."""

from django.http import JsonResponse
from django.shortcuts import render
from django.urls import reverse
from django.views.decorators.http import require_GET

from .views_records import RECORD_TYPES


def _endpoints() -> list[dict]:
    """The entry points, each with who may use it; the schema lists every address in full."""
    return [
        {
            "url": reverse("api:docs"),
            "what": "The documentation of every endpoint (Swagger UI)",
            "who": "anyone",
        },
        {"url": reverse("api:schema"), "what": "The OpenAPI 3 schema", "who": "anyone"},
        {
            "url": reverse("api:public_releases"),
            "what": "The published, disclosure-checked releases, their tables and Data Packages",
            "who": "anyone",
        },
        *(
            {
                "url": reverse(f"api:{kind.name}"),
                "what": f"Records of the standard: {kind.title}",
                "who": "an agency integration token",
            }
            for kind in RECORD_TYPES
        ),
        {
            "url": reverse("api:submissions"),
            "what": "A whole operation at once, as NDJSON or CSV, through the importer",
            "who": "an agency integration token",
        },
        {
            "url": reverse("api:tokens"),
            "what": "Make and revoke an agency's integration tokens",
            "who": "an agency's administrator, signed in",
        },
    ]


@require_GET
def index(request):
    endpoints = _endpoints()
    if request.get_preferred_type(["text/html", "application/json"]) == "application/json":
        return JsonResponse(
            {
                "title": "Beyond the Raid API",
                "documentation": request.build_absolute_uri(reverse("api:docs")),
                "schema": request.build_absolute_uri(reverse("api:schema")),
                "endpoints": endpoints,
            }
        )
    return render(request, "api/landing.html", {"endpoints": endpoints})
