"""``/oversight/``, named in the README: investigators go to their reports; anyone else learns what
the oversight pages are, how an investigator gets access, and where the public reports abuse."""

from django.shortcuts import redirect, render
from django.views.decorators.http import require_GET

from . import permissions


@require_GET
def index(request):
    if permissions.is_investigator(request.user):
        return redirect("oversight:reports")
    return render(request, "accountability/oversight_landing.html")
