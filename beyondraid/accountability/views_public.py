"""The public reporting pages: no account, no trace of the reporter.

These pages keep nothing about who visits them: the rate limits count without addresses
(``ratelimit``), nothing is logged here, the receipt travels only in form bodies (never a URL),
every answer carries ``Cache-Control: no-store``, no page tells another site it was the one a
reader came from (the site-wide ``Referrer-Policy: same-origin``: not ``no-referrer``, under which
browsers send ``Origin: null`` with the forms and the CSRF check refuses them), and the pages load
nothing from any other site (the site-wide Content Security Policy).
"""

from django.conf import settings
from django.shortcuts import render
from django.utils.translation import get_language, gettext_lazy
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_http_methods

from . import ratelimit, receipts, services
from .forms_public import ReceiptForm, ReportForm

TOO_MANY_REPORTS = gettext_lazy(
    "This connection has sent many reports today. Please try again tomorrow; what you typed is "
    "still here."
)
TOO_MANY_ATTEMPTS = gettext_lazy(
    "Too many receipt attempts from this connection today. To protect reports from people "
    "guessing receipts, please try again tomorrow."
)


@never_cache
@require_http_methods(["GET", "POST"])
def report_form(request):
    if request.method == "GET":
        return render(request, "accountability/report_form.html", {"form": ReportForm()})
    form = ReportForm(request.POST)
    if not form.is_valid():
        return render(request, "accountability/report_form.html", {"form": form}, status=400)
    if not ratelimit.allow(request, "submit", settings.REPORT_SUBMISSIONS_PER_DAY):
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


@never_cache
@require_http_methods(["GET", "POST"])
def follow_up(request):
    if request.method == "GET":
        return render(request, "accountability/follow_up.html", {"form": ReceiptForm()})
    form = ReceiptForm(request.POST)
    if not form.is_valid():
        return render(request, "accountability/follow_up.html", {"form": form}, status=400)
    if not ratelimit.allow(request, "receipt", settings.REPORT_RECEIPT_ATTEMPTS_PER_DAY):
        form.add_error("receipt", TOO_MANY_ATTEMPTS)
        return render(request, "accountability/follow_up.html", {"form": form}, status=429)
    try:
        report, keys = services.find_report(form.cleaned_data["receipt"])
    except (receipts.MalformedReceipt, services.ReceiptNotFound) as problem:
        form.add_error("receipt", str(problem))
        return render(request, "accountability/follow_up.html", {"form": form}, status=400)
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
