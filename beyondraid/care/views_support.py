"""The page "Family, court and record clearing" of one person: their family reunification
requests, court dates and record-clearing referrals, the harms that followed the operation and
their placements, with the forms to add each and to move each along. A harm is only ever added.

Thin, like ``views``: every form posts to the page itself with the name of its action (and the
code of the record it acts on); the view parses the form, calls the service and goes back to the
page, or shows the page again with the form as typed, its errors on their fields, and a 400. Who
may read what, and who may write, comes from ``permissions``; the services decide again. A person
the user may not see does not exist (404); the page is a person-level read, in the audit log.
"""

from collections.abc import Callable
from dataclasses import dataclass

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.shortcuts import get_object_or_404, redirect, render
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_http_methods

from beyondraid.accounts.forms_people import add_service_errors
from beyondraid.standard import access
from beyondraid.standard.person_level import mark_shown

from . import permissions, services
from .forms_support import (
    ClearingStepForm,
    CourtDateForm,
    CourtOutcomeForm,
    CourtSupportForm,
    FamilyReunificationForm,
    FamilySafetyForm,
    FamilyStepForm,
    HarmForm,
    PlacementConditionsForm,
    PlacementEndForm,
    PlacementForm,
    RecordClearingForm,
)
from .models import Harm


@dataclass(frozen=True)
class _Adding:
    form: type
    service: Callable
    done: str


@dataclass(frozen=True)
class _Moving:
    form: type
    service: Callable
    records: str  # the encounter's related name for the records this form acts on
    argument: str  # the service's keyword for the record
    done: str
    next_steps: Callable | None = None


_ADDING = {
    "add_family": _Adding(
        FamilyReunificationForm,
        services.record_family_reunification,
        "The family reunification request {} is recorded; it is on the alerts until work starts.",
    ),
    "add_court": _Adding(
        CourtDateForm,
        services.record_court_date,
        "Court date {} is recorded; without support it is on the alerts two weeks before.",
    ),
    "add_clearing": _Adding(
        RecordClearingForm,
        services.refer_for_record_clearing,
        "The referral for record clearing {} is recorded.",
    ),
    "add_harm": _Adding(
        HarmForm,
        services.record_harm,
        "The harm {} is recorded; it stays on the person's record.",
    ),
    "add_placement": _Adding(
        PlacementForm,
        services.record_placement,
        "The placement {} is recorded.",
    ),
}
_MOVING = {
    "family_step": _Moving(
        FamilyStepForm,
        services.update_family_reunification,
        "family_reunifications",
        "reunification",
        "{} is updated.",
        services.family_next_steps,
    ),
    "family_safety": _Moving(
        FamilySafetyForm,
        services.update_family_safety,
        "family_reunifications",
        "reunification",
        "The family's safety under {} is updated.",
    ),
    "court_support": _Moving(
        CourtSupportForm,
        services.update_court_support,
        "court_dates",
        "court_date",
        "The support for court date {} is updated.",
    ),
    "court_outcome": _Moving(
        CourtOutcomeForm,
        services.record_court_outcome,
        "court_dates",
        "court_date",
        "The outcome of court date {} is recorded.",
    ),
    "clearing_step": _Moving(
        ClearingStepForm,
        services.update_record_clearing,
        "record_clearings",
        "clearing",
        "{} is updated.",
        services.clearing_next_steps,
    ),
    "placement_end": _Moving(
        PlacementEndForm,
        services.end_placement,
        "placements",
        "placement",
        "The end of placement {} is recorded.",
    ),
    "placement_correct": _Moving(
        PlacementConditionsForm,
        services.update_placement,
        "placements",
        "placement",
        "The conditions of placement {} are corrected.",
    ),
}


def _moving_form(action: str, record, data=None):
    moving = _MOVING[action]
    extra = {"next_steps": moving.next_steps(record)} if moving.next_steps else {}
    return moving.form(data, record=record, **extra)


