"""Reads of users, organisations, role grants and the audit log, each answering only what the
reader may see.

Who manages whom (issue 3): an administrator manages the users and organisations of every
organisation; an organisation admin manages the users of their own organisation, except
administrators, whom only administrators manage (an organisation admin cannot create one either).
Nobody else manages anyone. A role a manager gives takes effect once another manager of their
organisation confirms it (issue 19). Views ask these functions and never decide on their own.
"""

import datetime
from collections import defaultdict
from collections.abc import Iterable, Sequence
from dataclasses import dataclass

from django.apps import apps
from django.core import signing
from django.db.models import CharField, Count, Exists, OuterRef, Q, QuerySet
from django.db.models.functions import Cast
from django.urls import reverse
from django.utils import timezone
from django.utils.crypto import salted_hmac
from django.utils.encoding import force_bytes, force_str
from django.utils.http import urlsafe_base64_decode, urlsafe_base64_encode
from django_otp import device_classes

from beyondraid.standard.access import (
    ADMINISTRATOR,
    ANALYST,
    encounters_for,
    operations_for,
    role_of,
)
from beyondraid.standard.models import Agency
from beyondraid.standard.vocabulary import vocabulary

from . import person_records
from .models import AuditEntry, RoleGrant, User

# Roles that read the whole audit log: analysts audit, administrators answer for the accounts.
_AUDIT_READERS = {ANALYST, ADMINISTRATOR}

# The link an invited user follows to choose a password (issue 3: valid three days).
PASSWORD_LINK_VALID_FOR = datetime.timedelta(days=3)
_LINK_SALT = "beyondraid.accounts.password-link"


def _active_member(user) -> bool:
    return bool(
        user and user.is_authenticated and user.is_active and getattr(user, "organisation_id", None)
    )


def is_administrator(user) -> bool:
    return role_of(user) == ADMINISTRATOR


def is_organisation_admin(user) -> bool:
    return _active_member(user) and user.is_organisation_admin


def can_manage_users(user) -> bool:
    return is_administrator(user) or is_organisation_admin(user)


def can_manage_organisations(user) -> bool:
    return is_administrator(user)


def can_read_audit_log(user) -> bool:
    return role_of(user) in _AUDIT_READERS


def manageable_users(user) -> QuerySet[User]:
    if is_administrator(user):
        return User.objects.all()
    if is_organisation_admin(user):
        return User.objects.filter(organisation_id=user.organisation_id).exclude(role=ADMINISTRATOR)
    return User.objects.none()


def assignable_roles(user) -> list[tuple[str, str]]:
    """The staff roles ``user`` may give to someone they invite."""
    if is_administrator(user):
        return vocabulary("staff_role").choices
    if is_organisation_admin(user):
        return [
            (code, label)
            for code, label in vocabulary("staff_role").choices
            if code != ADMINISTRATOR
        ]
    return []


def may_appoint_organisation_admins(user) -> bool:
    return is_administrator(user)


def manageable_organisations(user) -> QuerySet[Agency]:
    """The organisations a manager may put users in."""
    if is_administrator(user):
        return Agency.objects.all()
    if is_organisation_admin(user):
        return Agency.objects.filter(pk=user.organisation_id)
    return Agency.objects.none()


def may_decide_grant(user, grant: RoleGrant) -> bool:
    """Whether ``user`` may confirm or refuse ``grant``: a manager of the organisation of the one
    who asked, other than them and than the account it is for, who could give that role to that
    account themselves."""
    return (
        grant.status == RoleGrant.Status.PENDING
        and can_manage_users(user)
        and user.pk not in (grant.requested_by_id, grant.user_id)
        and user.organisation_id == grant.organisation_id
        and grant.role in dict(assignable_roles(user))
        and (not grant.is_organisation_admin or may_appoint_organisation_admins(user))
        and manageable_users(user).filter(pk=grant.user_id).exists()
    )


def grants_visible_to(user) -> QuerySet[RoleGrant]:
    """Every grant asked for by a manager of ``user``'s organisation, for its managers only: each
    sees what the others gave."""
    if not can_manage_users(user):
        return RoleGrant.objects.none()
    return RoleGrant.objects.filter(organisation_id=user.organisation_id).select_related(
        "user__organisation", "requested_by", "decided_by"
    )


