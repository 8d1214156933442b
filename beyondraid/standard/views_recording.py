"""The pages on which a data steward records an operation and its people, and corrects them, in
the site itself rather than in the records administration (issue 23).

Thin, like ``views``: the forms parse, ``recording`` decides and writes each page's whole record
in one transaction. An operation or a person the user may not see is a 404, as on their own
pages; one they see but may not change (a prosecutor's, an analyst's) gets a 403 page that says
why. A page that shows a person's record marks it, so that the read is logged.
"""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.forms import BaseFormSet
from django.http import Http404
from django.shortcuts import redirect, render
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_http_methods

from . import access, recording, selectors
from .forms_recording import (
    LATER_ROWS,
    PERSON_ROWS,
    AgenciesCorrectionForm,
    OperationCorrectionForm,
    OperationForm,
    PageForm,
    ParticipantFormSet,
    PersonCorrectionForm,
    PersonForm,
    PlaceFormSet,
    error_summary,
    filled_rows,
    show_refusal,
)
from .person_level import mark_shown


def _refused(request, message: str, explanation: str):
    return render(
        request,
        "standard/recording/refused.html",
        {"message": message, "explanation": explanation},
        status=403,
    )


def _not_a_steward(request):
    return _refused(
        request,
        "Your role does not record operations",
        "Data stewards record the operations their agency takes part in, and the people they "
        "met. Prosecutors record charges, and oversight analysts read the records.",
    )


def _not_theirs(request):
    return _refused(
        request,
        "You may not change this record",
        recording.NOT_THEIR_OPERATION + " You may read it.",
    )


def _operation(request, code: str):
    operation = selectors.operations_visible_to(request.user).filter(code=code).first()
    if operation is None:
        raise Http404("No such operation.")
    return operation


def _posted(request):
    return request.POST if request.method == "POST" else None


def _show_refused_rows(refused: recording.Refused, form, filled) -> None:
    """Each refusal on the form (the record as a whole) or on the row it names."""
    for part, row, error in refused.problems:
        show_refusal(form if row is None else filled[part][row], error)


@never_cache
@login_required
@require_http_methods(["GET", "POST"])
def operation_new(request):
    user = request.user
    if access.role_of(user) != access.STEWARD:
        return _not_a_steward(request)
    data = _posted(request)
    form = OperationForm(data, initial={"lead_agency": user.organisation_id})
    participants = ParticipantFormSet(data, prefix="participants")
    places = PlaceFormSet(data, prefix="places")
    # A list, not a generator: every part is checked, so every error shows at once.
    if data is not None and all([form.is_valid(), participants.is_valid(), places.is_valid()]):
        try:
            operation = recording.record_operation(
                user=user,
                participants=[
                    (row.cleaned_data["agency"], row.cleaned_data["part"])
                    for row in filled_rows(participants)
                ],
                places=[row.cleaned_data for row in filled_rows(places)],
                **form.cleaned_data,
            )
        except ValidationError as error:
            show_refusal(form, error)
        else:
            messages.success(
                request, f"The operation “{operation.name}” is recorded. Add the people it met."
            )
            return redirect("standard:operation_detail", code=operation.code)
    sections = [("Other agencies", participants), ("Places", places)]
    return render(
        request,
        "standard/recording/operation_form.html",
        {
            "form": form,
            "sections": sections,
            "summary": error_summary(form, sections),
            "operation": None,
        },
        status=400 if form.is_bound else 200,
    )


FACTS_OF_OPERATION = tuple(name for name in OperationCorrectionForm.base_fields if name != "reason")


@never_cache
@login_required
@require_http_methods(["GET", "POST"])
def operation_edit(request, code: str):
    operation = _operation(request, code)
    if not access.can_edit_operation(request.user, operation):
        return _not_theirs(request)
    form = OperationCorrectionForm(
        _posted(request),
        initial={name: getattr(operation, name) for name in FACTS_OF_OPERATION},
    )
    if form.is_bound and form.is_valid():
        try:
            recording.correct_operation(user=request.user, operation=operation, **form.cleaned_data)
        except ValidationError as error:
            show_refusal(form, error)
        else:
            messages.success(request, f"The operation “{form.cleaned_data['name']}” is corrected.")
            return redirect("standard:operation_detail", code=operation.code)
    return render(
        request,
        "standard/recording/operation_form.html",
        {
            "form": form,
            "sections": [],
            "summary": error_summary(form, []),
            "operation": operation,
        },
        status=400 if form.is_bound else 200,
    )


@never_cache
@login_required
@require_http_methods(["GET", "POST"])
def person_new(request, code: str):
    operation = _operation(request, code)
    if not access.can_edit_operation(request.user, operation):
        return _not_theirs(request)
    data = _posted(request)
    form = PersonForm(data, initial={"encountered_on": operation.start_date})
    rows = {part: formset(data, prefix=part) for part, formset, _title in PERSON_ROWS}
    sections = [(title, rows[part]) for part, _formset, title in PERSON_ROWS]
    if data is not None and all([form.is_valid(), *(rows[part].is_valid() for part in rows)]):
        filled = {part: filled_rows(formset) for part, formset in rows.items()}
        try:
            encounter = recording.record_person(
                user=request.user,
                operation=operation,
                events=[row.cleaned_data for row in filled["events"]],
                charges=[row.cleaned_data for row in filled["charges"]],
                offers=[row.cleaned_data for row in filled["offers"]],
                **form.cleaned_data,
            )
        except recording.Refused as refused:
            _show_refused_rows(refused, form, filled)
        else:
            messages.success(
                request,
                f"Person {encounter.code} is recorded with their role and everything entered "
                "with it.",
            )
            return redirect("standard:operation_detail", code=operation.code)
    return render(
        request,
        "standard/recording/person_form.html",
        {
            "form": form,
            "sections": sections,
            "summary": error_summary(form, sections),
            "operation": operation,
            "encounter": None,
        },
        status=400 if form.is_bound else 200,
    )


