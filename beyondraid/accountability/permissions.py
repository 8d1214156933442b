"""Who may handle reports of abuse by officers, decided in one place.

- **Reporting** needs no account: anyone may report, and only the receipt opens a report again.
- **Oversight administrators** — investigators who are their organisation's administrator —
  see every report, acknowledge and triage them, assign them (never to an investigator of the
  agency the report concerns) and see patterns across reports.
- **Investigators** see only the reports assigned to them (the ``staff_role`` vocabulary), and
  carry them from investigation to closing, writing to the reporter.
- Everyone else, stewards and analysts included, has no access: a report someone may not read
  does not exist for them (404).
"""

from django.db.models import QuerySet

from beyondraid.standard import access

from .models import Report


def is_investigator(user) -> bool:
    return access.role_of(user) == access.INVESTIGATOR


def is_oversight_administrator(user) -> bool:
    return is_investigator(user) and user.is_organisation_admin


def visible_reports(user) -> QuerySet[Report]:
    if is_oversight_administrator(user):
        return Report.objects.all()
    if is_investigator(user):
        return Report.objects.filter(assigned_to=user)
    return Report.objects.none()


def may_manage_intake(user) -> bool:
    """Acknowledge, triage and assign."""
    return is_oversight_administrator(user)


def may_investigate(user, report: Report) -> bool:
    """Move the case along after assignment and write to the reporter."""
    return is_oversight_administrator(user) or (
        is_investigator(user) and report.assigned_to_id == user.pk
    )
