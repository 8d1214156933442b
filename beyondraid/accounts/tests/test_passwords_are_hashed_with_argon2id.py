"""Passwords are stored as Argon2id hashes, and an older hash becomes one at the next sign-in."""

import importlib

import pytest
from django.contrib.auth import get_user_model
from django.contrib.auth.hashers import make_password
from django.urls import reverse

pytestmark = pytest.mark.django_db

ARGON2 = "django.contrib.auth.hashers.Argon2PasswordHasher"
PBKDF2 = "django.contrib.auth.hashers.PBKDF2PasswordHasher"
PASSWORD = "a long passphrase nobody guesses"  # noqa: S105 - test only


@pytest.fixture
def argon2(settings):
    # Tests use a fast hasher (beyondraid/conftest.py); these put back what the project sets.
    configured = importlib.import_module("beyondraid.settings").PASSWORD_HASHERS
    assert configured[0] == ARGON2
    settings.PASSWORD_HASHERS = configured


def test_a_new_password_is_stored_as_argon2id(argon2):
    user = get_user_model().objects.create_user("steward", password=PASSWORD)
    assert user.password.startswith("argon2$argon2id$")
    assert PASSWORD not in user.password
    assert user.check_password(PASSWORD)


def test_an_older_hash_becomes_argon2id_at_sign_in(argon2, client):
    user = get_user_model().objects.create_user("steward")
    user.password = make_password(PASSWORD, hasher="pbkdf2_sha256")
    user.save()
    assert user.password.startswith("pbkdf2_sha256$")
    response = client.post(
        reverse("accounts:sign_in"), {"username": "steward", "password": PASSWORD}
    )
    assert response.status_code == 302
    user.refresh_from_db()
    assert user.password.startswith("argon2$argon2id$")
