"""At the first sign-in a user sets up the authenticator app from a QR code or a typed secret,
confirms it with a code, and is shown ten recovery codes once. A password alone never replaces a
second factor that is set up already."""

import re
from base64 import b32decode
from urllib.parse import unquote

import pytest
from django.urls import reverse
from django_otp.oath import TOTP
from django_otp.plugins.otp_static.models import StaticToken
from django_otp.plugins.otp_totp.models import TOTPDevice

from beyondraid.accounts import two_factor
from beyondraid.accounts.models import AuditEntry
from beyondraid.accounts.testing import current_code, sign_in_verified
from beyondraid.conftest import PASSWORD

pytestmark = pytest.mark.django_db

ENROL = reverse("accounts:two_factor_enrol")


def _password(client, user):
    return client.post(
        reverse("accounts:sign_in"),
        {"username": user.username, "password": PASSWORD, "next": "/operations/"},
    )


def _shown_secret(html: str) -> str:
    return re.search(r'id="secret">([A-Z2-7 ]+)<', html).group(1)


def test_a_user_without_a_device_is_sent_to_set_one_up(client, world):
    response = _password(client, world.steward_a)
    response = client.get(response["Location"])
    assert response["Location"] == f"{ENROL}?next=%2Foperations%2F"


def test_the_set_up_page_shows_the_secret_and_a_qr_code_made_here(client, world):
    _password(client, world.steward_a)
    html = client.get(ENROL).content.decode()
    device = TOTPDevice.objects.get(user=world.steward_a, confirmed=False)
    secret = _shown_secret(html)
    assert re.fullmatch(r"([A-Z2-7]{4} )+[A-Z2-7]{4}", secret)
    assert b32decode(secret.replace(" ", "")) == device.bin_key
    assert 'src="data:image/svg+xml;charset=utf-8,' in html
    assert 'autocomplete="one-time-code"' in html
    assert 'inputmode="numeric"' in html
    # Reloading the page keeps the secret that may have been scanned already.
    assert _shown_secret(client.get(ENROL).content.decode()) == secret
    assert TOTPDevice.objects.filter(user=world.steward_a).count() == 1


def test_the_qr_code_is_an_svg_image_of_the_set_up_link(world):
    device = TOTPDevice(user=world.steward_a, key=bytes(range(1, 21)).hex())
    assert device.config_url.startswith(
        "otpauth://totp/Beyond%20the%20Raid%3Asteward.a?secret=AEBAGBAFAYDQQCIKBMGA2DQPCAIREEYU"
    )
    prefix = "data:image/svg+xml;charset=utf-8,"
    uri = two_factor.qr_code_data_uri(device=device)
    assert uri.startswith(prefix)
    svg = unquote(uri.removeprefix(prefix))
    assert svg.startswith("<svg ") and svg.endswith("</svg>")
    assert "script" not in svg.lower()


def test_a_wrong_code_leaves_the_device_unconfirmed(client, world):
    _password(client, world.steward_a)
    client.get(ENROL)
    device = TOTPDevice.objects.get(user=world.steward_a)
    wrong = f"{(int(current_code(device)) + 500_000) % 1_000_000:06d}"
    response = client.post(ENROL, {"code": wrong, "next": "/operations/"})
    assert response.status_code == 200
    assert "That code did not work" in response.content.decode()
    device.refresh_from_db()
    assert not device.confirmed
    assert client.get("/operations/")["Location"].startswith(reverse("accounts:two_factor"))


def test_a_code_confirms_the_app_and_shows_ten_recovery_codes_once(client, world):
    user = world.steward_a
    _password(client, user)
    client.get(ENROL)
    device = TOTPDevice.objects.get(user=user)

    response = client.post(ENROL, {"code": current_code(device), "next": "/operations/"})

    assert response.status_code == 200
    assert "no-store" in response["Cache-Control"]
    html = response.content.decode()
    assert "Two-factor sign-in is on" in html
    # In two groups of four, to copy without mistakes.
    shown = ["".join(pair) for pair in re.findall(r"<li>([a-z2-7]{4}) ([a-z2-7]{4})</li>", html)]
    stored = StaticToken.objects.filter(device__user=user).values_list("token", flat=True)
    assert len(shown) == 10
    assert sorted(shown) == sorted(stored)
    assert 'href="/operations/"' in html
    device.refresh_from_db()
    assert device.confirmed
    assert client.get("/operations/").status_code == 200
    assert AuditEntry.objects.filter(action="two_factor_enrolled", actor=user).count() == 1
    # Shown once: the set-up page is closed now that the app is set up.
    assert client.get(ENROL)["Location"] == "/start/"


def test_a_password_alone_cannot_set_up_another_device(client, world):
    user = world.steward_a
    sign_in_verified(client, user)
    client.post(reverse("accounts:sign_out"))
    _password(client, user)
    response = client.get(ENROL)
    assert response["Location"].startswith(reverse("accounts:two_factor"))
    response = client.post(ENROL, {"code": "123456"})
    assert response["Location"].startswith(reverse("accounts:two_factor"))
    assert TOTPDevice.objects.filter(user=user).count() == 1


@pytest.mark.parametrize("form", ["hex", "base32", "grouped base32"])
def test_the_demo_enrols_with_a_known_secret(world, form):
    key = bytes(range(1, 21))
    secret = {
        "hex": key.hex(),
        "base32": "AEBAGBAFAYDQQCIKBMGA2DQPCAIREEYU",
        "grouped base32": "aeba gbaf aydq qcik bmga 2dqp caire eyu",
    }[form]
    device = two_factor.enrol_with_secret(user=world.steward_a, secret=secret)
    assert device.confirmed
    assert device.bin_key == key
    assert two_factor.verify(user=world.steward_a, token=f"{TOTP(key).token():06d}") == device


def test_a_secret_in_neither_form_is_refused(world):
    with pytest.raises(ValueError, match="40 hexadecimal digits or a base32"):
        two_factor.enrol_with_secret(user=world.steward_a, secret="not a secret!")
    assert not TOTPDevice.objects.filter(user=world.steward_a).exists()


def test_after_a_reset_the_next_sign_in_sets_up_again(client, world):
    user = world.steward_a
    sign_in_verified(client, user)
    assert client.get("/operations/").status_code == 200
    two_factor.reset(user=user)
    # The session verified with the removed device is no longer verified.
    assert client.get("/operations/")["Location"].startswith(reverse("accounts:two_factor"))
    assert client.get(reverse("accounts:two_factor"))["Location"].startswith(ENROL)


def test_a_mistyped_code_is_answered_without_counting_as_a_wrong_code(client, world):
    _password(client, world.steward_a)
    client.get(ENROL)
    response = client.post(ENROL, {"code": "12 34"})
    assert "Enter the 6 digits the app shows, such as 123456." in response.content.decode()
    device = TOTPDevice.objects.get(user=world.steward_a)
    assert device.throttling_failure_count == 0
    assert client.post(ENROL, {"code": current_code(device)}).status_code == 200
    device.refresh_from_db()
    assert device.confirmed
