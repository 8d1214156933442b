"""The post-operation review page: the plan beside what the operation's records show."""

from django.contrib.auth.decorators import login_required
from django.http import Http404
from django.shortcuts import get_object_or_404, render
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET

from . import permissions
from .outcomes import outcome_review


@never_cache
@login_required
@require_GET
def outcome(request, code: str):
    plan = get_object_or_404(permissions.plans_for(request.user), code=code)
    if not permissions.may_read_outcome(request.user, plan):
        raise Http404("No post-operation review for this plan.")
    review = outcome_review(plan)
    if review is None:
        raise Http404("No post-operation review for this plan.")
    return render(request, "planning/outcome.html", {"plan": plan, "review": review})
