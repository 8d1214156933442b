"""Public-records requests to agencies, each step of their lifecycle, the correspondence and the
documents released (issue 9; 2021 catalog §2.H R108-R116).

Requests are about agencies, never about people: nothing here identifies anyone encountered in
an operation. The free texts (a subject, notes, the agency's own words) describe a request and
an agency's answer.

A request's ``status`` is the kind of its latest step; the steps themselves (``RequestEvent``)
are the record, each dated, and the deadlines are computed from them by the clock engine
(``selectors.deadline``), never stored.
"""

import hashlib
from pathlib import Path

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.files.storage import FileSystemStorage
from django.db import models
from django.db.models import Q

from beyondraid.core.codes import new_code
from beyondraid.standard.models import Agency

from . import laws


class RecordsFileStorage(FileSystemStorage):
    """Correspondence and released documents, under ``DATA_DIR/records``. The directory is read
    from the settings each time, so that a deployment's (or a test's) data directory is used."""

    @property
    def base_location(self):
        return Path(settings.DATA_DIR) / "records"

    @property
    def location(self):
        return str(self.base_location.resolve())


def records_storage() -> RecordsFileStorage:
    return RecordsFileStorage()


class Status(models.TextChoices):
    """Where a request stands: the kind of its latest step."""

    DRAFT = "draft", "Draft"
    SUBMITTED = "submitted", "Submitted"
    ACKNOWLEDGED = "acknowledged", "Acknowledged"
    AWAITING_RESPONSE = "awaiting_response", "Awaiting response"
    EXTENSION_CLAIMED = "extension_claimed", "Extension claimed"
    FIX_REQUIRED = "fix_required", "Fix required"
    PAYMENT_REQUIRED = "payment_required", "Payment required"
    RELEASED = "released", "Released"
    PARTIALLY_RELEASED = "partially_released", "Partially released"
    NO_RESPONSIVE_RECORDS = "no_responsive_records", "No responsive records"
    DENIED = "denied", "Denied"
    NO_RESPONSE = "no_response", "No response"
    APPEAL = "appeal", "Appeal"
    LITIGATION = "litigation", "Litigation"
    CLOSED = "closed", "Closed"


class EventKind(models.TextChoices):
    """A dated step. Every status but draft is a step; a follow-up is a step that leaves the
    status as it is (R115: the requester writes again to an agency that has not answered)."""

    SUBMITTED = Status.SUBMITTED.value, Status.SUBMITTED.label
    ACKNOWLEDGED = Status.ACKNOWLEDGED.value, Status.ACKNOWLEDGED.label
    AWAITING_RESPONSE = Status.AWAITING_RESPONSE.value, Status.AWAITING_RESPONSE.label
    EXTENSION_CLAIMED = Status.EXTENSION_CLAIMED.value, Status.EXTENSION_CLAIMED.label
    FIX_REQUIRED = Status.FIX_REQUIRED.value, Status.FIX_REQUIRED.label
    PAYMENT_REQUIRED = Status.PAYMENT_REQUIRED.value, Status.PAYMENT_REQUIRED.label
    RELEASED = Status.RELEASED.value, Status.RELEASED.label
    PARTIALLY_RELEASED = Status.PARTIALLY_RELEASED.value, Status.PARTIALLY_RELEASED.label
    NO_RESPONSIVE_RECORDS = Status.NO_RESPONSIVE_RECORDS.value, Status.NO_RESPONSIVE_RECORDS.label
    DENIED = Status.DENIED.value, Status.DENIED.label
    NO_RESPONSE = Status.NO_RESPONSE.value, Status.NO_RESPONSE.label
    APPEAL = Status.APPEAL.value, Status.APPEAL.label
    LITIGATION = Status.LITIGATION.value, Status.LITIGATION.label
    CLOSED = Status.CLOSED.value, Status.CLOSED.label
    FOLLOW_UP = "follow_up", "Follow-up sent"


