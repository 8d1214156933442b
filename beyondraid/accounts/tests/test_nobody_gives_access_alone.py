"""Issue 19, item 3: whoever gives a role can never use the account, nor give it alone.

The link to choose a password goes by e-mail to the invitee only, and a role takes effect once a
second manager of the granting manager's organisation confirms it; every grant is in the audit
log and on the other managers' users page.
"""

import re

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction
from django.urls import reverse
from django.utils import timezone

from beyondraid.accounts import services
from beyondraid.accounts.models import AuditEntry, RoleGrant, User
from beyondraid.accounts.testing import sign_in_verified
from beyondraid.standard import access

pytestmark = pytest.mark.django_db

INVITEE = {
    "username": "new.analyst",
    "first_name": "Ines",
    "last_name": "Park",
    "email": "ines@oversight.example",
    "role": "analyst",
}


@pytest.fixture
def second_admin(world):
    return User.objects.create_user(
        username="administrator.two", organisation=world.oversight, role="administrator"
    )


def _invite(client, world, **changes):
    sign_in_verified(client, world.administrator)
    data = {**INVITEE, "organisation": world.oversight.pk, **changes}
    return client.post(reverse("accounts:user_invite"), data, follow=True)


def _link_in(message) -> re.Match[str]:
    """The link to choose a password in an e-mail: its path, then its two parts."""
    sent = re.search(r"http://testserver(/accounts/welcome/(\S+)/(\S+)/)", message.body)
    assert sent is not None
    return sent


def test_the_link_goes_to_the_invitee_alone(client, world, mailoutbox):
    response = _invite(client, world)
    page = response.content.decode()
    (message,) = mailoutbox
    link = _link_in(message)
    assert message.to == [INVITEE["email"]]
    assert "/accounts/welcome/" not in page
    assert link.group(3) not in page
    assert f"sent to {INVITEE['email']}" in page
    client.logout()
    assert client.get(link.group(1)).status_code == 200


def test_a_renewed_link_goes_to_the_invitee_alone(client, world, mailoutbox):
    _invite(client, world)
    invitee = User.objects.get(username=INVITEE["username"])
    response = client.post(reverse("accounts:user_password_link", args=[invitee.pk]), follow=True)
    renewed = _link_in(mailoutbox[-1])
    assert mailoutbox[-1].to == [INVITEE["email"]]
    assert renewed.group(3) not in response.content.decode()


def test_the_role_waits_for_a_second_administrator(client, world, mailoutbox, second_admin):
    _invite(client, world)
    invitee = User.objects.get(username=INVITEE["username"])
    grant = invitee.role_grants.get()
    assert (invitee.role, grant.status) == ("", RoleGrant.Status.PENDING)
    assert not access.encounters_for(invitee).exists()
    sign_in_verified(client, invitee)
    person_page = reverse("standard:encounter_detail", args=[world.encounter_b.code])
    assert client.get(person_page).status_code == 404

    sign_in_verified(client, second_admin)
    page = client.get(reverse("accounts:users")).content.decode()
    assert INVITEE["email"] in page
    assert reverse("accounts:grant_confirm", args=[grant.pk]) in page
    response = client.post(reverse("accounts:grant_confirm", args=[grant.pk]), follow=True)
    assert "new.analyst is now Oversight analyst" in response.content.decode()

    invitee.refresh_from_db()
    grant.refresh_from_db()
    assert invitee.role == "analyst"
    assert (grant.status, grant.decided_by) == (RoleGrant.Status.CONFIRMED, second_admin)
    sign_in_verified(client, invitee)
    assert client.get(person_page).status_code == 200


def test_the_granting_administrator_cannot_confirm(client, world, mailoutbox, second_admin):
    _invite(client, world)
    grant = RoleGrant.objects.get(user__username=INVITEE["username"])
    page = client.get(reverse("accounts:users")).content.decode()
    assert reverse("accounts:grant_confirm", args=[grant.pk]) not in page
    assert "You asked for it: another administrator confirms it." in page
    response = client.post(reverse("accounts:grant_confirm", args=[grant.pk]), follow=True)
    assert "You cannot confirm or refuse a role you asked for" in response.content.decode()
    with pytest.raises(ValidationError, match="another administrator of your organisation"):
        services.confirm_grant(grant=grant, by=world.administrator)
    grant.refresh_from_db()
    assert grant.status == RoleGrant.Status.PENDING
    assert User.objects.get(username=INVITEE["username"]).role == ""


