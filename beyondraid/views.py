"""Site-wide pages that belong to no single domain: the home page, the health check and the error
pages."""

from typing import Any

from django.conf import settings
from django.contrib import admin
from django.db import DatabaseError, connection
from django.http import HttpResponse, HttpResponseServerError, JsonResponse
from django.shortcuts import render
from django.template import loader
from django.template.response import TemplateResponse
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET

from beyondraid.standard.selectors import standard_overview


@require_GET
def home(request):
    return render(request, "home.html", {"overview": standard_overview()})


@never_cache
@require_GET
def healthz(request):
    try:
        with connection.cursor() as cursor:
            cursor.execute("SELECT 1")
            cursor.fetchone()
    except DatabaseError:
        return JsonResponse({"status": "unavailable", "database": "unreachable"}, status=503)
    return JsonResponse({"status": "ok"})


# Error pages: every refusal and failure outside the API is a page of the site, in the visitor's
# language, with a way back (issue 23). The API answers in problem details (api/problems.py),
# which hands every other address to these. Under /admin/ a refusal keeps the records
# administration's own frame, in which the person was working.
_ADMIN_PAGES = {
    403: ("admin/403.html", "You cannot open this page"),
    404: ("admin/404.html", "Page not found"),
}


def error_page(request, status: int, *, csrf: bool = False) -> HttpResponse:
    """The page for an error status: ``errors/<status>.html``, or the records administration's
    own for a refusal under /admin/. ``csrf``: a form refused for its missing or stale token."""
    context: dict[str, Any] = {"csrf": csrf}
    if request.path_info.startswith("/admin/") and status in _ADMIN_PAGES:
        template, title = _ADMIN_PAGES[status]
        context.update(
            admin.site.each_context(request),
            title="Your form could not be sent" if csrf else title,
        )
        return TemplateResponse(request, template, context, status=status).render()
    return render(request, f"errors/{status}.html", context, status=status)


def bad_request(request, exception):
    return error_page(request, 400)


def permission_denied(request, exception):
    return error_page(request, 403)


def page_not_found(request, exception):
    return error_page(request, 404)


def csrf_failure(request, reason=""):
    """``CSRF_FAILURE_VIEW``: a form sent without its token (a page left open past the session,
    cookies blocked) is explained in plain words, not with Django's technical reason."""
    return error_page(request, 403, csrf=True)


def server_error(request):
    """``handler500``. The failure may be the database itself, so nothing here touches it: no
    context processor, no signed-in user, only the template, in the language already chosen."""
    html = loader.get_template("errors/500.html").render({"demo_mode": settings.DEMO_MODE})
    return HttpResponseServerError(html)
