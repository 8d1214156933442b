"""Anonymous reports of abuse by officers, and their investigation (issue 8; 2021 report Rec 2.2
and 3.3, R76-R82; 2009 report R-130-R-160).

What the reporter wrote — what happened, when and where, the operation, the officers — exists in
the database only sealed to the oversight body's public key (``sealing``): a copy of the database
reveals no report text. The report is found again only through its receipt's slow derivation
(``Report.lookup``), and the reporter reads the investigators' messages with a key derived from
the receipt too (``Report.reader_key``). Nothing here says who the reporter is: no account, no
address, no device, and dates rather than times — in the rows, and in the audit log too
(``audit_day_precision``), where the moment a report or a message was written, lined up with a
network log, would point at the person who wrote it.

What the investigators record — the agency and operation the report concerns, the state of the
case, the finding and the action — is in clear, because it is theirs, it drives the clocks and
the conflict check, and it is what the public figures count.
"""

from django.conf import settings
from django.db import models
from django.db.models import F, Q
from django.utils.translation import gettext_lazy as _

from beyondraid.core.codes import new_code
from beyondraid.standard.models import Agency, Operation


class Conduct(models.TextChoices):
    """What happened, as the reporter chooses it: the conduct both reports describe (2009 report
    R-130-R-160; 2021 report R80)."""

    SEXUAL_CONTACT = "sexual_contact", _("Sexual contact or sexual abuse")
    SEXUAL_SOLICITATION = "sexual_solicitation", _("Sexual solicitation or explicit images")
    FORCE = "force", _("Excessive force or painful restraint")
    VERBAL_ABUSE = "verbal_abuse", _("Verbal abuse, slurs or misgendering")
    THREATS = (
        "threats",
        _("Threats of arrest, charges or deportation to get information or cooperation"),
    )
    CONDITIONAL_SERVICES = "conditional_services", _("Services made conditional on cooperation")
    DENIAL_OF_NEEDS = (
        "denial_of_needs",
        _("Denial of food, water, clothing, a phone call or contact with family"),
    )
    PROPERTY = "property", _("Money, property or phone seized or mocked")
    QUESTIONING = (
        "questioning",
        _("Questioning during or right after an operation, or without an advocate or lawyer"),
    )
    EXPOSURE = "exposure", _("Photographs or media exposure")
    OTHER = "other", _("Something else")


class ReporterIs(models.TextChoices):
    """Who is reporting, in their own words' closest category; optional."""

    OFFICER = "officer", _("A law-enforcement officer or staff member")
    ENCOUNTERED = "encountered", _("A person who was encountered in an operation")
    ADVOCATE = "advocate", _("An advocate or service provider")
    WITNESS = "witness", _("A witness")
    OTHER = "other", _("Someone else")
    NOT_SAID = "", _("I would rather not say")


class Channel(models.TextChoices):
    """Which page a report came in through: a report of abuse by officers, or the feedback of a
    person who was encountered or received services about how they were treated (issue 22;
    R-032, R-040, R-084, R-087, R-092). Both are sealed, anonymous and triaged alike."""

    MISCONDUCT = "misconduct", _("Report of abuse by officers")
    FEEDBACK = "feedback", _("Feedback from a person encountered or served")


