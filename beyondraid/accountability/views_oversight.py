"""The investigators' pages: the reports a user may see, one report with its workflow, and the
oversight key unlocked for a working session.

Thin: each view parses its form, calls ``services`` (which check who may act and refuse in plain
words) or ``selectors`` (which read only what ``permissions`` allows), and renders. A report a user
may not see does not exist for them (404). What the reporter wrote is shown only while the user
holds the unlocked key (``keyholding``); every page that can show it is kept out of caches.
"""

from collections.abc import Callable
from dataclasses import dataclass
from typing import NamedTuple

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.http import url_has_allowed_host_and_scheme
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from . import keyholding, permissions, sealing, selectors, services
from .forms_oversight import (
    AcknowledgeForm,
    ActionForm,
    AdjudicateForm,
    AssignForm,
    ChannelFilterForm,
    CloseForm,
    CorrectTypesForm,
    ExtendForm,
    MessageForm,
    StartForm,
    TriageForm,
    UnlockForm,
)
from .models import Channel, Report

State = Report.State


def _no_access(request):
    return render(request, "accountability/oversight_no_access.html", status=403)


def _report(request, reference: str) -> Report:
    report = selectors.report_for(request.user, reference)
    if report is None:
        raise Http404("No such report.")
    return report


def _same_site(target: str) -> str | None:
    """``target`` when it is a path on this site, so that unlocking cannot send anyone away."""
    if target.startswith("/") and url_has_allowed_host_and_scheme(target, allowed_hosts=None):
        return target
    return None


NO_KEY_YET = (
    "No oversight key exists yet: an administrator creates it on the server with "
    "“beyondraid oversight_key init”."
)


@never_cache
@login_required
@require_GET
def report_list(request):
    user = request.user
    if not permissions.is_investigator(user):
        return _no_access(request)
    today = timezone.localdate()
    filters = ChannelFilterForm(request.GET)
    valid = filters.is_valid()
    channel = filters.cleaned_data["channel"] if valid else ""
    return render(
        request,
        "accountability/oversight_reports.html",
        {
            "rows": selectors.report_rows(user, today, channel=channel),
            "filters": filters,
            "channel": Channel(channel).label if channel else "",
            "patterns": selectors.patterns(user),
            "key_held": keyholding.held(request) is not None,
            "is_administrator": permissions.is_oversight_administrator(user),
            "today": today,
        },
        status=200 if valid else 400,
    )


@never_cache
@login_required
@require_GET
def statistics(request):
    """Counts by agency and type for the investigators' own use: internal and unsuppressed, so
    shown only to those who may see the reports list; the public figures come from releases."""
    user = request.user
    if not permissions.is_investigator(user):
        return _no_access(request)
    return render(
        request,
        "accountability/oversight_statistics.html",
        {
            "misconduct": selectors.statistics_by_agency_and_type(user),
            "feedback": selectors.feedback_statistics(user),
            "is_administrator": permissions.is_oversight_administrator(user),
        },
    )


