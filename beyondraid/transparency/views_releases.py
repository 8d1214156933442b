"""The analyst's release pages: create a release, read its tables, check and publish it.

Thin: the work is in ``releases``. A release under preparation is visible to analysts and
administrators only; the public site shows published ones.
"""

import datetime

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.views.decorators.http import require_http_methods, require_POST

from . import datapackage, releases
from .forms_releases import CreateReleaseForm
from .models import Release
from .permissions import may_make_releases


def _no_access(request):
    return render(
        request,
        "accounts/no_access.html",
        {"message": "Releases are made by oversight analysts and administrators."},
        status=403,
    )


@login_required
@require_http_methods(["GET", "POST"])
def release_list(request):
    if not may_make_releases(request.user):
        return _no_access(request)
    form = CreateReleaseForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            release = releases.create_release(
                name=data["name"],
                title=data["title"],
                period_start=datetime.date(data["first_year"], 1, 1),
                period_end=datetime.date(data["last_year"], 12, 31),
                scope=data["scope"],
                state=data["state"],
                agency=data["agency"],
                user=request.user,
                rules=releases.parameters(
                    data["threshold"],
                    data["protection_width"],
                    data["unstable_below"],
                    method=data["method"],
                    epsilon=data["epsilon"],
                ),
            )
        except releases.ReleaseRefused as refused:
            form.add_error(None, str(refused))
        else:
            messages.success(request, f"Created {release.label}. Check it, then publish it.")
            return redirect("releases:detail", name=release.name, version=release.version)
    return render(
        request,
        "transparency/releases/list.html",
        {"form": form, "releases": Release.objects.select_related("created_by")},
    )


def _release(name: str, version: int) -> Release:
    return get_object_or_404(Release.objects.prefetch_related("tables"), name=name, version=version)


@login_required
def release_detail(request, name: str, version: int):
    if not may_make_releases(request.user):
        return _no_access(request)
    release = _release(name, version)
    return render(request, "transparency/releases/detail.html", {"release": release})


@login_required
@require_POST
def release_check(request, name: str, version: int):
    if not may_make_releases(request.user):
        return _no_access(request)
    release = _release(name, version)
    try:
        report = releases.check_release(release)
    except releases.ReleaseRefused as refused:
        messages.error(request, str(refused))
    else:
        if report.passed:
            messages.success(request, f"{release.label} passes the disclosure check.")
        else:
            messages.error(request, f"{release.label} fails the disclosure check; see below.")
    return redirect("releases:detail", name=name, version=version)


@login_required
@require_POST
def release_publish(request, name: str, version: int):
    if not may_make_releases(request.user):
        return _no_access(request)
    release = _release(name, version)
    try:
        releases.publish_release(release, user=request.user)
    except releases.ReleaseRefused as refused:
        messages.error(request, str(refused))
    else:
        messages.success(request, f"Published {release.label}: the public site now shows it.")
    return redirect("releases:detail", name=name, version=version)


@login_required
def release_package(request, name: str, version: int):
    if not may_make_releases(request.user):
        return _no_access(request)
    release = _release(name, version)
    response = HttpResponse(datapackage.package_zip(release), content_type="application/zip")
    response["Content-Disposition"] = (
        f'attachment; filename="{release.name}-v{release.version}-datapackage.zip"'
    )
    return response
