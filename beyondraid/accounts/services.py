"""Every change to users, their roles and organisations made from the user-management pages.

Each function takes keyword-only arguments, checks that ``by`` may make the change (the rules
are in ``selectors``; choosing a password is allowed by the link instead), validates the whole
record (``full_clean``) and runs in a transaction.
Writes to users are logged as create and update entries when they reach the database
(``audit.connect_write_capture``); the acts that are more than a change of fields are logged
again under their own name, so that the log can be searched for them.

Nobody gives access alone (issue 19). The link to choose a password is e-mailed to the invitee
and never shown to whoever invites them, and a role takes effect only once a second manager of
the inviting manager's organisation confirms it: otherwise an administrator, who may read no
person-level data, could invite an analyst, take the link and sign in as them.
"""

import logging
from collections.abc import Iterator
from urllib.parse import urljoin

from django.contrib.auth import password_validation
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.mail import send_mail
from django.db import transaction
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone

from beyondraid.standard import services as standard_services
from beyondraid.standard.models import Agency

from . import audit, selectors, two_factor
from .models import AuditEntry, RoleGrant, User

logger = logging.getLogger(__name__)

NO_ACCESS = "You do not have access to user management."
LINK_NOT_VALID = (
    "This link to choose a password has expired or has already been used. "
    "Ask the person who invited you for a new link."
)
MAIL_NOT_SENT = (
    "The e-mail with the link to choose a password could not be sent, so nothing was changed. "
    "Try again later, or ask whoever runs this site to check its e-mail settings."
)
NOT_YOUR_DECISION = (
    "You cannot confirm or refuse a role you asked for, or one given to you: another "
    "administrator of your organisation decides it."
)


def _require_manager_of(by, user: User) -> None:
    if not selectors.manageable_users(by).filter(pk=user.pk).exists():
        raise PermissionDenied(NO_ACCESS)


def _send_password_link(user: User, *, site_url: str) -> None:
    """E-mail ``user`` the link with which they choose a password. It goes to them alone, so
    nobody else can ever sign in as them."""
    uidb64, token = selectors.password_link(user)
    context = {
        "person": user,
        "link": urljoin(site_url, reverse("accounts:welcome", args=(uidb64, token))),
        "valid_days": selectors.PASSWORD_LINK_VALID_FOR.days,
        "pending_grant": selectors.pending_grant_of(user),
    }
    try:
        send_mail(
            subject="Choose your password for Beyond the Raid",
            message=render_to_string("accounts/email/password_link.txt", context),
            from_email=None,
            recipient_list=[user.email],
        )
    except OSError as error:
        # The transaction rolls back: no account, or no new link, that nobody was told of.
        logger.warning("The password link for user %s was not sent: %s", user.pk, error)
        raise ValidationError(MAIL_NOT_SENT) from error


def _grant_errors(by, *, role: str, is_organisation_admin: bool) -> dict[str, str]:
    errors = {}
    if not role:
        errors["role"] = "Choose what this person does."
    elif role not in dict(selectors.assignable_roles(by)):
        errors["role"] = "Only an administrator can make someone an administrator."
    if is_organisation_admin and not selectors.may_appoint_organisation_admins(by):
        errors["is_organisation_admin"] = (
            "Only an administrator can make someone an organisation admin."
        )
    return errors


def _ask_for_grant(*, user: User, role: str, is_organisation_admin: bool, by) -> RoleGrant:
    grant = RoleGrant(
        user=user,
        role=role,
        is_organisation_admin=is_organisation_admin,
        organisation_id=by.organisation_id,
        requested_by=by,
    )
    grant.full_clean()
    grant.save()
    audit.record(AuditEntry.Action.ROLE_GRANT_REQUESTED, instance=grant, user=by)
    return grant


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
    site_url: str,
) -> RoleGrant:
    """Create an account without a password or a role, ask for ``role`` to be given to it, and
    e-mail the invitee the link to choose a password (``site_url`` starts it).

    The invitee chooses the password themselves, so nobody else ever knows it; two-factor
    sign-in is set up at their first sign-in. Until another manager confirms the grant
    (``confirm_grant``) the account sees nothing.
    """
    if not selectors.can_manage_users(by):
        raise PermissionDenied(NO_ACCESS)
    errors = _grant_errors(by, role=role, is_organisation_admin=is_organisation_admin)
    if organisation is None:
        errors["organisation"] = "Choose the organisation this person works for."
    elif not selectors.manageable_organisations(by).filter(pk=organisation.pk).exists():
        errors["organisation"] = "You can invite people only to your own organisation."
    if not email:
        errors["email"] = "Enter the person's email address: the link is sent there."
    if errors:
        raise ValidationError(errors)
    user = User(
        username=User.normalize_username(username),
        first_name=first_name,
        last_name=last_name,
        email=User.objects.normalize_email(email),
        organisation=organisation,
    )
    user.set_unusable_password()
    user.full_clean()
    user.save()
    audit.record(AuditEntry.Action.USER_INVITED, instance=user, user=by)
    grant = _ask_for_grant(user=user, role=role, is_organisation_admin=is_organisation_admin, by=by)
    _send_password_link(user, site_url=site_url)
    return grant