class MisconductType(models.TextChoices):
    """What the investigators found the report is about, set at triage from their reading, never
    read by the system from the sealed text: the reporter's own list (``Conduct``) and the kinds
    of misconduct the 2009 report names beyond it (R-145, R-148-R-150, R-160)."""

    SEXUAL_MISCONDUCT = "sexual_misconduct", _("Sexual contact, abuse or solicitation")
    FORCE = "force", _("Excessive force or painful restraint")
    VERBAL_ABUSE = "verbal_abuse", _("Verbal abuse, slurs or misgendering")
    THREATS = "threats", _("Threats to get information or cooperation")
    CONDITIONAL_SERVICES = "conditional_services", _("Services made conditional on cooperation")
    DENIAL_OF_NEEDS = "denial_of_needs", _("Denial of basic needs or of contact")
    PROPERTY = "property", _("Money, property or phone seized or mocked")
    QUESTIONING = "questioning", _("Questioning without protections")
    EXPOSURE = "exposure", _("Photographs or media exposure")
    BRIBERY = "bribery", _("Corruption: bribes")
    TIP_OFF = "tip_off", _("Corruption: tipping off")
    EXTORTION = "extortion", _("Corruption: extortion")
    CONFINEMENT = "confinement", _("Confinement without explanation or end")
    WITHHOLDING_INFORMATION = "withholding_information", _("Withholding information")
    PRESSURE_TO_MISLEAD = "pressure_to_mislead", _("Pressure to mislead or to sign")
    RETALIATION = "retaliation", _("Retaliation after an arrest")
    OTHER = "other", _("Other misconduct")


class FeedbackAnswer(models.TextChoices):
    YES = "yes", _("Yes")
    NO = "no", _("No")
    NOT_SAID = "not_said", _("Not said")


class OversightKeyring(models.Model):
    """The oversight body's public key and its private key wrapped once per investigator
    (``sealing.Keyring.as_dict``). There is one; the private key is never stored in clear."""

    data = models.JSONField()
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        constraints = [
            models.CheckConstraint(condition=Q(pk=1), name="accountability_one_keyring"),
        ]

    def __str__(self) -> str:
        return "Oversight keyring"


