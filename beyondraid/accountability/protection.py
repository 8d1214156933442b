"""Refusing forged posts on the reporting pages without leaving a cookie on the reporter's device.

Django's CSRF protection keeps a ``csrftoken`` cookie in the browser for a year: proof, on the
reporter's own phone, that they opened the reporting pages. These pages do without it
(``csrf_exempt``) and check two things instead, neither of which stores anything anywhere:

- **Where the post came from.** A browser names the site whose page sent a form (``Origin``, or
  ``Referer`` from the older ones that send no Origin) and no other site's page can change that.
  A post that names another site, or names none, is refused before anything in it is read: this
  is what stops another site from making a visitor's browser send a report, or open a report with
  a receipt it chose so that the visitor writes into someone else's thread.
- **That the form is one this site showed, recently.** Each form carries a token signed with the
  site's secret key naming the form and when it was shown (``FormToken``). A post without one,
  with one that is altered or made for the other form, or from a page left open more than
  ``FORM_TOKEN_MAX_AGE`` is refused, and the page comes back with what was typed and a new token.

Like Django's own check, both are skipped for the test client unless a test asks for them
(``Client(enforce_csrf_checks=True)``), so that tests about other things can post plainly.
"""

from functools import wraps
from urllib.parse import urlsplit

from django import forms
from django.conf import settings
from django.core import signing
from django.shortcuts import render
from django.utils.translation import gettext_lazy as _
from django.views.decorators.csrf import csrf_exempt

# Long enough to write a long account at one's own pace; a page open longer comes back with its
# text and a fresh token, so nothing is lost.
FORM_TOKEN_MAX_AGE = 6 * 60 * 60

NOT_FROM_THIS_SITE = _(
    "This was not sent from a page of this site, so it was refused and nothing was kept. To "
    "report or to read your answers, open the reporting page of this site and use it there."
)
TOKEN_EXPIRED = _(
    "This page was open for more than %(hours)s hours, so nothing was sent. Send it again now: "
    "what you typed is still here."
)
TOKEN_INVALID = _(
    "This form could not be checked as coming from this page, so nothing was sent. Send it again "
    "now: what you typed is still here."
)


def _checked(request) -> bool:
    # The flag Django's test client sets, read exactly as CsrfViewMiddleware reads it; no real
    # request carries it.
    return not getattr(request, "_dont_enforce_csrf_checks", False)


def _origin(url: str) -> str | None:
    parts = urlsplit(url)
    if not parts.scheme or not parts.netloc:
        return None
    return f"{parts.scheme}://{parts.netloc}".lower()


def posted_from_this_site(request) -> bool:
    """Whether the browser says this post came from a page of this site (or of an origin the
    deployment trusts for Django's own CSRF check)."""
    allowed = {f"{request.scheme}://{request.get_host()}".lower()}
    allowed.update(origin.lower() for origin in settings.CSRF_TRUSTED_ORIGINS)
    origin = request.META.get("HTTP_ORIGIN")
    if origin is not None:
        # "null" is what browsers send from sandboxed frames and pages hiding where they are.
        return origin.lower() in allowed
    return _origin(request.META.get("HTTP_REFERER", "")) in allowed


def refuses_foreign_posts(view):
    """Exempt a reporting view from Django's cookie-based CSRF check and refuse, with a plain
    page, every post that does not come from this site."""

    @csrf_exempt
    @wraps(view)
    def checked_view(request, *args, **kwargs):
        if request.method == "POST" and _checked(request) and not posted_from_this_site(request):
            return render(
                request, "accountability/refused.html", {"message": NOT_FROM_THIS_SITE}, status=403
            )
        return view(request, *args, **kwargs)

    return checked_view


class FormToken:
    """Signed tokens for one form: ``issue`` for the page, ``problem`` to check a post."""

    def __init__(self, form_name: str):
        self.form_name = form_name
        # The salt makes a token of one form worthless on another.
        self.signer = signing.TimestampSigner(salt=f"beyondraid.accountability.form.{form_name}")

    def issue(self) -> str:
        return self.signer.sign(self.form_name)

    def problem(self, token: str):
        """None when the token is this form's and fresh, else the message saying what to do."""
        try:
            named = self.signer.unsign(token, max_age=FORM_TOKEN_MAX_AGE)
        except signing.SignatureExpired:
            return TOKEN_EXPIRED % {"hours": FORM_TOKEN_MAX_AGE // 3600}
        except signing.BadSignature:
            return TOKEN_INVALID
        return None if named == self.form_name else TOKEN_INVALID


class SignedForm(forms.Form):
    """A form that is valid only with a fresh token of its own (``FormToken``), checked when the
    request is (``for_request``). The template writes ``form.fresh_token`` in the hidden field, a
    new one on every page, so a page sent back after a refusal can be sent again."""

    form_name: str
    token_field = "form_token"  # noqa: S105 - the name of a form field, not a secret

    def __init__(self, *args, check_token: bool = False, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields[self.token_field] = forms.CharField(required=False, widget=forms.HiddenInput)
        self.check_token = check_token
        self.token_problem = None

    @classmethod
    def for_request(cls, request, *args, **kwargs):
        return cls(*args, check_token=_checked(request), **kwargs)

    @property
    def fresh_token(self) -> str:
        return FormToken(self.form_name).issue()

    def clean(self):
        cleaned = super().clean()
        if self.check_token:
            self.token_problem = FormToken(self.form_name).problem(
                self.cleaned_data.get(self.token_field, "")
            )
            if self.token_problem:
                self.add_error(None, self.token_problem)
        return cleaned
