"""Agency integration tokens (issue 10): made by the agency's administrator and shown once, stored
hashed, scoped, expiring and revocable; a token reads its own agency's operations exactly as one of
its stewards would, and every request made with it is in the audit log."""

import datetime
import re

import pytest
from django.test import Client
from django.utils import timezone

from beyondraid.accounts.models import AuditEntry
from beyondraid.accounts.testing import sign_in_verified
from beyondraid.api import tokens
from beyondraid.api.models import IntegrationToken
from beyondraid.care.tests.builders import administrator_steward
from beyondraid.standard.tests.builders import make_operation

pytestmark = pytest.mark.django_db

IN_A_MONTH = timezone.localdate() + datetime.timedelta(days=30)


@pytest.fixture
def administrator(world):
    return administrator_steward(world)


def _issue(world, **overrides):
    """A token of agency A, made by its administrator (``by``)."""
    values = {
        "name": "Records management system",
        "can_read": True,
        "can_write": False,
        "record_types": ["operations"],
        "expires_on": IN_A_MONTH,
    }
    user = overrides.pop("by")
    values.update(overrides)
    return tokens.issue(user=user, agency=world.agency_a, **values)


def _get(path, text):
    return Client().get(path, HTTP_AUTHORIZATION=f"Bearer {text}")


def test_the_administrator_makes_a_token_on_the_page_and_sees_it_once(client, administrator):
    sign_in_verified(client, administrator)
    page = client.post(
        "/api/tokens/",
        {
            "name": "Nightly export",
            "can_read": "on",
            "record_types": ["operations", "encounters"],
            "expires_on": IN_A_MONTH.isoformat(),
        },
    )
    assert page.status_code == 200
    assert "no-store" in page["Cache-Control"]
    text = re.search(r'id="issued-token">([^<]+)<', page.content.decode()).group(1)
    token = IntegrationToken.objects.get()
    assert text.startswith(f"br_{token.prefix}_")
    secret = text.split("_", 2)[2]
    assert secret not in token.secret_hash and secret not in str(token.__dict__)
    # Shown once: the list shows the prefix only.
    again = client.get("/api/tokens/").content.decode()
    assert token.prefix in again and secret not in again


def test_only_the_agency_administrator_manages_tokens_and_bad_choices_are_refused(
    client, world, administrator
):
    sign_in_verified(client, world.steward_a)
    assert client.get("/api/tokens/").status_code == 403
    with pytest.raises(tokens.TokenRefused, match="Only an administrator"):
        tokens.issue(
            user=world.steward_a,
            agency=world.agency_a,
            name="x",
            can_read=True,
            can_write=False,
            record_types=["operations"],
            expires_on=IN_A_MONTH,
        )
    with pytest.raises(tokens.TokenRefused, match="within a year"):
        _issue(
            world, by=administrator, expires_on=timezone.localdate() + datetime.timedelta(days=400)
        )
    with pytest.raises(tokens.TokenRefused, match="at least read or write"):
        _issue(world, by=administrator, can_read=False)


def test_a_token_reads_its_agency_operations_and_nothing_else(world, administrator):
    issued = _issue(world, by=administrator)
    listed = _get("/api/v1/operations/", issued.text)
    assert listed.status_code == 200
    codes = [operation["operation_code"] for operation in listed.json()["results"]]
    assert codes == [world.operation_a.code]
    assert "next" in listed.json()  # cursor pagination
    assert _get(f"/api/v1/operations/{world.operation_a.code}/", issued.text).status_code == 200
    other = _get(f"/api/v1/operations/{world.operation_b.code}/", issued.text)
    assert other.status_code == 404
    assert other["Content-Type"] == "application/problem+json"


def test_a_token_reaches_only_the_record_types_of_its_scopes(world, administrator):
    issued = _issue(world, by=administrator, record_types=["encounters"])
    refused = _get("/api/v1/operations/", issued.text)
    assert refused.status_code == 403
    assert "does not cover" in refused.json()["detail"]


@pytest.mark.parametrize("spoil", ["revoke", "expire", "garble", "missing"])
def test_a_revoked_expired_or_wrong_token_is_refused_as_unauthenticated(
    world, administrator, spoil
):
    issued = _issue(world, by=administrator)
    text = issued.text
    if spoil == "revoke":
        tokens.revoke(user=administrator, token=issued.token)
    elif spoil == "expire":
        IntegrationToken.objects.update(
            expires_on=timezone.localdate() - datetime.timedelta(days=1)
        )
    elif spoil == "garble":
        text = text[:-3] + "xyz"
    answer = (
        Client().get("/api/v1/operations/")
        if spoil == "missing"
        else _get("/api/v1/operations/", text)
    )
    assert answer.status_code == 401
    assert answer["Content-Type"] == "application/problem+json"
    assert answer["WWW-Authenticate"].startswith("Bearer")


def test_every_request_with_a_token_is_audited(world, administrator):
    make_operation(lead_agency=world.agency_a, name="Second sting")
    issued = _issue(world, by=administrator)
    _get("/api/v1/operations/", issued.text)
    _get(f"/api/v1/operations/{world.operation_a.code}/", issued.text)
    entries = AuditEntry.objects.filter(action="api_request").order_by("pk")
    assert [entry.object_label for entry in entries] == [
        "GET /api/v1/operations/",
        f"GET /api/v1/operations/{world.operation_a.code}/",
    ]
    assert all(issued.token.prefix in entry.actor_label for entry in entries)
    issued.token.refresh_from_db()
    assert issued.token.last_used_at is not None
