"""The staff pages of public-records requests: the list, a new request, one request with the
steps its lifecycle allows next, its files, its letters, and the scorecard.

Thin: each view parses its form, calls ``services`` (which check who may act and refuse in plain
words) or ``selectors`` (which read only what ``permissions`` allows), and renders. The pages are
for those who file requests and for administrators, who read them; a request a user may not read
does not exist for them (404). Requests are about agencies, never about people, so the pages hold
nothing person-level.
"""

import json
import mimetypes

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.core.files.base import ContentFile
from django.http import FileResponse, Http404, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.template.loader import render_to_string
from django.utils import timezone
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from beyondraid.core.pdf import PdfUnavailable, html_to_pdf

from . import letters, permissions, selectors, services
from .forms import (
    AttachForm,
    CategoriesReceivedForm,
    LetterForm,
    ReleaseForm,
    RequestFilterForm,
    RequestForm,
    StepForm,
)
from .models import TRANSITIONS, Correspondence, EventKind, RecordsRequest, ReleasedDocument

# The stored files of a request, by the name their download address uses: the model, and how
# a row of it leads to its request.
FILE_KINDS = {
    "correspondence": (Correspondence, "event__request"),
    "released": (ReleasedDocument, "request"),
}


def _no_access(request):
    return render(request, "records/no_access.html", status=403)


def _staff_only(view):
    """Signed in, and one of those the staff pages are for; anyone else is told so (403)."""

    def checked(request, *args, **kwargs):
        if not permissions.may_use_staff_pages(request.user):
            return _no_access(request)
        return view(request, *args, **kwargs)

    checked.__name__ = view.__name__
    checked.__doc__ = view.__doc__
    return login_required(checked)


def _request(request, code: str) -> RecordsRequest:
    found = selectors.request_for(request.user, code)
    if found is None:
        raise Http404("No such request.")
    return found


def _add_errors(form, error: ValidationError, fields: dict[str, str] | None = None) -> None:
    """Put a service's refusal on the form field it names (``fields`` renames a service
    argument to its field), or at the top of the form when it names none of them."""
    fields = fields or {}
    if not hasattr(error, "error_dict"):
        for message in error.messages:
            form.add_error(None, message)
        return
    for key, field_messages in error.message_dict.items():
        field = fields.get(key, key)
        for message in field_messages:
            form.add_error(field if field in form.fields else None, message)


# --- The list and a new request -----------------------------------------------------------------


@_staff_only
@require_GET
def request_list(request):
    visible = permissions.visible_requests(request.user)
    form = RequestFilterForm(request.GET or None, requests=visible)
    status = 200
    shown = visible
    if form.is_bound:
        if form.is_valid():
            if form.cleaned_data["agency"]:
                shown = shown.filter(agency=form.cleaned_data["agency"])
            if form.cleaned_data["law"]:
                shown = shown.filter(law=form.cleaned_data["law"])
            if form.cleaned_data["status"]:
                shown = shown.filter(status=form.cleaned_data["status"])
        else:
            status = 400
    return render(
        request,
        "records/request_list.html",
        {
            "form": form,
            "rows": selectors.listed_requests(shown),
            "filtered": form.is_bound,
            "may_file": permissions.may_file(request.user),
            "today": timezone.localdate(),
        },
        status=status,
    )


@_staff_only
@require_http_methods(["GET", "POST"])
def request_new(request):
    user = request.user
    if not permissions.may_file(user):
        return _no_access(request)
    requesters = permissions.requesters_for(user)
    if request.method == "GET":
        form = RequestForm(requesters=requesters, initial={"requester": user.organisation_id})
        return render(request, "records/request_new.html", {"form": form})
    form = RequestForm(request.POST, requesters=requesters)
    if form.is_valid():
        try:
            created = services.create_request(user=user, **form.cleaned_data)
        except ValidationError as error:
            _add_errors(form, error, {"on": "sent_on", "kind": "sent_on"})
        else:
            state = "sent" if created.sent_on else "saved as a draft"
            messages.success(request, f"Request {created.code} to {created.agency} is {state}.")
            return redirect("records:detail", code=created.code)
    return render(request, "records/request_new.html", {"form": form}, status=400)


# --- One request --------------------------------------------------------------------------------


