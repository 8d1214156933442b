"""A released table goes straight to the intake audit from its request's page, and the audit's
findings — totals that do not add up, conflated categories, missing breakdowns — stay with the
document (issue 9); a document that is not a table is refused in plain words."""

import datetime

import pytest
from django.core.files.base import ContentFile

from beyondraid.records import services

from .builders import sent
from .pages import client_of

pytestmark = pytest.mark.django_db

SENT = datetime.date(2025, 3, 3)
ARRESTS = (
    b"Arrested as,2019\nCommercial Sex Worker,40\nJohn,25\nPimp/Pandering/Supervising,5\nTotal,80\n"
)


@pytest.fixture
def released(world, settings, tmp_path):
    settings.DATA_DIR = tmp_path
    request = sent(world, SENT)
    services.record_step(
        user=world.analyst, request=request, kind="released", on=SENT + datetime.timedelta(days=8)
    )
    table, scan = services.store_released_documents(
        user=world.analyst,
        request=request,
        files=[
            ContentFile(ARRESTS, name="arrests.csv"),
            ContentFile(b"%PDF-1.7 \x00\x01 binary", name="letter.pdf"),
        ],
    )
    return request, table, scan


def test_the_analyst_audits_a_released_table_from_the_request_page(world, released):
    request, table, _ = released
    analyst = client_of(world.analyst)
    page = analyst.post(f"/records/{request.code}/released/{table.pk}/audit/", follow=True)
    text = page.content.decode()
    assert "arrests.csv is audited: 6 findings." in text
    assert "add up to 70, 10 less than the total" in text
    assert "is a conflated category" in text
    table.refresh_from_db()
    assert {finding["code"] for finding in table.findings} == {
        "total-mismatch",
        "conflated-category",
        "missing-breakdown",
    }


def test_a_document_that_is_not_a_table_is_refused_and_nothing_is_kept(world, released):
    request, _, scan = released
    page = client_of(world.analyst).post(
        f"/records/{request.code}/released/{scan.pk}/audit/", follow=True
    )
    assert "letter.pdf cannot be audited" in page.content.decode()
    scan.refresh_from_db()
    assert scan.audit is None


def test_readers_who_may_not_move_the_request_cannot_run_the_audit(world, released):
    request, table, _ = released
    answer = client_of(world.administrator).post(
        f"/records/{request.code}/released/{table.pk}/audit/"
    )
    assert answer.status_code == 403
    table.refresh_from_db()
    assert table.audit is None


def test_a_public_request_shows_what_the_audit_found_to_everyone(client, world, released):
    request, table, _ = released
    services.audit_released_document(user=world.analyst, document=table)
    services.set_public(user=world.analyst, request=request, is_public=True)
    page = client.get(f"/data/records-requests/{request.code}/").content.decode()
    assert "add up to 70, 10 less than the total" in page
    assert "Not audited." in page  # the scan
