"""The release pipeline: create (compute and protect), check (independently), publish.

A release that fails the check cannot be published, and publishing checks again, because a
release published in the meantime may have made a suppressed figure recoverable by differencing.
"""

from __future__ import annotations

import datetime
import re

from django.db import IntegrityError, transaction
from django.db.models import Max
from django.utils import timezone

from beyondraid.core import disclosure
from beyondraid.standard.models import Agency

from .models import COMPUTED, Release, ReleaseTable
from .release_tables import (
    ReleaseData,
    Scope,
    build_computed_tables,
    build_published_table,
    score_agencies,
)

NAME = re.compile(r"^[a-z0-9][a-z0-9-]{0,59}$")
STATE = re.compile(r"^[A-Z]{2}$")


class ReleaseRefused(Exception):
    """The release cannot be created, checked or published; the message says why and what to
    do."""


def parameters(
    threshold: int = disclosure.DEFAULT_THRESHOLD,
    protection_width: int = disclosure.DEFAULT_PROTECTION_WIDTH,
    unstable_below: int = disclosure.DEFAULT_UNSTABLE_BELOW,
) -> dict:
    if threshold < 1:
        raise ReleaseRefused("The suppression threshold must be at least 1.")
    if protection_width < 1:
        raise ReleaseRefused("The protection width must be at least 1.")
    if unstable_below < 1:
        raise ReleaseRefused("The unstable-rate limit must be at least 1.")
    return {
        "threshold": threshold,
        "protection_width": protection_width,
        "unstable_below": unstable_below,
        "method": "primary suppression of counts 1 to threshold; ratios follow their parts; "
        "complementary suppression proved by integer programming over every shown figure of "
        "this release and of every earlier published release",
    }


def _scope(scope: str, state: str, agency: Agency | None, start, end) -> Scope:
    if scope == Release.Scope.STATE:
        if not STATE.match(state or ""):
            raise ReleaseRefused("A state release needs a two-letter state code such as CA.")
        return Scope(start, end, state=state)
    if scope == Release.Scope.AGENCY:
        if agency is None:
            raise ReleaseRefused("An agency release needs the agency.")
        return Scope(start, end, agency_id=agency.pk)
    if scope != Release.Scope.ALL:
        raise ReleaseRefused(f"Unknown scope {scope!r}; use all, state or agency.")
    return Scope(start, end)


def stored_grids(release: Release) -> list[disclosure.Grid]:
    """A release's computed tables as the checker reads them: only what was stored."""
    grids = []
    for table in release.tables.filter(provenance=COMPUTED).order_by("position"):
        grid = disclosure.Grid(table.slug)
        rows = zip(table.rows, table.cells, table.proof, strict=True)
        for index, (row, flags, proofs) in enumerate(rows):
            for name, proof in proofs.items():
                grid.figures[(index, name)] = disclosure.figure_from_json(
                    flags[name], proof, row[name]
                )
        grids.append(grid)
    return grids


def _earlier_grids(excluding: Release | None = None) -> list[disclosure.Grid]:
    published = Release.objects.published().prefetch_related("tables")
    if excluding is not None:
        published = published.exclude(pk=excluding.pk)
    grids = []
    for release in published:
        for grid in stored_grids(release):
            grid.name = f"{release.label}: {grid.name}"
            grids.append(grid)
    return grids