# The agency's answer to the request itself: the determination its clock measures.
DETERMINATIONS = frozenset({"released", "partially_released", "no_responsive_records", "denied"})
# The clock stands still while the agency waits for the requester (5 U.S.C. § 552(a)(6)(A)).
PAUSES = frozenset({"fix_required", "payment_required"})
# Steps that are the agency speaking; "acknowledged on time" looks at the first of them.
AGENCY_ANSWERS = DETERMINATIONS | PAUSES | {"acknowledged", "extension_claimed"}
# Steps that leave the status where it is, or end the request, from anywhere after a draft.
_ANYTIME = frozenset({"follow_up", "closed"})
_WAITING = frozenset({"awaiting_response", "extension_claimed"}) | PAUSES


def _after(*steps) -> frozenset[str]:
    return (
        frozenset().union(*(frozenset({step}) if isinstance(step, str) else step for step in steps))
        | _ANYTIME
    )


# The lifecycle (issue 9): from each status, the steps that may come next. A partial release
# may be followed by more documents; an appeal or a lawsuit ends in a new determination; an
# agency that did not answer may still answer late. A request is closed (withdrawn, or done)
# from anywhere but a draft, which is simply never sent.
TRANSITIONS: dict[str, frozenset[str]] = {
    "draft": frozenset({"submitted"}),
    "submitted": _after("acknowledged", _WAITING, DETERMINATIONS, "no_response"),
    "acknowledged": _after(_WAITING, DETERMINATIONS, "no_response"),
    "awaiting_response": _after(_WAITING - {"awaiting_response"}, DETERMINATIONS, "no_response"),
    "extension_claimed": _after(PAUSES, DETERMINATIONS, "no_response"),
    # The requester fixed the request or paid: the agency is waited for again.
    "fix_required": _after("awaiting_response", DETERMINATIONS),
    "payment_required": _after("awaiting_response", DETERMINATIONS),
    "released": _after("appeal"),
    "partially_released": _after("released", "partially_released", "appeal"),
    "no_responsive_records": _after("appeal"),
    "denied": _after("appeal", "litigation"),
    "no_response": _after("acknowledged", DETERMINATIONS, "appeal", "litigation"),
    "appeal": _after(DETERMINATIONS, "litigation"),
    "litigation": _after(DETERMINATIONS),
    "closed": frozenset(),
}


class Channel(models.TextChoices):
    EMAIL = "email", "Email"
    PORTAL = "portal", "The agency's web portal"
    MAIL = "mail", "Mail"
    FAX = "fax", "Fax"
    IN_PERSON = "in_person", "In person"
    OTHER = "other", "Other"


class Category(models.TextChoices):
    """The five categories of records the 2021 study asked for (R109, 002:1075-1079), and free
    categories of the requester's own."""

    TRAININGS_GUIDELINES = "trainings_guidelines", "Trainings and guidelines"
    FUNDING_EXPENDITURES = "funding_expenditures", "Funding and expenditures"
    EXECUTION_PLANNING_STAFFING = (
        "execution_planning_staffing",
        "Records of execution, planning and staffing",
    )
    VICTIM_DEMOGRAPHICS = "victim_demographics", "Victim demographics"
    ARRESTS_CHARGES_CONVICTIONS = "arrests_charges_convictions", "Arrests, charges and convictions"
    OTHER = "other", "Another category"


STUDY_CATEGORIES = tuple(code for code in Category.values if code != Category.OTHER)


def _request_folder(request: "RecordsRequest", sha256: str, filename: str) -> str:
    return f"{request.code}/{sha256[:16]}-{Path(filename).name}"


def _correspondence_path(instance: "Correspondence", filename: str) -> str:
    return _request_folder(instance.event.request, instance.sha256, filename)


def _release_path(instance: "ReleasedDocument", filename: str) -> str:
    return _request_folder(instance.request, instance.sha256, filename)


def sha256_of(uploaded) -> str:
    digest = hashlib.sha256()
    uploaded.seek(0)
    for chunk in iter(lambda: uploaded.read(1 << 16), b""):
        digest.update(chunk)
    uploaded.seek(0)
    return digest.hexdigest()