class Report(models.Model):
    class State(models.TextChoices):
        RECEIVED = "received", _("Received")
        ACKNOWLEDGED = "acknowledged", _("Acknowledged")
        TRIAGED = "triaged", _("Triaged")
        ASSIGNED = "assigned", _("Assigned to an investigator")
        INVESTIGATING = "investigating", _("Under investigation")
        ADJUDICATED = "adjudicated", _("Adjudicated")
        ACTION = "action", _("Action decided")
        CLOSED = "closed", _("Closed")

    class Finding(models.TextChoices):
        SUSTAINED = "sustained", _("Sustained")
        NOT_SUSTAINED = "not_sustained", _("Not sustained")
        EXONERATED = "exonerated", _("Exonerated")
        UNFOUNDED = "unfounded", _("Unfounded")
        POLICY_FAILURE = "policy_failure", _("Policy failure")

    # A finding that the conduct happened: sustained, or a failure of policy rather than of one
    # officer (both mean the reporter was right about what happened). The internal statistics
    # and the public figures both count these as sustained.
    SUSTAINED_FINDINGS = (Finding.SUSTAINED, Finding.POLICY_FAILURE)

    class Action(models.TextChoices):
        NONE = "none", _("No action")
        TRAINING = "training", _("Training")
        SUSPENSION = "suspension", _("Suspension")
        TERMINATION = "termination", _("Termination")
        CRIMINAL_REFERRAL = "criminal_referral", _("Criminal referral")
        OTHER = "other", _("Other action")

    audit_day_precision = True

    # An internal reference for investigators; never shown to the reporter, who has the receipt.
    reference = models.CharField(max_length=20, unique=True, editable=False)
    # Argon2id of the receipt under the deployment's pepper (``receipts.keys_for``).
    lookup = models.BinaryField(max_length=32, unique=True, editable=False)
    # The public half of the reporter's key, derived from the receipt: investigators' messages
    # are sealed to it so that only the receipt opens them.
    reader_key = models.BinaryField(max_length=32, editable=False)
    sealed = models.BinaryField(
        editable=False, help_text="The report, sealed to the oversight key."
    )
    channel = models.CharField(
        max_length=20, choices=Channel.choices, default=Channel.MISCONDUCT, editable=False
    )
    language = models.CharField(max_length=8, help_text="The language the report was written in.")
    received_on = models.DateField()
    state = models.CharField(max_length=20, choices=State.choices, default=State.RECEIVED)
    acknowledged_on = models.DateField(null=True, blank=True)
    feedback_on = models.DateField(
        null=True, blank=True, help_text="The first feedback to the reporter on what was done."
    )
    concerned_agency = models.ForeignKey(
        Agency,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="misconduct_reports",
        help_text="The agency whose officers the report concerns, as the triage found.",
    )
    concerned_unit = models.CharField(
        max_length=120, blank=True, help_text="The unit the report concerns, if it names one."
    )
    operation = models.ForeignKey(
        Operation,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="misconduct_reports",
    )
    assigned_to = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="assigned_reports",
    )
    finding = models.CharField(max_length=20, choices=Finding.choices, blank=True)
    adjudicated_on = models.DateField(null=True, blank=True)
    action = models.CharField(max_length=20, choices=Action.choices, blank=True)
    action_on = models.DateField(null=True, blank=True)
    closed_on = models.DateField(null=True, blank=True)
    keep_until = models.DateField(
        null=True, blank=True, help_text="The end of the retention period for this outcome."
    )

    class Meta:
        ordering = ["-received_on", "reference"]
        constraints = [
            models.CheckConstraint(
                condition=Q(channel__in=Channel.values),
                name="accountability_report_channel_known",
            ),
            models.CheckConstraint(
                condition=Q(acknowledged_on__isnull=True)
                | Q(acknowledged_on__gte=F("received_on")),
                name="accountability_acknowledged_after_received",
                violation_error_message="A report cannot be acknowledged before it was received.",
            ),
            models.CheckConstraint(
                condition=Q(finding="", adjudicated_on__isnull=True)
                | (~Q(finding="") & Q(adjudicated_on__isnull=False)),
                name="accountability_finding_is_dated",
                violation_error_message="A finding has its date.",
            ),
            models.CheckConstraint(
                condition=Q(action="", action_on__isnull=True)
                | (~Q(action="") & Q(action_on__isnull=False) & ~Q(finding="")),
                name="accountability_action_follows_a_finding",
                violation_error_message="An action is dated and follows a finding.",
            ),
            models.CheckConstraint(
                condition=~Q(state="closed") | Q(closed_on__isnull=False, keep_until__isnull=False),
                name="accountability_closed_is_dated",
                violation_error_message="A closed report has its closing date and retention.",
            ),
        ]
        indexes = [models.Index(fields=["state"])]

    def __str__(self) -> str:
        return self.reference

    def save(self, *args, **kwargs):
        if not self.reference:
            self.reference = new_code("MR")
        super().save(*args, **kwargs)