# How long a decided grant stays on the users page; the audit log keeps it for good.
GRANT_DECISIONS_SHOWN_FOR = datetime.timedelta(days=30)


def pending_grants(user) -> QuerySet[RoleGrant]:
    return grants_visible_to(user).filter(status=RoleGrant.Status.PENDING).order_by("requested_at")


def recent_grant_decisions(user) -> QuerySet[RoleGrant]:
    return (
        grants_visible_to(user)
        .exclude(status=RoleGrant.Status.PENDING)
        .filter(decided_at__gte=timezone.now() - GRANT_DECISIONS_SHOWN_FOR)
        .order_by("-decided_at")
    )


def pending_grant_of(user: User) -> RoleGrant | None:
    return (
        user.role_grants.filter(status=RoleGrant.Status.PENDING)
        .select_related("requested_by")
        .first()
    )


def _has_two_factor() -> Q | Exists:
    # Any confirmed device of an installed django-otp plugin counts as set up.
    exists = [
        Exists(model.objects.filter(user=OuterRef("pk"), confirmed=True))
        for model in device_classes()
    ]
    condition = exists[0]
    for other in exists[1:]:
        condition = condition | other
    return condition


def users_for_management(
    user, *, organisation: Agency | None = None, active: bool | None = None
) -> QuerySet[User]:
    """The users ``user`` manages, each annotated with ``has_two_factor``."""
    users = manageable_users(user).select_related("organisation")
    if organisation is not None:
        users = users.filter(organisation=organisation)
    if active is not None:
        users = users.filter(is_active=active)
    return users.annotate(has_two_factor=_has_two_factor()).order_by("username")


def organisations_for_management(user) -> QuerySet[Agency]:
    """Every organisation with its number of users, for administrators only."""
    if not can_manage_organisations(user):
        return Agency.objects.none()
    return Agency.objects.annotate(users=Count("staff")).order_by("name")


def _password_fingerprint(user: User) -> str:
    # Choosing a password changes the stored hash, and so this fingerprint: a link works once.
    return salted_hmac(_LINK_SALT, user.password).hexdigest()


def password_link(user: User) -> tuple[str, str]:
    """The ``(uidb64, token)`` of the link with which ``user`` chooses a password."""
    token = signing.dumps(_password_fingerprint(user), salt=_LINK_SALT)
    return urlsafe_base64_encode(force_bytes(user.pk)), token


def user_for_password_link(uidb64: str, token: str) -> User | None:
    """The active user a link is for, or None when the link is unknown, expired or spent.

    The token is signed with ``django.core.signing`` and refused after
    ``PASSWORD_LINK_VALID_FOR``; it carries a fingerprint of the password hash, which changes
    once a password is chosen or a new link is made.
    """
    try:
        pk = int(force_str(urlsafe_base64_decode(uidb64)))
        fingerprint = signing.loads(token, salt=_LINK_SALT, max_age=PASSWORD_LINK_VALID_FOR)
    except (ValueError, TypeError, OverflowError, signing.BadSignature):
        return None
    user = User.objects.filter(pk=pk, is_active=True).first()
    if user is None or user.has_usable_password() or _password_fingerprint(user) != fingerprint:
        return None
    return user


@dataclass(frozen=True)
class AuditFilters:
    username: str = ""
    object_type: str = ""
    object: str = ""
    action: str = ""
    date_from: datetime.date | None = None
    date_to: datetime.date | None = None


def _start_of(day: datetime.date) -> datetime.datetime:
    return timezone.make_aware(datetime.datetime.combine(day, datetime.time.min))


def audit_entries(user, filters: AuditFilters) -> QuerySet[AuditEntry]:
    """Audit entries matching ``filters``, newest first; none for a user who may not read them.

    Dates are days of the site's time zone and both ends are included.
    """
    if not can_read_audit_log(user):
        return AuditEntry.objects.none()
    entries = AuditEntry.objects.all()
    if filters.username:
        entries = entries.filter(actor_label__iexact=filters.username)
    if filters.object_type:
        entries = entries.filter(object_type=filters.object_type)
    if filters.object:
        entries = entries.filter(
            Q(object_id=filters.object)
            | Q(object_label__icontains=filters.object)
            | _entries_about_person(user, filters.object)
        )
    if filters.action:
        entries = entries.filter(action=filters.action)
    if filters.date_from:
        entries = entries.filter(at__gte=_start_of(filters.date_from))
    if filters.date_to:
        entries = entries.filter(at__lt=_start_of(filters.date_to + datetime.timedelta(days=1)))
    return entries.order_by("-at", "-pk")


