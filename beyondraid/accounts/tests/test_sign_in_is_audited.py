"""Signing in, failing to, signing out and setting up two-factor sign-in are in the audit log.
A failed password is logged with the username typed, which only analysts and administrators read;
the page itself never says whether that username exists."""

import pytest
from django.urls import reverse

from beyondraid.accounts.models import AuditEntry
from beyondraid.accounts.testing import current_code, totp_device
from beyondraid.conftest import PASSWORD

pytestmark = pytest.mark.django_db


SIGN_IN_ACTIONS = ("sign_in", "sign_in_failed", "sign_out", "two_factor_enrolled")


def _entries():
    return list(
        AuditEntry.objects.filter(action__in=SIGN_IN_ACTIONS)
        .order_by("pk")
        .values_list("action", "actor_label", "object_type", "object_label")
    )


def _password(client, username, password=PASSWORD):
    return client.post(reverse("accounts:sign_in"), {"username": username, "password": password})


def test_a_full_sign_in_and_sign_out_are_logged(client, world):
    device = totp_device(world.steward_a)
    _password(client, "steward.a")
    assert not AuditEntry.objects.filter(action="sign_in").exists()
    client.post(reverse("accounts:two_factor"), {"code": current_code(device)})
    client.post(reverse("accounts:sign_out"))
    assert _entries() == [
        ("sign_in", "steward.a", "", "Authenticator app"),
        ("sign_out", "steward.a", "", ""),
    ]
    assert AuditEntry.objects.get(action="sign_in").actor == world.steward_a


def test_a_wrong_password_is_logged_with_the_username_typed(client, world):
    _password(client, "steward.a", "wrong")
    _password(client, "nobody.here", "wrong")
    assert _entries() == [
        ("sign_in_failed", "not signed in", "password", "steward.a"),
        ("sign_in_failed", "not signed in", "password", "nobody.here"),
    ]
    assert not AuditEntry.objects.filter(action="sign_in_failed").exclude(actor=None).exists()


def test_a_wrong_code_is_logged_for_the_user_who_typed_it(client, world):
    totp_device(world.steward_a)
    _password(client, "steward.a")
    client.post(reverse("accounts:two_factor"), {"code": "abcdefgh"})
    entry = AuditEntry.objects.get(action__in=SIGN_IN_ACTIONS)
    assert (entry.action, entry.actor, entry.object_type) == (
        "sign_in_failed",
        world.steward_a,
        "two-factor code",
    )


def test_setting_up_two_factor_is_logged(client, world):
    _password(client, "steward.a")
    client.get(reverse("accounts:two_factor_enrol"))
    device = world.steward_a.totpdevice_set.get()
    client.post(reverse("accounts:two_factor_enrol"), {"code": current_code(device)})
    assert _entries() == [
        ("two_factor_enrolled", "steward.a", "accounts.user", "steward.a"),
        ("sign_in", "steward.a", "", "Authenticator app"),
    ]
