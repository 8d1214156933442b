"""Printable reports of a published release, of one agency and of one state, drawn by WeasyPrint.

A report holds the same figures, charts and explanations as the pages, from the same selectors and
chart builders. Its styles are inside the document and its charts are inline SVG, as
``beyondraid.core.pdf`` requires: drawing a report never makes a request, local or remote.
"""

from django.template.loader import render_to_string

from beyondraid.core.pdf import PdfUnavailable, html_to_pdf

from . import charts
from .selectors import AgencyProfile, ReleaseContents, StateProfile, scorecards

TEMPLATES = "transparency/public/pdf"


def _pdf(template: str, context: dict) -> bytes:
    html = render_to_string(f"{TEMPLATES}/{template}", context)
    try:
        return html_to_pdf(html)
    except PdfUnavailable as unavailable:
        raise PdfUnavailable(
            f"{unavailable} The same figures are on the pages and in the CSV downloads."
        ) from unavailable


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
