"""The people grid: a steward enters many people of one operation at once, keyboard only, and
saves them with one press of Enter.

Thin, like ``views``: the forms parse, ``recording_grid.record_people`` decides and writes all
rows or none, and each refusal comes back on its row and column with every entry kept. An
operation out of reach is a 404, as on its page; one the user reads but does not edit gets a 403
page that says why. The page shows no stored person-level record (the people recorded are listed
on the operation's page, which logs each read), but what is typed is about people: no cache keeps
it.
"""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import Http404
from django.shortcuts import redirect, render
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_http_methods

from . import access, forms_grid, recording_grid, selectors
from .forms_grid import PREFIX, GridDayForm


def _page(request, operation, day_form, grid, problems=(), status: int = 200):
    return render(
        request,
        "standard/people_grid.html",
        {
            "operation": operation,
            "day_form": day_form,
            "grid": grid,
            "problems": list(problems),
            "added_rows": forms_grid.ADDED_ROWS,
            "max_rows": forms_grid.MAX_ROWS,
            "can_add_rows": grid.total_form_count() < forms_grid.MAX_ROWS,
        },
        status=status,
    )


def _with_rows_added(request, operation):
    """The same page with more blank rows, and every entry typed so far shown again, unsaved."""
    carried = forms_grid.carried_rows(request.POST)
    rows = min(len(carried) + forms_grid.ADDED_ROWS, forms_grid.MAX_ROWS)
    grid = forms_grid.people_grid(rows)(prefix=PREFIX, carried=carried)
    day_form = GridDayForm(initial={"encountered_on": request.POST.get("encountered_on", "")})
    return _page(request, operation, day_form, grid)


def _show_refusals(grid, refused: recording_grid.RowsRefused) -> None:
    for number, problems in refused.problems.items():
        form = grid.forms[number - 1]
        for column, texts in problems.items():
            form.add_error(column, texts)


@never_cache
@login_required
@require_http_methods(["GET", "POST"])
def people_grid(request, code):
    operation = selectors.operations_visible_to(request.user).filter(code=code).first()
    if operation is None:
        raise Http404("No such operation.")
    if not access.can_edit_operation(request.user, operation):
        return render(
            request,
            "standard/funding_refused.html",
            {
                "message": "You may not add people to this operation",
                "explanation": recording_grid.NOT_YOURS,
            },
            status=403,
        )
    grid_class = forms_grid.people_grid(forms_grid.rows_wanted(request.GET.get("rows")))
    if request.method == "GET":
        day_form = GridDayForm(initial={"encountered_on": operation.start_date})
        return _page(request, operation, day_form, grid_class(prefix=PREFIX))
    if "add_rows" in request.POST:
        return _with_rows_added(request, operation)

    day_form = GridDayForm(request.POST)
    grid = grid_class(request.POST, prefix=PREFIX)
    problems: list[str] = []
    if day_form.is_valid() and grid.is_valid():
        day = day_form.cleaned_data["encountered_on"]
        rows = [form.to_row(number, day) for number, form in grid.filled()]
        if not rows:
            problems.append("Every row is blank: enter at least one person.")
        else:
            try:
                recorded = recording_grid.record_people(
                    user=request.user, operation=operation, rows=rows
                )
            except recording_grid.RowsRefused as refused:
                _show_refusals(grid, refused)
            except ValidationError as error:
                problems.extend(error.messages)
            else:
                codes = ", ".join(encounter.code for encounter in recorded)
                messages.success(
                    request,
                    f"{len(recorded)} {'person' if len(recorded) == 1 else 'people'} recorded: "
                    f"{codes}. Their alerts, if any, are listed below.",
                )
                return redirect("standard:operation_detail", code=operation.code)
    return _page(request, operation, day_form, grid, problems, status=400)