def test_an_administrator_of_another_organisation_cannot_see_or_confirm(client, world, mailoutbox):
    _invite(client, world)
    grant = RoleGrant.objects.get(user__username=INVITEE["username"])
    elsewhere = User.objects.create_user(
        username="admin.a", organisation=world.agency_a, role="administrator"
    )
    sign_in_verified(client, elsewhere)
    assert INVITEE["email"] not in client.get(reverse("accounts:users")).content.decode()
    assert client.post(reverse("accounts:grant_confirm", args=[grant.pk])).status_code == 404
    grant.refresh_from_db()
    assert grant.status == RoleGrant.Status.PENDING


def test_every_grant_is_in_the_audit_log(client, world, mailoutbox, second_admin):
    _invite(client, world)
    grant = RoleGrant.objects.get(user__username=INVITEE["username"])
    services.refuse_grant(grant=grant, by=second_admin)
    entries = AuditEntry.objects.filter(object_type="accounts.rolegrant", object_id=str(grant.pk))
    assert [(entry.action, entry.actor) for entry in entries.order_by("pk")] == [
        (AuditEntry.Action.ROLE_GRANT_REQUESTED, world.administrator),
        (AuditEntry.Action.ROLE_GRANT_REFUSED, second_admin),
    ]
    assert User.objects.get(username=INVITEE["username"]).role == ""
    sign_in_verified(client, second_admin)
    page = client.get(reverse("accounts:users")).content.decode()
    assert "Roles decided in the last 30 days" in page
    assert "Refused" in page


def test_changing_a_role_waits_for_confirmation_too(client, world, second_admin):
    sign_in_verified(client, world.administrator)
    url = reverse("accounts:user_change_role", args=[world.steward_b.pk])
    response = client.post(url, {"role-role": "analyst"}, follow=True)
    assert "another administrator of your organisation confirms it" in response.content.decode()
    world.steward_b.refresh_from_db()
    assert world.steward_b.role == "steward"
    grant = world.steward_b.role_grants.get()
    services.confirm_grant(grant=grant, by=second_admin)
    world.steward_b.refresh_from_db()
    assert world.steward_b.role == "analyst"
    change = AuditEntry.objects.filter(
        object_type="accounts.user", object_id=str(world.steward_b.pk), action="update"
    ).latest("pk")
    assert (change.actor, change.changed_fields) == (second_admin, ["role"])


def test_nobody_changes_their_own_role_or_asks_twice(world, second_admin):
    with pytest.raises(ValidationError, match="your own role"):
        services.change_role(user=world.administrator, role="analyst", by=world.administrator)
    services.change_role(user=world.steward_b, role="analyst", by=world.administrator)
    with pytest.raises(ValidationError, match="already waiting for confirmation"):
        services.change_role(user=world.steward_b, role="prosecutor", by=second_admin)


def test_an_organisation_admin_needs_a_second_one_of_their_organisation(world):
    first = world.steward_a
    first.is_organisation_admin = True
    first.save()
    second = User.objects.create_user(
        username="steward.a2",
        organisation=world.agency_a,
        role="steward",
        is_organisation_admin=True,
    )
    # A grant asked for by the administrators' organisation is for them to decide.
    grant = services.change_role(user=world.caseworker, role="steward", by=world.administrator)
    with pytest.raises(PermissionDenied):
        services.confirm_grant(grant=grant, by=first)
    colleague = User.objects.create_user(username="clerk.a", organisation=world.agency_a)
    grant = services.change_role(user=colleague, role="steward", by=first)
    services.confirm_grant(grant=grant, by=second)
    colleague.refresh_from_db()
    assert colleague.role == "steward"


def test_the_database_refuses_a_grant_decided_by_who_asked(world):
    grant = RoleGrant.objects.create(
        user=world.steward_b,
        role="analyst",
        organisation=world.oversight,
        requested_by=world.administrator,
    )
    with pytest.raises(IntegrityError), transaction.atomic():
        RoleGrant.objects.filter(pk=grant.pk).update(
            status="confirmed", decided_by=world.administrator, decided_at=timezone.now()
        )


def test_an_e_mail_that_cannot_be_sent_leaves_nothing_behind(client, world, monkeypatch):
    def unreachable(**kwargs):
        raise ConnectionRefusedError("no mail server")

    monkeypatch.setattr(services, "send_mail", unreachable)
    response = _invite(client, world)
    assert "could not be sent, so nothing was changed" in response.content.decode()
    assert not User.objects.filter(username=INVITEE["username"]).exists()
    assert not RoleGrant.objects.exists()