class RecordsRequest(models.Model):
    """A request for records sent by an organisation to an agency under a public-records law."""

    code = models.CharField(max_length=20, unique=True, editable=False)
    requester = models.ForeignKey(
        Agency,
        on_delete=models.PROTECT,
        related_name="records_requests_made",
        help_text="The organisation that sends the request.",
    )
    agency = models.ForeignKey(
        Agency,
        on_delete=models.PROTECT,
        related_name="records_requests_received",
        help_text="The agency asked for records.",
    )
    law = models.CharField(
        max_length=20, help_text="The public-records law the request is made under."
    )
    subject = models.CharField(max_length=300, help_text="What the request is about, in a line.")
    records_period = models.CharField(
        max_length=200, blank=True, help_text="The period the records cover, e.g. 2003 to date."
    )
    sent_on = models.DateField(
        null=True, blank=True, help_text="The day the request was sent; empty for a draft."
    )
    channel = models.CharField(
        max_length=20, choices=Channel.choices, blank=True, help_text="How it was sent."
    )
    tracking_number = models.CharField(
        max_length=100, blank=True, help_text="The number the agency gave the request."
    )
    status = models.CharField(max_length=30, choices=Status.choices, default=Status.DRAFT)
    is_public = models.BooleanField(
        default=False, help_text="The requester has made the request's record public."
    )
    note = models.TextField(blank=True, help_text="About the request, never about a person.")
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["agency__name", "code"]
        constraints = [
            models.CheckConstraint(
                condition=~Q(requester=models.F("agency")),
                name="records_request_not_to_itself",
                violation_error_message="An organisation does not send a request to itself.",
            ),
            models.CheckConstraint(
                condition=Q(status__in=Status.values),
                name="records_request_status_known",
                violation_error_message="The status is not a step of the lifecycle.",
            ),
            models.CheckConstraint(
                condition=Q(status=Status.DRAFT, sent_on__isnull=True)
                | (~Q(status=Status.DRAFT) & Q(sent_on__isnull=False)),
                name="records_request_sent_unless_draft",
                violation_error_message="A draft has no date sent; a sent request has one.",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.code} to {self.agency}" if self.agency_id else self.code

    def save(self, *args, **kwargs):
        if not self.code:
            self.code = new_code("PR")
        super().save(*args, **kwargs)

    @property
    def governing_law(self) -> laws.Law:
        return laws.law(self.law)

    def clean(self):
        super().clean()
        if self.law:
            try:
                laws.law(self.law)
            except laws.UnknownLaw as error:
                raise ValidationError({"law": str(error)}) from None
        if self.requester_id and self.requester_id == self.agency_id:
            raise ValidationError({"agency": "An organisation does not send a request to itself."})


class RequestedCategory(models.Model):
    """A category of records asked for, and whether what was released covers it."""

    request = models.ForeignKey(RecordsRequest, on_delete=models.CASCADE, related_name="categories")
    code = models.CharField(max_length=40, choices=Category.choices)
    label = models.CharField(
        max_length=200, blank=True, help_text="For another category: what it is."
    )
    received = models.BooleanField(
        default=False, help_text="The documents released cover this category."
    )

    class Meta:
        ordering = ["request", "pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["request", "code", "label"],
                name="records_category_once_per_request",
                violation_error_message="This category is already asked for in this request.",
            ),
            models.CheckConstraint(
                condition=Q(code__in=Category.values),
                name="records_category_known",
                violation_error_message="The category is not one of the list.",
            ),
            models.CheckConstraint(
                condition=(Q(code=Category.OTHER) & ~Q(label=""))
                | (~Q(code=Category.OTHER) & Q(label="")),
                name="records_category_other_is_named",
                violation_error_message="Another category needs a name; the five listed do not.",
            ),
        ]

    def __str__(self) -> str:
        return self.label or Category(self.code).label


