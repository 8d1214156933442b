"""Who may do what with public-records requests, decided in one place for the services, the
selectors and the staff pages.

- **Filing and moving requests**: an oversight analyst (role ``analyst``), for any requesting
  organisation; and the staff of an oversight body for the requests their own organisation
  sends. Administrators do not: they read.
- **Reading**: analysts and administrators read every request; oversight staff read their own
  organisation's; everyone else, the public included, reads a request once it was sent and its
  requester has made it public.

Requests are about agencies, not people, so nothing here touches person-level data.
"""

from django.db.models import Q, QuerySet

from beyondraid.standard import access
from beyondraid.standard.models import Agency

from .models import RecordsRequest

OVERSIGHT_KIND = "oversight_body"


def is_oversight_staff_of(user, organisation: Agency) -> bool:
    role = access.role_of(user)
    return (
        role is not None
        and role != access.ADMINISTRATOR
        and user.organisation_id == organisation.pk
        and organisation.kind == OVERSIGHT_KIND
    )


def may_file_for(user, requester: Agency) -> bool:
    return access.role_of(user) == access.ANALYST or is_oversight_staff_of(user, requester)


def may_file(user) -> bool:
    """File a request for some organisation: an analyst for any, oversight staff for their own."""
    return access.role_of(user) == access.ANALYST or (
        access.role_of(user) is not None and is_oversight_staff_of(user, user.organisation)
    )


def requesters_for(user) -> QuerySet[Agency]:
    """The organisations on whose behalf ``user`` may file."""
    if access.role_of(user) == access.ANALYST:
        return Agency.objects.all()
    if may_file(user):
        return Agency.objects.filter(pk=user.organisation_id)
    return Agency.objects.none()


def may_use_staff_pages(user) -> bool:
    """The staff pages of requests: those who file them, and administrators, who read them all.
    Everyone else reads the public requests on the public site."""
    role = access.role_of(user)
    return role in (access.ANALYST, access.ADMINISTRATOR) or (
        role is not None and user.organisation.kind == OVERSIGHT_KIND
    )


def may_move(user, request: RecordsRequest) -> bool:
    """Record the steps of a request, attach its files, and make it public or private."""
    return may_file_for(user, request.requester)


def visible_requests(user) -> QuerySet[RecordsRequest]:
    role = access.role_of(user)
    if role in (access.ANALYST, access.ADMINISTRATOR):
        return RecordsRequest.objects.all()
    public = Q(is_public=True, sent_on__isnull=False)
    if role is not None and user.organisation.kind == OVERSIGHT_KIND:
        return RecordsRequest.objects.filter(public | Q(requester_id=user.organisation_id))
    return RecordsRequest.objects.filter(public)
