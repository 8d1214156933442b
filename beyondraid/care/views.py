"""The victim-service pages: the provider directory, referring a person with their consent, the
provider's answer and follow-through, the unmet-need log and the cooperation parity report.

Thin: each view parses its form, calls ``services`` or ``selectors`` and renders. What a page
offers is read from ``permissions``; the services decide again on every action. A referral or a
person the user may not read answers 404, so that nothing says whether it exists; a role that
has no part in a page gets a plain 403 page; bad input brings the form back as typed with a 400
and the fields named; an action the workflow refuses goes back to the referral with the reason.
Pages that show facts about a person mark them, so each read is in the audit log and no cache
keeps the page.
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
from beyondraid.standard import selectors as standard_selectors
from beyondraid.standard.models import Agency
from beyondraid.standard.person_level import mark_shown
from beyondraid.standard.vocabulary import vocabulary

from . import permissions, selectors, services
from .forms import (
    AcceptForm,
    CloseForm,
    DeclineForm,
    DeliveryForm,
    DirectorySearchForm,
    FollowUpForm,
    ParityForm,
    ProviderProfileForm,
    ProviderServiceForm,
    ReferralForm,
    StartForm,
)
from .models import PROVIDER_KIND, Referral


def _no_access(request, message: str, explanation: str):
    return render(
        request,
        "care/no_access.html",
        {"message": message, "explanation": explanation},
        status=403,
    )


def _refused(error: ValidationError) -> str:
    return " ".join(error.messages)


# --- The provider directory ---------------------------------------------------------------------


@never_cache
@login_required
@require_GET
def directory(request):
    user = request.user
    if not permissions.may_read_directory(user):
        return _no_access(
            request,
            "Your account has no organisation or role yet",
            "The directory of victim-service providers is for staff with a role in the system.",
        )
    form = DirectorySearchForm(request.GET or None)
    entries = selectors.directory()
    status = 200
    if form.is_bound:
        if form.is_valid():
            entries = selectors.find_providers(**form.cleaned_data)
        else:
            status = 400
    entries = list(entries)
    return render(
        request,
        "care/directory.html",
        {
            "form": form,
            "entries": entries,
            "searched": form.is_bound,
            "editable": {
                entry.pk for entry in entries if permissions.may_edit_profile(user, entry)
            },
            # A caseworker lists their own provider, an administrator any provider not listed yet.
            "unlisted": [
                provider
                for provider in Agency.objects.filter(
                    kind=PROVIDER_KIND, provider_profile__isnull=True
                ).order_by("name")
                if permissions.may_create_profile(user, provider)
            ],
        },
        status=status,
    )


@never_cache
@login_required
@require_http_methods(["GET", "POST"])
def provider_edit(request, pk: int):
    provider = get_object_or_404(Agency, pk=pk, kind=PROVIDER_KIND)
    profile = selectors.provider_profile(provider)
    user = request.user
    allowed = (
        permissions.may_edit_profile(user, profile)
        if profile is not None
        else permissions.may_create_profile(user, provider)
    )
    if not allowed:
        return _no_access(
            request,
            f"Only a caseworker of {provider.name} keeps its directory entry",
            "Each provider keeps its own entry up to date: what it offers, to whom, and whether it "
            "can take someone now. An administrator may list a provider and correct its entry.",
        )
    form = ProviderProfileForm(
        request.POST if request.method == "POST" else None,
        initial=ProviderProfileForm.initial_from(profile),
    )
    if request.method == "POST" and form.is_valid():
        try:
            if profile is None:
                services.create_provider_profile(user=user, provider=provider, **form.cleaned_data)
            else:
                services.update_provider_profile(user=user, profile=profile, **form.cleaned_data)
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            messages.success(request, f"The directory entry of {provider.name} was saved.")
            return redirect("care:directory")
    return render(
        request,
        "care/provider_edit.html",
        {"provider": provider, "profile": profile, "form": form},
        status=400 if form.is_bound else 200,
    )


# --- Referring a person -------------------------------------------------------------------------


@never_cache
@login_required
@require_http_methods(["GET", "POST"])
def refer(request, code: str):
    user = request.user
    encounter = standard_selectors.encounter_record(user, code)
    if encounter is None:
        raise Http404("No such record.")
    if not permissions.may_refer(user, encounter):
        return _no_access(
            request,
            "Only a data steward of the operation, or the organisation that identified the "
            "person, refers them",
            "A referral is sent by a data steward of an agency that took part in the operation "
            "that encountered the person, or by a steward or caseworker of the organisation that "
            "identified them outside any operation, with the person's consent.",
        )
    status = 200
    finder = ProviderServiceForm(request.GET or None)
    service = None
    if finder.is_bound:
        if finder.is_valid():
            service = finder.cleaned_data["service"] or None
        else:
            status = 400
    matching = list(selectors.providers_for_encounter(user, encounter=encounter, service=service))
    matched = {entry.pk for entry in matching}
    others = [entry for entry in selectors.directory() if entry.pk not in matched]
    form = ReferralForm(
        request.POST if request.method == "POST" else None, matching=matching, others=others
    )
    if request.method == "POST":
        status = 400
        if form.is_valid():
            try:
                referral = services.send_referral(
                    user=user,
                    encounter=encounter,
                    provider=form.cleaned_data["provider"],
                    services=form.cleaned_data["services"],
                    sent_on=form.cleaned_data["sent_on"],
                    **form.consent(),
                )
            except ValidationError as error:
                add_service_errors(form, error)
            else:
                messages.success(
                    request,
                    f"Referral {referral.code} was sent to {referral.provider.name}. Its "
                    "caseworkers can now accept or decline it.",
                )
                return redirect("care:referral_detail", code=referral.code)
    mark_shown(request, encounter)
    scope = vocabulary("consent_scope")
    return render(
        request,
        "care/refer.html",
        {
            "encounter": encounter,
            "finder": finder,
            "matching": matching,
            "form": form,
            "may_override": permissions.may_override_consent(user, encounter),
            "override_shares": [
                scope.label(code) for code in scope.codes_where("shared_under_override", True)
            ],
            "referrals": selectors.referrals_of_encounter(user, encounter),
        },
        status=status,
    )


# --- Referrals ----------------------------------------------------------------------------------


def _no_referrals(request):
    return _no_access(
        request,
        "Your role does not include referrals",
        "Referrals are read by the caseworkers of the provider they went to, by the data stewards "
        "of the agency that referred the person, and by oversight analysts.",
    )


@never_cache
@login_required
@require_GET
def referral_list(request):
    user = request.user
    if not permissions.may_read_referrals(user):
        return _no_referrals(request)
    statuses = vocabulary("referral_status")
    wanted = request.GET.get("status", "")
    unknown = bool(wanted) and wanted not in statuses.codes
    referrals = [] if unknown else list(selectors.referrals_for(user, status=wanted or None))
    # Each row names a person: each person listed is a person-level read, once.
    mark_shown(request, *{referral.encounter for referral in referrals})
    return render(
        request,
        "care/referral_list.html",
        {
            "referrals": referrals,
            "statuses": statuses.choices,
            "status": wanted,
            "unknown_status": unknown,
            "status_label": statuses.label(wanted) if wanted and not unknown else "",
            "may_read_parity": permissions.may_read_parity(user, user.organisation),
        },
        status=400 if unknown else 200,
    )


def _referral(request, code: str) -> Referral:
    referral = selectors.referral_record(request.user, code)
    if referral is None:
        raise Http404("No such referral.")
    return referral


def _history(referral: Referral) -> list[tuple[str, object, str]]:
    """The referral's dated steps, in order: what happened, when, and who."""
    answered = referral.answered_by.get_username() if referral.answered_by else ""
    steps = [
        (
            "Sent",
            referral.sent_on,
            f"{referral.sent_by.get_username()}, {referral.referring_agency}",
        ),
        ("Accepted", referral.accepted_on, answered),
        ("Declined", referral.declined_on, answered),
        ("Services started", referral.services_started_on, ""),
        ("Closed", referral.closed_on, ""),
    ]
    return [step for step in steps if step[1] is not None]


