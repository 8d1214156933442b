"""The public site: published releases, their scorecards, charts, downloads and reports.

Anyone may open these pages, signed in or not. Each view parses the URL, asks the selectors and
renders; a release, agency, state, operation or table that is not part of a published release is a
404, whatever the reason, so the site never says whether an unpublished release exists.
"""

from django.http import Http404, HttpResponse
from django.shortcuts import render
from django.views.decorators.http import require_safe

from beyondraid.core.disclosure import DEFAULT_THRESHOLD
from beyondraid.core.pdf import PdfUnavailable

from . import charts, indicators, pdf, public_accountability, public_funding, selectors
from .datapackage import cell_codes, package_zip, table_csv
from .models import Release
from .public_cache import shared_with_the_public

TEMPLATES = "transparency/public"


def _release(name: str, version: int | None = None) -> Release:
    release = selectors.published_release(name, version)
    if release is None:
        raise Http404("No published release by that name and version.")
    return release


def _contents(name: str, version: int | None = None) -> selectors.ReleaseContents:
    return selectors.release_contents(_release(name, version))


def _page(
    request, template: str, contents: selectors.ReleaseContents, status: int = 200, **context
):
    return render(
        request,
        f"{TEMPLATES}/{template}",
        {"contents": contents, "release": contents.release, **context},
        status=status,
    )


def _download(content: bytes | str, *, content_type: str, filename: str) -> HttpResponse:
    response = HttpResponse(content, content_type=content_type)
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    return response


def _pdf_download(request, contents, draw, *, filename: str) -> HttpResponse:
    """A PDF report, or a page saying why it cannot be drawn on this server."""
    try:
        report = draw()
    except PdfUnavailable as unavailable:
        return _page(
            request, "report_unavailable.html", contents, reason=str(unavailable), status=503
        )
    return _download(report, content_type="application/pdf", filename=filename)


def _file_stem(release: Release) -> str:
    return f"{release.name}-v{release.version}"


@require_safe
@shared_with_the_public
def overview(request):
    releases = selectors.latest_published_releases()
    headline = selectors.headline_release(releases)
    newest = selectors.release_contents(headline) if headline else None
    return render(request, f"{TEMPLATES}/overview.html", {"releases": releases, "newest": newest})


@require_safe
@shared_with_the_public
def methodology(request):
    # The page states the default rules; each release's own page gives its own threshold.
    return render(
        request,
        f"{TEMPLATES}/methodology.html",
        {
            "cell_codes": cell_codes(DEFAULT_THRESHOLD),
            "core_fields": [field.label.lower() for field in indicators.core_fields()],
        },
    )


def _release_page(request, contents: selectors.ReleaseContents):
    return _page(
        request,
        "release.html",
        contents,
        charts=charts.release_charts(contents),
        versions=selectors.published_versions(contents.release),
        accountability=public_accountability.accountability(contents),
    )


@require_safe
@shared_with_the_public
def release_latest(request, name: str):
    return _release_page(request, _contents(name))


@require_safe
@shared_with_the_public
def release_detail(request, name: str, version: int):
    return _release_page(request, _contents(name, version))


@require_safe
@shared_with_the_public
def scorecards(request, name: str, version: int):
    contents = _contents(name, version)
    return _page(
        request,
        "scorecards.html",
        contents,
        groups=selectors.scorecards(contents),
        plan_review=contents.table(selectors.PLAN_REVIEW_BY_AGENCY),
    )


def _agency(contents: selectors.ReleaseContents, agency_key: str) -> selectors.AgencyProfile:
    profile = selectors.agency_profile(contents, agency_key)
    if profile is None:
        raise Http404("No such agency in this release.")
    return profile


@require_safe
@shared_with_the_public
def agency(request, name: str, version: int, agency_key: str):
    contents = _contents(name, version)
    profile = _agency(contents, agency_key)
    return _page(
        request, "agency.html", contents, agency=profile, charts=charts.agency_charts(profile)
    )


@require_safe
@shared_with_the_public
def agency_report(request, name: str, version: int, agency_key: str):
    contents = _contents(name, version)
    profile = _agency(contents, agency_key)
    return _pdf_download(
        request,
        contents,
        lambda: pdf.agency_report(contents, profile),
        filename=f"{_file_stem(contents.release)}-{profile.key}.pdf",
    )


def _state(contents: selectors.ReleaseContents, code: str) -> selectors.StateProfile:
    profile = selectors.state_profile(contents, code)
    if profile is None:
        raise Http404("No such state in this release.")
    return profile


@require_safe
@shared_with_the_public
def state(request, name: str, version: int, code: str):
    contents = _contents(name, version)
    profile = _state(contents, code)
    return _page(
        request, "state.html", contents, state=profile, charts=charts.state_charts(profile)
    )


@require_safe
@shared_with_the_public
def state_report(request, name: str, version: int, code: str):
    contents = _contents(name, version)
    profile = _state(contents, code)
    return _pdf_download(
        request,
        contents,
        lambda: pdf.state_report(contents, profile),
        filename=f"{_file_stem(contents.release)}-{profile.state.code.lower()}.pdf",
    )


@require_safe
@shared_with_the_public
def operations(request, name: str, version: int):
    return _page(request, "operations.html", _contents(name, version))


@require_safe
@shared_with_the_public
def operation(request, name: str, version: int, code: str):
    contents = _contents(name, version)
    record = selectors.operation_record(contents, code)
    if record is None:
        raise Http404("No such operation in this release.")
    return _page(request, "operation.html", contents, operation=record)


@require_safe
@shared_with_the_public
def trends(request, name: str, version: int):
    contents = _contents(name, version)
    return _page(request, "trends.html", contents, charts=charts.trend_charts(contents))


@require_safe
@shared_with_the_public
def funding(request, name: str, version: int):
    contents = _contents(name, version)
    table = public_funding.funding_table(contents)
    if table is None:
        raise Http404("This release has no table of money beside its operations.")
    return _page(
        request,
        "funding.html",
        contents,
        table=table,
        groups=public_funding.by_jurisdiction_and_year(table),
    )


@require_safe
@shared_with_the_public
def release_report(request, name: str, version: int):
    contents = _contents(name, version)
    return _pdf_download(
        request,
        contents,
        lambda: pdf.release_report(contents),
        filename=f"{_file_stem(contents.release)}.pdf",
    )


@require_safe
@shared_with_the_public
def table_download(request, name: str, version: int, slug: str):
    release = _release(name, version)
    table = selectors.release_table(release, slug)
    if table is None:
        raise Http404("No such table in this release.")
    return _download(
        table_csv(table),
        content_type="text/csv; charset=utf-8",
        filename=f"{_file_stem(release)}-{table.slug}.csv",
    )


@require_safe
@shared_with_the_public
def datapackage(request, name: str, version: int):
    release = _release(name, version)
    return _download(
        package_zip(release),
        content_type="application/zip",
        filename=f"{_file_stem(release)}.zip",
    )