@transaction.atomic
def change_role(*, user: User, role: str, is_organisation_admin: bool = False, by) -> RoleGrant:
    """Ask for ``user`` to be given ``role``; it takes effect once another manager of ``by``'s
    organisation confirms it."""
    _require_manager_of(by, user)
    if user.pk == by.pk:
        raise ValidationError("You cannot change your own role. Ask another administrator.")
    errors = _grant_errors(by, role=role, is_organisation_admin=is_organisation_admin)
    if not errors and (role, is_organisation_admin) == (user.role, user.is_organisation_admin):
        errors["role"] = f"{user.username} already has this role."
    if errors:
        raise ValidationError(errors)
    return _ask_for_grant(user=user, role=role, is_organisation_admin=is_organisation_admin, by=by)


def _pending_grant_to_decide(grant: RoleGrant, by) -> RoleGrant:
    # Two managers deciding at once: the second waits here, then finds the grant decided.
    grant = RoleGrant.objects.select_for_update().select_related("user").get(pk=grant.pk)
    if grant.status != RoleGrant.Status.PENDING:
        raise ValidationError(
            f"This role was already {grant.get_status_display().lower()} by someone else."
        )
    if by.pk in (grant.requested_by_id, grant.user_id):
        raise ValidationError(NOT_YOUR_DECISION)
    if not selectors.may_decide_grant(by, grant):
        raise PermissionDenied(NO_ACCESS)
    return grant


def _close(grant: RoleGrant, *, status: str, action: str, by) -> RoleGrant:
    grant.status = status
    grant.decided_by = by
    grant.decided_at = timezone.now()
    grant.full_clean()
    grant.save()
    audit.record(action, instance=grant, user=by)
    return grant


@transaction.atomic
def confirm_grant(*, grant: RoleGrant, by) -> RoleGrant:
    """Give the account the role asked for: from now on it sees what the role sees."""
    grant = _pending_grant_to_decide(grant, by)
    user = grant.user
    user.role = grant.role
    user.is_organisation_admin = grant.is_organisation_admin
    user.full_clean()
    with audit.acting_as(by):
        user.save()
    return _close(
        grant,
        status=RoleGrant.Status.CONFIRMED,
        action=AuditEntry.Action.ROLE_GRANT_CONFIRMED,
        by=by,
    )


@transaction.atomic
def refuse_grant(*, grant: RoleGrant, by) -> RoleGrant:
    """Refuse the role: the account keeps the role it had (none for a new account)."""
    grant = _pending_grant_to_decide(grant, by)
    return _close(
        grant, status=RoleGrant.Status.REFUSED, action=AuditEntry.Action.ROLE_GRANT_REFUSED, by=by
    )


@transaction.atomic
def renew_password_link(*, user: User, by, site_url: str) -> User:
    """E-mail a new link to an invitee who has not chosen a password yet; earlier links stop
    working."""
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
    _send_password_link(user, site_url=site_url)
    return user


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


def _audit_rows(entries) -> Iterator[list[str]]:
    yield list(AUDIT_EXPORT_COLUMNS)
    for entry in entries.iterator(chunk_size=2000):
        yield [
            timezone.localtime(entry.at).isoformat(),
            entry.actor_label,
            entry.action,
            entry.object_type,
            entry.object_id,
            entry.object_label,
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
