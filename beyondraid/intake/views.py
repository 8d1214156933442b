"""The audit page: an analyst uploads released sheets and reads what to know before trusting them.

Thin: the form checks count, size and kind; ``audit.audit_uploads`` reads and audits the files in
memory. Nothing uploaded is stored, and the page is never cached, since a sheet may list people
one per row.
"""

from django.contrib.auth.decorators import login_required
from django.shortcuts import render
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_http_methods

from . import audit
from .forms import AuditUploadForm
from .manifest import ManifestError
from .permissions import may_audit
from .sheets import ScanAllowance, SheetError


@never_cache
@login_required
@require_http_methods(["GET", "POST"])
def audit_upload(request):
    if not may_audit(request.user):
        return render(
            request,
            "accounts/no_access.html",
            {"message": "Auditing released sheets is for analysts and agency staff."},
            status=403,
        )
    report = None
    status = 200
    if request.method != "POST":
        form = AuditUploadForm()
    else:
        form = AuditUploadForm(request.POST, request.FILES)
        if form.is_valid():
            manifest = form.cleaned_data["manifest"]
            try:
                report = audit.audit_uploads(
                    [(upload.name, upload.read()) for upload in form.cleaned_data["files"]],
                    manifest=(manifest.name, manifest.read()) if manifest else None,
                    scans=ScanAllowance(),
                )
            except (SheetError, ManifestError) as error:
                form.add_error(None, str(error))
        if report is None:
            status = 400
        else:
            form = AuditUploadForm()
    return render(
        request,
        "intake/audit_upload.html",
        {"form": form, "report": report},
        status=status,
    )
