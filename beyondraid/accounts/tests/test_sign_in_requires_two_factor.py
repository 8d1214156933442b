"""A password alone reaches only the two-factor step; a code from the app, or a recovery code used
once, lets the user in, the records administration included."""

import re

import pytest
from django.contrib.auth import get_user_model
from django.test import Client
from django.urls import reverse
from django.utils import timezone
from django_otp.oath import TOTP

from beyondraid.accounts import two_factor
from beyondraid.accounts.testing import current_code, sign_in_verified, totp_device
from beyondraid.conftest import PASSWORD

pytestmark = pytest.mark.django_db

TWO_FACTOR = reverse("accounts:two_factor")


def _password(client, user, **extra):
    return client.post(
        reverse("accounts:sign_in"), {"username": user.username, "password": PASSWORD, **extra}
    )


def _code(client, code, next_url="/"):
    return client.post(TWO_FACTOR, {"code": code, "next": next_url})


def _wrong_code(device) -> str:
    # The app's codes of the previous, current and next 30 seconds are all accepted.
    accepted = {TOTP(device.bin_key, drift=drift).token() for drift in (-1, 0, 1)}
    return next(f"{n:06d}" for n in range(1_000_000) if n not in accepted)


@pytest.mark.parametrize("persona", ["steward_a", "caseworker", "administrator"])
def test_a_password_alone_reaches_only_the_two_factor_step(client, world, persona):
    user = world.personas[persona]
    totp_device(user)
    response = _password(client, user, next="/admin/")
    assert response["Location"] == f"{TWO_FACTOR}?next=%2Fadmin%2F"
    for path in ("/admin/", "/admin/standard/operation/", "/operations/", "/accounts/users/"):
        response = client.get(path)
        assert response.status_code == 302, path
        assert response["Location"].startswith(f"{TWO_FACTOR}?next="), path
    assert client.get("/").status_code == 200
    assert client.get("/healthz").status_code == 200
    assert "Enter the code from your app" in client.get(TWO_FACTOR).content.decode()


def test_the_admin_sign_in_page_is_ours(client, world):
    response = client.get("/admin/")
    assert response["Location"] == "/admin/login/?next=/admin/"
    response = client.get(response["Location"])
    assert response["Location"] == f"{reverse('accounts:sign_in')}?next=%2Fadmin%2F"


def test_a_code_from_the_app_lets_the_user_in_and_to_the_page_asked_for(client, world):
    device = totp_device(world.steward_a)
    _password(client, world.steward_a)
    response = _code(client, current_code(device), next_url="/admin/")
    assert response.status_code == 302
    assert response["Location"] == "/admin/"
    assert client.get("/admin/").status_code == 200
    assert client.get("/operations/").status_code == 200


def test_a_wrong_code_is_refused_in_plain_words(client, world):
    device = totp_device(world.steward_a)
    _password(client, world.steward_a)
    response = _code(client, _wrong_code(device))
    assert response.status_code == 200
    assert "That code did not work" in response.content.decode()
    assert client.get("/admin/")["Location"].startswith(TWO_FACTOR)


def test_a_code_is_accepted_only_once(client, world):
    device = totp_device(world.steward_a)
    code = current_code(device)
    _password(client, world.steward_a)
    assert _code(client, code).status_code == 302
    client.post(reverse("accounts:sign_out"))
    _password(client, world.steward_a)
    assert "That code did not work" in _code(client, code).content.decode()


def test_a_recovery_code_works_once(client, world):
    user = world.steward_a
    device = two_factor.start_enrolment(user=user)
    codes = two_factor.confirm_enrolment(user=user, device=device, token=current_code(device))
    assert len(codes) == 10
    assert len(set(codes)) == 10

    for code in codes[:2]:
        _password(client, user)
        # Typed as the user may: in capitals, with spaces.
        assert _code(client, f" {code[:4]} {code[4:].upper()} ").status_code == 302
        assert client.get("/admin/").status_code == 200
        client.post(reverse("accounts:sign_out"))

    _password(client, user)
    assert "That code did not work" in _code(client, codes[0]).content.decode()


def test_every_staff_role_and_every_superuser_needs_two_factor(world):
    assert all(two_factor.needs_two_factor(user=user) for user in world.personas.values() if user)
    users = get_user_model().objects
    assert two_factor.needs_two_factor(user=users.create_superuser("root", "", "x" * 16))
    assert not two_factor.needs_two_factor(user=users.create_user("no.role", password="x" * 16))


def test_a_user_who_needs_no_second_factor_signs_in_with_the_password(client, world):
    user = get_user_model().objects.create_user("no.role", password=PASSWORD)
    response = _password(client, user)
    assert response["Location"] == "/start/"
    assert client.get("/accounts/two-factor/")["Location"] == "/start/"


def test_signing_in_sends_only_to_pages_of_this_site(client, world):
    device = totp_device(world.steward_a)
    response = _password(client, world.steward_a, next="https://evil.example/")
    assert response["Location"] == f"{TWO_FACTOR}?next=%2Fstart%2F"
    assert _code(client, current_code(device), "//evil.example/")["Location"] == "/start/"


def test_signing_out_needs_a_post_and_says_so(client, world):
    device = totp_device(world.steward_a)
    _password(client, world.steward_a)
    _code(client, current_code(device))
    assert client.get(reverse("accounts:sign_out")).status_code == 405
    response = client.post(reverse("accounts:sign_out"), follow=True)
    assert "You are signed out" in response.content.decode()
    assert client.get("/admin/")["Location"].startswith("/admin/login/")


def test_the_admin_log_out_signs_out(client, world):
    device = totp_device(world.steward_a)
    _password(client, world.steward_a)
    _code(client, current_code(device))
    response = client.post(reverse("admin:logout"))
    assert response["Location"] == reverse("accounts:signed_out")
    assert client.get("/admin/").status_code == 302


def test_a_signed_in_user_the_admin_refuses_is_told_so(client, world):
    user = get_user_model().objects.create_user("no.role", password=PASSWORD)
    _password(client, user)
    response = client.get("/admin/", follow=True)
    assert response.status_code == 200
    assert "Your account does not open the page you asked for" in response.content.decode()


def test_after_wrong_codes_the_user_is_told_to_wait(client, world):
    device = totp_device(world.steward_a)
    # As after five wrong codes in a row: django-otp doubles the wait each time.
    device.throttling_failure_count = 5
    device.throttling_failure_timestamp = timezone.now()
    device.save()
    _password(client, world.steward_a)
    response = _code(client, current_code(device))
    # 16 seconds from the last wrong code, less the time the test took.
    assert re.search(r"Too many wrong codes\. Wait 1[0-6] seconds", response.content.decode())
    assert client.get("/admin/")["Location"].startswith(TWO_FACTOR)


def test_a_signed_in_user_opening_the_admin_sign_in_page_goes_on(client, world):
    sign_in_verified(client, world.steward_a)
    assert client.get("/admin/login/?next=/admin/standard/")["Location"] == "/admin/standard/"
    assert client.get("/admin/login/")["Location"] == "/admin/"


def test_signing_out_needs_the_csrf_token(world):
    client = Client(enforce_csrf_checks=True)
    sign_in_verified(client, world.steward_a)
    assert client.post(reverse("accounts:sign_out")).status_code == 403
    assert client.get("/operations/").status_code == 200
