"""Printable reports of a published release, of one agency and of one state, drawn by WeasyPrint.

A report holds the same figures, charts and explanations as the pages, from the same selectors and
chart builders. Its styles are inside the document and its charts are inline SVG, so WeasyPrint is
given a fetcher that refuses every URL: drawing a report never makes a request, local or remote.
"""

from django.template.loader import render_to_string

from . import charts
from .selectors import AgencyProfile, ReleaseContents, StateProfile, scorecards

TEMPLATES = "transparency/public/pdf"


class PdfUnavailable(Exception):
    """WeasyPrint's system libraries are missing; the message says which to install."""


def _pdf(template: str, context: dict) -> bytes:
    # Imported here: WeasyPrint loads Pango when imported, and a server without it should still
    # serve every page and say plainly why the reports are missing.
    try:
        from weasyprint import HTML, URLFetcher
    except OSError as error:
        raise PdfUnavailable(
            "PDF reports need the Pango and HarfBuzz libraries on the server (Debian: apt-get "
            "install libpango-1.0-0 libpangoft2-1.0-0 libharfbuzz-subset0 fonts-dejavu-core). "
            "The same figures are on the pages and in the CSV downloads."
        ) from error
    html = render_to_string(f"{TEMPLATES}/{template}", context)
    fetch_nothing = URLFetcher(allowed_protocols=frozenset())
    return HTML(string=html, url_fetcher=fetch_nothing).write_pdf()


def release_report(contents: ReleaseContents) -> bytes:
    return _pdf(
        "release.html",
        {
            "contents": contents,
            "release": contents.release,
            "charts": charts.release_charts(contents),
            "groups": scorecards(contents),
        },
    )


def agency_report(contents: ReleaseContents, profile: AgencyProfile) -> bytes:
    return _pdf(
        "agency.html",
        {
            "contents": contents,
            "release": contents.release,
            "agency": profile,
            "charts": charts.agency_charts(profile),
        },
    )


def state_report(contents: ReleaseContents, profile: StateProfile) -> bytes:
    return _pdf(
        "state.html",
        {
            "contents": contents,
            "release": contents.release,
            "state": profile,
            "charts": charts.state_charts(profile),
        },
    )
