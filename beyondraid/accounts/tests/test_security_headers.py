"""Every page carries a strict Content Security Policy and the other security headers: scripts
only from this site and never inline, nothing from another origin, no framing, no MIME sniffing,
no referrer sent elsewhere. HSTS is for production only (checked by the deployment test)."""

import pytest
from django.urls import reverse

from beyondraid.accounts.testing import sign_in_verified
from beyondraid.conftest import PASSWORD

pytestmark = pytest.mark.django_db


def _policy(response) -> dict[str, list[str]]:
    directives = [part.split() for part in response["Content-Security-Policy"].split(";")]
    return {words[0]: words[1:] for words in directives if words}


def _assert_secure(response):
    policy = _policy(response)
    assert policy["script-src"] == ["'self'"]
    assert policy["default-src"] == ["'self'"]
    assert policy["object-src"] == ["'none'"]
    assert policy["frame-ancestors"] == ["'none'"]
    sources = [source for values in policy.values() for source in values]
    assert not [source for source in sources if "//" in source or source in {"*", "https:"}]
    assert "'unsafe-eval'" not in sources
    assert response["X-Content-Type-Options"] == "nosniff"
    assert response["Referrer-Policy"] == "same-origin"
    assert response["X-Frame-Options"] == "DENY"
    assert "Strict-Transport-Security" not in response


def test_the_home_page_and_the_sign_in_page_carry_the_headers(client):
    for path in ("/", reverse("accounts:sign_in")):
        response = client.get(path)
        assert response.status_code == 200
        _assert_secure(response)


def test_the_two_factor_pages_redirects_and_the_lockout_page_carry_them(client, world):
    response = client.post(
        reverse("accounts:sign_in"), {"username": "steward.a", "password": PASSWORD}
    )
    _assert_secure(response)
    _assert_secure(client.get("/admin/"))
    enrol = client.get(reverse("accounts:two_factor_enrol"))
    _assert_secure(enrol)
    # The QR code is a data: image, which the policy allows for images only.
    assert 'src="data:image/svg+xml' in enrol.content.decode()
    assert _policy(enrol)["img-src"] == ["'self'", "data:"]
    client.logout()
    for n in range(5):
        locked = client.post(
            reverse("accounts:sign_in"), {"username": "steward.b", "password": f"wrong {n}"}
        )
    assert locked.status_code == 429
    _assert_secure(locked)


def test_the_records_administration_carries_them(client, world):
    sign_in_verified(client, world.steward_a)
    for path in ("/admin/", "/admin/standard/operation/", "/admin/standard/operation/add/"):
        response = client.get(path)
        assert response.status_code == 200, path
        _assert_secure(response)
