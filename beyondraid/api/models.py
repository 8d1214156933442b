"""Agency integration tokens: how an agency's own record system talks to the API (issue 10).

A token belongs to one agency and acts within that agency's boundaries exactly as one of its data
stewards would (``standard.access``), limited further by its scopes: reading, writing, and which
kinds of record. It is shown once when made; only a hash of its secret is kept. It expires, it
can be revoked, and every request made with it is in the audit log.
"""

from django.conf import settings
from django.db import models
from django.db.models import Q

from beyondraid.standard.models import Agency

# The kinds of record a token may be scoped to, as the exchange format names them.
RECORD_TYPES = (
    ("operations", "Operations"),
    ("encounters", "Encounters"),
    ("treatment_events", "Treatment events"),
    ("charges", "Charges"),
    ("service_offers", "Service offers"),
    ("follow_ups", "Follow-ups"),
)


class IntegrationToken(models.Model):
    agency = models.ForeignKey(Agency, on_delete=models.PROTECT, related_name="integration_tokens")
    name = models.CharField(max_length=120, help_text="The system that uses it, in your words.")
    # The public part of the token, shown in lists and in the audit log to tell tokens apart.
    prefix = models.CharField(max_length=16, unique=True, editable=False)
    # SHA-256 of the secret part. The secret is 256 random bits, so a fast hash is enough: there
    # is nothing to guess that a slow one would protect.
    secret_hash = models.CharField(max_length=64, editable=False)
    can_read = models.BooleanField(default=True)
    can_write = models.BooleanField(default=False)
    record_types = models.JSONField(help_text="The kinds of record it may read or write.")
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)
    expires_on = models.DateField(help_text="The last day it works.")
    revoked_at = models.DateTimeField(null=True, blank=True)
    revoked_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
    )
    last_used_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["agency", "-created_at"]
        constraints = [
            models.CheckConstraint(
                condition=Q(can_read=True) | Q(can_write=True),
                name="api_token_reads_or_writes",
                violation_error_message="A token reads, writes, or both.",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.name} ({self.prefix})"

    def covers(self, record_type: str, *, write: bool) -> bool:
        return record_type in self.record_types and (self.can_write if write else self.can_read)


class IdempotentWrite(models.Model):
    """A write sent with an ``Idempotency-Key``, and the answer it got: the same request sent again
    with the same key gets the same answer and writes nothing, so an agency's system can retry
    safely after a timeout. Only writes that succeeded are kept; one that failed changed nothing
    and may simply be sent again."""

    token = models.ForeignKey(
        IntegrationToken, on_delete=models.CASCADE, related_name="idempotent_writes"
    )
    key = models.CharField(max_length=255)
    # SHA-256 of the method, the path and the body, to refuse a key reused for another request.
    fingerprint = models.CharField(max_length=64)
    status_code = models.PositiveSmallIntegerField()
    response = models.JSONField()
    location = models.CharField(max_length=300, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["token", "key"], name="api_idempotency_key_once"),
        ]

    def __str__(self) -> str:
        return f"{self.token.prefix}: {self.key}"
