"""The public records pages pass axe-core in a real browser (WCAG 2.1 A and AA and axe's best
practices) with the 2021 study's 16 requests made public, and a request with a released
document."""

import io

import pytest
from django.core.files.base import ContentFile
from django.core.management import call_command

from beyondraid.records import services
from beyondraid.records.models import RecordsRequest

from . import test_browser_public_pages_are_accessible as accessible

pytestmark = pytest.mark.browser

# The same browser tab, with axe-core injected, as the other public pages are audited in.
audited = accessible.audited


def test_the_records_pages_have_no_accessibility_violation(audited, world, settings, tmp_path):
    settings.DATA_DIR = tmp_path
    call_command("records", "demo", stdout=io.StringIO())
    released = RecordsRequest.objects.get(agency__name="Los Angeles Police Department")
    services.store_released_documents(
        user=world.analyst,
        request=released,
        files=[ContentFile(b"operation plan, redacted\n" * 100, name="operational plan.pdf")],
    )
    denied = RecordsRequest.objects.filter(status="denied").first()
    pages = [
        "/data/records-requests/",
        f"/data/records-requests/{released.code}/",
        f"/data/records-requests/{denied.code}/",
    ]

    found = [violation for url in pages for violation in accessible.violations(audited, url)]

    assert found == []
