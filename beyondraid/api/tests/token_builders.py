"""Tokens for API tests: agency A's, made by its administrator, and agency B's, made by its own."""

import datetime

from django.test import Client
from django.utils import timezone

from beyondraid.api import tokens
from beyondraid.api.models import RECORD_TYPES
from beyondraid.care.tests.builders import administrator_steward, user

ALL_RECORD_TYPES = [name for name, _ in RECORD_TYPES]


def agency_a_token(world, *, can_write: bool = True, record_types=ALL_RECORD_TYPES):
    """The text of a token of agency A that reads (and by default writes) every record type."""
    return tokens.issue(
        user=administrator_steward(world),
        agency=world.agency_a,
        name="Records management system",
        can_read=True,
        can_write=can_write,
        record_types=list(record_types),
        expires_on=timezone.localdate() + datetime.timedelta(days=30),
    ).text


def agency_b_token(world) -> str:
    """The text of a token of agency B that reads and writes every record type."""
    return tokens.issue(
        user=user("steward.b.admin", world.agency_b, "steward", is_organisation_admin=True),
        agency=world.agency_b,
        name="Agency B records system",
        can_read=True,
        can_write=True,
        record_types=ALL_RECORD_TYPES,
        expires_on=timezone.localdate() + datetime.timedelta(days=30),
    ).text


class TokenClient:
    """A client that sends a token with every request, as an agency's system would."""

    def __init__(self, text: str):
        self.client = Client()
        self.headers = {"Authorization": f"Bearer {text}"}

    def get(self, path, **params):
        return self.client.get(path, params, headers=self.headers)

    def post(self, path, data, *, key=None, content_type="application/json"):
        return self.client.post(path, data, content_type=content_type, headers=self._with(key))

    def patch(self, path, data, *, key=None):
        return self.client.patch(
            path, data, content_type="application/json", headers=self._with(key)
        )

    def upload(self, path, files, *, key=None):
        return self.client.post(path, {"files": files}, headers=self._with(key))

    def _with(self, key):
        return {**self.headers, **({"Idempotency-Key": key} if key else {})}
