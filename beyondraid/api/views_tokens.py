"""The page where an agency's administrator makes and revokes its integration tokens."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.shortcuts import get_object_or_404, redirect, render
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_http_methods, require_POST

from . import tokens
from .forms import TokenForm
from .models import IntegrationToken


def _page(request, form, *, issued=None, status=200):
    return render(
        request,
        "api/tokens.html",
        {"form": form, "tokens": tokens.tokens_for(request.user), "issued": issued},
        status=status,
    )


def _may(request) -> bool:
    agency = getattr(request.user, "organisation", None)
    return agency is not None and tokens.may_manage_tokens(request.user, agency)


@never_cache
@login_required
@require_http_methods(["GET", "POST"])
def token_list(request):
    if not _may(request):
        return render(request, "api/no_access.html", status=403)
    if request.method == "GET":
        return _page(request, TokenForm())
    form = TokenForm(request.POST)
    if not form.is_valid():
        return _page(request, form, status=400)
    try:
        issued = tokens.issue(
            user=request.user, agency=request.user.organisation, **form.cleaned_data
        )
    except tokens.TokenRefused as refused:
        form.add_error(None, str(refused))
        return _page(request, form, status=400)
    # Shown on this answer only (never cached, never in an address): it is not kept anywhere.
    return _page(request, TokenForm(), issued=issued)


@login_required
@require_POST
def revoke(request, prefix: str):
    if not _may(request):
        return render(request, "api/no_access.html", status=403)
    token = get_object_or_404(IntegrationToken, prefix=prefix, agency=request.user.organisation)
    tokens.revoke(user=request.user, token=token)
    messages.success(request, f"The token {token.prefix} ({token.name}) is revoked.")
    return redirect("api:tokens")
