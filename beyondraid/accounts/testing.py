"""Helpers for tests that need a signed-in user past the two-factor step.

Tests about something other than signing in use ``sign_in_verified``; the sign-in itself is
tested through the real pages in ``beyondraid/accounts/tests``.
"""

from django_otp import DEVICE_ID_SESSION_KEY
from django_otp.oath import TOTP
from django_otp.plugins.otp_totp.models import TOTPDevice

from .two_factor import confirmed_totp_device


def totp_device(user) -> TOTPDevice:
    """The user's confirmed authenticator device, created when they have none."""
    return confirmed_totp_device(user=user) or TOTPDevice.objects.create(
        user=user, name="Authenticator app", confirmed=True
    )


def current_code(device: TOTPDevice) -> str:
    """The code the authenticator app shows now."""
    totp = TOTP(device.bin_key, device.step, device.t0, device.digits, device.drift)
    return f"{totp.token():0{device.digits}d}"


def sign_in_verified(client, user) -> TOTPDevice:
    """Sign ``user`` in on the test ``client`` with their session verified by a real authenticator
    device, as if they had typed their password and a code.

    The session is marked as django-otp's ``login`` marks it, without spending a code, so the
    helper can be called again for the same user within one 30-second step.
    """
    device = totp_device(user)
    client.force_login(user, backend="django.contrib.auth.backends.ModelBackend")
    session = client.session
    session[DEVICE_ID_SESSION_KEY] = device.persistent_id
    session.save()
    return device


def sign_in_in_browser(page, *, username: str, password: str, device: TOTPDevice) -> None:
    """Sign in through the real pages in a Playwright ``page`` that shows the sign-in form: the
    password, then the code the app shows now."""
    page.get_by_label("Username").fill(username)
    page.get_by_label("Password").fill(password)
    page.get_by_role("button", name="Continue").click()
    page.get_by_label("Code").fill(current_code(device))
    page.get_by_role("button", name="Sign in").click()
