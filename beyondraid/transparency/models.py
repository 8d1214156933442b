"""Releases: frozen, versioned, disclosure-checked sets of tables. The public reads nothing else.

A release is created in one step (its tables computed and protected), checked by the independent
checker, and only then published. Its tables never change after creation; a new computation is a
new version under the same name.
"""

import hashlib
import json

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import Q

COMPUTED = "computed"
PUBLISHED = "published"


class ReleaseQuerySet(models.QuerySet):
    def published(self) -> "ReleaseQuerySet":
        return self.filter(status=Release.Status.PUBLISHED)


class Release(models.Model):
    class Status(models.TextChoices):
        CREATED = "created", "Created, not yet checked"
        PASSED = "passed", "Checked: no suppressed figure can be recovered"
        FAILED = "failed", "Checked: a suppressed figure could be recovered"
        PUBLISHED = "published", "Published"

    class Scope(models.TextChoices):
        ALL = "all", "All agencies"
        STATE = "state", "One state"
        AGENCY = "agency", "One agency"

    name = models.SlugField(max_length=60, help_text="Lower-case letters, digits and hyphens.")
    version = models.PositiveIntegerField()
    title = models.CharField(max_length=200)
    scope = models.CharField(max_length=10, choices=Scope.choices, default=Scope.ALL)
    scope_state = models.CharField(max_length=2, blank=True)
    scope_agency = models.ForeignKey(
        "standard.Agency", null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    period_start = models.DateField(help_text="First day of the operations counted.")
    period_end = models.DateField(help_text="Last day of the operations counted.")
    data_through = models.DateField(help_text="Records entered up to this day are included.")
    parameters = models.JSONField(
        default=dict, help_text="Disclosure rules applied: threshold, protection width, ..."
    )
    status = models.CharField(max_length=10, choices=Status.choices, default=Status.CREATED)
    check_report = models.JSONField(default=dict, blank=True)
    checksum = models.CharField(max_length=64, editable=False)
    created_at = models.DateTimeField(auto_now_add=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    checked_at = models.DateTimeField(null=True, blank=True)
    published_at = models.DateTimeField(null=True, blank=True)
    published_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )

    objects = ReleaseQuerySet.as_manager()

    class Meta:
        ordering = ["name", "-version"]
        constraints = [
            models.UniqueConstraint(
                fields=["name", "version"],
                name="transparency_release_version_once",
                violation_error_message="This version of the release already exists.",
            ),
            models.CheckConstraint(
                condition=Q(period_end__gte=models.F("period_start")),
                name="transparency_release_period_ordered",
                violation_error_message="The period cannot end before it starts.",
            ),
            models.CheckConstraint(
                condition=~Q(status="published") | Q(published_at__isnull=False),
                name="transparency_release_published_dated",
                violation_error_message="A published release records when it was published.",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.name} v{self.version}"

    @property
    def label(self) -> str:
        return f"{self.name} (version {self.version})"

    @property
    def is_published(self) -> bool:
        return self.status == self.Status.PUBLISHED

    def clean(self):
        super().clean()
        if self.scope == self.Scope.STATE and not self.scope_state:
            raise ValidationError({"scope_state": "A state release names its state."})
        if self.scope == self.Scope.AGENCY and not self.scope_agency_id:
            raise ValidationError({"scope_agency": "An agency release names its agency."})

    def compute_checksum(self) -> str:
        """SHA-256 over the parameters and every table as stored, the checker's cells included:
        the seal that shows a release was not changed after it was created."""
        content = {
            "name": self.name,
            "version": self.version,
            "period": [self.period_start.isoformat(), self.period_end.isoformat()],
            "data_through": self.data_through.isoformat(),
            "parameters": self.parameters,
            "tables": [table.canonical() for table in self.tables.order_by("position")],
        }
        # Releases created before atoms were grouped have no blocks: their content, and so
        # their seal, stays what it was.
        blocks = ReleaseAtoms.objects.filter(release=self).values_list("blocks", flat=True)
        if blocks:
            content["atoms"] = blocks[0]
        encoded = json.dumps(content, sort_keys=True, separators=(",", ":"), ensure_ascii=False)
        return hashlib.sha256(encoded.encode()).hexdigest()


class ReleaseTable(models.Model):
    """One table of a release, frozen at creation.

    ``columns`` describes the fields (a Frictionless Table Schema in all but name); ``rows`` holds
    the values as released, None where a figure is suppressed; ``cells`` says of every figure
    whether (and why) it is suppressed and whether it is unstable, which pages need; ``proof``
    holds what only the checker needs: the atoms (finest counts) each figure adds up, and for a
    ratio its numerator and denominator — as the numbers of the release's blocks of atoms
    (``ReleaseAtoms``), or, in releases created before atoms were grouped, as atom keys.
    Suppressed values are never stored.
    """

    release = models.ForeignKey(Release, on_delete=models.CASCADE, related_name="tables")
    position = models.PositiveSmallIntegerField()
    slug = models.SlugField(max_length=60)
    title = models.CharField(max_length=200)
    description = models.TextField()
    provenance = models.CharField(
        max_length=10,
        choices=[
            (COMPUTED, "Computed from person-level records, disclosure-checked"),
            (PUBLISHED, "Reproduced from a public document, with its citation"),
        ],
    )
    citation = models.CharField(max_length=500, blank=True)
    columns = models.JSONField()
    rows = models.JSONField()
    cells = models.JSONField(default=list, blank=True)
    proof = models.JSONField(default=list, blank=True)
    notes = models.JSONField(default=list, blank=True)

    class Meta:
        ordering = ["release", "position"]
        constraints = [
            models.UniqueConstraint(
                fields=["release", "slug"], name="transparency_table_slug_once_per_release"
            ),
            models.CheckConstraint(
                condition=Q(provenance="computed") | ~Q(citation=""),
                name="transparency_published_table_cites_its_source",
                violation_error_message="A table reproduced from a document cites it.",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.release}: {self.title}"

    def save(self, *args, **kwargs):
        if self.pk is not None:
            raise ValidationError("A release's tables are frozen; create a new version instead.")
        super().save(*args, **kwargs)

    def display_rows(self) -> list[list[str]]:
        """Each row as text for a page: 'Suppressed' for a hidden figure, '(unstable)' after a
        rate whose denominator is small, a noisy figure's interval after it, thousands
        separators for counts."""
        cells = self.cells or [{} for _ in self.rows]
        shown = []
        for row, row_cells in zip(self.rows, cells, strict=True):
            texts = []
            for column in self.columns:
                value, cell = row.get(column["name"]), row_cells.get(column["name"], {})
                interval = ""
                if value is not None and cell.get("low") is not None:
                    high = cell.get("high")
                    interval = f" ({cell['low']:,}–{'' if high is None else f'{high:,}'})"
                if cell.get("suppressed"):
                    texts.append("Suppressed")
                elif value is None:
                    texts.append("")
                elif column["kind"] == "count":
                    texts.append(f"{value:,}{interval}")
                elif column["kind"] == "amount":
                    texts.append(f"${value:,.0f}")
                elif column["kind"] == "ratio":
                    unstable = " (unstable)" if cell.get("unstable") else ""
                    texts.append(
                        f"{value:,}{column.get('unit', '') == '%' and ' %' or ''}{unstable}"
                        f"{interval}"
                    )
                else:
                    texts.append(str(value))
            shown.append(texts)
        return shown

    def canonical(self) -> dict:
        return {
            "slug": self.slug,
            "title": self.title,
            "provenance": self.provenance,
            "citation": self.citation,
            "columns": self.columns,
            "rows": self.rows,
            "cells": self.cells,
            "proof": self.proof,
            "notes": self.notes,
        }


class ReleaseAtoms(models.Model):
    """What the blocks of a release's atoms hold, which its tables' ``proof`` numbers: each
    block's kind and operations (``atoms.AtomTable``, and atoms.py for why blocks). Frozen with
    the release, and kept apart from it because it is large and only the checker reads it.
    Releases created before atoms were grouped have none: their proofs list atom keys."""

    release = models.OneToOneField(
        Release, primary_key=True, on_delete=models.CASCADE, related_name="+"
    )
    blocks = models.JSONField()

    def __str__(self) -> str:
        return f"{self.release}: atoms"

    def save(self, *args, **kwargs):
        if not self._state.adding:
            raise ValidationError("A release's atoms are frozen; create a new version instead.")
        super().save(*args, **kwargs)


class OperationFact(models.Model):
    """An operation's lead agency, state and county, read from a database view (migration 0006):
    the rule that places an operation (its first recorded place, else its lead agency's state)
    is written once there, for people, funding and published figures alike."""

    operation = models.OneToOneField(
        "standard.Operation",
        primary_key=True,
        on_delete=models.DO_NOTHING,
        related_name="fact",
    )
    agency_id = models.IntegerField(null=True)
    state = models.CharField(max_length=2)
    county = models.CharField(max_length=100)

    class Meta:
        managed = False
        db_table = "transparency_operation_fact"

    def __str__(self) -> str:
        return f"Facts of operation {self.operation_id}"


class EncounterFact(models.Model):
    """One row per encounter with the facts the measures count, read from a database view.

    The view (migration 0006, extended by 0007) computes each fact once per encounter with
    grouped joins, so an aggregation that uses a fact many times reads a column instead of running
    a subquery each time. ``facts.encounter_facts`` joins it to encounters; nothing writes to it.
    """

    encounter = models.OneToOneField(
        "standard.Encounter",
        primary_key=True,
        on_delete=models.DO_NOTHING,
        related_name="fact",
    )
    role = models.CharField(max_length=40)
    arrested = models.BooleanField()
    screened = models.BooleanField()
    interviewed = models.BooleanField()
    immigration_referral = models.BooleanField()
    interviewed_without_advocate = models.BooleanField()
    first_interview_on = models.DateField(null=True)
    offered_services = models.BooleanField()
    accepted_services = models.BooleanField()
    first_offer_on = models.DateField(null=True)
    punished_victim = models.BooleanField()
    immigration_alert = models.BooleanField()
    charged_trafficking = models.BooleanField()
    convicted_trafficking = models.BooleanField()
    convicted_lesser = models.BooleanField()
    charged_pimping_pandering_supervising = models.BooleanField()
    last_receiving_on = models.DateField(null=True)
    re_trafficked = models.BooleanField()
    deported = models.BooleanField()
    prosecuted = models.BooleanField()
    declined_services = models.BooleanField()
    followed_up = models.BooleanField()
    referred = models.BooleanField()
    turned_away_by_provider = models.BooleanField()
    agency_id = models.IntegerField(null=True)
    state = models.CharField(max_length=2)
    county = models.CharField(max_length=100)

    class Meta:
        managed = False
        db_table = "transparency_encounter_fact"

    def __str__(self) -> str:
        return f"Facts of encounter {self.encounter_id}"
