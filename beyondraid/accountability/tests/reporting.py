"""Builders for the reporting tests: an oversight key held by the world's investigator, and a
report sent through the page as a reporter would."""

import re

from django.test import Client

from beyondraid.accountability import services

KEY_PASSPHRASE = "the oversight key passphrase 2026"  # noqa: S105 - test persona only
ACCOUNT = "Officer grabbed my phone and threatened deportation unless I talked."


def open_channel(world):
    world.investigator.is_organisation_admin = True
    world.investigator.save()
    return services.create_keyring({world.investigator: KEY_PASSPHRASE})


def send_report(client: Client | None = None, *, account=ACCOUNT, kind="passphrase", **extra):
    """POST the report form; return (response, receipt)."""
    client = client or Client()
    data = {
        "conduct": ["threats", "property"],
        "account": account,
        "when": "last Friday night",
        "where": "the motel on Harbor Road",
        "officer_1_badge": "K9-4471",
        "receipt_kind": kind,
        **extra,
    }
    response = client.post("/report/", data, **extra.pop("headers", {}))
    match = re.search(r'id="receipt"[^>]*>([^<]+)<', response.content.decode())
    return response, (match.group(1) if match else None)
