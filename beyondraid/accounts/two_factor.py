"""Two-factor sign-in: who needs it, setting it up, checking codes, and resetting it.

Who needs it is decided by ``needs_two_factor``. The second factor is an authenticator app
(TOTP, RFC 6238), with ten one-time recovery codes kept as a static device for when the phone is
lost. Views call these functions and decide nothing on their own.
"""

import binascii
import math
import re
from base64 import b32decode, b32encode

import segno
from django.db import transaction
from django.utils import timezone
from django_otp import devices_for_user
from django_otp.plugins.otp_static.models import StaticDevice, StaticToken
from django_otp.plugins.otp_totp.models import TOTPDevice

from .audit import record
from .models import AuditEntry

RECOVERY_CODE_COUNT = 10
_TOTP_NAME = "Authenticator app"
_RECOVERY_NAME = "Recovery codes"
_HEX_SECRET = re.compile(r"[0-9a-fA-F]{40}")
# django-otp keeps keys of up to 40 bytes, written as hexadecimal digits.
_MAX_KEY_HEX_DIGITS = 80


def needs_two_factor(*, user) -> bool:
    """Whether ``user`` must pass a second factor before using the site.

    Every user with any of the six staff roles does, administrators included: an administrator
    can reset every other user's two-factor sign-in, so their password alone must never be
    enough. Every superuser does too. Only an account with neither (which can see nothing) does
    not.
    """
    if not user or not user.is_authenticated:
        return False
    return bool(getattr(user, "role", "")) or user.is_superuser


def is_signed_in(*, user) -> bool:
    """Signed in, with the second factor given where it is needed. ``is_verified`` comes from
    django-otp's middleware; a request that did not pass through it has given no code."""
    if not user or not user.is_authenticated:
        return False
    is_verified = getattr(user, "is_verified", None)
    return bool(is_verified and is_verified()) or not needs_two_factor(user=user)


def confirmed_totp_device(*, user) -> TOTPDevice | None:
    return TOTPDevice.objects.devices_for_user(user, confirmed=True).order_by("pk").first()


def start_enrolment(*, user) -> TOTPDevice:
    """The unconfirmed authenticator device ``user`` is setting up.

    Reloading the set-up page keeps the same secret, so a code scanned a moment ago still works.
    """
    pending = TOTPDevice.objects.devices_for_user(user, confirmed=False).order_by("pk").first()
    if pending is not None:
        return pending
    return TOTPDevice.objects.create(user=user, name=_TOTP_NAME, confirmed=False)


def readable_secret(*, device: TOTPDevice) -> str:
    """The secret in base32, as authenticator apps ask for it, in groups of four to copy by hand."""
    secret = b32encode(device.bin_key).decode().rstrip("=")
    return " ".join(secret[index : index + 4] for index in range(0, len(secret), 4))


def qr_code_data_uri(*, device: TOTPDevice) -> str:
    """The device's set-up link as a QR code, an SVG image in a ``data:`` URI.

    Made on the server so that the page needs no script, and the secret never leaves this site.
    """
    qr_code = segno.make(device.config_url, error="m")
    return qr_code.svg_data_uri(scale=5, border=4, dark="#1b1b1b", light="#ffffff")


def _normalised(token: str) -> str:
    # People copy codes with spaces or hyphens; neither is part of a code.
    return re.sub(r"[\s-]", "", token or "").lower()


@transaction.atomic
def confirm_enrolment(*, user, device: TOTPDevice, token: str) -> list[str]:
    """Confirm ``device`` with a code from the app and return ten new recovery codes.

    Returns an empty list when the code is wrong (nothing changes then). The codes are shown to
    the user once; any earlier authenticator device or recovery codes of the user stop working.
    """
    if device.user_id != user.pk or device.confirmed:
        return []
    if not device.verify_token(_normalised(token)):
        return []
    TOTPDevice.objects.filter(user=user).exclude(pk=device.pk).delete()
    device.confirmed = True
    device.save(update_fields=["confirmed"])
    codes = _new_recovery_codes(user)
    record(AuditEntry.Action.TWO_FACTOR_ENROLLED, instance=user, user=user)
    return codes


def _new_recovery_codes(user) -> list[str]:
    StaticDevice.objects.filter(user=user).delete()
    static = StaticDevice.objects.create(user=user, name=_RECOVERY_NAME, confirmed=True)
    codes = [StaticToken.random_token() for _ in range(RECOVERY_CODE_COUNT)]
    StaticToken.objects.bulk_create(StaticToken(device=static, token=code) for code in codes)
    return codes


@transaction.atomic
def verify(*, user, token: str) -> TOTPDevice | StaticDevice | None:
    """The confirmed device that accepts ``token``: a six-digit code of the authenticator app or a
    recovery code (used up once accepted). None when no device accepts it.

    A code is tried only on the kind of device it can belong to, so that a recovery code does not
    count as a wrong code of the app. Both kinds slow down repeated wrong codes (django-otp's
    throttling), and a code of the app is accepted only once.
    """
    token = _normalised(token)
    if not token:
        return None
    model = TOTPDevice if re.fullmatch(r"[0-9]{6}", token) else StaticDevice
    devices = model.objects.devices_for_user(user, confirmed=True).select_for_update()
    for device in devices.order_by("pk"):
        if device.verify_token(token):
            return device
    return None


def seconds_to_wait(*, user) -> int:
    """How long before a code of ``user`` is checked again: after each wrong code django-otp makes
    the next try wait twice as long (1, 2, 4 … seconds). 0 when a code may be tried now."""
    waits = [0]
    for device in devices_for_user(user, confirmed=None):
        allowed, details = device.verify_is_allowed()
        if not allowed and details and details.get("locked_until"):
            left = (details["locked_until"] - timezone.now()).total_seconds()
            waits.append(math.ceil(left))
    return max(waits)


@transaction.atomic
def enrol_with_secret(*, user, secret: str) -> TOTPDevice:
    """Give ``user`` a confirmed authenticator device with a known ``secret``, replacing any other.

    For the demo, which prints the secret so that a visitor can add it to an app and sign in.
    ``secret`` is 40 hexadecimal digits (django-otp's own form) or base32 (as apps show it;
    spaces and padding may be left out). Recovery codes are left as they are. Raises ValueError
    for a secret in neither form.
    """
    compact = re.sub(r"\s", "", secret)
    if _HEX_SECRET.fullmatch(compact):
        key = compact.lower()
    else:
        try:
            padded = compact.upper() + "=" * (-len(compact) % 8)
            key = b32decode(padded).hex()
        except (binascii.Error, ValueError) as error:
            raise ValueError(
                "The secret must be 40 hexadecimal digits or a base32 secret as apps show it."
            ) from error
    if not 0 < len(key) <= _MAX_KEY_HEX_DIGITS:
        raise ValueError("The secret must hold between 1 and 40 bytes.")
    TOTPDevice.objects.filter(user=user).delete()
    device = TOTPDevice.objects.create(user=user, name=_TOTP_NAME, key=key, confirmed=True)
    record(AuditEntry.Action.TWO_FACTOR_ENROLLED, instance=user)
    return device


@transaction.atomic
def reset(*, user) -> None:
    """Remove every two-factor device of ``user``, confirmed or not: their next sign-in sets up a
    new one. Sessions verified with a removed device stop being verified at their next request.

    Logged as ``two_factor_reset`` of ``user``, done by whoever is acting (the signed-in manager
    through the audit middleware, or ``acting_as``); callers do not log it again.
    """
    for device in list(devices_for_user(user, confirmed=None)):
        device.delete()
    record(AuditEntry.Action.TWO_FACTOR_RESET, instance=user)