class ReportType(models.Model):
    """One type of misconduct the investigators found a report to be about, set at triage
    (R-171: statistics by agency and type)."""

    audit_day_precision = True

    report = models.ForeignKey(Report, on_delete=models.CASCADE, related_name="types")
    type = models.CharField(max_length=30, choices=MisconductType.choices)

    class Meta:
        ordering = ["report", "type"]
        constraints = [
            models.UniqueConstraint(
                fields=["report", "type"], name="accountability_type_once_per_report"
            ),
            models.CheckConstraint(
                condition=Q(type__in=MisconductType.values),
                name="accountability_type_known",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.get_type_display()} ({self.report})"


class FeedbackAnswers(models.Model):
    """What a person's feedback says, as the investigator read it at triage: the four questions
    of the feedback page and whether it carries a complaint. The organisation it concerns is the
    report's ``concerned_agency`` (a provider, a shelter or an agency). These are what the
    indicators and releases count; the words stay sealed."""

    audit_day_precision = True

    report = models.OneToOneField(Report, on_delete=models.CASCADE, related_name="answers")
    rights_explained = models.CharField(
        max_length=10,
        choices=FeedbackAnswer.choices,
        help_text="Were their rights explained to them in their language?",
    )
    free_to_leave = models.CharField(
        max_length=10, choices=FeedbackAnswer.choices, help_text="Did they feel free to leave?"
    )
    without_judgement = models.CharField(
        max_length=10,
        choices=FeedbackAnswer.choices,
        help_text="Were they treated without judgement?",
    )
    help_needed = models.CharField(
        max_length=10,
        choices=FeedbackAnswer.choices,
        help_text="Was the help what they needed?",
    )
    complaint = models.BooleanField(
        default=False, help_text="The feedback carries a complaint about the organisation."
    )

    class Meta:
        verbose_name_plural = "feedback answers"
        constraints = [
            models.CheckConstraint(
                condition=Q(rights_explained__in=FeedbackAnswer.values)
                & Q(free_to_leave__in=FeedbackAnswer.values)
                & Q(without_judgement__in=FeedbackAnswer.values)
                & Q(help_needed__in=FeedbackAnswer.values),
                name="accountability_feedback_answers_known",
            ),
        ]

    def __str__(self) -> str:
        return f"Feedback answers ({self.report})"


class Message(models.Model):
    """One message of a report's thread. Every message is sealed to the oversight key, so the
    investigators keep the whole thread, and to the reporter's key, so the receipt opens it."""

    class Author(models.TextChoices):
        REPORTER = "reporter", _("You")
        INVESTIGATOR = "investigator", _("The investigator")

    audit_day_precision = True

    report = models.ForeignKey(Report, on_delete=models.CASCADE, related_name="messages")
    author = models.CharField(max_length=20, choices=Author.choices)
    sent_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    sent_on = models.DateField()
    for_oversight = models.BinaryField(editable=False)
    for_reporter = models.BinaryField(editable=False)
    is_feedback = models.BooleanField(
        default=False, help_text="Tells the reporter what was done about the report."
    )

    class Meta:
        ordering = ["report", "pk"]
        constraints = [
            models.CheckConstraint(
                condition=Q(author="reporter", sent_by__isnull=True, is_feedback=False)
                | Q(author="investigator", sent_by__isnull=False),
                name="accountability_message_author_consistent",
                violation_error_message="A reporter's message has no sender account; an "
                "investigator's has one.",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.get_author_display()} on {self.sent_on}"


class OfficerMark(models.Model):
    """A keyed hash of one officer identifier a report names (``sealing.keyed_hash``): two reports
    naming the same officer share a mark, so the pattern shows without opening either report."""

    audit_day_precision = True

    report = models.ForeignKey(Report, on_delete=models.CASCADE, related_name="officer_marks")
    digest = models.CharField(max_length=64)

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["report", "digest"], name="accountability_mark_once_per_report"
            ),
        ]
        indexes = [models.Index(fields=["digest"])]

    def __str__(self) -> str:
        return f"Officer mark on {self.report}"


class RetentionExtension(models.Model):
    """A recorded reason to keep a closed report past the retention of its outcome."""

    audit_day_precision = True

    report = models.ForeignKey(Report, on_delete=models.CASCADE, related_name="extensions")
    keep_until = models.DateField()
    reason = models.TextField()
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    recorded_on = models.DateField()

    class Meta:
        ordering = ["report", "recorded_on", "pk"]
        constraints = [
            models.CheckConstraint(
                condition=~Q(reason=""),
                name="accountability_extension_has_a_reason",
                violation_error_message="Say why the report is kept longer.",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.report} kept until {self.keep_until}"


class DailyCount(models.Model):
    """How many times something happened today on the reporting pages (``ratelimit``): one
    connection's reports or wrong receipts, under a name that changes every day and shows no
    address, or every connection's wrong receipts together.

    The name is the primary key, so no sequence number records the order in which counts began,
    and a row holds its day and nothing finer; rows of earlier days are deleted. Never audited:
    a count is not a record of anything anyone did to a report.
    """

    name = models.CharField(max_length=100, primary_key=True)
    day = models.DateField(db_index=True)
    count = models.PositiveIntegerField(default=0)

    def __str__(self) -> str:
        return f"{self.count} on {self.day}"
