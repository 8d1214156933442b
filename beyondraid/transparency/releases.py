"""The release pipeline: create (compute and protect), check (independently), publish.

A release that fails the check cannot be published, and publishing checks again, because a
release published in the meantime may have made a suppressed figure recoverable by differencing.
A release protected by differential privacy instead (``--method dp``, ``dp_release``) has noise
on every count and no suppression; its check verifies its budget and noise.
"""

from __future__ import annotations

import datetime
import math
import re

from django.db import IntegrityError, transaction
from django.db.models import Max
from django.utils import timezone

from beyondraid.core import disclosure, noise
from beyondraid.standard.models import Agency

from . import dp_release
from .atoms import AtomSpace, AtomTable, atom_sets, rewrite_atoms
from .models import COMPUTED, Release, ReleaseAtoms, ReleaseTable
from .release_tables import (
    PROTECTED_AFTER,
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


# How a release protects people: least-cost or heuristic suppression, or noise.
METHODS = (*disclosure.SUPPRESSION_METHODS, dp_release.METHOD)


def parameters(
    threshold: int = disclosure.DEFAULT_THRESHOLD,
    protection_width: int = disclosure.DEFAULT_PROTECTION_WIDTH,
    unstable_below: int = disclosure.DEFAULT_UNSTABLE_BELOW,
    method: str = disclosure.OPTIMAL,
    epsilon: float | None = None,
) -> dict:
    if method not in METHODS:
        raise ReleaseRefused(f"Unknown method {method!r}; use {', '.join(METHODS)}.")
    if method == dp_release.METHOD:
        return _dp_parameters(epsilon)
    if epsilon is not None:
        raise ReleaseRefused(
            f"--epsilon is the privacy budget of a differential-privacy release; the {method} "
            "method suppresses small counts instead and takes no budget. Use --method dp, or "
            "leave --epsilon out."
        )
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
        "method": method,
        "description": "primary suppression of counts 1 to threshold; ratios follow their parts; "
        "complementary suppression proved by integer programming over every shown figure of "
        "this release and of every earlier published release",
    }


def _dp_parameters(epsilon: float | None) -> dict:
    if epsilon is None:
        raise ReleaseRefused(
            "A differential-privacy release needs its privacy budget: give --epsilon, a positive "
            "number such as 1 (smaller hides people better and adds more noise)."
        )
    if not (epsilon > 0 and math.isfinite(epsilon)):
        raise ReleaseRefused(
            f"--epsilon {epsilon:g} is not a privacy budget: give a positive number such as 1."
        )
    try:
        return dp_release.parameters(epsilon)
    except noise.NoiseUnavailable as unavailable:
        raise ReleaseRefused(str(unavailable)) from None


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


def _read(release: Release) -> tuple[AtomTable, list[disclosure.Grid]]:
    """A release's computed tables as stored, their figures counting blocks of its atom table
    (atoms.py); a release stored before atoms were grouped gets a table of its atom keys."""
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
    stored = ReleaseAtoms.objects.filter(release=release).values_list("blocks", flat=True)
    if stored:
        return AtomTable.from_json(stored[0]), grids
    keys = {key for atoms in atom_sets(grids) for key in atoms}
    table, block_of = AtomTable.from_keys(keys)
    rewrite_atoms(grids, lambda atoms: frozenset(block_of[key] for key in atoms))
    return table, grids


def stored_grids(release: Release) -> list[disclosure.Grid]:
    """A release's computed tables as the checker reads them: only what was stored. Checked
    alone, a release's blocks are atoms enough (atoms.py)."""
    return _read(release)[1]


def _number(releases: list[tuple[AtomTable, list[disclosure.Grid]]]) -> None:
    """Make the figures of releases checked together count the same cells for the same atoms."""
    space = AtomSpace()
    for atoms, grids in releases:
        space.add(atoms, grids)
    space.number()


