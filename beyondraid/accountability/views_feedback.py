"""The feedback page of a person who was encountered in an operation or received services: how
they were treated, sealed to the oversight key as a report is, and followed up with its receipt on
the reporting channel's follow-up page.

It is a reporting page in every respect (``views_public``): under ``/report/``, so the server logs
keep no line about it (``traceless``); no cookie, forged posts refused (``protection``), never
cached, in the language chosen on the page, written as the anonymous reporter's and at the day
only; and it counts against the same daily limit of reports per connection (``ratelimit``).
"""

from django.conf import settings
from django.shortcuts import render
from django.utils.translation import get_language, gettext_lazy

from . import ratelimit, services
from .forms_feedback import FeedbackForm
from .views_public import reporting_page

TEMPLATE = "accountability/feedback_form.html"

TOO_MANY_FROM_THIS_CONNECTION = gettext_lazy(
    "This connection has sent many reports and feedbacks today. Please try again tomorrow; what "
    "you typed is still here."
)


@reporting_page
def feedback_form(request):
    if request.method == "GET":
        return render(request, TEMPLATE, {"form": FeedbackForm()})
    form = FeedbackForm.for_request(request, request.POST)
    if not form.is_valid():
        status = 403 if form.token_problem else 400
        return render(request, TEMPLATE, {"form": form}, status=status)
    if not ratelimit.allow_report(request):
        form.add_error(None, TOO_MANY_FROM_THIS_CONNECTION)
        return render(request, TEMPLATE, {"form": form}, status=429)
    data = form.cleaned_data
    try:
        submitted = services.submit_feedback(
            rights_explained=data["rights_explained"],
            free_to_leave=data["free_to_leave"],
            without_judgement=data["without_judgement"],
            help_needed=data["help_needed"],
            organisation=data["organisation"],
            month=data["month"],
            year=data["year"],
            comment=data["comment"],
            receipt_kind=data["receipt_kind"],
            language=get_language() or settings.LANGUAGE_CODE,
        )
    except (services.ReportRefused, services.ChannelNotReady) as refusal:
        form.add_error(None, str(refusal))
        return render(request, TEMPLATE, {"form": form}, status=400)
    return render(
        request,
        "accountability/receipt.html",
        {
            "receipt": submitted.receipt,
            "is_passphrase": submitted.receipt[0].isalpha(),
            "is_feedback": True,
        },
    )
