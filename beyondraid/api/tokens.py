"""Making, revoking and checking agency integration tokens (``models.IntegrationToken``).

A token reads ``br_<prefix>_<secret>``: the prefix finds it, the secret proves it. Only an
administrator of the agency makes or revokes its tokens; the token is shown once.
"""

import datetime
import hashlib
import hmac
import secrets
from dataclasses import dataclass

from django.utils import timezone

from beyondraid.standard import access
from beyondraid.standard.models import Agency

from .models import RECORD_TYPES, IntegrationToken

# A token that never expires is a door left open: at most a year, then a new one.
LONGEST_LIFE = datetime.timedelta(days=366)
LAST_USE_PRECISION = datetime.timedelta(minutes=1)
_KNOWN_TYPES = {code for code, _ in RECORD_TYPES}


class TokenRefused(Exception):
    """A plain message saying what to change."""


class TokenInvalid(Exception):
    """The token does not open the API; the message says why without helping a guesser."""


@dataclass(frozen=True)
class Issued:
    token: IntegrationToken
    text: str  # shown once, never stored


def may_manage_tokens(user, agency: Agency) -> bool:
    """The agency's own administrators (its organisation administrators) manage its tokens."""
    return (
        access.role_of(user) is not None
        and user.organisation_id == agency.pk
        and user.is_organisation_admin
    )


def _hash(secret: str) -> str:
    return hashlib.sha256(secret.encode()).hexdigest()


def issue(
    *,
    user,
    agency: Agency,
    name: str,
    can_read: bool,
    can_write: bool,
    record_types,
    expires_on: datetime.date,
) -> Issued:
    if not may_manage_tokens(user, agency):
        raise TokenRefused(f"Only an administrator of {agency} makes its tokens.")
    name = (name or "").strip()
    if not name:
        raise TokenRefused("Name the system that will use the token.")
    if not (can_read or can_write):
        raise TokenRefused("A token must at least read or write.")
    record_types = list(dict.fromkeys(record_types or ()))
    unknown = sorted(set(record_types) - _KNOWN_TYPES)
    if unknown or not record_types:
        raise TokenRefused(
            "Choose the kinds of record the token may use, from: "
            + ", ".join(code for code, _ in RECORD_TYPES)
            + "."
        )
    today = timezone.localdate()
    if not today < expires_on <= today + LONGEST_LIFE:
        raise TokenRefused(
            f"A token expires after today and within a year, by {today + LONGEST_LIFE}."
        )
    secret = secrets.token_urlsafe(32)
    prefix = secrets.token_hex(6)
    token = IntegrationToken.objects.create(
        agency=agency,
        name=name,
        prefix=prefix,
        secret_hash=_hash(secret),
        can_read=can_read,
        can_write=can_write,
        record_types=record_types,
        created_by=user,
        expires_on=expires_on,
    )
    return Issued(token=token, text=f"br_{prefix}_{secret}")


def revoke(*, user, token: IntegrationToken) -> IntegrationToken:
    if not may_manage_tokens(user, token.agency):
        raise TokenRefused(f"Only an administrator of {token.agency} revokes its tokens.")
    if token.revoked_at is None:
        token.revoked_at, token.revoked_by = timezone.now(), user
        token.save(update_fields=["revoked_at", "revoked_by"])
    return token


def tokens_for(user) -> list[IntegrationToken]:
    """The tokens of the user's agency, for its administrators."""
    agency = getattr(user, "organisation", None)
    if agency is None or not may_manage_tokens(user, agency):
        return []
    return list(IntegrationToken.objects.filter(agency=agency).select_related("created_by"))


def check(text: str) -> IntegrationToken:
    """The live token ``text`` is, or ``TokenInvalid``."""
    try:
        scheme, prefix, secret = text.split("_", 2)
    except ValueError:
        raise TokenInvalid("This is not a token of this API.") from None
    token = IntegrationToken.objects.select_related("agency").filter(prefix=prefix).first()
    if scheme != "br" or token is None or not hmac.compare_digest(token.secret_hash, _hash(secret)):
        raise TokenInvalid("This token is not valid.")
    if token.revoked_at is not None:
        raise TokenInvalid("This token was revoked.")
    if token.expires_on < timezone.localdate():
        raise TokenInvalid(f"This token expired on {token.expires_on}.")
    now = timezone.now()
    # The tokens page shows when a token was last used, to the minute; every request is in the
    # audit log anyway, so a busy system's token is not written on every request.
    if token.last_used_at is None or now - token.last_used_at >= LAST_USE_PRECISION:
        IntegrationToken.objects.filter(pk=token.pk).update(last_used_at=now)
    return token
