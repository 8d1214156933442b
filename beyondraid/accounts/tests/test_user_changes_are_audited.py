import re

import pytest
from django.urls import reverse
from django_otp.plugins.otp_totp.models import TOTPDevice

from beyondraid.accounts.models import AuditEntry, User
from beyondraid.accounts.testing import sign_in_verified

pytestmark = pytest.mark.django_db


@pytest.fixture
def admin_client(client, world):
    sign_in_verified(client, world.administrator)
    return client


def _entries(user, action):
    return AuditEntry.objects.filter(
        object_type="accounts.user", object_id=str(user.pk), action=action
    )


def test_an_invitation_is_logged_with_the_inviter(admin_client, world):
    admin_client.post(
        reverse("accounts:user_invite"),
        {
            "username": "new.analyst",
            "first_name": "Ines",
            "last_name": "Park",
            "email": "ines@oversight.example",
            "organisation": world.oversight.pk,
            "role": "analyst",
        },
    )
    invited = User.objects.get(username="new.analyst")
    for action in ("create", "user_invited"):
        entry = _entries(invited, action).get()
        assert (entry.actor, entry.object_label) == (world.administrator, "new.analyst")


def test_choosing_the_password_is_logged_as_the_invitee(admin_client, world, mailoutbox):
    admin_client.post(
        reverse("accounts:user_invite"),
        {
            "username": "new.analyst",
            "first_name": "Ines",
            "last_name": "Park",
            "email": "ines@oversight.example",
            "organisation": world.oversight.pk,
            "role": "analyst",
        },
    )
    sent = re.search(r"http://testserver(/accounts/welcome/\S+/)", mailoutbox[0].body)
    assert sent is not None
    link = sent.group(1)
    admin_client.logout()
    password = "a long and private passphrase 7"
    admin_client.post(link, {"new_password1": password, "new_password2": password})
    invited = User.objects.get(username="new.analyst")
    entry = _entries(invited, "update").get()
    assert (entry.actor, entry.changed_fields) == (invited, ["password"])
    assert password not in str(entry.__dict__)


def test_deactivation_and_reactivation_are_logged(admin_client, world):
    person = world.steward_b
    admin_client.post(
        reverse("accounts:user_deactivate", args=[person.pk]), {"deactivate-confirm": "on"}
    )
    admin_client.post(reverse("accounts:user_reactivate", args=[person.pk]))
    assert _entries(person, "user_deactivated").get().actor == world.administrator
    changes = list(_entries(person, "update").order_by("pk"))
    assert [(e.actor, e.changed_fields) for e in changes] == [
        (world.administrator, ["is_active"]),
        (world.administrator, ["is_active"]),
    ]


def test_a_two_factor_reset_is_logged(admin_client, world):
    TOTPDevice.objects.create(user=world.caseworker, name="phone", confirmed=True)
    admin_client.post(
        reverse("accounts:user_reset_two_factor", args=[world.caseworker.pk]),
        {"reset-confirm": "on"},
    )
    entry = _entries(world.caseworker, "two_factor_reset").get()
    assert (entry.actor, entry.object_label) == (world.administrator, "caseworker")


def test_a_new_organisation_is_logged_with_who_added_it(admin_client, world):
    admin_client.post(
        reverse("accounts:organisation_add"),
        {"name": "Bay City Police", "kind": "local_police"},
    )
    entry = AuditEntry.objects.get(object_type="standard.agency", object_label="Bay City Police")
    assert (entry.action, entry.actor) == ("create", world.administrator)
