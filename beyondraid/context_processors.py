from django.conf import settings

from beyondraid.accountability.permissions import is_investigator
from beyondraid.accounts.selectors import can_manage_users, can_read_audit_log
from beyondraid.care.permissions import may_read_alerts, may_read_directory, may_read_referrals
from beyondraid.intake.permissions import may_audit, may_see_imports
from beyondraid.planning.permissions import may_see_plans
from beyondraid.records.permissions import may_use_staff_pages as may_use_records_requests
from beyondraid.standard import access
from beyondraid.transparency.permissions import may_make_releases, may_read_indicators


def site(request):
    """What every page needs: whether this is the demo, and which parts the user may open, so
    that the navigation offers only those (the views check again on every request)."""
    user = getattr(request, "user", None)
    role = access.role_of(user) if user is not None else None
    return {
        "demo_mode": settings.DEMO_MODE,
        "nav_operations": role in {access.STEWARD, access.PROSECUTOR, access.ANALYST},
        "nav_plans": user is not None and may_see_plans(user),
        "nav_referrals": user is not None and may_read_referrals(user),
        "nav_identified": user is not None and access.may_record_identifications(user),
        "nav_providers": user is not None and may_read_directory(user),
        "nav_alerts": user is not None and may_read_alerts(user),
        "nav_misconduct_reports": user is not None and is_investigator(user),
        "nav_records_requests": user is not None and may_use_records_requests(user),
        "nav_records": role is not None,
        # Not in the navigation, which has no room (issue 23): the home page and the operations
        # list link to the funding pages.
        "may_read_funding": user is not None and access.may_read_funding(user),
        "nav_users": user is not None and can_manage_users(user),
        "nav_audit_log": user is not None and can_read_audit_log(user),
        "nav_audit_sheet": user is not None and may_audit(user),
        "nav_imports": user is not None and may_see_imports(user),
        "nav_indicators": user is not None and may_read_indicators(user),
        "nav_releases": user is not None and may_make_releases(user),
    }
