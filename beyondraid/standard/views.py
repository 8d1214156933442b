"""Staff pages of the standard: operations and the people they encountered.

What a user sees comes from the selectors, which ask ``access``; a record out of reach is a 404,
never a 403, so nothing says whether it exists. Pages that show person-level records mark them,
so that each read is logged and no cache keeps the page.
"""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import Http404
from django.shortcuts import redirect, render
from django.views.decorators.cache import never_cache
from django.views.decorators.debug import sensitive_post_parameters
from django.views.decorators.http import require_GET, require_POST

from . import access, selectors, services
from .forms_linkage import LinkForm
from .person_level import mark_shown

OPERATION_READERS = {access.STEWARD, access.PROSECUTOR, access.ANALYST}


def _no_operations_for_role(request):
    return render(request, "standard/no_operations.html", status=403)


@require_GET
@login_required
def operation_list(request):
    if access.role_of(request.user) not in OPERATION_READERS:
        return _no_operations_for_role(request)
    return render(
        request,
        "standard/operation_list.html",
        {"operations": selectors.operations_visible_to(request.user)},
    )


@require_GET
@login_required
def operation_detail(request, code):
    operation = selectors.operations_visible_to(request.user).filter(code=code).first()
    if operation is None:
        raise Http404("No such operation.")
    # Each person listed is a person-level read of its own, as on the person's page.
    encounters = list(selectors.encounters_in(operation, request.user))
    mark_shown(request, operation, *encounters)
    return render(
        request,
        "standard/operation_detail.html",
        {
            "operation": operation,
            "encounters": encounters,
            "figures": operation.aggregate_figures.all(),
            "places": operation.places.all(),
            "can_edit": access.can_edit_operation(request.user, operation),
        },
    )


@require_GET
@login_required
def encounter_detail(request, code):
    encounter = selectors.encounter_record(request.user, code)
    if encounter is None:
        raise Http404("No such record.")
    return _person_page(request, encounter, LinkForm())


def _person_page(request, encounter, link_form: LinkForm, status: int = 200):
    # The person's other contacts are person-level reads of their own, logged like the person's.
    linked = selectors.linked_contacts(request.user, encounter)
    mark_shown(request, encounter, *linked)
    return render(
        request,
        "standard/encounter_detail.html",
        {
            "encounter": encounter,
            "reading": access.reading(request.user, encounter),
            # Stewards record what happened on the site's own pages; a prosecutor records charges
            # in the records administration.
            "can_record_here": access.can_record_encounter_details(request.user, encounter),
            "can_record": access.can_record_charges(request.user, encounter),
            # Stewards of the operation, or the organisation that identified the person outside
            # any, refer the person; the referral page decides again.
            "can_refer": access.can_record_encounter_details(request.user, encounter)
            or access.acts_for_identifying_organisation(request.user, encounter),
            "identified_here": access.identified_by_own_organisation(request.user, encounter),
            "linked": linked,
            "can_link": access.may_link_person(request.user, encounter),
            "link_form": link_form,
        },
        status=status,
    )


# The number typed is hashed by the service and never kept: not even an error report may carry it.
@sensitive_post_parameters("identifier")
@never_cache
@require_POST
@login_required
def link_person(request, code):
    encounter = selectors.encounter_record(request.user, code)
    if encounter is None:
        raise Http404("No such record.")
    if not access.may_link_person(request.user, encounter):
        messages.error(request, services.LINK_REFUSED)
        return _person_page(request, encounter, LinkForm(), status=403)
    form = LinkForm(request.POST)
    if form.is_valid():
        try:
            services.link_person(
                user=request.user,
                encounter=encounter,
                identifier=form.cleaned_data["identifier"],
            )
        except ValidationError as error:
            # On the field when the refusal names it, else on top (the standard does not import
            # the accounts app's helper for this).
            for name, errors in getattr(error, "message_dict", {None: error.messages}).items():
                form.add_error(name if name in form.fields else None, errors)
        else:
            messages.success(
                request,
                "The record is linked. The person's other contacts linked with the same number "
                "that you may see are listed under \u201cOther contacts of this person\u201d.",
            )
            return redirect("standard:encounter_detail", code=encounter.code)
    return _person_page(request, encounter, form, status=400)
