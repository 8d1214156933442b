"""Staff accounts, the roles given to them, and the audit log.

Every user belongs to one organisation (an Agency) and has one role of the ``staff_role``
vocabulary; what they may see follows from the two (``beyondraid.standard.access``). A role is
given through a ``RoleGrant`` that a second manager confirms. Users are deactivated, never
deleted, so that the audit log keeps pointing at them.
"""

from django.contrib.auth.models import AbstractUser
from django.core.exceptions import ValidationError
from django.db import models
from django.utils import timezone

from beyondraid.standard.models import Agency, coded, in_vocabulary
from beyondraid.standard.vocabulary import vocabulary


class User(AbstractUser):
    organisation = models.ForeignKey(
        Agency,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="staff",
        help_text="The organisation the person works for; they see only what it may see.",
    )
    role = coded("staff_role", blank=True, help_text="What the person does in the system.")
    is_organisation_admin = models.BooleanField(
        default=False,
        help_text="May invite and deactivate the users of their own organisation.",
    )

    class Meta:
        ordering = ["username"]
        constraints = [
            in_vocabulary("role", "staff_role", blank=True),
            models.CheckConstraint(
                condition=models.Q(role="") | models.Q(organisation__isnull=False),
                name="accounts_user_with_a_role_has_an_organisation",
                violation_error_message="A user with a role belongs to an organisation.",
            ),
        ]

    @property
    def sees_person_level_data(self) -> bool:
        return bool(self.role) and vocabulary("staff_role").term(self.role).attributes.get(
            "sees_person_level", False
        )

    def clean(self):
        """A user with a role belongs to an organisation."""
        super().clean()
        if self.role and not self.organisation_id:
            raise ValidationError(
                {"organisation": "Choose the organisation this person works for."}
            )

    def delete(self, *args, **kwargs):
        raise ValidationError("Users are deactivated, never deleted, so the audit log stays whole.")


class AuditEntryQuerySet(models.QuerySet):
    def update(self, **kwargs):
        raise ValidationError("The audit log is append-only: entries are never changed.")

    def delete(self):
        raise ValidationError("The audit log is append-only: entries are never deleted.")


