"""Staff pages of the standard: operations and the people they encountered.

What a user sees comes from the selectors, which ask ``access``; a record out of reach is a 404,
never a 403, so nothing says whether it exists. Pages that show person-level records mark them,
so that each read is logged and no cache keeps the page.
"""

from django.contrib.auth.decorators import login_required
from django.http import Http404
from django.shortcuts import render
from django.views.decorators.http import require_GET

from . import access, selectors
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
    mark_shown(request, encounter)
    return render(
        request,
        "standard/encounter_detail.html",
        {
            "encounter": encounter,
            "reading": access.reading(request.user, encounter),
            "can_record": access.can_record_charges(request.user, encounter),
            # Stewards of the operation, or the organisation that identified the person outside
            # any, refer the person; the referral page decides again.
            "can_refer": access.can_record_encounter_details(request.user, encounter)
            or access.acts_for_identifying_organisation(request.user, encounter),
            "identified_here": access.identified_by_own_organisation(request.user, encounter),
        },
    )