def _earlier_grids(
    excluding: Release | None = None,
    joining: list[tuple[AtomTable, list[disclosure.Grid]]] | None = None,
) -> list[disclosure.Grid]:
    """Every published release's computed tables but ``excluding``'s, their atoms numbered
    together with those of the releases ``joining`` them."""
    published = Release.objects.published().prefetch_related("tables")
    if excluding is not None:
        published = published.exclude(pk=excluding.pk)
    together = list(joining or [])
    grids = []
    for release in published:
        if dp_release.is_dp(release.parameters):
            # Noisy figures are not exact equations: a reader learns nothing certain from them.
            continue
        atoms, own = _read(release)
        for grid in own:
            grid.name = f"{release.label}: {grid.name}"
        together.append((atoms, own))
        grids.extend(own)
    _number(together)
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
    noisy = None
    own_atoms, proofs = None, {}
    if dp_release.is_dp(rules):
        try:
            noisy = dp_release.noisy_tables(ReleaseData(where), rules)
        except (dp_release.Refused, noise.NoiseUnavailable) as refused:
            raise ReleaseRefused(f"Nothing was created: {refused}") from None
        tables, report = noisy.tables, noisy.report(rules)
    else:
        data = ReleaseData(where)
        tables = build_computed_tables(data, withhold_splits_up_to=rules["threshold"])
        grids = [table.grid for table in tables if table.grid is not None]
        # From here the figures count blocks of the release's atoms: so they are stored (their
        # proofs are taken now), and so they are numbered with the earlier releases' atoms for
        # as long as they are protected.
        own_atoms = data.atoms.blocks(grids)
        proofs = {table.slug: table.proof() for table in tables}
        earlier = _earlier_grids(joining=[(own_atoms, grids)])
        protection = {
            "threshold": rules["threshold"],
            "protection_width": rules["protection_width"],
            "unstable_below": rules["unstable_below"],
            "method": rules.get("method", disclosure.OPTIMAL),
        }
        # The tables of what operations did first; then those of the people identified outside
        # them, the money beside them and the triaged reports of abuse and feedback, taking the
        # first ones' shown figures as known, so that counting identifications or reports
        # elsewhere never hides a figure of operations (issues 21 and 22).
        first = [t.grid for t in tables if t.grid is not None and t.slug not in PROTECTED_AFTER]
        after = [t.grid for t in tables if t.grid is not None and t.slug in PROTECTED_AFTER]
        try:
            notes = disclosure.protect(first, earlier=earlier, **protection).notes
            if after:
                notes += disclosure.protect(after, earlier=[*earlier, *first], **protection).notes
            final = disclosure.check(
                grids,
                threshold=rules["threshold"],
                protection_width=rules["protection_width"],
                earlier=earlier,
            )
            final.notes = list(dict.fromkeys(notes))  # each stage may say the same
            report = final.as_json()
        except disclosure.ProtectionFailed as failed:
            raise ReleaseRefused(
                "The release cannot be protected with these rules, so nothing was created. "
                f"{failed}"
            ) from None
        # How suppression chose, when it is worth saying (least cost gave up and the heuristic
        # chose): with the headline table's notes, which every page and download carries.
        tables[0].notes.extend(report.get("notes", []))
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
            check_report={"while_creating": report},
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
                cells=noisy.cells(table) if noisy else table.cells(),
                proof=proofs[table.slug] if table.slug in proofs else table.proof(),
                notes=table.notes,
            )
        if own_atoms is not None:
            ReleaseAtoms.objects.create(release=release, blocks=own_atoms.as_json())
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


def check_release(release: Release) -> disclosure.CheckReport | dp_release.NoiseCheck:
    """Run the independent checker on what the release stores, against every other published
    release, and record the result. A DP release is checked for its noise and budget instead."""
    if release.checksum != release.compute_checksum():
        raise ReleaseRefused(
            f"{release.label} no longer matches its checksum: its tables were changed after "
            "creation. Create a new version."
        )
    report: disclosure.CheckReport | dp_release.NoiseCheck
    if dp_release.is_dp(release.parameters):
        try:
            report = dp_release.check(release)
        except noise.NoiseUnavailable as unavailable:
            raise ReleaseRefused(str(unavailable)) from None
    else:
        own = _read(release)
        report = disclosure.check(
            own[1],
            protection_width=release.parameters["protection_width"],
            threshold=release.parameters["threshold"],
            earlier=_earlier_grids(excluding=release, joining=[own]),
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