def _detail(request, referral: Referral, *, status: int = 200, **bound):
    """The referral's page with the actions the user is offered on it. ``bound`` holds a form
    just posted with its errors, shown in place of the empty one."""
    user = request.user
    answering = permissions.may_answer(user, referral)
    state = referral.status
    open_ = state in ("accepted", "services_started")

    def offered(name: str, form_class, when: bool, **kwargs):
        if name in bound:
            return bound[name]
        return form_class(**kwargs) if answering and when else None

    mark_shown(request, referral, referral.encounter)
    context = {
        "referral": referral,
        "history": _history(referral),
        "free_text": permissions.may_read_free_text(user, referral),
        "facts": selectors.shared_facts(user, referral),
        "person_visible": access.encounters_for(user).filter(pk=referral.encounter_id).exists(),
        "follow_ups": referral.follow_ups.prefetch_related("prosecuted_for"),
        "accept_form": offered("accept_form", AcceptForm, state == "sent"),
        "decline_form": offered("decline_form", DeclineForm, state == "sent"),
        "start_form": offered("start_form", StartForm, state == "accepted"),
        "delivery_form": offered("delivery_form", DeliveryForm, open_, services=referral.services),
        "close_form": offered("close_form", CloseForm, open_),
        "follow_up_form": offered("follow_up_form", FollowUpForm, referral.accepted_on is not None),
    }
    return render(request, "care/referral_detail.html", context, status=status)


@never_cache
@login_required
@require_GET
def referral_detail(request, code: str):
    return _detail(request, _referral(request, code))


