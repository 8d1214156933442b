import pytest
from django.urls import reverse
from django_otp import devices_for_user
from django_otp.plugins.otp_static.models import StaticDevice
from django_otp.plugins.otp_totp.models import TOTPDevice

from beyondraid.accounts.models import AuditEntry
from beyondraid.accounts.testing import sign_in_verified

pytestmark = pytest.mark.django_db


@pytest.fixture
def enrolled(world):
    user = world.steward_b
    TOTPDevice.objects.create(user=user, name="phone", confirmed=True)
    TOTPDevice.objects.create(user=user, name="half set up", confirmed=False)
    StaticDevice.objects.create(user=user, name="backup codes", confirmed=True)
    return user


def _reset(client, person, **data):
    return client.post(reverse("accounts:user_reset_two_factor", args=[person.pk]), data)


def test_a_reset_removes_every_device_of_the_user(client, world, enrolled):
    TOTPDevice.objects.create(user=world.steward_a, name="other phone", confirmed=True)
    sign_in_verified(client, world.administrator)
    users = client.get(reverse("accounts:users"), {"organisation": world.agency_b.pk})
    assert '<td data-label="Two-factor sign-in set up">Yes</td>' in users.content.decode()

    response = _reset(client, enrolled, **{"reset-confirm": "on"})

    assert response.status_code == 302
    assert list(devices_for_user(enrolled, confirmed=None)) == []
    assert TOTPDevice.objects.filter(user=world.steward_a).exists()
    users = client.get(reverse("accounts:users"), {"organisation": world.agency_b.pk})
    assert '<td data-label="Two-factor sign-in set up">No</td>' in users.content.decode()


def test_a_reset_needs_the_confirmation(client, world, enrolled):
    sign_in_verified(client, world.administrator)
    response = _reset(client, enrolled)
    assert response.status_code == 400
    assert "Tick the box to confirm" in response.content.decode()
    assert len(list(devices_for_user(enrolled, confirmed=None))) == 3
    assert not AuditEntry.objects.filter(action="two_factor_reset").exists()


def test_an_organisation_admin_cannot_reset_another_organisations_user(client, world, enrolled):
    world.steward_a.is_organisation_admin = True
    world.steward_a.save()
    sign_in_verified(client, world.steward_a)
    assert _reset(client, enrolled, **{"reset-confirm": "on"}).status_code == 404
    assert len(list(devices_for_user(enrolled, confirmed=None))) == 3
