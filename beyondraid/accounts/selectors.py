"""Reads of users, organisations and the audit log, each answering only what the reader may see.

Who manages whom (issue 3): an administrator manages the users and organisations of every
organisation; an organisation admin manages the users of their own organisation, except
administrators, whom only administrators manage (an organisation admin cannot create one either).
Nobody else manages anyone. Views ask these functions and never decide on their own.
"""

import datetime
from dataclasses import dataclass

from django.apps import apps
from django.core import signing
from django.db.models import Count, Exists, OuterRef, Q, QuerySet
from django.utils import timezone
from django.utils.crypto import salted_hmac
from django.utils.encoding import force_bytes, force_str
from django.utils.http import urlsafe_base64_decode, urlsafe_base64_encode
from django_otp import device_classes

from beyondraid.standard.access import ADMINISTRATOR, ANALYST, role_of
from beyondraid.standard.models import Agency
from beyondraid.standard.vocabulary import vocabulary

from .models import AuditEntry, User

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
            Q(object_id=filters.object) | Q(object_label__icontains=filters.object)
        )
    if filters.action:
        entries = entries.filter(action=filters.action)
    if filters.date_from:
        entries = entries.filter(at__gte=_start_of(filters.date_from))
    if filters.date_to:
        entries = entries.filter(at__lt=_start_of(filters.date_to + datetime.timedelta(days=1)))
    return entries.order_by("-at", "-pk")


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