class RequestEvent(models.Model):
    """One dated step of a request's lifecycle, with the reasons the law requires and the
    agency's own words."""

    request = models.ForeignKey(RecordsRequest, on_delete=models.CASCADE, related_name="events")
    kind = models.CharField(max_length=30, choices=EventKind.choices)
    on = models.DateField(help_text="The day it happened.")
    date_is_known = models.BooleanField(
        default=True,
        help_text="False when the source gives no exact day and the date is an assumption the "
        "note explains; timing figures leave such dates out.",
    )
    reasons = models.JSONField(
        default=list,
        blank=True,
        help_text="Codes of the law's reasons: the one for an extension, those cited in a denial.",
    )
    agency_words = models.TextField(
        blank=True, help_text="What the agency wrote, quoted as it wrote it."
    )
    note = models.TextField(blank=True, help_text="About this step, never about a person.")
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    recorded_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["on", "pk"]
        constraints = [
            models.CheckConstraint(
                condition=Q(kind__in=EventKind.values),
                name="records_event_kind_known",
                violation_error_message="The step is not one of the lifecycle.",
            ),
        ]

    def __str__(self) -> str:
        return f"{EventKind(self.kind).label} on {self.on.isoformat()}"

    def clean(self):
        """An extension cites exactly one of the law's reasons, a denial at least one; no other
        step cites any."""
        super().clean()
        if not self.request_id or not isinstance(self.reasons, list):
            return
        law = self.request.governing_law
        try:
            if self.kind == EventKind.EXTENSION_CLAIMED:
                if len(self.reasons) != 1:
                    raise ValueError(
                        "An extension is claimed with one of the law's reasons: "
                        f"{', '.join(reason.code for reason in law.extension_reasons)}."
                    )
                law.extension_reason(self.reasons[0])
            elif self.kind == EventKind.DENIED:
                if not self.reasons:
                    raise ValueError(
                        "A denial needs the exemption or reason the agency cited: "
                        f"{', '.join(reason.code for reason in law.denial_reasons)}."
                    )
                for code in self.reasons:
                    law.denial_reason(code)
            elif self.reasons:
                raise ValueError(
                    f"Only an extension or a denial cites reasons, not “{self.get_kind_display()}”."
                )
        except ValueError as error:
            raise ValidationError({"reasons": str(error)}) from None


class _StoredFile(models.Model):
    name = models.CharField(max_length=200, help_text="The file's name as it was received.")
    sha256 = models.CharField(max_length=64, help_text="SHA-256 of the file's bytes.")
    size = models.PositiveBigIntegerField()

    class Meta:
        abstract = True

    def __str__(self) -> str:
        return f"{self.name} ({self.sha256[:12]}…)"


class Correspondence(_StoredFile):
    """A letter or email of one step: the request itself, an agency's answer, a follow-up."""

    event = models.ForeignKey(RequestEvent, on_delete=models.PROTECT, related_name="correspondence")
    file = models.FileField(storage=records_storage, upload_to=_correspondence_path, max_length=300)

    class Meta:
        ordering = ["event", "pk"]
        verbose_name_plural = "correspondence"


class ReleasedDocument(_StoredFile):
    """A document the agency released, stored with its hash so that what was audited can be
    shown to be what was received."""

    request = models.ForeignKey(
        RecordsRequest, on_delete=models.PROTECT, related_name="released_documents"
    )
    event = models.ForeignKey(
        RequestEvent,
        on_delete=models.PROTECT,
        related_name="released_documents",
        help_text="The release it came with.",
    )
    file = models.FileField(storage=records_storage, upload_to=_release_path, max_length=300)
    # The intake audit of the document (``intake.audit``): its tables, their structure and every
    # finding — totals that do not add up, conflated categories, missing breakdowns — kept with
    # the request, so whoever reads what was released reads what was wrong with it.
    audit = models.JSONField(null=True, blank=True)
    audited_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["request", "pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["request", "sha256"],
                name="records_release_stored_once",
                violation_error_message="This document is already stored with this request.",
            )
        ]

    @property
    def findings(self) -> list[dict]:
        """Every finding of the document's audit, its tables' and those across tables."""
        if not self.audit:
            return []
        return [
            *(finding for table in self.audit["tables"] for finding in table["findings"]),
            *self.audit["cross_table_findings"],
        ]
