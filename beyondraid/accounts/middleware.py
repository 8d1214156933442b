"""Request-wide rules of signing in: the second factor is required everywhere, and a session that
ended while idle says so."""

from django.conf import settings
from django.contrib import messages
from django.contrib.auth.views import redirect_to_login
from django.shortcuts import redirect
from django.urls import reverse
from django.utils.http import urlencode

from .two_factor import needs_two_factor

SESSION_ENDED = "Your session ended after 30 minutes without activity. Sign in again."

# Pages a user between the password and the second factor may still open: the steps of
# signing in and out, and what anyone may see without signing in.
_OPEN_URL_NAMES = (
    "home",
    "healthz",
    "accounts:sign_in",
    "accounts:two_factor",
    "accounts:two_factor_enrol",
    "accounts:sign_out",
    "accounts:signed_out",
)


class TwoFactorRequiredMiddleware:
    """Send a signed-in user who needs a second factor (``two_factor.needs_two_factor``) and has
    not given one to the two-factor step, from every page but the open ones, the records
    administration included. Installed after django-otp's ``OTPMiddleware``."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        user = request.user
        if (
            user.is_authenticated
            and not user.is_verified()
            and needs_two_factor(user=user)
            and not _is_open(request.path)
        ):
            query = urlencode({"next": request.get_full_path()})
            return redirect(f"{reverse('accounts:two_factor')}?{query}")
        return self.get_response(request)


def _is_open(path: str) -> bool:
    return path.startswith(settings.STATIC_URL) or path in {
        reverse(name) for name in _OPEN_URL_NAMES
    }


class SessionExpiredMiddleware:
    """Tell a user whose session ended while idle why they are asked to sign in again.

    The browser still sends the session cookie, but the session is gone: sessions are saved only
    once something is stored in them (a sign-in), and signing out deletes the cookie, so a cookie
    without a session means the session expired (or was removed, which needs the same answer).
    Django deletes the stale cookie in the same response, so the message shows once.
    """

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        if _session_ended(request):
            sign_in = reverse("accounts:sign_in")
            if request.path != sign_in:
                messages.info(request, SESSION_ENDED)
                return redirect_to_login(request.get_full_path(), sign_in)
            # A password sent now signs in anew; a message added then would wait for a later page.
            if request.method == "GET":
                messages.info(request, SESSION_ENDED)
        return self.get_response(request)


def _session_ended(request) -> bool:
    return (
        # Signing out empties the cookie; only a browser that kept a session key lost its session.
        request.COOKIES.get(settings.SESSION_COOKIE_NAME)
        and not request.user.is_authenticated
        and request.session.session_key is None
    )