def _act(request, code: str, form_class, action, success: str, *, name: str, choices=None):
    """Run one of the provider's actions on a referral: a refusal goes back to the referral as a
    message; bad input brings the page back with the form as typed. ``choices`` gives the form
    what it offers on this referral."""
    referral = _referral(request, code)
    if not permissions.may_answer(request.user, referral):
        messages.error(
            request,
            f"Only a caseworker of {referral.provider.name} answers this referral and records "
            "its services.",
        )
        return redirect("care:referral_detail", code=referral.code)
    form = form_class(request.POST, **(choices(referral) if choices else {}))
    if form.is_valid():
        try:
            action(user=request.user, referral=referral, **form.cleaned_data)
        except services.CareRefused as refused:
            messages.error(request, _refused(refused))
            return redirect("care:referral_detail", code=referral.code)
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            messages.success(request, success)
            return redirect("care:referral_detail", code=referral.code)
    return _detail(request, referral, status=400, **{name: form})


@login_required
@require_POST
def accept(request, code: str):
    return _act(
        request,
        code,
        AcceptForm,
        services.accept_referral,
        "The referral was accepted.",
        name="accept_form",
    )


@login_required
@require_POST
def decline(request, code: str):
    return _act(
        request,
        code,
        DeclineForm,
        services.decline_referral,
        "The referral was declined. Its services are in the unmet-need log with your reason.",
        name="decline_form",
    )


@login_required
@require_POST
def start(request, code: str):
    return _act(
        request,
        code,
        StartForm,
        services.start_services,
        "Services under this referral have started.",
        name="start_form",
    )


@login_required
@require_POST
def close(request, code: str):
    return _act(
        request,
        code,
        CloseForm,
        services.close_referral,
        "The referral was closed. Follow-ups can still be recorded on it.",
        name="close_form",
    )


@login_required
@require_POST
def record_delivery(request, code: str):
    return _act(
        request,
        code,
        DeliveryForm,
        services.record_delivery,
        "The service delivered was recorded.",
        name="delivery_form",
        choices=lambda referral: {"services": referral.services},
    )


@login_required
@require_POST
def record_follow_up(request, code: str):
    return _act(
        request,
        code,
        FollowUpForm,
        services.record_follow_up,
        "The follow-up was recorded.",
        name="follow_up_form",
    )


# --- The unmet-need log and the cooperation parity report ---------------------------------------


@never_cache
@login_required
@require_GET
def unmet_needs(request):
    if not permissions.may_read_referrals(request.user):
        return _no_referrals(request)
    needs = list(selectors.unmet_needs_for(request.user))
    # Each row is a referral of one person: each person is a person-level read, once.
    mark_shown(request, *{need.referral.encounter for need in needs})
    return render(
        request,
        "care/unmet_needs.html",
        {
            "needs": needs,
            # The operation that encountered the person is not part of a referral: a provider's
            # caseworker is not told it.
            "operations_shown": access.reads_whole_records(request.user),
        },
    )


PARITY_MEASURES = (
    ("offered_services", "Offered services"),
    ("referred", "Referred to a provider"),
    ("referral_accepted", "Referral accepted by the provider"),
    ("services_started", "Services started"),
)


def _percent(share: float | None) -> str:
    return "—" if share is None else f"{share:.0%}"


def _gap(gap: float | None) -> str:
    if gap is None:
        return "Not measurable: a group has no victims"
    points = round(gap * 100)
    if points == 0:
        return "No gap"
    direction = "higher" if points > 0 else "lower"
    return f"{abs(points)} percentage points {direction} for those who cooperated"


@never_cache
@login_required
@require_GET
def cooperation_parity(request):
    user = request.user
    # Only analysts choose an agency; a steward's report is always their own agency's.
    form = ParityForm(request.GET or None) if permissions.may_read_parity(user, None) else None
    agency = None
    if form is not None and form.is_bound:
        if not form.is_valid():
            return render(request, "care/parity.html", {"form": form}, status=400)
        agency = form.cleaned_data["agency"]
    report = selectors.cooperation_parity(user, agency=agency)
    if report is None:
        return _no_access(
            request,
            "Your role does not include the cooperation parity report",
            "The report is read by oversight analysts, for any agency, and by data stewards, for "
            "their own agency.",
        )
    rows = [
        {
            "label": label,
            "cooperated": getattr(report.cooperated, measure),
            "cooperated_share": _percent(report.cooperated.share(measure)),
            "did_not": getattr(report.did_not, measure),
            "did_not_share": _percent(report.did_not.share(measure)),
            "gap": _gap(report.gap(measure)),
        }
        for measure, label in PARITY_MEASURES
    ]
    return render(
        request,
        "care/parity.html",
        {"form": form, "report": report, "rows": rows, "measures": PARITY_MEASURES},
    )
