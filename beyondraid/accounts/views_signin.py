"""Signing in (password, then a second factor), signing out, and the admin's way in.

The password step signs the user in to Django, but ``TwoFactorRequiredMiddleware`` keeps a user
who needs a second factor on the two-factor pages until a code has verified the session. The
rules live in ``two_factor``; django-axes counts wrong passwords (``authenticate`` gets the
request) and answers a locked-out attempt with ``accounts/locked_out.html``.
"""

from django.conf import settings
from django.contrib import admin, auth
from django.shortcuts import redirect, render, resolve_url
from django.template.defaultfilters import pluralize
from django.urls import reverse
from django.utils.http import url_has_allowed_host_and_scheme, urlencode
from django.views.decorators.cache import never_cache
from django.views.decorators.debug import sensitive_post_parameters
from django.views.decorators.http import require_GET, require_http_methods, require_POST
from django_otp import login as otp_login

from . import two_factor
from .audit import acting_as, record
from .forms_signin import CodeForm, SignInForm
from .models import AuditEntry

WRONG_CODE = (
    "That code did not work. Enter the code your app shows now; it changes every 30 seconds."
)
WRONG_SET_UP_CODE = (
    "That code did not work. Check that the app was set up with the secret on this page, then "
    "enter the code it shows now."
)


def _next_url(request, default: str = "") -> str:
    """Where to go once signed in: the page asked for, if it is on this site, else ``default``
    or the home page."""
    candidate = request.POST.get("next") or request.GET.get("next") or ""
    if url_has_allowed_host_and_scheme(
        candidate, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    ):
        return candidate
    return default or resolve_url(settings.LOGIN_REDIRECT_URL)


def _with_next(url_name: str, next_url: str) -> str:
    return f"{reverse(url_name)}?{urlencode({'next': next_url})}"


def _refuse_while_throttled(form, user) -> bool:
    """Say so, and check nothing, while wrong codes make the user wait."""
    seconds = two_factor.seconds_to_wait(user=user)
    if seconds:
        form.add_error(
            "code",
            f"Too many wrong codes. Wait {seconds} second{pluralize(seconds)}, then enter the "
            "code your app shows.",
        )
    return bool(seconds)


def _signed_in(request) -> bool:
    return two_factor.is_signed_in(user=request.user)


def _second_factor_step_elsewhere(request, next_url: str, *, here: str):
    """A redirect when this user belongs on another step: signed out to the sign-in page,
    already verified onwards, otherwise to the code page if an app is set up and to set-up if
    not. Set-up is never offered to someone who has an app: a password alone must never replace
    the second factor. None when ``here`` is the right step."""
    user = request.user
    if not user.is_authenticated:
        return redirect(_with_next("accounts:sign_in", next_url))
    if _signed_in(request):
        return redirect(next_url)
    has_app = two_factor.confirmed_totp_device(user=user) is not None
    step = "accounts:two_factor" if has_app else "accounts:two_factor_enrol"
    return None if step == here else redirect(_with_next(step, next_url))


def _finish(request, device) -> None:
    # A new session key once the second factor is passed, as at the password step.
    request.session.cycle_key()
    otp_login(request, device)
    record(AuditEntry.Action.SIGN_IN, user=request.user, object_label=device.name)


@sensitive_post_parameters("password")
@never_cache
@require_http_methods(["GET", "POST"])
def sign_in(request):
    next_url = _next_url(request)
    user = request.user
    if user.is_authenticated and not _signed_in(request):
        return redirect(_with_next("accounts:two_factor", next_url))
    if request.method == "POST":
        form = SignInForm(request, data=request.POST)
        if form.is_valid():
            user = form.get_user()
            auth.login(request, user)
            if two_factor.needs_two_factor(user=user):
                return redirect(_with_next("accounts:two_factor", next_url))
            record(AuditEntry.Action.SIGN_IN, user=user)
            return redirect(next_url)
        # Only analysts and administrators read the log; it may name what was typed.
        with acting_as(None, label="not signed in"):
            record(
                AuditEntry.Action.SIGN_IN_FAILED,
                object_type="password",
                object_label=request.POST.get("username", "")[:150],
            )
    elif user.is_authenticated:
        # Reached when a page refused the account (the records administration for a user without
        # a staff role): saying so avoids sending the user back and forth.
        return render(
            request,
            "accounts/sign_in.html",
            {"signed_in_as": user, "refused": "next" in request.GET},
        )
    else:
        form = SignInForm(request)
    return render(request, "accounts/sign_in.html", {"form": form, "next": next_url})


@never_cache
@require_http_methods(["GET", "POST"])
def two_factor_verify(request):
    next_url = _next_url(request)
    elsewhere = _second_factor_step_elsewhere(request, next_url, here="accounts:two_factor")
    if elsewhere:
        return elsewhere
    user = request.user
    form = CodeForm(request.POST or None)
    if form.is_valid() and not _refuse_while_throttled(form, user):
        device = two_factor.verify(user=user, token=form.cleaned_data["code"])
        if device is not None:
            _finish(request, device)
            return redirect(next_url)
        form.add_error("code", WRONG_CODE)
        record(AuditEntry.Action.SIGN_IN_FAILED, user=user, object_type="two-factor code")
    return render(request, "accounts/two_factor_verify.html", {"form": form, "next": next_url})


@never_cache
@require_http_methods(["GET", "POST"])
def two_factor_enrol(request):
    next_url = _next_url(request)
    elsewhere = _second_factor_step_elsewhere(request, next_url, here="accounts:two_factor_enrol")
    if elsewhere:
        return elsewhere
    user = request.user
    device = two_factor.start_enrolment(user=user)
    form = CodeForm(request.POST or None, set_up=True)
    if form.is_valid() and not _refuse_while_throttled(form, user):
        codes = two_factor.confirm_enrolment(
            user=user, device=device, token=form.cleaned_data["code"]
        )
        if codes:
            _finish(request, device)
            return render(
                request, "accounts/recovery_codes.html", {"codes": codes, "next": next_url}
            )
        form.add_error("code", WRONG_SET_UP_CODE)
    return render(
        request,
        "accounts/two_factor_enrol.html",
        {
            "form": form,
            "next": next_url,
            "secret": two_factor.readable_secret(device=device),
            "qr_code": two_factor.qr_code_data_uri(device=device),
        },
    )


@require_POST
def sign_out(request, extra_context=None):
    """Sign out (also the records administration's "Log out"; ``extra_context`` is the admin's)."""
    if request.user.is_authenticated:
        record(AuditEntry.Action.SIGN_OUT, user=request.user)
    auth.logout(request)
    return redirect("accounts:signed_out")


@require_GET
def signed_out(request):
    return render(request, "accounts/signed_out.html")


@require_GET
def admin_login(request, extra_context=None):
    """The records administration's sign-in page, replaced by ours so that it needs the second
    factor too; the page asked for is kept. A user already in goes on, as with Django's page."""
    next_url = _next_url(request, default=reverse("admin:index"))
    if _signed_in(request) and admin.site.has_permission(request):
        return redirect(next_url)
    return redirect(_with_next("accounts:sign_in", next_url))
