"""The import pages: stewards upload files, watch the import run, read its problems, undo it.

Thin: the work is in ``importing``; the import runs in a task worker (``tasks.run_import``) and
the page follows its progress. A batch a user may not see answers 404.
"""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.shortcuts import get_object_or_404, redirect, render
from django.views.decorators.http import require_http_methods, require_POST

from beyondraid.standard.exchange import TABLES

from . import importing
from .forms_import import ConfirmUndoForm, ImportForm
from .interruptions import settle_if_abandoned
from .models import ImportBatch
from .permissions import may_import, may_see_imports
from .progress import progress_of
from .tasks import run_import

LISTED_BATCHES = 50


def _no_access(request):
    return render(
        request,
        "accounts/no_access.html",
        {"message": "Imports are for data stewards, and for administrators to review."},
        status=403,
    )


@login_required
@require_http_methods(["GET", "POST"])
def import_list(request):
    if not may_see_imports(request.user):
        return _no_access(request)
    # Administrators review imports; only stewards get the form.
    form = (
        ImportForm(request.POST or None, request.FILES or None)
        if may_import(request.user)
        else None
    )
    if request.method == "POST":
        if form is None:
            return _no_access(request)
        if form.is_valid():
            mapping = form.cleaned_data["mapping"]
            try:
                batch = importing.queue_batch(
                    [importing.SourceFile(f.name, f.read()) for f in form.cleaned_data["files"]],
                    mapping=importing.SourceFile(mapping.name, mapping.read()) if mapping else None,
                    user=request.user,
                    channel=ImportBatch.Channel.UPLOAD_PAGE,
                    dry_run="check" in request.POST,
                )
            except importing.ImportRefused as refused:
                for problem in refused.problems:
                    form.add_error(None, problem)
            else:
                run_import.enqueue(batch.pk)
                return redirect("intake:import_detail", pk=batch.pk)
    batches = importing.batches_for(request.user).select_related("created_by", "agency")
    return render(
        request,
        "intake/import_list.html",
        {"form": form, "batches": [settle_if_abandoned(b) for b in batches[:LISTED_BATCHES]]},
    )


@login_required
def import_detail(request, pk: int):
    if not may_see_imports(request.user):
        return _no_access(request)
    batch = get_object_or_404(
        importing.batches_for(request.user).select_related("agency").prefetch_related("files"),
        pk=pk,
    )
    batch = settle_if_abandoned(batch)
    done, total = progress_of(batch)
    return render(
        request,
        "intake/import_detail.html",
        {
            "batch": batch,
            "done": done,
            "total": total,
            "percent": round(100 * done / total) if total else 0,
            "created": _by_table(batch.created),
            "unchanged": _by_table(batch.unchanged),
            "undo_form": ConfirmUndoForm(),
        },
    )


def _by_table(counts: dict) -> list[tuple[str, int]]:
    return [(table.title, counts[table.name]) for table in TABLES if counts.get(table.name)]


@login_required
@require_POST
def import_undo(request, pk: int):
    if not may_see_imports(request.user):
        return _no_access(request)
    batch = get_object_or_404(importing.batches_for(request.user), pk=pk)
    form = ConfirmUndoForm(request.POST)
    if not form.is_valid():
        messages.error(request, "Tick the box to confirm, then undo the import.")
        return redirect("intake:import_detail", pk=batch.pk)
    try:
        counts = importing.undo_batch(batch, user=request.user)
    except importing.UndoRefused as refused:
        messages.error(request, str(refused))
    else:
        messages.success(
            request,
            f"Import {batch.pk} was undone: {counts['operations']} operations and "
            f"{counts['encounters']} people with their records were removed.",
        )
    return redirect("intake:import_detail", pk=batch.pk)
