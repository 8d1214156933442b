"""The post-operation review page: the plan beside what the operation's records show."""

from django.contrib.auth.decorators import login_required
from django.http import Http404
from django.shortcuts import get_object_or_404, render
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET

from beyondraid.standard import access

from . import permissions
from .outcomes import outcome_review


@never_cache
@login_required
@require_GET
def outcome(request, code: str):
    plan = get_object_or_404(permissions.plans_for(request.user), code=code)
    # The comparison counts the operation's people, so it is for those who may see the
    # operation as well as the plan: not for the service partner, who sees only referrals.
    if plan.operation_id is None or not (
        access.operations_for(request.user).filter(pk=plan.operation_id).exists()
    ):
        raise Http404("No post-operation review for this plan.")
    review = outcome_review(plan)
    if review is None:
        raise Http404("No post-operation review for this plan.")
    return render(request, "planning/outcome.html", {"plan": plan, "review": review})
