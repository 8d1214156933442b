"""The people an organisation identified, or who came to it, outside any operation: the list, and
the form that records one (issue 21).

Thin, like ``views``: the form parses what was typed, ``services.record_identification`` decides
and writes, and the person's own page takes it from there (referral, relief, family, court and
record clearing, alerts), as for a person met in an operation. Only stewards and caseworkers
record people; everyone else gets a plain 403 page. The list names people, so each is a
person-level read in the audit log.
"""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.shortcuts import redirect, render
from django.views.decorators.cache import never_cache
from django.views.decorators.debug import sensitive_post_parameters
from django.views.decorators.http import require_GET, require_http_methods

from beyondraid.accounts.forms_people import add_service_errors
from beyondraid.standard import access
from beyondraid.standard.person_level import mark_shown

from . import selectors, services
from .forms import IdentificationForm


def _not_an_identifier(request):
    return render(
        request,
        "care/no_access.html",
        {
            "message": "Your role does not record the people your organisation identifies",
            "explanation": "Data stewards and caseworkers record the people their organisation "
            "identified or who came to it outside any law-enforcement operation.",
        },
        status=403,
    )


@never_cache
@login_required
@require_GET
def identified_list(request):
    if not access.may_record_identifications(request.user):
        return _not_an_identifier(request)
    people = list(selectors.identified_by_organisation(request.user))
    mark_shown(request, *people)
    return render(request, "care/identified_list.html", {"people": people})


# The booking or case number that links the person is hashed by the service and never kept:
# not even an error report may carry it.
@sensitive_post_parameters("link_identifier")
@never_cache
@login_required
@require_http_methods(["GET", "POST"])
def identify(request):
    user = request.user
    if not access.may_record_identifications(user):
        return _not_an_identifier(request)
    form = IdentificationForm(request.POST if request.method == "POST" else None)
    if request.method == "POST" and form.is_valid():
        try:
            encounter = services.record_identification(user=user, **form.cleaned_data)
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            messages.success(
                request,
                f"Person {encounter.code} is recorded. Write the code in your own case file: it "
                "is how you will find this record again. Refer the person from this page.",
            )
            return redirect("standard:encounter_detail", code=encounter.code)
    return render(
        request,
        "care/identify.html",
        {"form": form},
        status=400 if form.is_bound else 200,
    )
