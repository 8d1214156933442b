"""Helpers of the page tests: a signed-in client per persona, and a sent request of the
oversight commission with a letter on its sending."""

import datetime

from django.core.files.base import ContentFile
from django.test import Client

from beyondraid.accounts.testing import sign_in_verified
from beyondraid.records import services

from .builders import draft

SENT = datetime.date(2025, 3, 3)


def client_of(user) -> Client:
    client = Client()
    if user is not None:
        sign_in_verified(client, user)
    return client


def sent_with_letter(world):
    """A CPRA request to agency A, sent on ``SENT`` with its letter attached."""
    request = draft(world)
    services.record_step(
        user=world.analyst,
        request=request,
        kind="submitted",
        on=SENT,
        correspondence=[ContentFile(b"Dear records officer", name="request.txt")],
    )
    request.refresh_from_db()
    return request
