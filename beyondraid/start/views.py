"""The start page: thin, the work is in ``selectors``."""

from django.contrib.auth.decorators import login_required
from django.shortcuts import render
from django.utils import timezone
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET

from beyondraid.standard.person_level import mark_shown

from . import selectors


@never_cache
@login_required
@require_GET
def start(request):
    page = selectors.start_page(request.user, timezone.localdate())
    mark_shown(request, *page.shown)
    return render(request, "start.html", {"page": page})
