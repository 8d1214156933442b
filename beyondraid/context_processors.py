from django.conf import settings

from beyondraid.accountability.management.commands.demo_oversight import DEMO_KEY_PASSPHRASE
from beyondraid.accountability.permissions import is_investigator
from beyondraid.accounts.selectors import can_manage_users, can_read_audit_log
from beyondraid.accounts.two_factor import is_signed_in
from beyondraid.care.permissions import may_read_alerts, may_read_directory, may_read_referrals
from beyondraid.intake.permissions import may_audit, may_see_imports
from beyondraid.planning.permissions import may_see_plans
from beyondraid.records.permissions import may_use_staff_pages as may_use_records_requests
from beyondraid.standard import access
from beyondraid.transparency.permissions import may_make_releases, may_read_indicators

# The groups of the staff navigation (base.html), each with the flags of the links it holds: a
# group shows when its user may follow at least one of them, so that no role has more than seven
# items on the top row (issue 23).
NAV_GROUPS = {
    "nav_group_operations": (
        "nav_operations",
        "nav_plans",
        "nav_imports",
        "nav_audit_sheet",
        "nav_records_requests",
        "may_read_funding",
    ),
    "nav_group_people": ("nav_identified", "nav_referrals", "nav_alerts", "nav_providers"),
    "nav_group_oversight": ("nav_misconduct_reports",),
    "nav_group_administration": ("nav_users", "nav_audit_log", "nav_records"),
}


def site(request):
    """What every page needs: whether this is the demo, and which parts the user may open, so
    that the navigation offers only those (the views check again on every request)."""
    user = getattr(request, "user", None)
    role = access.role_of(user) if user is not None else None
    investigator = user is not None and is_investigator(user)
    context = {
        "demo_mode": settings.DEMO_MODE,
        # Through both factors: between the password and the code the menu is the public one,
        # since every staff page would only send the person back to the code.
        "signed_in": is_signed_in(user=user),
        # The demo's investigator unlocks the oversight key with a published passphrase
        # (``demo_oversight``); the demo notice tells them, and a production site never has it.
        "demo_oversight_passphrase": DEMO_KEY_PASSPHRASE
        if settings.DEMO_MODE and investigator
        else "",
        "nav_operations": role in {access.STEWARD, access.PROSECUTOR, access.ANALYST},
        "nav_plans": user is not None and may_see_plans(user),
        "nav_referrals": user is not None and may_read_referrals(user),
        "nav_identified": user is not None and access.may_record_identifications(user),
        "nav_providers": user is not None and may_read_directory(user),
        "nav_alerts": user is not None and may_read_alerts(user),
        "nav_misconduct_reports": investigator,
        "nav_records_requests": user is not None and may_use_records_requests(user),
        "nav_records": role is not None,
        "may_read_funding": user is not None and access.may_read_funding(user),
        "nav_users": user is not None and can_manage_users(user),
        "nav_audit_log": user is not None and can_read_audit_log(user),
        "nav_audit_sheet": user is not None and may_audit(user),
        "nav_imports": user is not None and may_see_imports(user),
        "nav_indicators": user is not None and may_read_indicators(user),
        "nav_releases": user is not None and may_make_releases(user),
    }
    for group, links in NAV_GROUPS.items():
        context[group] = any(context[link] for link in links)
    return context