def _unlock_page(request, form: UnlockForm, status: int = 200):
    return render(
        request,
        "accountability/oversight_unlock.html",
        {"form": form, "hold_minutes": keyholding.HOLD_SECONDS // 60},
        status=status,
    )


@never_cache
@login_required
@require_http_methods(["GET", "POST"])
def unlock(request):
    if not permissions.is_investigator(request.user):
        return _no_access(request)
    if request.method == "GET":
        form = UnlockForm(initial={"next": _same_site(request.GET.get("next", ""))})
        return _unlock_page(request, form)
    form = UnlockForm(request.POST)
    if form.is_valid():
        try:
            private_key = services.unlock_key(
                user=request.user, passphrase=form.cleaned_data["passphrase"]
            )
        except services.ReportRefused as refused:
            form.add_error("passphrase", str(refused))
        except services.ChannelNotReady:
            form.add_error(None, NO_KEY_YET)
        else:
            target = _same_site(form.cleaned_data["next"]) or reverse("oversight:reports")
            response = redirect(target)
            keyholding.hold(request, response, private_key)
            messages.success(
                request,
                f"The oversight key is unlocked in this browser for "
                f"{keyholding.HOLD_SECONDS // 60} minutes, or until you lock it or sign out.",
            )
            return response
    return _unlock_page(request, form, status=400)


@login_required
@require_POST
def lock(request):
    if not permissions.is_investigator(request.user):
        return _no_access(request)
    response = redirect("oversight:reports")
    keyholding.release(request, response)
    messages.success(request, "The oversight key is locked. Unlock it again to read reports.")
    return response


# --- One report ---------------------------------------------------------------------------------


class Action(NamedTuple):
    form: type
    service: Callable
    offered: Callable[[object, Report], bool]
    title: str
    button: str
    success: str
    hint: str = ""
    # The form is built for the report: what it asks depends on the report's channel.
    per_report: bool = False


def _intake_in(*states):
    return lambda user, report: permissions.may_manage_intake(user) and report.state in states


def _investigation_in(*states):
    return lambda user, report: permissions.may_investigate(user, report) and report.state in states


def _types_correctable(user, report) -> bool:
    return (
        report.channel == Channel.MISCONDUCT
        and report.state not in (State.RECEIVED, State.ACKNOWLEDGED)
        and permissions.may_investigate(user, report)
    )


# The workflow in order; each step is offered only to who may take it, in the states it needs.
ACTIONS = {
    "acknowledge": Action(
        AcknowledgeForm,
        services.acknowledge,
        _intake_in(State.RECEIVED),
        title="Acknowledge",
        button="Acknowledge the report",
        success="The report is acknowledged; the reporter can read the acknowledgement with "
        "their receipt.",
        hint="The reporter reads a standard acknowledgement in the language they wrote in.",
    ),
    "triage": Action(
        TriageForm,
        services.triage,
        _intake_in(State.ACKNOWLEDGED, State.TRIAGED),
        title="Triage",
        button="Record the triage",
        success="The triage is recorded.",
        hint="Which agency or organisation, unit and operation the report concerns, and what it "
        "is about, as you read it. The assignment checks that the investigator is independent "
        "of that agency.",
        per_report=True,
    ),
    "assign": Action(
        AssignForm,
        services.assign,
        _intake_in(State.TRIAGED, State.ASSIGNED),
        title="Assign",
        button="Assign the report",
        success="The report is assigned.",
    ),
    "start": Action(
        StartForm,
        services.start_investigation,
        _investigation_in(State.ASSIGNED),
        title="Start the investigation",
        button="Start the investigation",
        success="The investigation has started.",
    ),
    "adjudicate": Action(
        AdjudicateForm,
        services.adjudicate,
        _investigation_in(State.INVESTIGATING),
        title="Record the finding",
        button="Record the finding",
        success="The finding is recorded.",
    ),
    "action": Action(
        ActionForm,
        services.decide_action,
        _investigation_in(State.ADJUDICATED),
        title="Record the action",
        button="Record the action",
        success="The action is recorded.",
    ),
    "close": Action(
        CloseForm,
        services.close,
        _investigation_in(State.ACTION),
        title="Close",
        button="Close the report",
        success="The report is closed and kept for the retention of its finding.",
        hint="A closed report is kept for the retention period of its finding, and receives no "
        "more messages.",
    ),
    "extend": Action(
        ExtendForm,
        services.extend_retention,
        _intake_in(State.CLOSED),
        title="Keep it longer",
        button="Extend the retention",
        success="The retention is extended, with its reason.",
    ),
    "message": Action(
        MessageForm,
        services.send_message,
        # The acknowledgement is the reporter's first message, and the feedback clock starts
        # from it; a closed report receives no more.
        _investigation_in(
            *(state for state in State.values if state not in (State.RECEIVED, State.CLOSED))
        ),
        title="Write to the reporter",
        button="Send the message",
        success="The message is sealed; the reporter reads it with their receipt.",
    ),
    "types": Action(
        CorrectTypesForm,
        services.correct_types,
        _types_correctable,
        title="Correct the types",
        button="Correct the types",
        success="The types of misconduct are corrected.",
        hint="When your reading of the report changes. The statistics by agency and type "
        "count the corrected types; the audit log keeps who changed them and on which day.",
    ),
}


@dataclass(frozen=True)
class Offered:
    """One action as its page shows it."""

    name: str
    action: Action
    form: object
    url: str


def _initial(name: str, report: Report, types: list[str], answers) -> dict:
    """A second triage, and a correction of the types, start from what is recorded."""
    if name == "types":
        return {"types": types}
    if name != "triage" or not report.concerned_agency_id:
        return {}
    initial = {
        "concerned_agency": report.concerned_agency_id,
        "concerned_unit": report.concerned_unit,
        "operation": report.operation.code if report.operation else "",
        "types": types,
    }
    if answers:
        initial.update(
            {question: getattr(answers, question) for question in services.FEEDBACK_QUESTIONS},
            complaint=answers.complaint,
        )
    return initial


def _form(action: Action, report: Report, *args, **kwargs):
    if action.per_report:
        kwargs["report"] = report
    return action.form(*args, **kwargs)


def _detail(request, report: Report, *, status: int = 200, bound=None, refusal: str = ""):
    """The report's page with the actions the user may take on it now. ``bound`` is a form just
    posted (name, form), shown as typed in place of the empty one."""
    user = request.user
    today = timezone.localdate()
    private_key = keyholding.held(request)
    opened = thread = None
    unreadable = False
    if private_key is not None:
        try:
            opened = selectors.opened_report(user=user, private_key=private_key, report=report)
            thread = services.investigator_thread(private_key=private_key, report=report)
        except sealing.UnreadableSealedData:
            unreadable = True
    types, answers = selectors.triage_of(report)
    codes = [chosen.type for chosen in types]
    offered = [
        Offered(
            name=name,
            action=action,
            form=(
                bound[1]
                if bound and bound[0] == name
                else _form(
                    action, report, prefix=name, initial=_initial(name, report, codes, answers)
                )
            ),
            url=reverse(f"oversight:{name}", args=[report.reference]),
        )
        for name, action in ACTIONS.items()
        if action.offered(user, report) or (bound and bound[0] == name)
    ]
    return render(
        request,
        "accountability/oversight_report.html",
        {
            "report": report,
            "language": selectors.language_name(report.language),
            "acknowledgement": selectors.summarise_clock(
                services.acknowledgement_clock(report), today
            ),
            "feedback": selectors.summarise_clock(services.feedback_clock(report), today),
            "extensions": report.extensions.select_related("recorded_by"),
            "types": types,
            "answers": answers,
            "recorded_answers": selectors.recorded_answers(answers) if answers else (),
            "key_held": private_key is not None,
            "unreadable": unreadable,
            "opened": opened,
            "thread": thread,
            "offered": offered,
            "refusal": refusal,
        },
        status=status,
    )


@never_cache
@login_required
@require_GET
def report_detail(request, reference: str):
    return _detail(request, _report(request, reference))


@never_cache
@login_required
@require_POST
def act(request, reference: str, name: str):
    """One action on the report: on success back to the report with a message; bad input or a
    refusal brings the page back with the form as typed and status 400."""
    report = _report(request, reference)
    action = ACTIONS[name]
    form = _form(action, report, request.POST, prefix=name)
    if not form.is_valid():
        return _detail(request, report, status=400, bound=(name, form))
    try:
        action.service(user=request.user, report=report, **form.cleaned_data)
    except (services.ReportRefused, services.ChannelNotReady) as refused:
        refusal = NO_KEY_YET if isinstance(refused, services.ChannelNotReady) else str(refused)
        form.add_error(None, refusal)
        return _detail(request, report, status=400, bound=(name, form), refusal=refusal)
    messages.success(request, action.success)
    return redirect("oversight:report", reference=report.reference)