FACTS_OF_PERSON = tuple(
    name
    for name in PersonCorrectionForm.base_fields
    if name not in {"role", "role_basis", "assessed_on", "reason"}
)


@never_cache
@login_required
@require_http_methods(["GET", "POST"])
def person_edit(request, code: str):
    encounter = selectors.encounter_record(request.user, code)
    if encounter is None:
        raise Http404("No such record.")
    if not access.can_record_encounter_details(request.user, encounter):
        return _not_theirs(request)
    current = encounter.current_role_assessment
    form = PersonCorrectionForm(
        _posted(request),
        initial={
            **{name: getattr(encounter, name) for name in FACTS_OF_PERSON},
            "role": current.role if current else "unknown",
            "role_basis": current.basis if current else "other",
        },
    )
    if form.is_bound and form.is_valid():
        try:
            recording.correct_person(user=request.user, encounter=encounter, **form.cleaned_data)
        except ValidationError as error:
            show_refusal(form, error)
        else:
            messages.success(request, f"The record of person {encounter.code} is corrected.")
            return redirect("standard:encounter_detail", code=encounter.code)
    mark_shown(request, encounter)
    return render(
        request,
        "standard/recording/person_form.html",
        {
            "form": form,
            "sections": [],
            "summary": error_summary(form, []),
            "operation": encounter.operation,
            "encounter": encounter,
        },
        status=400 if form.is_bound else 200,
    )


@never_cache
@login_required
@require_http_methods(["GET", "POST"])
def person_record(request, code: str):
    """What happened to a person after they were recorded: events, charges, service offers,
    cooperation and follow-ups, added in one save."""
    encounter = selectors.encounter_record(request.user, code)
    if encounter is None:
        raise Http404("No such record.")
    if not access.can_record_encounter_details(request.user, encounter):
        return _not_theirs(request)
    data = _posted(request)
    form = PageForm(data)
    rows = {part: formset(data, prefix=part) for part, formset, _title, _hint in LATER_ROWS}
    # Every part is checked, so that every error shows at once.
    valid = [formset.is_valid() for formset in rows.values()]
    if data is not None and all(valid):
        filled = {part: filled_rows(formset) for part, formset in rows.items()}
        try:
            recording.record_what_happened(
                user=request.user,
                encounter=encounter,
                **{part: [row.cleaned_data for row in filled[part]] for part in rows},
            )
        except recording.Refused as refused:
            _show_refused_rows(refused, form, filled)
        else:
            messages.success(request, f"What happened is added to the record of {encounter.code}.")
            return redirect("standard:encounter_detail", code=encounter.code)
    mark_shown(request, encounter)
    parts = [(title, rows[part], hint) for part, _formset, title, hint in LATER_ROWS]
    sections = [(title, formset) for title, formset, _hint in parts]
    return render(
        request,
        "standard/recording/person_record.html",
        {
            "form": form,
            "parts": parts,
            "summary": error_summary(form, sections),
            "encounter": encounter,
        },
        status=400 if data is not None else 200,
    )


@never_cache
@login_required
@require_http_methods(["GET", "POST"])
def operation_agencies(request, code: str):
    """Correct which agencies took part in an operation and where it took place, saying why."""
    operation = _operation(request, code)
    if not access.can_edit_operation(request.user, operation):
        return _not_theirs(request)
    data = _posted(request)
    form = AgenciesCorrectionForm(
        data, operation=operation, initial={"lead_agency": operation.lead_agency}
    )
    rows: dict[str, BaseFormSet] = {
        "participants": ParticipantFormSet(data, prefix="participants"),
        "places": PlaceFormSet(data, prefix="places"),
    }
    if data is not None and all([form.is_valid(), *(rows[part].is_valid() for part in rows)]):
        filled = {part: filled_rows(formset) for part, formset in rows.items()}
        try:
            recording.correct_operation_agencies(
                user=request.user,
                operation=operation,
                participants=[
                    (row.cleaned_data["agency"], row.cleaned_data["part"])
                    for row in filled["participants"]
                ],
                places=[row.cleaned_data for row in filled["places"]],
                **form.cleaned_data,
            )
        except recording.Refused as refused:
            _show_refused_rows(refused, form, filled)
        except ValidationError as error:
            show_refusal(form, error)
        else:
            messages.success(
                request, f"The agencies and places of “{operation.name}” are corrected."
            )
            return redirect("standard:operation_detail", code=operation.code)
    sections = [("Agency to add", rows["participants"]), ("Place to add", rows["places"])]
    return render(
        request,
        "standard/recording/operation_agencies.html",
        {
            "form": form,
            "participants": rows["participants"],
            "places": rows["places"],
            "summary": error_summary(form, sections),
            "operation": operation,
        },
        status=400 if data is not None else 200,
    )
