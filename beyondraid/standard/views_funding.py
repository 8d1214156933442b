"""The funding pages: the money given for operations and beside them (grants to service
providers with their conditions, outreach, hotlines, community organisations, labour-law
enforcement; R-185 to R-190), listed for the roles that read funding and recorded or corrected
by stewards (their agency's money) and administrators (any).

Thin, like ``views``: the forms parse, ``services.record_funding`` and
``services.correct_funding`` decide and write, and the audit log records each write with the
fields it changed. Money is not person-level, so reading these pages is not a person-level read.
A record the user may read but not change gets a 403 page that says why; one that does not exist
a 404.
"""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.shortcuts import get_object_or_404, redirect, render
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET, require_http_methods

from . import access, selectors, services
from .forms_funding import FundingFilterForm, FundingForm
from .models import FundingSource


def _refused(request, message: str, explanation: str):
    return render(
        request,
        "standard/funding_refused.html",
        {"message": message, "explanation": explanation},
        status=403,
    )


def _not_a_reader(request):
    return _refused(
        request,
        "Your role does not read funding records",
        "Data stewards, prosecutors, oversight analysts, investigators and administrators read "
        "the funding records; caseworkers record people and the services given to them.",
    )


def _not_a_recorder(request):
    return _refused(
        request,
        "Your role does not record funding",
        "Data stewards record the money their own agency gives or receives; administrators "
        "record and correct any funding record.",
    )


def _show_service_errors(form, error: ValidationError) -> None:
    """A refusal on the field it names when the form has it, otherwise at the top."""
    if not hasattr(error, "error_dict"):
        form.add_error(None, error)
        return
    for name, problems in error.message_dict.items():
        form.add_error(name if name in form.fields else None, problems)


@never_cache
@login_required
@require_GET
def funding_list(request):
    user = request.user
    if not access.may_read_funding(user):
        return _not_a_reader(request)
    filters = FundingFilterForm(request.GET or None)
    valid = filters.is_valid() if filters.is_bound else True
    funding = (
        list(
            selectors.funding_visible_to(
                user,
                purpose=filters.cleaned_data.get("purpose", "") if filters.is_bound else "",
                period=filters.period() if filters.is_bound else None,
            )
        )
        if valid
        else []
    )
    return render(
        request,
        "standard/funding_list.html",
        {
            "filters": filters,
            "funding": funding,
            "changeable": {
                record.pk for record in funding if access.funding_is_theirs(user, record)
            },
            "may_record": access.may_record_funding(user),
        },
        status=200 if valid else 400,
    )


def _initial_of(funding: FundingSource) -> dict:
    return {
        "funder": funding.funder,
        "recipient": funding.recipient,
        "purpose": funding.purpose,
        "conditions": list(funding.conditions),
        "programme": funding.programme,
        "amount": funding.amount,
        "period_start": funding.period_start,
        "period_end": funding.period_end,
    }


@never_cache
@login_required
@require_http_methods(["GET", "POST"])
def funding_new(request):
    user = request.user
    if not access.may_record_funding(user):
        return _not_a_recorder(request)
    initial = {"funder": user.organisation_id} if access.role_of(user) == access.STEWARD else {}
    form = FundingForm(request.POST if request.method == "POST" else None, initial=initial)
    if request.method == "POST" and form.is_valid():
        try:
            funding = services.record_funding(user=user, **form.cleaned_data)
        except ValidationError as error:
            _show_service_errors(form, error)
        else:
            messages.success(request, f"The funding “{funding.programme}” is recorded.")
            return redirect("standard:funding_list")
    return render(
        request,
        "standard/funding_form.html",
        {"form": form, "funding": None},
        status=400 if form.is_bound else 200,
    )


@never_cache
@login_required
@require_http_methods(["GET", "POST"])
def funding_edit(request, pk: int):
    user = request.user
    if not access.may_read_funding(user):
        return _not_a_reader(request)
    funding = get_object_or_404(FundingSource.objects.select_related("funder", "recipient"), pk=pk)
    if not access.funding_is_theirs(user, funding):
        return _refused(
            request,
            "You may not correct this funding record",
            "A data steward corrects the money their own agency gave or received, entered, or "
            "allocated to its operations; an administrator corrects any funding record.",
        )
    form = FundingForm(
        request.POST if request.method == "POST" else None, initial=_initial_of(funding)
    )
    if request.method == "POST" and form.is_valid():
        try:
            funding = services.correct_funding(user=user, funding=funding, **form.cleaned_data)
        except ValidationError as error:
            _show_service_errors(form, error)
        else:
            messages.success(request, f"The funding “{funding.programme}” is corrected.")
            return redirect("standard:funding_list")
    return render(
        request,
        "standard/funding_form.html",
        {"form": form, "funding": funding},
        status=400 if form.is_bound else 200,
    )