def _detail(request, records_request: RecordsRequest, *, status: int = 200, bound=None):
    """The request's page; ``bound`` is a form just posted, (name, form), shown as typed in
    place of the empty one."""
    user = request.user
    today = timezone.localdate()
    movable = permissions.may_move(user, records_request)
    forms = {}
    if movable:
        events = records_request.events.exists()
        released = records_request.events.filter(
            kind__in=(EventKind.RELEASED, EventKind.PARTIALLY_RELEASED)
        ).exists()
        if TRANSITIONS[records_request.status]:
            forms["step"] = StepForm(request=records_request, prefix="step")
        if events:
            forms["attach"] = AttachForm(request=records_request, prefix="attach")
        if released:
            forms["release"] = ReleaseForm(prefix="release")
            forms["categories"] = CategoriesReceivedForm(
                request=records_request, prefix="categories"
            )
        if bound:
            forms[bound[0]] = bound[1]
    due = selectors.deadline(records_request, today)
    events = records_request.events.select_related("recorded_by").prefetch_related("correspondence")
    return render(
        request,
        "records/request_detail.html",
        {
            "records_request": records_request,
            "law": records_request.governing_law,
            "timeline": [
                {"event": event, "reasons": _reason_labels(records_request, event.reasons)}
                for event in events
            ],
            "due": due,
            "phrase": selectors.deadline_phrase(due),
            "categories": records_request.categories.all(),
            "documents": records_request.released_documents.select_related("event"),
            "movable": movable,
            "forms": forms,
            "letter_kinds": letters.KINDS,
            "today": today,
        },
        status=status,
    )


def _reason_labels(records_request: RecordsRequest, codes: list[str]) -> list[str]:
    law = records_request.governing_law
    reasons = {reason.code: reason for reason in law.denial_reasons + law.extension_reasons}
    return [reasons[code].wording if code in reasons else code for code in codes]


@_staff_only
@require_GET
def request_detail(request, code: str):
    return _detail(request, _request(request, code))


def _mover(view):
    """A POST that changes a request: only for those who may move it (403 for readers)."""

    def checked(request, code: str, *args, **kwargs):
        records_request = _request(request, code)
        if not permissions.may_move(request.user, records_request):
            return _no_access(request)
        return view(request, records_request, *args, **kwargs)

    checked.__name__ = view.__name__
    checked.__doc__ = view.__doc__
    return _staff_only(require_POST(checked))


def _outcome(request, records_request, name, form, call, success, fields=None):
    """Run ``call`` on a valid form: on success back to the request with ``success``; bad input
    or a refusal brings the page back with the form as typed and status 400."""
    if form.is_valid():
        try:
            call(form.cleaned_data)
        except ValidationError as error:
            _add_errors(form, error, fields)
        else:
            messages.success(request, success)
            return redirect("records:detail", code=records_request.code)
    return _detail(request, records_request, status=400, bound=(name, form))


@_mover
def record_step(request, records_request):
    form = StepForm(request.POST, request.FILES, request=records_request, prefix="step")
    kind = request.POST.get("step-kind", "")
    reasons_field = "extension_reason" if kind == EventKind.EXTENSION_CLAIMED else "denial_reasons"

    def call(_):
        services.record_step(user=request.user, request=records_request, **form.service_arguments())

    label = EventKind(kind).label if kind in EventKind.values else ""
    return _outcome(
        request,
        records_request,
        "step",
        form,
        call,
        f"“{label}” is recorded for request {records_request.code}.",
        {"reasons": reasons_field, "files": "correspondence"},
    )


@_mover
def attach(request, records_request):
    form = AttachForm(request.POST, request.FILES, request=records_request, prefix="attach")

    def call(data):
        event = records_request.events.get(pk=data["event"])
        services.attach_correspondence(user=request.user, event=event, files=data["files"])

    return _outcome(request, records_request, "attach", form, call, "The letters are attached.")


@_mover
def store_release(request, records_request):
    form = ReleaseForm(request.POST, request.FILES, prefix="release")

    def call(data):
        services.store_released_documents(
            user=request.user, request=records_request, files=data["files"]
        )

    return _outcome(
        request,
        records_request,
        "release",
        form,
        call,
        "The released documents are stored with their SHA-256.",
    )


@_mover
def audit_document(request, records_request, pk: int):
    """Send a released table to the intake audit; its findings stay with the document."""
    document = get_object_or_404(records_request.released_documents, pk=pk)
    try:
        services.audit_released_document(user=request.user, document=document)
    except ValidationError as refused:
        messages.error(request, " ".join(refused.messages))
    else:
        found = len(document.findings)
        messages.success(
            request,
            f"{document.name} is audited: {found} finding{'s' if found != 1 else ''}.",
        )
    return redirect("records:detail", code=records_request.code)


@_mover
def categories_received(request, records_request):
    form = CategoriesReceivedForm(request.POST, request=records_request, prefix="categories")

    def call(data):
        services.record_categories_received(
            user=request.user,
            request=records_request,
            received=records_request.categories.filter(pk__in=data["received"]),
        )

    return _outcome(
        request,
        records_request,
        "categories",
        form,
        call,
        "The categories received are recorded.",
    )