def _no_access(request):
    return render(
        request,
        "care/no_access.html",
        {
            "message": "You may read this page but not record on it",
            "explanation": "Family reunification, court dates, record clearing, harms after an "
            "operation and placements are recorded by "
            "the data stewards of the person's operation, by the organisation that identified "
            "them outside any operation, and by the caseworkers of a provider that accepted a "
            "referral of the person.",
        },
        status=403,
    )


def _post(request, encounter):
    """Run the action posted: a redirect when it is recorded, else the form with its errors,
    keyed as ``_page`` expects it."""
    action = request.POST.get("action", "")
    if action in _ADDING:
        spec = _ADDING[action]
        form, target, key = spec.form(request.POST), {"encounter": encounter}, action
    elif action in _MOVING:
        spec = _MOVING[action]
        record = get_object_or_404(
            getattr(encounter, spec.records), code=request.POST.get("record", "")
        )
        form = _moving_form(action, record, request.POST)
        target, key = {spec.argument: record}, (action, record.code)
    else:
        messages.error(request, "Nothing was recorded: use one of the forms on this page.")
        return {}
    if form.is_valid():
        try:
            written = spec.service(user=request.user, **target, **form.cleaned_data)
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            messages.success(request, spec.done.format(written.code))
            return redirect("care:support", code=encounter.code)
    return {key: form}


def _page(request, encounter, *, bound: dict, may_record: bool, status: int = 200):
    """The page, with a form wherever the user may act; ``bound`` holds a form just posted with
    its errors, shown in place of the empty one."""

    def adding(action: str, shown: bool = True):
        if action in bound:
            return bound[action]
        return _ADDING[action].form() if may_record and shown else None

    def moving(record, *offers: tuple[str, bool]) -> tuple:
        """The record with the forms that act on it: for each action, the one just posted, or
        an empty one where the user may act and the record's state allows it."""
        forms = []
        for action, allowed in offers:
            if (action, record.code) in bound:
                forms.append(bound[(action, record.code)])
            elif may_record and allowed:
                forms.append(_moving_form(action, record))
        return record, forms

    private = permissions.may_read_family_and_record_clearing(request.user)
    families = encounter.family_reunifications.all() if private else []
    clearings = encounter.record_clearings.select_related("referred_to") if private else []
    harms = encounter.harms.select_related("recorded_by") if private else Harm.objects.none()
    if private and not access.reading(request.user, encounter).shares("immigration_status"):
        # Immigration proceedings tell the person's immigration situation: a caseworker reads
        # them only under a consent that shares it, as with the immigration-relief alerts.
        harms = harms.exclude(kind__in=Harm.IMMIGRATION)
    placements = encounter.placements.select_related("provider") if private else []
    mark_shown(request, encounter)
    return render(
        request,
        "care/support.html",
        {
            "encounter": encounter,
            "private": private,
            "families": [
                moving(record, ("family_step", record.is_open), ("family_safety", True))
                for record in families
            ],
            "court_dates": [
                moving(
                    record,
                    ("court_support", not record.outcome),
                    ("court_outcome", not record.outcome),
                )
                for record in encounter.court_dates.all()
            ],
            "clearings": [
                moving(record, ("clearing_step", record.is_open)) for record in clearings
            ],
            "harms": harms,
            "placements": [
                moving(
                    record,
                    ("placement_end", record.ended_on is None),
                    ("placement_correct", True),
                )
                for record in placements
            ],
            "add_family": adding("add_family", private),
            "add_court": adding("add_court"),
            "add_clearing": adding("add_clearing", private),
            "add_harm": adding("add_harm", private),
            "add_placement": adding("add_placement", private),
        },
        status=status,
    )


@never_cache
@login_required
@require_http_methods(["GET", "POST"])
def support(request, code: str):
    encounter = get_object_or_404(access.encounters_for(request.user), code=code)
    may_record = permissions.may_record_support(request.user, encounter)
    if request.method == "GET":
        return _page(request, encounter, bound={}, may_record=may_record)
    if not may_record:
        return _no_access(request)
    posted = _post(request, encounter)
    if not isinstance(posted, dict):
        return posted
    return _page(request, encounter, bound=posted, may_record=may_record, status=400)
