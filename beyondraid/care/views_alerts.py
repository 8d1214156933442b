"""The alerts page (what is due and overdue about the people a user may see) and the
immigration-relief requests an agency records and decides: for Continued Presence also the day
its document reached the person and the request to renew it.

Thin, like ``views``: the alerts come from ``alerts.alerts_for`` and the writes go through
``services``, which check who may act. Alerts name people by their random code only; the pages
are still about people, so they are marked as person-level reads and kept out of caches.
"""

from collections import defaultdict

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
from .alerts import alerts_for, presence_term_ends
from .forms_relief import HandOverForm, ReliefDecisionForm, ReliefRequestForm, RenewalForm
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


def _relief_rows(user, encounter, requests, renewing: dict[str, RenewalForm]) -> list[dict]:
    """Each request with what the user may do about it, and for Continued Presence the days it
    took to decide and to hand over, the end of its term and its renewals (R-103)."""
    renewals = defaultdict(list)
    for item in requests:
        if item.renews_id:
            renewals[item.renews_id].append(item)
    may_record = permissions.may_record_relief(user, encounter)
    rows = []
    for item in requests:
        may_decide = permissions.may_decide_relief(user, item)
        granted = (
            item.kind == ReliefRequest.Kind.CONTINUED_PRESENCE
            and item.status == ReliefRequest.Status.GRANTED
        )
        # A declined renewal leaves the grant to lapse unless it is asked for again.
        renewing_now = any(
            renewal.status != ReliefRequest.Status.DECLINED for renewal in renewals[item.pk]
        )
        rows.append(
            {
                "item": item,
                "decision": ReliefDecisionForm(prefix_code=item.code)
                if item.status == ReliefRequest.Status.PENDING and may_decide
                else None,
                "hand_over": HandOverForm(
                    prefix_code=item.code, initial={"document_given_on": item.document_given_on}
                )
                if granted and may_decide
                else None,
                "renewal": renewing.get(item.code) or RenewalForm(prefix_code=item.code)
                if granted and may_record and not renewing_now
                else None,
                "days_to_decision": (item.decided_on - item.requested_on).days
                if item.decided_on
                else None,
                "days_to_hand_over": (item.document_given_on - item.decided_on).days
                if item.document_given_on
                else None,
                "term_ends": presence_term_ends(item.decided_on) if granted else None,
                "renewals": renewals[item.pk],
            }
        )
    return rows


def _renew(request, encounter) -> tuple[RenewalForm, bool]:
    """A request to renew a grant of the page's person; whether it was recorded."""
    grant = get_object_or_404(encounter.relief_requests, code=request.POST["renews"])
    form = RenewalForm(request.POST, prefix_code=grant.code)
    if form.is_valid():
        try:
            renewal = services.record_relief_request(
                user=request.user,
                encounter=encounter,
                kind=ReliefRequest.Kind.CONTINUED_PRESENCE,
                requested_on=form.cleaned_data["requested_on"],
                renews=grant,
            )
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            messages.success(
                request,
                f"The renewal {renewal.code} of {grant.code} is recorded; its decision "
                "is due on the alerts.",
            )
            return form, True
    return form, False


@never_cache
@login_required
@require_http_methods(["GET", "POST"])
def relief(request, code: str):
    """One person's relief requests, with the form to record a new one, to decide each, to
    record the hand-over of a Continued Presence document and to request its renewal."""
    encounter = _encounter(request, code)
    may_record = permissions.may_record_relief(request.user, encounter)
    form = ReliefRequestForm()
    renewing: dict[str, RenewalForm] = {}
    status = 200
    if request.method == "POST":
        if not may_record:
            return _no_access(request)
        if request.POST.get("renews"):
            renewal, recorded = _renew(request, encounter)
            if recorded:
                return redirect("care:relief", code=encounter.code)
            renewing[request.POST["renews"]] = renewal
        else:
            form = ReliefRequestForm(request.POST)
            if form.is_valid():
                try:
                    recorded = services.record_relief_request(
                        user=request.user, encounter=encounter, **form.cleaned_data
                    )
                except ValidationError as error:
                    add_service_errors(form, error)
                else:
                    messages.success(
                        request, f"{recorded} recorded; its deadline is on the alerts."
                    )
                    return redirect("care:relief", code=encounter.code)
        status = 400
    requests = list(encounter.relief_requests.select_related("agency", "renews"))
    mark_shown(request, encounter)
    return render(
        request,
        "care/relief.html",
        {
            "encounter": encounter,
            "requests": _relief_rows(request.user, encounter, requests, renewing),
            "form": form if may_record else None,
        },
        status=status,
    )


def _refused(form, errors: dict[str, list[str]]) -> str:
    """What was refused, in one line, each message after the label of the field it is about."""
    return "Nothing was recorded. " + " ".join(
        f"{form.fields[name].label}: {' '.join(said)}" if name in form.fields else " ".join(said)
        for name, said in errors.items()
    )


@login_required
@require_POST
def decide_relief(request, code: str, request_code: str):
    """The agency asked records its decision on a request, or the day the document of a granted
    Continued Presence was handed to the person (``action=handover``)."""
    encounter = _encounter(request, code)
    item = get_object_or_404(encounter.relief_requests, code=request_code)
    if request.POST.get("action") == "handover":
        form = HandOverForm(request.POST, prefix_code=item.code)
        write, done = services.record_document_handed_over, "The hand-over of {} is recorded."
    else:
        form = ReliefDecisionForm(request.POST, prefix_code=item.code)
        write, done = services.decide_relief_request, "The decision on {} is recorded."
    if form.is_valid():
        try:
            write(user=request.user, request=item, **form.cleaned_data)
        except ValidationError as error:
            refusal = error.message_dict if hasattr(error, "error_dict") else {"": error.messages}
            messages.error(request, _refused(form, refusal))
        else:
            messages.success(request, done.format(item.code))
    else:
        messages.error(request, _refused(form, form.errors))
    return redirect("care:relief", code=encounter.code)