def create_release(
    *,
    name: str,
    period_start: datetime.date,
    period_end: datetime.date,
    scope: str = Release.Scope.ALL,
    state: str = "",
    agency: Agency | None = None,
    title: str = "",
    user=None,
    rules: dict | None = None,
) -> Release:
    """Compute, protect and freeze a new version of the release ``name``."""
    if not NAME.match(name):
        raise ReleaseRefused(
            f"{name!r} is not a release name: use lower-case letters, digits and hyphens, "
            "starting with a letter or digit (at most 60)."
        )
    if period_end < period_start:
        raise ReleaseRefused(f"The period ends ({period_end}) before it starts ({period_start}).")
    rules = rules or parameters()
    where = _scope(scope, state, agency, period_start, period_end)
    tables = build_computed_tables(ReleaseData(where))
    try:
        report = disclosure.protect(
            [table.grid for table in tables],
            threshold=rules["threshold"],
            protection_width=rules["protection_width"],
            unstable_below=rules["unstable_below"],
            earlier=_earlier_grids(),
        )
    except disclosure.ProtectionFailed as failed:
        raise ReleaseRefused(
            f"The release cannot be protected with these rules, so nothing was created. {failed}"
        ) from None
    score_agencies(tables[0])
    published = build_published_table(where)
    if published is not None:
        tables.append(published)
    with transaction.atomic():
        latest = Release.objects.filter(name=name).aggregate(latest=Max("version"))["latest"]
        release = Release(
            name=name,
            version=(latest or 0) + 1,
            title=title or _default_title(where, scope, agency),
            scope=scope,
            scope_state=state if scope == Release.Scope.STATE else "",
            scope_agency=agency if scope == Release.Scope.AGENCY else None,
            period_start=period_start,
            period_end=period_end,
            data_through=timezone.localdate(),
            parameters=rules,
            created_by=user,
            check_report={"while_creating": report.as_json()},
        )
        try:
            release.save()
        except IntegrityError:
            raise ReleaseRefused(
                f"Another version of {name} was created at the same moment; try again."
            ) from None
        for position, table in enumerate(tables):
            ReleaseTable.objects.create(
                release=release,
                position=position,
                slug=table.slug,
                title=table.title,
                description=table.description,
                provenance=table.provenance,
                citation=table.citation,
                columns=[column.as_json() for column in table.columns],
                rows=table.released_rows(),
                cells=table.cells(),
                proof=table.proof(),
                notes=table.notes,
            )
        release.checksum = release.compute_checksum()
        release.save(update_fields=["checksum"])
    return release


def _default_title(where: Scope, scope: str, agency: Agency | None) -> str:
    period = (
        str(where.period_start.year)
        if where.period_start.year == where.period_end.year
        else f"{where.period_start.year}–{where.period_end.year}"
    )
    if scope == Release.Scope.STATE:
        return f"{where.state} statewide, {period}"
    if scope == Release.Scope.AGENCY and agency is not None:
        return f"{agency.name}, {period}"
    return f"All agencies, {period}"


def check_release(release: Release) -> disclosure.CheckReport:
    """Run the independent checker on what the release stores, against every other published
    release, and record the result."""
    if release.checksum != release.compute_checksum():
        raise ReleaseRefused(
            f"{release.label} no longer matches its checksum: its tables were changed after "
            "creation. Create a new version."
        )
    report = disclosure.check(
        stored_grids(release),
        protection_width=release.parameters["protection_width"],
        threshold=release.parameters["threshold"],
        earlier=_earlier_grids(excluding=release),
    )
    release.check_report = report.as_json()
    release.checked_at = timezone.now()
    if not release.is_published:
        release.status = Release.Status.PASSED if report.passed else Release.Status.FAILED
    release.save(update_fields=["check_report", "checked_at", "status"])
    return report


def publish_release(release: Release, *, user=None) -> Release:
    if release.is_published:
        raise ReleaseRefused(f"{release.label} is already published.")
    report = check_release(release)
    if not report.passed:
        raise ReleaseRefused(
            f"{release.label} fails the disclosure check, so it cannot be published: "
            + " ".join(report.describe_failures()[:5])
        )
    release.status = Release.Status.PUBLISHED
    release.published_at = timezone.now()
    release.published_by = user
    release.save(update_fields=["status", "published_at", "published_by"])
    return release


def find_release(name: str, version: int | None = None) -> Release:
    releases = Release.objects.filter(name=name)
    release = (
        releases.filter(version=version).first()
        if version is not None
        else releases.order_by("-version").first()
    )
    if release is None:
        known = ", ".join(sorted(set(Release.objects.values_list("name", flat=True)))) or "none"
        wanted = f"{name} version {version}" if version is not None else name
        raise ReleaseRefused(f"No release {wanted}. Releases: {known}.")
    return release