def _encounter_with_code(user, code: str) -> int | None:
    """The person ``user`` may read whose code, or the code of a record about whom, is ``code``
    (a referral, a relief request…)."""
    readable = encounters_for(user)
    for model in person_records.person_level_models():
        if "code" not in {field.name for field in model._meta.concrete_fields}:
            continue
        path = person_records.path_to_encounter(model) or "pk"
        found = (
            model._base_manager.filter(code=code, **{f"{path}__in": readable})
            .values_list(path, flat=True)
            .first()
        )
        if found is not None:
            return found
    return None


def _entries_about_person(user, code: str) -> Q:
    """Every entry about the person ``code`` points at, for a reader who may read that person.

    Entries name person-level records by their kind only, so a search by code finds them through
    the records themselves; for anyone who may not read the person it finds nothing.
    """
    encounter = _encounter_with_code(user, code)
    if encounter is None:
        return Q(pk__in=[])
    about = Q()
    for model in person_records.person_level_models():
        path = person_records.path_to_encounter(model) or "pk"
        ids = (
            model._base_manager.filter(**{path: encounter})
            .annotate(key=Cast("pk", CharField()))
            .values("key")
        )
        about |= Q(object_type=model._meta.label_lower, object_id__in=ids)
    return about


def audit_record_links(user, entries: Sequence[AuditEntry]) -> dict[int, str]:
    """The page of the record each entry points to, by entry, for the records ``user`` may read.

    A person-level record opens the page of its person, only for those who may read that person;
    an operation opens its page for those who may read the operation; a user opens theirs for
    those who manage them. Anything else, or out of reach, has no link.
    """
    ids_by_type: dict[str, set[str]] = defaultdict(set)
    for entry in entries:
        if entry.object_id.isdigit():
            ids_by_type[entry.object_type].add(entry.object_id)
    pages: dict[tuple[str, str], str] = {}
    for object_type, ids in ids_by_type.items():
        for pk, url in _record_pages(user, object_type, ids):
            pages[(object_type, str(pk))] = url
    return {
        entry.pk: pages[(entry.object_type, entry.object_id)]
        for entry in entries
        if (entry.object_type, entry.object_id) in pages
    }


def _record_pages(user, object_type: str, ids: set[str]) -> Iterable[tuple[int, str]]:
    if object_type == "standard.operation":
        for pk, code in operations_for(user).filter(pk__in=ids).values_list("pk", "code"):
            yield pk, reverse("standard:operation_detail", args=[code])
        return
    if object_type == "accounts.user":
        for pk in manageable_users(user).filter(pk__in=ids).values_list("pk", flat=True):
            yield pk, reverse("accounts:user_detail", args=[pk])
        return
    try:
        model = apps.get_model(object_type)
    except (LookupError, ValueError):
        return
    path = person_records.path_to_encounter(model)
    if path is None:
        return
    readable = model._base_manager.filter(pk__in=ids).filter(
        **{f"{path}__in" if path else "pk__in": encounters_for(user)}
    )
    for pk, code in readable.values_list("pk", f"{path}__code" if path else "code"):
        yield pk, reverse("standard:encounter_detail", args=[code])


def audit_object_types() -> list[tuple[str, str]]:
    """The object types present in the log, each with a readable name."""
    labels = (
        AuditEntry.objects.exclude(object_type="")
        .order_by("object_type")
        .values_list("object_type", flat=True)
        .distinct()
    )
    return [(label, _object_type_name(label)) for label in labels]


def _object_type_name(label: str) -> str:
    try:
        model = apps.get_model(label)
    except (LookupError, ValueError):
        return label
    return f"{str(model._meta.verbose_name).capitalize()} ({label})"