class AuditEntry(models.Model):
    """One thing that happened: a record created, changed or deleted, a person-level page viewed,
    an export downloaded, a sign-in, a change to a user.

    Append-only: the application has no path to change or remove an entry, and on PostgreSQL a
    trigger refuses UPDATE and DELETE as well. Values of fields are never copied here, only
    their names, and a record about a person is named by its kind alone, never by its code: the
    log is read by administrators, who may not read such records, so it says nothing about a
    person. The type and id point at the record, which only those who may read it can open.
    """

    class Action(models.TextChoices):
        CREATE = "create", "Created"
        UPDATE = "update", "Changed"
        DELETE = "delete", "Deleted"
        VIEW = "view", "Viewed"
        EXPORT = "export", "Exported"
        SIGN_IN = "sign_in", "Signed in"
        SIGN_IN_FAILED = "sign_in_failed", "Failed to sign in"
        SIGN_OUT = "sign_out", "Signed out"
        USER_INVITED = "user_invited", "Invited a user"
        USER_DEACTIVATED = "user_deactivated", "Deactivated a user"
        TWO_FACTOR_RESET = "two_factor_reset", "Reset two-factor sign-in"
        TWO_FACTOR_ENROLLED = "two_factor_enrolled", "Set up two-factor sign-in"
        IMPORT = "import", "Imported records"
        IMPORT_UNDONE = "import_undone", "Undid an import"
        KEY_UNLOCKED = "key_unlocked", "Unlocked the oversight key"
        KEY_UNLOCK_FAILED = "key_unlock_failed", "Failed to unlock the oversight key"
        API_REQUEST = "api_request", "Called the API with an integration token"
        ROLE_GRANT_REQUESTED = "role_grant_requested", "Asked to give a role"
        ROLE_GRANT_CONFIRMED = "role_grant_confirmed", "Confirmed a role"
        ROLE_GRANT_REFUSED = "role_grant_refused", "Refused a role"

    at = models.DateTimeField(default=timezone.now, db_index=True)
    actor = models.ForeignKey(
        User, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    actor_label = models.CharField(
        max_length=150, help_text="The username, or the command that acted when nobody signed in."
    )
    action = models.CharField(max_length=30, choices=Action.choices)
    object_type = models.CharField(max_length=100, blank=True, db_index=True)
    object_id = models.CharField(max_length=64, blank=True, db_index=True)
    object_label = models.CharField(
        max_length=200,
        blank=True,
        help_text=(
            "A code or name; for a record about a person only its kind, never its code or "
            "anything it says about the person."
        ),
    )
    changed_fields = models.JSONField(default=list, blank=True)

    objects = AuditEntryQuerySet.as_manager()

    class Meta:
        ordering = ["-at", "-pk"]
        verbose_name_plural = "audit entries"
        indexes = [models.Index(fields=["object_type", "object_id", "at"])]

    def __str__(self) -> str:
        return f"{self.at:%Y-%m-%d %H:%M} {self.actor_label} {self.get_action_display()}"

    def save(self, *args, **kwargs):
        if self.pk is not None:
            raise ValidationError("The audit log is append-only: entries are never changed.")
        super().save(*args, **kwargs)

    def delete(self, *args, **kwargs):
        raise ValidationError("The audit log is append-only: entries are never deleted.")


class RoleGrant(models.Model):
    """A role given to an account, which takes effect only once a second manager confirms it.

    Every role but administrator reads person-level data, and administrators and organisation
    admins decide grants themselves; so nobody may give access alone (issue 19): another manager
    of the granting manager's own organisation confirms or refuses each grant. Neither the one
    who asked nor the account it is for can decide it.
    """

    class Status(models.TextChoices):
        PENDING = "pending", "Waiting for confirmation"
        CONFIRMED = "confirmed", "Confirmed"
        REFUSED = "refused", "Refused"

    user = models.ForeignKey(
        User,
        on_delete=models.PROTECT,
        related_name="role_grants",
        help_text="The account that gets the role.",
    )
    role = coded("staff_role")
    is_organisation_admin = models.BooleanField(default=False)
    organisation = models.ForeignKey(
        Agency,
        on_delete=models.PROTECT,
        related_name="+",
        help_text="The organisation of the manager who asked; another of its managers decides.",
    )
    requested_by = models.ForeignKey(User, on_delete=models.PROTECT, related_name="+")
    requested_at = models.DateTimeField(default=timezone.now)
    status = models.CharField(max_length=20, choices=Status.choices, default=Status.PENDING)
    decided_by = models.ForeignKey(
        User, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    decided_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-requested_at", "-pk"]
        constraints = [
            in_vocabulary("role", "staff_role"),
            models.CheckConstraint(
                condition=models.Q(
                    status="pending", decided_by__isnull=True, decided_at__isnull=True
                )
                | (
                    ~models.Q(status="pending")
                    & models.Q(decided_by__isnull=False, decided_at__isnull=False)
                ),
                name="accounts_rolegrant_decided_by_someone_when_decided",
                violation_error_message="A decided grant says who decided it and when.",
            ),
            models.CheckConstraint(
                condition=~models.Q(requested_by=models.F("user")),
                name="accounts_rolegrant_not_asked_for_oneself",
                violation_error_message="Nobody gives a role to themselves.",
            ),
            models.CheckConstraint(
                condition=models.Q(decided_by__isnull=True)
                | ~(
                    models.Q(decided_by=models.F("requested_by"))
                    | models.Q(decided_by=models.F("user"))
                ),
                name="accounts_rolegrant_decided_by_another_manager",
                violation_error_message=(
                    "A role is confirmed or refused by another manager than the one who asked "
                    "for it, and never by the account it is for."
                ),
            ),
            models.UniqueConstraint(
                fields=["user"],
                condition=models.Q(status="pending"),
                name="accounts_rolegrant_one_pending_per_account",
                violation_error_message=(
                    "A role for this account is already waiting for confirmation: confirm or "
                    "refuse that one first."
                ),
            ),
        ]

    def __str__(self) -> str:
        admin = ", organisation admin" if self.is_organisation_admin else ""
        return f"{self.get_role_display()}{admin} for {self.user.username}"
