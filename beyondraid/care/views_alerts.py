"""The alerts page (what is due and overdue about the people a user may see) and the
immigration-relief requests an agency records and decides.

Thin, like ``views``: the alerts come from ``alerts.alerts_for`` and the writes go through
``services``, which check who may act. Alerts name people by their random code only; the pages
are still about people, so they are marked as person-level reads and kept out of caches.
"""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from beyondraid.accounts.forms_people import add_service_errors
from beyondraid.standard import access
from beyondraid.standard.person_level import mark_shown

from . import permissions, services
from .alerts import alerts_for
from .forms_relief import ReliefDecisionForm, ReliefRequestForm
from .models import Alert, ReliefRequest


def _no_access(request):
    return render(
        request,
        "care/no_access.html",
        {
            "message": "Alerts are for the people who act on them",
            "explanation": "Stewards, prosecutors, caseworkers and analysts see the alerts about "
            "the people they may see.",
        },
        status=403,
    )


@never_cache
@login_required
@require_GET
def alert_list(request):
    if not permissions.may_read_alerts(request.user):
        return _no_access(request)
    alerts = alerts_for(request.user)
    kind = request.GET.get("kind", "")
    if kind in Alert.Kind.values:
        alerts = alerts.filter(kind=kind)
    alerts = list(alerts)
    mark_shown(request, *{alert.encounter for alert in alerts})
    order = {Alert.Status.OVERDUE: 0, Alert.Status.DUE: 1, Alert.Status.FLAGGED: 2}
    alerts.sort(key=lambda a: (order[a.status], a.due_on is None, a.due_on, a.kind))
    return render(
        request,
        "care/alerts.html",
        {
            "alerts": alerts,
            "kinds": Alert.Kind.choices,
            "kind": kind,
            "counts": {
                status: sum(1 for a in alerts if a.status == status)
                for status in (Alert.Status.OVERDUE, Alert.Status.DUE, Alert.Status.FLAGGED)
            },
        },
    )


def _encounter(request, code: str):
    """The person whose relief requests are asked for; out of reach for those who may not read
    their immigration situation, as for those who may not see them at all."""
    encounter = get_object_or_404(access.encounters_for(request.user), code=code)
    if not permissions.may_read_relief(request.user, encounter):
        raise Http404("No such record.")
    return encounter


@never_cache
@login_required
@require_http_methods(["GET", "POST"])
def relief(request, code: str):
    """One person's relief requests, with the form to record a new one and to decide each."""
    encounter = _encounter(request, code)
    requests = list(encounter.relief_requests.select_related("agency"))
    may_record = permissions.may_record_relief(request.user, encounter)
    form = ReliefRequestForm(request.POST if request.method == "POST" else None)
    status = 200
    if request.method == "POST":
        if not may_record:
            return _no_access(request)
        if form.is_valid():
            try:
                recorded = services.record_relief_request(
                    user=request.user, encounter=encounter, **form.cleaned_data
                )
            except ValidationError as error:
                add_service_errors(form, error)
            else:
                messages.success(request, f"{recorded} recorded; its deadline is on the alerts.")
                return redirect("care:relief", code=encounter.code)
        status = 400
    mark_shown(request, encounter)
    return render(
        request,
        "care/relief.html",
        {
            "encounter": encounter,
            "requests": [
                (
                    item,
                    ReliefDecisionForm(prefix_code=item.code)
                    if item.status == ReliefRequest.Status.PENDING
                    and permissions.may_decide_relief(request.user, item)
                    else None,
                )
                for item in requests
            ],
            "form": form if may_record else None,
        },
        status=status,
    )


@login_required
@require_POST
def decide_relief(request, code: str, request_code: str):
    encounter = _encounter(request, code)
    item = get_object_or_404(encounter.relief_requests, code=request_code)
    form = ReliefDecisionForm(request.POST, prefix_code=item.code)
    if form.is_valid():
        try:
            services.decide_relief_request(user=request.user, request=item, **form.cleaned_data)
        except ValidationError as error:
            messages.error(request, " ".join(error.messages))
        else:
            messages.success(request, f"The decision on {item.code} is recorded.")
    else:
        messages.error(
            request,
            "The decision was not recorded: "
            + " ".join(
                f"{form.fields[name].label}: {' '.join(errs)}"
                for name, errs in form.errors.items()
                if name in form.fields
            ),
        )
    return redirect("care:relief", code=encounter.code)