@_mover
def set_public(request, records_request):
    choice = request.POST.get("is_public")
    if choice not in ("yes", "no"):
        messages.error(request, "Choose whether the request is public: yes or no.")
        return _detail(request, records_request, status=400)
    is_public = choice == "yes"
    services.set_public(user=request.user, request=records_request, is_public=is_public)
    messages.success(
        request,
        f"Request {records_request.code} is now "
        + (
            "public: everyone can read it once it is sent."
            if is_public
            else "private: only its requester's staff, analysts and administrators read it."
        ),
    )
    return redirect("records:detail", code=records_request.code)


@_staff_only
@require_GET
def stored_file(request, code: str, kind: str, pk: int):
    """A letter or released document of a request the user may read, as an attachment."""
    records_request = _request(request, code)
    if kind not in FILE_KINDS:
        raise Http404("No such file.")
    model, to_request = FILE_KINDS[kind]
    stored = model.objects.filter(pk=pk, **{to_request: records_request}).first()
    if stored is None:
        raise Http404("No such file.")
    content_type = mimetypes.guess_type(stored.name)[0] or "application/octet-stream"
    return FileResponse(
        stored.file.open("rb"),
        as_attachment=True,
        filename=stored.name,
        content_type=content_type,
    )


# --- Letters ------------------------------------------------------------------------------------


@_staff_only
@require_http_methods(["GET", "POST"])
def letter(request, code: str, kind: str):
    records_request = _request(request, code)
    if kind not in letters.KINDS:
        raise Http404("No such letter.")
    if not permissions.may_move(request.user, records_request):
        return _no_access(request)
    today = timezone.localdate()
    draft = letters.draft(records_request, kind, today)
    context = {"records_request": records_request, "letter": draft, "pdf_problem": ""}
    if request.method == "GET":
        form = LetterForm(
            request=records_request,
            initial={"text": draft.text, "event": _default_step(records_request, kind)},
        )
        return render(request, "records/letter.html", {**context, "form": form})
    form = LetterForm(request.POST, request=records_request)
    action = request.POST.get("action", "")
    if form.is_valid():
        text = form.cleaned_data["text"]
        if action == "text":
            response = HttpResponse(text, content_type="text/plain; charset=utf-8")
            response["Content-Disposition"] = f'attachment; filename="{draft.filename}.txt"'
            return response
        if action == "pdf":
            try:
                content = html_to_pdf(
                    render_to_string(
                        "records/letter_pdf.html",
                        {"records_request": records_request, "letter": draft, "text": text},
                    )
                )
            except PdfUnavailable as unavailable:
                context["pdf_problem"] = str(unavailable)
                return render(request, "records/letter.html", {**context, "form": form}, status=503)
            response = HttpResponse(content, content_type="application/pdf")
            response["Content-Disposition"] = f'attachment; filename="{draft.filename}.pdf"'
            return response
        if action == "attach":
            if not form.cleaned_data["event"]:
                form.add_error("event", "Choose the step to attach the letter to.")
            else:
                event = records_request.events.get(pk=form.cleaned_data["event"])
                upload = ContentFile(text.encode("utf-8"), name=f"{draft.filename}.txt")
                try:
                    services.attach_correspondence(user=request.user, event=event, files=[upload])
                except ValidationError as error:
                    _add_errors(form, error)
                else:
                    messages.success(
                        request, f"The {draft.title.lower()} is attached to “{event}”."
                    )
                    return redirect("records:detail", code=records_request.code)
        else:
            form.add_error(None, "Choose what to do with the letter: download it or attach it.")
    return render(request, "records/letter.html", {**context, "form": form}, status=400)


# The step each letter usually goes with, offered first when attaching it.
_LETTER_STEPS = {
    "request": EventKind.SUBMITTED,
    "follow-up": EventKind.FOLLOW_UP,
    "appeal": EventKind.APPEAL,
}


def _default_step(records_request: RecordsRequest, kind: str) -> str:
    event = records_request.events.filter(kind=_LETTER_STEPS[kind]).order_by("-on", "-pk").first()
    return str(event.pk) if event else ""


# --- The scorecard ------------------------------------------------------------------------------


@_staff_only
@require_GET
def scorecard(request):
    card = selectors.scorecard(permissions.visible_requests(request.user))
    return render(
        request,
        "records/scorecard.html",
        {"card": card, "figures": selectors.FIGURES},
    )


@_staff_only
@require_GET
def scorecard_json(request):
    card = selectors.scorecard(permissions.visible_requests(request.user))
    response = HttpResponse(
        json.dumps(card.as_dict(), indent=2, ensure_ascii=False),
        content_type="application/json; charset=utf-8",
    )
    response["Content-Disposition"] = (
        f'attachment; filename="records-scorecard-{card.as_of.isoformat()}.json"'
    )
    return response
