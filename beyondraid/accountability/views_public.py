"""The public reporting pages: no account, no trace of the reporter.

These pages keep nothing about who visits them: they set no cookie (no session, no language
cookie, and instead of Django's CSRF cookie the checks in ``protection``), the rate limits count
without addresses (``ratelimit``), nothing is logged here and the server logs no address and no
line about these pages but their errors (``traceless``), whatever is written is audited as the
anonymous reporter's, never a signed-in user's, and at the day only, the receipt travels only in
form bodies (never a URL), every answer carries ``Cache-Control: no-store``, no page tells
another site it was the one a reader came from (the site-wide ``Referrer-Policy: same-origin``:
not ``no-referrer``, under which browsers send ``Origin: null`` with the forms and
``protection`` refuses them), and the pages load nothing from any other site (the site-wide
Content Security Policy).
"""

from functools import wraps

from django.conf import settings
from django.shortcuts import render
from django.utils.translation import get_language, gettext_lazy
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_http_methods

from beyondraid.accounts.audit import acting_as
from beyondraid.standard.languages import in_chosen_language

from . import ratelimit, receipts, services
from .forms_public import ReceiptForm, ReportForm
from .protection import refuses_foreign_posts

# Who the audit log says wrote a report or a reply: never the account of whoever happens to be
# signed in on the device, which would name the reporter.
REPORTER = "anonymous reporter"

TOO_MANY_REPORTS = gettext_lazy(
    "This connection has sent many reports today. Please try again tomorrow; what you typed is "
    "still here."
)
TOO_MANY_WRONG_RECEIPTS = gettext_lazy(
    "No report matches this receipt. So many wrong receipts have been typed today that this one "
    "was counted as guessing. Your own receipt, typed exactly, still opens your report."
)


def reporting_page(view):
    """GET and POST only, never cached, forged posts refused, in the language chosen on the page
    (``languages``: the choice lasts in the address and the hidden field of each form, without the
    cookie Django's language chooser would leave), and every write attributed to the anonymous
    reporter."""

    checked = refuses_foreign_posts(view)

    @wraps(checked)
    def page(request):
        with acting_as(None, label=REPORTER):
            return checked(request)

    return never_cache(require_http_methods(["GET", "POST"])(in_chosen_language(page)))


def _refused_status(form) -> int:
    return 403 if form.token_problem else 400


@reporting_page
def report_form(request):
    if request.method == "GET":
        return render(request, "accountability/report_form.html", {"form": ReportForm()})
    form = ReportForm.for_request(request, request.POST)
    if not form.is_valid():
        return render(
            request,
            "accountability/report_form.html",
            {"form": form},
            status=_refused_status(form),
        )
    if not ratelimit.allow_report(request):
        form.add_error(None, TOO_MANY_REPORTS)
        return render(request, "accountability/report_form.html", {"form": form}, status=429)
    data = form.cleaned_data
    try:
        submitted = services.submit_report(
            conduct=data["conduct"],
            account=data["account"],
            when=data["when"],
            where=data["where"],
            operation=data["operation"],
            officers=form.officers(),
            reporter_is=data["reporter_is"],
            receipt_kind=data["receipt_kind"],
            language=get_language() or settings.LANGUAGE_CODE,
        )
    except (services.ReportRefused, services.ChannelNotReady) as refusal:
        form.add_error(None, str(refusal))
        return render(request, "accountability/report_form.html", {"form": form}, status=400)
    return render(
        request,
        "accountability/receipt.html",
        {
            "receipt": submitted.receipt,
            "is_passphrase": submitted.receipt[0].isalpha(),
        },
    )


@reporting_page
def follow_up(request):
    if request.method == "GET":
        return render(request, "accountability/follow_up.html", {"form": ReceiptForm()})
    form = ReceiptForm.for_request(request, request.POST)
    if not form.is_valid():
        return render(
            request, "accountability/follow_up.html", {"form": form}, status=_refused_status(form)
        )
    # The receipt is checked before anything is counted, so the right one always opens its
    # report, however many wrong ones came from the same address (``ratelimit``).
    try:
        report, keys = services.find_report(form.cleaned_data["receipt"])
    except receipts.MalformedReceipt as problem:
        form.add_error("receipt", str(problem))
        return render(request, "accountability/follow_up.html", {"form": form}, status=400)
    except services.ReceiptNotFound as problem:
        within_limits = ratelimit.wrong_receipt(request)
        form.add_error("receipt", str(problem) if within_limits else TOO_MANY_WRONG_RECEIPTS)
        return render(
            request,
            "accountability/follow_up.html",
            {"form": form},
            status=400 if within_limits else 429,
        )
    status, sent = 200, ""
    reply = form.cleaned_data["reply"]
    if reply:
        try:
            services.reporter_reply(report, reply)
        except services.ReportRefused as refusal:
            form.add_error("reply", str(refusal))
            status = 400
        else:
            # Sent: an empty box for the next message, the receipt kept for it.
            form = ReceiptForm(initial={"receipt": form.cleaned_data["receipt"]})
            sent = _("Your message was sent.")
    return render(
        request,
        "accountability/follow_up.html",
        {
            "form": form,
            "report": report,
            "thread": services.reporter_thread(report, keys),
            "closed": report.state == report.State.CLOSED,
            "sent": sent,
        },
        status=status,
    )
