"""Operation plans, their versions, reviews, decisions and waivers.

A ``Plan`` is the lasting identity of one planned operation: its lead agency, the prosecutor's
office and the victim-service partner who review it, and, once recorded, the operation it
became. What the plan says lives in ``PlanVersion.document`` (the JSON shape of
``document.py``), so the browser, the command line and the API share one format and one rule
set. A version is edited only while it is a draft; submitting it freezes it. An approved version
is the plan in force until an amendment (a new version) is approved in its turn, and a returned
version stays as it was reviewed, so the history shows what each reviewer read.

Nothing here is about an encountered person: a plan speaks of expected numbers and of the officers
assigned, never of anyone the operation will meet.
"""

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import Q

from beyondraid.core.codes import new_code
from beyondraid.standard.models import Agency, Operation

from . import rules


class Plan(models.Model):
    code = models.CharField(max_length=20, unique=True, editable=False)
    lead_agency = models.ForeignKey(
        Agency, on_delete=models.PROTECT, related_name="plans", help_text="The agency leading."
    )
    prosecutor_office = models.ForeignKey(
        Agency,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="plans_to_review_as_prosecutor",
        help_text="The prosecutor's office that helps plan and reviews the plan.",
    )
    service_partner = models.ForeignKey(
        Agency,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="plans_to_review_as_service_partner",
        help_text="The victim-service organisation that is consulted and reviews the plan.",
    )
    operation = models.OneToOneField(
        Operation,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="plan",
        help_text="The operation as recorded, once it has happened.",
    )
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-created_at", "-pk"]

    def __str__(self) -> str:
        return self.code

    def save(self, *args, **kwargs):
        if not self.code:
            self.code = new_code("PL")
        super().save(*args, **kwargs)

    @property
    def latest(self) -> "PlanVersion":
        return self.versions.order_by("-number").first()

    @property
    def in_force(self) -> "PlanVersion | None":
        """The approved version the operation runs under, if any."""
        return self.versions.filter(status=PlanVersion.Status.APPROVED).first()

    @property
    def name(self) -> str:
        return self.latest.document.get("name") or "Untitled plan"


class PlanVersion(models.Model):
    class Status(models.TextChoices):
        DRAFT = "draft", "Draft"
        SUBMITTED = "submitted", "Submitted for review"
        APPROVED = "approved", "Approved"
        RETURNED = "returned", "Returned with findings"
        SUPERSEDED = "superseded", "Superseded by an amendment"

    plan = models.ForeignKey(Plan, on_delete=models.CASCADE, related_name="versions")
    number = models.PositiveIntegerField()
    status = models.CharField(max_length=20, choices=Status.choices, default=Status.DRAFT)
    document = models.JSONField(help_text="The plan, in the shape of docs/planning.md.")
    classification = models.CharField(
        max_length=20,
        choices=rules.CLASSIFICATIONS,
        blank=True,
        help_text="What the rule set made of the plan when it was submitted or decided.",
    )
    ruleset_version = models.CharField(max_length=20, blank=True)
    findings = models.JSONField(default=list, blank=True)
    written_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    editors = models.ManyToManyField(
        settings.AUTH_USER_MODEL,
        blank=True,
        related_name="+",
        help_text="Everyone who changed the draft: none of them may decide on it.",
    )
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)
    submitted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    submitted_at = models.DateTimeField(null=True, blank=True)
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    decided_at = models.DateTimeField(null=True, blank=True)
    decision_note = models.TextField(
        blank=True, help_text="Why the plan was approved or returned, in the approver's words."
    )

    class Meta:
        ordering = ["plan", "-number"]
        constraints = [
            models.UniqueConstraint(
                fields=["plan", "number"],
                name="planning_version_number_once",
                violation_error_message="This plan already has a version with this number.",
            ),
            models.UniqueConstraint(
                fields=["plan"],
                condition=Q(status__in=["draft", "submitted"]),
                name="planning_one_open_version",
                violation_error_message="A plan has at most one version in preparation or review.",
            ),
            models.UniqueConstraint(
                fields=["plan"],
                condition=Q(status="approved"),
                name="planning_one_version_in_force",
                violation_error_message="A plan has at most one approved version in force.",
            ),
            models.CheckConstraint(
                condition=Q(
                    status__in=["draft", "submitted", "approved", "returned", "superseded"]
                ),
                name="planning_version_status_known",
            ),
            models.CheckConstraint(
                condition=Q(status="draft") | ~Q(classification=""),
                name="planning_reviewed_version_is_classified",
                violation_error_message="A submitted version carries its classification.",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.plan.code} v{self.number}"

    @property
    def is_open(self) -> bool:
        return self.status in (self.Status.DRAFT, self.Status.SUBMITTED)


class PlanReview(models.Model):
    """A reviewer's comments and recommendation on one submitted version."""

    class Part(models.TextChoices):
        PROSECUTOR = "prosecutor", "Prosecutor"
        VICTIM_SERVICES = "victim_services", "Victim-service partner"

    class Recommendation(models.TextChoices):
        APPROVE = "approve", "Approve"
        RETURN = "return", "Return for changes"

    version = models.ForeignKey(PlanVersion, on_delete=models.CASCADE, related_name="reviews")
    part = models.CharField(max_length=20, choices=Part.choices)
    reviewer = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    organisation = models.ForeignKey(Agency, on_delete=models.PROTECT, related_name="+")
    recommendation = models.CharField(max_length=20, choices=Recommendation.choices)
    comments = models.TextField(help_text="What the reviewer found, in their words.")
    reviewed_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["version", "part"]
        constraints = [
            models.UniqueConstraint(
                fields=["version", "part"],
                name="planning_one_review_per_part",
                violation_error_message="This version already has a review from this partner.",
            ),
            models.CheckConstraint(
                condition=~Q(comments=""),
                name="planning_review_has_comments",
                violation_error_message="A review needs comments.",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.get_part_display()} review of {self.version}"


class Waiver(models.Model):
    """A named approver's written decision that a blocking finding does not stop the plan.

    Waivers are counted in the public scorecards: an agency that approves plans by waiving
    safeguards shows it.
    """

    version = models.ForeignKey(PlanVersion, on_delete=models.CASCADE, related_name="waivers")
    rule = models.CharField(
        max_length=60, help_text="The code of the rule whose findings are waived."
    )
    reason = models.TextField(help_text="Why the finding does not stop this operation.")
    approver = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    waived_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["version", "rule"]
        constraints = [
            models.UniqueConstraint(
                fields=["version", "rule"],
                name="planning_waive_a_rule_once",
                violation_error_message="This rule is already waived for this version.",
            ),
            models.CheckConstraint(
                condition=~Q(reason=""),
                name="planning_waiver_has_reason",
                violation_error_message="A waiver needs a written reason.",
            ),
            # Whatever path a waiver takes to the database, a sweep's findings stay unwaivable.
            models.CheckConstraint(
                condition=~Q(rule__in=sorted(c for c, r in rules.RULES.items() if r.sweep)),
                name="planning_sweep_never_waived",
                violation_error_message=rules.SWEEP_NOT_WAIVABLE,
            ),
        ]

    def __str__(self) -> str:
        return f"Waiver of {self.rule} on {self.version}"

    def clean(self):
        """Only a rule of the rule set can be waived, and never a sweep rule."""
        super().clean()
        rule = rules.RULES.get(self.rule)
        if rule is None:
            raise ValidationError(
                {"rule": f"'{self.rule}' is not a rule of rule set {rules.RULESET_VERSION}."}
            )
        if rule.sweep:
            raise ValidationError({"rule": rules.SWEEP_NOT_WAIVABLE})
