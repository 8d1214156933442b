"""The public directory of where help is (``/help/``): the providers listed publicly, searchable
by service, language and county, and one page per provider.

No sign-in, and the same page for everyone. In English and Spanish, chosen like the reporting
pages (``standard.languages``). The pages leave nothing in the reader's browser and send nothing
elsewhere: no cookie (they hold no form that needs Django's CSRF cookie and write no session), no
script or resource from another site (the site-wide Content Security Policy), no referrer to
another site (``Referrer-Policy: same-origin``) and no copy in the browser's cache
(``never_cache``), since someone looking for a refuge may share a device with the person they
are escaping. Thin: parse the search, ask ``selectors_public``, render.
"""

from django.http import Http404
from django.shortcuts import render
from django.utils.translation import gettext
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_safe

from beyondraid.standard.languages import in_chosen_language

from . import selectors_public
from .forms_public import PublicDirectoryForm

TEMPLATES = "care/public"


def public_page(view):
    """GET and HEAD only, in the language chosen on the page, never kept in a cache."""
    return never_cache(require_safe(in_chosen_language(view)))


@public_page
def directory(request):
    searched = {
        name: request.GET[name] for name in PublicDirectoryForm.base_fields if name in request.GET
    }
    form = PublicDirectoryForm(searched or None)
    status, filters = 200, {}
    if form.is_bound:
        if form.is_valid():
            filters = {name: value for name, value in form.cleaned_data.items() if value}
        else:
            status = 400
    return render(
        request,
        f"{TEMPLATES}/directory.html",
        {
            "form": form,
            "entries": selectors_public.public_directory(**filters),
            "searched": bool(filters),
            "error_heading": gettext("The search could not run. Please correct:"),
            # The language chooser asks for the same search in the other language.
            "keep": [(name, value) for name, value in searched.items() if value],
        },
        status=status,
    )


@public_page
def provider(request, pk: int):
    entry = selectors_public.public_entry(pk)
    if entry is None:
        raise Http404("No provider with that number is on the public directory.")
    return render(request, f"{TEMPLATES}/provider.html", {"entry": entry})
