"""The language of the pages the public reads without signing in (docs/translating.md).

A reader's language comes from their browser (``Accept-Language``, through Django's
``LocaleMiddleware``) unless they chose one on the page. The choice travels in the address
(``?lang=es``) and in the forms of those pages (a field named ``lang``), never in a cookie:
Django's own language chooser would leave one behind, and these pages leave nothing in the
reader's browser.
"""

from functools import wraps

from django.conf import settings
from django.utils import translation


def chosen_language(request) -> str | None:
    """The language chosen on the page (a form's ``lang`` field, then ``?lang=``), if it is one
    the site speaks."""
    chosen = request.POST.get("lang") or request.GET.get("lang")
    return chosen if chosen in dict(settings.LANGUAGES) else None


def in_chosen_language(view):
    """Run a view in the language chosen on the page, when there is one, and say so in the
    answer's ``Content-Language``."""

    @wraps(view)
    def page(request, *args, **kwargs):
        language = chosen_language(request)
        if language is None:
            return view(request, *args, **kwargs)
        with translation.override(language):
            request.LANGUAGE_CODE = language
            response = view(request, *args, **kwargs)
        # LocaleMiddleware keeps a Content-Language already set.
        response["Content-Language"] = language
        return response

    return page
