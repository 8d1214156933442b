"""What the public API answers with: published releases and their tables, exactly as frozen and
disclosure-checked (suppressed figures are null; nothing unpublished ever appears)."""

from django.urls import reverse
from drf_spectacular.utils import extend_schema_field
from rest_framework import serializers

from beyondraid.intake.models import ImportBatch
from beyondraid.intake.problems import MAX_LISTED_PROBLEMS
from beyondraid.transparency.models import Release, ReleaseTable


class ColumnSerializer(serializers.Serializer):
    name = serializers.CharField()
    title = serializers.CharField()
    type = serializers.CharField(help_text="integer, number or string (Frictionless types).")
    description = serializers.CharField(required=False)
    unit = serializers.CharField(required=False)


class TableSummarySerializer(serializers.ModelSerializer):
    url = serializers.SerializerMethodField()

    class Meta:
        model = ReleaseTable
        fields = ["slug", "title", "description", "provenance", "citation", "url"]

    def get_url(self, table: ReleaseTable) -> str:
        release = table.release
        return self.context["request"].build_absolute_uri(
            reverse("api:public_table", args=[release.name, release.version, table.slug])
        )


class TableSerializer(serializers.ModelSerializer):
    columns = ColumnSerializer(many=True)
    rows = serializers.ListField(
        child=serializers.DictField(),
        help_text="One object per row, keyed by column name; a suppressed figure is null.",
    )
    notes = serializers.ListField(child=serializers.CharField())

    class Meta:
        model = ReleaseTable
        fields = [
            "slug",
            "title",
            "description",
            "provenance",
            "citation",
            "columns",
            "rows",
            "notes",
        ]


class ReleaseSerializer(serializers.ModelSerializer):
    tables = serializers.SerializerMethodField()
    datapackage = serializers.SerializerMethodField()

    class Meta:
        model = Release
        fields = [
            "name",
            "version",
            "title",
            "scope",
            "scope_state",
            "period_start",
            "period_end",
            "data_through",
            "published_at",
            "checksum",
            "datapackage",
            "tables",
        ]

    @extend_schema_field(TableSummarySerializer(many=True))
    def get_tables(self, release: Release) -> list[dict]:
        tables = release.tables.defer("proof", "cells", "rows").order_by("position")
        return TableSummarySerializer(tables, many=True, context=self.context).data

    def get_datapackage(self, release: Release) -> str:
        """The release as a Frictionless Data Package (zip)."""
        return self.context["request"].build_absolute_uri(
            reverse("api:public_datapackage", args=[release.name, release.version])
        )


class ProblemEntrySerializer(serializers.Serializer):
    """One problem of bad input."""

    path = serializers.CharField(
        allow_blank=True,
        help_text="Where it is: a field (participants[0].agency), a line or row of a submission "
        "(lines[7].encountered_on); empty for the request, or a file, as a whole.",
    )
    message = serializers.CharField(help_text="What is wrong, and what to do.")
    more_of_this_kind = serializers.IntegerField(
        required=False,
        min_value=1,
        help_text="In a refused submission, on the last problem listed of a kind: how many more "
        "of that kind were found and not listed.",
    )


class ProblemSerializer(serializers.Serializer):
    """An RFC 9457 problem document (``application/problem+json``)."""

    type = serializers.CharField()
    title = serializers.CharField()
    status = serializers.IntegerField()
    detail = serializers.CharField()
    problems = ProblemEntrySerializer(
        many=True,
        required=False,
        help_text="For bad input: one entry per problem, its path and its message. A refused "
        f"submission lists {MAX_LISTED_PROBLEMS} at most, the first of each kind.",
    )
    problem_count = serializers.IntegerField(
        required=False,
        help_text="In a refused submission: how many problems were found, listed or not.",
    )
    more_of_other_kinds = serializers.IntegerField(
        required=False,
        min_value=1,
        help_text="In a refused submission with more kinds of problem than can be listed: how "
        "many problems are of kinds not listed at all.",
    )


class SubmissionResultSerializer(serializers.Serializer):
    """What a submission did: the import batch, and the rows it created by exchange table."""

    batch = serializers.IntegerField(help_text="The import batch, as stewards see it on the site.")
    status = serializers.ChoiceField(choices=["imported", "unchanged"])
    summary = serializers.CharField()
    created = serializers.DictField(child=serializers.IntegerField())
    unchanged = serializers.DictField(child=serializers.IntegerField())

    @staticmethod
    def of(outcome) -> dict:
        if outcome.already_imported_in is not None:
            return {
                "batch": outcome.already_imported_in.pk,
                "status": "unchanged",
                "summary": outcome.summary(),
                "created": {},
                "unchanged": {},
            }
        return {
            "batch": outcome.batch.pk,
            "status": "imported",
            "summary": outcome.summary(),
            "created": dict(outcome.result.created),
            "unchanged": dict(outcome.result.unchanged),
        }


class SubmissionStatusSerializer(serializers.Serializer):
    """Where a submission is: waiting for a task worker, being imported, or done, and how."""

    batch = serializers.IntegerField(help_text="The import batch, as stewards see it on the site.")
    status = serializers.ChoiceField(
        choices=ImportBatch.Status.choices,
        help_text="queued: waiting for a task worker. running: being imported; nothing is kept "
        "until every row is. completed: imported, see created. unchanged: these exact files were "
        "imported before, nothing changed. rejected: nothing was imported, see refusal. "
        "interrupted: the server stopped the import before the end and nothing was kept, see "
        "summary; send it again. undone: "
        "imported, then undone by a steward on the site.",
    )
    summary = serializers.CharField()
    rows_done = serializers.IntegerField(help_text="Rows written so far, of rows_total.")
    rows_total = serializers.IntegerField(
        help_text="Rows to write; 0 until the worker has read the files."
    )
    created = serializers.DictField(
        child=serializers.IntegerField(), help_text="Rows created, by exchange table."
    )
    unchanged = serializers.DictField(
        child=serializers.IntegerField(), help_text="Rows already loaded, by exchange table."
    )
    submitted_at = serializers.DateTimeField()
    finished_at = serializers.DateTimeField(allow_null=True)
    url = serializers.URLField(help_text="This status, to read again until it is finished.")
    refusal = ProblemSerializer(
        required=False,
        help_text="When rejected: the problem document a submission refused at once is answered "
        "with (status 400), each problem at its line or cell.",
    )

    @staticmethod
    def of(batch: ImportBatch, *, summary: str, done: int, total: int, url: str, refusal=None):
        finished = batch.status in {ImportBatch.Status.COMPLETED, ImportBatch.Status.UNDONE}
        status = {
            "batch": batch.pk,
            "status": batch.status,
            "summary": summary,
            "rows_done": done,
            "rows_total": total,
            "created": dict(batch.created) if finished else {},
            "unchanged": dict(batch.unchanged) if finished else {},
            "submitted_at": batch.created_at,
            "finished_at": batch.finished_at,
            "url": url,
            **({"refusal": refusal} if refusal is not None else {}),
        }
        return SubmissionStatusSerializer(status).data
