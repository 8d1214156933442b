"""Every change to users and organisations made from the user-management pages.

Each function takes keyword-only arguments, checks that ``by`` may make the change (the rules
are in ``selectors``; choosing a password is allowed by the link instead), validates the whole
record (``full_clean``) and runs in a transaction.
Writes to users are logged as create and update entries when they reach the database
(``audit.connect_write_capture``); the acts that are more than a change of fields are logged
again under their own name, so that the log can be searched for them.
"""

from collections.abc import Iterator
from dataclasses import dataclass

from django.contrib.auth import password_validation
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone

from beyondraid.standard import services as standard_services
from beyondraid.standard.models import Agency

from . import audit, selectors, two_factor
from .models import AuditEntry, User

NO_ACCESS = "You do not have access to user management."
LINK_NOT_VALID = (
    "This link to choose a password has expired or has already been used. "
    "Ask the person who invited you for a new link."
)


@dataclass(frozen=True)
class PasswordLink:
    """The one-time link with which ``user`` chooses a password."""

    user: User
    uidb64: str
    token: str


def _link_for(user: User) -> PasswordLink:
    uidb64, token = selectors.password_link(user)
    return PasswordLink(user=user, uidb64=uidb64, token=token)


def _require_manager_of(by, user: User) -> None:
    if not selectors.manageable_users(by).filter(pk=user.pk).exists():
        raise PermissionDenied(NO_ACCESS)


@transaction.atomic
def invite_user(
    *,
    username: str,
    first_name: str,
    last_name: str,
    email: str,
    organisation: Agency | None,
    role: str,
    is_organisation_admin: bool = False,
    by,
) -> PasswordLink:
    """Create an account without a password and return the link to choose one.

    The invitee chooses the password themselves, so nobody else ever knows it; two-factor
    sign-in is set up at their first sign-in.
    """
    if not selectors.can_manage_users(by):
        raise PermissionDenied(NO_ACCESS)
    errors = {}
    if organisation is None:
        errors["organisation"] = "Choose the organisation this person works for."
    elif not selectors.manageable_organisations(by).filter(pk=organisation.pk).exists():
        errors["organisation"] = "You can invite people only to your own organisation."
    if not role:
        errors["role"] = "Choose what this person does."
    elif role not in dict(selectors.assignable_roles(by)):
        errors["role"] = "Only an administrator can make someone an administrator."
    if is_organisation_admin and not selectors.may_appoint_organisation_admins(by):
        errors["is_organisation_admin"] = (
            "Only an administrator can make someone an organisation admin."
        )
    if errors:
        raise ValidationError(errors)
    user = User(
        username=User.normalize_username(username),
        first_name=first_name,
        last_name=last_name,
        email=User.objects.normalize_email(email),
        organisation=organisation,
        role=role,
        is_organisation_admin=is_organisation_admin,
    )
    user.set_unusable_password()
    user.full_clean()
    user.save()
    audit.record(AuditEntry.Action.USER_INVITED, instance=user, user=by)
    return _link_for(user)


@transaction.atomic
def renew_password_link(*, user: User, by) -> PasswordLink:
    """A new link for an invitee who has not chosen a password yet; earlier links stop working."""
    _require_manager_of(by, user)
    if not user.is_active:
        raise ValidationError(f"{user.username} is deactivated: reactivate them first.")
    if user.has_usable_password():
        raise ValidationError(
            f"{user.username} has already chosen a password; a new link is not needed."
        )
    # A fresh unusable password changes the fingerprint that earlier links carry.
    user.set_unusable_password()
    user.full_clean()
    user.save()
    audit.record(AuditEntry.Action.USER_INVITED, instance=user, user=by)
    return _link_for(user)


@transaction.atomic
def choose_password(*, uidb64: str, token: str, password: str) -> User:
    """Set the password of the invitee a link is for; the link is spent by doing so."""
    user = selectors.user_for_password_link(uidb64, token)
    if user is not None:
        # Two submissions of one link at once: the second waits here, then finds the link spent.
        User.objects.select_for_update().get(pk=user.pk)
        user = selectors.user_for_password_link(uidb64, token)
    if user is None:
        raise ValidationError(LINK_NOT_VALID)
    password_validation.validate_password(password, user)
    user.set_password(password)
    user.full_clean()
    with audit.acting_as(user):
        user.save()
    return user


@transaction.atomic
def deactivate_user(*, user: User, by) -> User:
    """Stop a user from signing in; their sessions end at their next request. Users are never
    deleted, so that the audit log keeps pointing at them."""
    _require_manager_of(by, user)
    if user.pk == by.pk:
        raise ValidationError("You cannot deactivate yourself. Ask another administrator to do it.")
    if not user.is_active:
        return user
    user.is_active = False
    user.full_clean()
    user.save()
    audit.record(AuditEntry.Action.USER_DEACTIVATED, instance=user, user=by)
    return user


@transaction.atomic
def reactivate_user(*, user: User, by) -> User:
    _require_manager_of(by, user)
    if user.is_active:
        return user
    user.is_active = True
    user.full_clean()
    user.save()
    return user


@transaction.atomic
def reset_two_factor(*, user: User, by) -> User:
    """Remove every two-factor device of ``user``, confirmed or not, so that they set up a new
    one at their next sign-in (a lost or replaced phone). ``two_factor.reset`` logs it, as done
    by whoever is acting: ``by``."""
    _require_manager_of(by, user)
    with audit.acting_as(by):
        two_factor.reset(user=user)
    return user


@transaction.atomic
def add_organisation(
    *, name: str, kind: str, state: str = "", county: str = "", city: str = "", by
) -> Agency:
    if not selectors.can_manage_organisations(by):
        raise PermissionDenied(NO_ACCESS)
    return standard_services.record_agency(
        name=name, kind=kind, state=state, county=county, city=city, entered_by=by
    )


AUDIT_EXPORT_COLUMNS = (
    "at",
    "actor",
    "action",
    "object_type",
    "object_id",
    "object_label",
    "changed_fields",
)


def _csv_cell(value: str) -> str:
    # A spreadsheet would run a cell starting with one of these as a formula; labels such as an
    # organisation's name are typed by users, so they are quoted to be read as text.
    return f"'{value}" if value[:1] in ("=", "+", "-", "@", "\t", "\r") else value


def _audit_rows(entries) -> Iterator[list[str]]:
    yield list(AUDIT_EXPORT_COLUMNS)
    for entry in entries.iterator(chunk_size=2000):
        yield [
            timezone.localtime(entry.at).isoformat(),
            _csv_cell(entry.actor_label),
            entry.action,
            entry.object_type,
            entry.object_id,
            _csv_cell(entry.object_label),
            ";".join(entry.changed_fields),
        ]


@transaction.atomic
def export_audit_log(*, filters: selectors.AuditFilters, by) -> Iterator[list[str]]:
    """The rows of the audit entries matching ``filters`` for a CSV file, header first.

    The export is itself logged; the rows are those logged before it, so the file is the log as
    it stood when it was asked for.
    """
    if not selectors.can_read_audit_log(by):
        raise PermissionDenied("You do not have access to the audit log.")
    entries = selectors.audit_entries(by, filters)
    export = audit.record_export(by, what=AuditEntry._meta.label_lower, count=entries.count())
    return _audit_rows(entries.filter(pk__lt=export.pk))
