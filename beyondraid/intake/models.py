"""Import batches: who brought which files into the standard, and what they created.

A batch is the unit of undo: everything an import created hangs on the operations and agencies
it created, or on the people it added to operations already in the standard, so undoing the batch
deletes those and, through them, every encounter and record of the batch. Files are known by
their SHA-256, so the same file imported twice is recognised.
"""

from django.conf import settings
from django.db import models

from beyondraid.standard.models import Agency, Encounter, Operation

from .problems import ProblemList


class ImportBatch(models.Model):
    class Status(models.TextChoices):
        QUEUED = "queued", "Waiting to start"
        RUNNING = "running", "Importing"
        COMPLETED = "completed", "Imported"
        CHECKED = "checked", "Checked; nothing kept"
        UNCHANGED = "unchanged", "Already imported; nothing changed"
        REJECTED = "rejected", "Nothing imported: problems to fix"
        INTERRUPTED = "interrupted", "Stopped before the end; nothing kept"
        UNDONE = "undone", "Undone"

    class Channel(models.TextChoices):
        COMMAND_LINE = "command_line", "Command line"
        UPLOAD_PAGE = "upload_page", "Upload page"
        API = "api", "API"

    created_at = models.DateTimeField(auto_now_add=True)
    started_at = models.DateTimeField(
        null=True, blank=True, help_text="When a worker began running it; empty until then."
    )
    finished_at = models.DateTimeField(null=True, blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
        help_text="Empty for imports run by the operator from the command line.",
    )
    agency = models.ForeignKey(
        Agency,
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
        help_text="The steward's agency the import was for; empty for the operator's imports.",
    )
    channel = models.CharField(max_length=20, choices=Channel.choices)
    submitted_by = models.CharField(
        max_length=150,
        blank=True,
        help_text="The integration token that sent the files, when an agency's system did.",
    )
    status = models.CharField(max_length=20, choices=Status.choices, default=Status.QUEUED)
    dry_run = models.BooleanField(
        default=False, help_text="Only check the files and count what would be created."
    )
    mapping_name = models.CharField(max_length=200, blank=True)
    mapping_version = models.CharField(max_length=40, blank=True)
    rows_done = models.PositiveIntegerField(default=0)
    rows_total = models.PositiveIntegerField(default=0)
    created = models.JSONField(default=dict, help_text="Rows created, by exchange table.")
    unchanged = models.JSONField(default=dict, help_text="Rows already loaded, by table.")
    problems = models.JSONField(
        default=list,
        help_text="Why nothing was imported, one per line: the first of every kind, 200 at most.",
    )
    problems_not_listed = models.JSONField(
        default=list,
        help_text="[position, count] pairs: how many more problems of the kind of the listed "
        "problem at that position were found.",
    )
    problem_count = models.PositiveIntegerField(
        default=0, help_text="How many problems were found, listed or not."
    )
    problem_places = models.JSONField(
        default=list,
        help_text="Where each listed problem is, in the order of problems: [file, row, columns, "
        "message], for the API to point at each line or cell.",
    )
    undone_at = models.DateTimeField(null=True, blank=True)
    undone_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )

    class Meta:
        ordering = ["-created_at", "-pk"]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(rows_done__lte=models.F("rows_total")),
                name="intake_batch_progress_within_total",
                violation_error_message="Rows done cannot exceed the rows to import.",
            ),
            models.CheckConstraint(
                condition=models.Q(status="undone", undone_at__isnull=False)
                | (~models.Q(status="undone") & models.Q(undone_at__isnull=True)),
                name="intake_batch_undone_is_dated",
                violation_error_message="An undone batch records when it was undone.",
            ),
        ]

    def __str__(self) -> str:
        return f"Import {self.pk} ({self.get_status_display()})"

    @property
    def percent_done(self) -> int:
        return round(100 * self.rows_done / self.rows_total) if self.rows_total else 0

    @property
    def is_finished(self) -> bool:
        return self.status not in {self.Status.QUEUED, self.Status.RUNNING}

    @property
    def problem_list(self) -> ProblemList:
        """The problems listed, and how many were found; batches refused before problems were
        counted listed them all."""
        more = [tuple(pair) for pair in self.problems_not_listed]
        return ProblemList(self.problems, more, max(self.problem_count, len(self.problems)))

    @property
    def submitter(self) -> str:
        """Who brought the files in, as the import pages and ``beyondraid import --list`` say it."""
        if self.created_by is not None:
            return self.created_by.get_username()
        if self.channel == self.Channel.API:
            # The API names a token with its agency ("token br_ab12cd (Harbor Police)"), which
            # the pages show beside it already.
            token = self.submitted_by
            if self.agency_id is not None:
                token = token.removesuffix(f" ({self.agency})")
            return f"agency system (API {token})" if token else "agency system (API)"
        return "operator (command line)"


class ImportedFile(models.Model):
    batch = models.ForeignKey(ImportBatch, on_delete=models.CASCADE, related_name="files")
    name = models.CharField(max_length=255)
    sha256 = models.CharField(max_length=64, db_index=True)
    size = models.PositiveBigIntegerField()
    is_mapping = models.BooleanField(default=False)
    # Kept only until a worker has run the batch: the rows are in the standard afterwards, and
    # web processes keep nothing on local disk.
    content = models.BinaryField(blank=True, default=b"")

    class Meta:
        ordering = ["batch", "name"]

    def __str__(self) -> str:
        return f"{self.name} ({self.sha256[:12]}…)"


class ImportedOperation(models.Model):
    """An operation a batch created; deleting it on undo takes its encounters and records."""

    batch = models.ForeignKey(ImportBatch, on_delete=models.CASCADE, related_name="operations")
    operation = models.OneToOneField(
        Operation, on_delete=models.CASCADE, related_name="import_record"
    )

    def __str__(self) -> str:
        return f"{self.operation} (import {self.batch_id})"


class ImportedEncounter(models.Model):
    """A person a batch added to an operation already in the standard (a file that grew), or
    outside any operation: undo deletes them with their records, and leaves the operation and its
    other people."""

    batch = models.ForeignKey(ImportBatch, on_delete=models.CASCADE, related_name="encounters")
    encounter = models.OneToOneField(
        Encounter, on_delete=models.CASCADE, related_name="import_record"
    )

    def __str__(self) -> str:
        return f"{self.encounter} (import {self.batch_id})"


class ImportedAgency(models.Model):
    """An agency a batch created; undo removes it when nothing else refers to it any more."""

    batch = models.ForeignKey(ImportBatch, on_delete=models.CASCADE, related_name="agencies")
    agency = models.OneToOneField(Agency, on_delete=models.CASCADE, related_name="import_record")

    def __str__(self) -> str:
        return f"{self.agency} (import {self.batch_id})"


class AuditedTable(models.Model):
    """A released table kept in the standard as published figures, with its audit as provenance:
    whoever reads the figures can read what was wrong with the sheet they came from."""

    batch = models.ForeignKey(ImportBatch, on_delete=models.CASCADE, related_name="audited_tables")
    file = models.CharField(max_length=255)
    sheet = models.CharField(max_length=100, blank=True)
    title = models.CharField(max_length=300)
    scope = models.CharField(max_length=200, blank=True)
    within = models.CharField(max_length=200, blank=True)
    report = models.JSONField(help_text="The table's audit: structure, findings, cross-table ones.")
    operations = models.ManyToManyField(Operation, related_name="audited_tables")

    class Meta:
        ordering = ["batch", "pk"]

    def __str__(self) -> str:
        return self.title
