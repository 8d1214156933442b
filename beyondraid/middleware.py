"""Site-wide middleware that belongs to no single domain."""

from beyondraid import views

# Statuses that Django and its decorators answer with an empty body: ``require_GET`` and
# ``require_POST`` (405), a view's bare refusal (400, 403) or limit (429).
_PAGED_STATUSES = {400, 403, 405, 429}
# What a client needs from the bare answer: what is allowed, when to come back.
_KEPT_HEADERS = ("Allow", "Retry-After")


class ErrorPagesMiddleware:
    """An error answered with no body becomes the site's page for its status (``views.error_page``),
    so that nobody meets a blank "405" or "429". The API keeps its problem details."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        response = self.get_response(request)
        if (
            response.status_code not in _PAGED_STATUSES
            or response.streaming
            or response.content
            or request.path_info.startswith("/api/")
        ):
            return response
        page = views.error_page(request, response.status_code)
        for header in _KEPT_HEADERS:
            if response.has_header(header):
                page[header] = response[header]
        return page
