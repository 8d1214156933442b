"""Once an investigator unlocks the oversight key, it is held between requests split in two: the
session (in the database) keeps it encrypted, the key to that lives only in the browser's cookie.
Neither the database nor any file the site writes holds the private key in clear (issue 8)."""

import base64

import pytest
from django.urls import reverse

from beyondraid.accountability import keyholding, services
from beyondraid.accounts.testing import sign_in_verified

from .reporting import KEY_PASSPHRASE, open_channel
from .test_report_security_holds_on_every_reporting_page import _every_stored_value

pytestmark = pytest.mark.django_db


def _forms(secret: bytes) -> list[bytes]:
    return [
        secret,
        secret.hex().encode(),
        base64.b64encode(secret),
        base64.urlsafe_b64encode(secret),
        base64.b32encode(secret),
    ]


def test_the_unlocked_key_is_in_neither_the_database_nor_the_cache_files(
    client, world, settings, tmp_path
):
    settings.CACHES = {
        "default": {
            "BACKEND": "django.core.cache.backends.filebased.FileBasedCache",
            "LOCATION": str(tmp_path),
        }
    }
    open_channel(world)
    private_key = bytes(services.unlock_key(user=world.investigator, passphrase=KEY_PASSPHRASE))
    sign_in_verified(client, world.investigator)
    unlocked = client.post(reverse("oversight:unlock"), {"passphrase": KEY_PASSPHRASE})
    assert unlocked.status_code == 302
    assert keyholding.COOKIE in unlocked.cookies
    # The key works across requests: the report list knows it is held.
    assert "Lock the key" in client.get(reverse("oversight:reports")).content.decode()

    stored = _every_stored_value()
    files = b"".join(path.read_bytes() for path in settings.DATA_DIR.rglob("*") if path.is_file())
    for form in _forms(private_key):
        assert form not in stored
        assert form not in files
