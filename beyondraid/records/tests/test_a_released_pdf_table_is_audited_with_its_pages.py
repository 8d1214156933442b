"""A released document that is a PDF of tables goes through the audit like a CSV, and the request
page shows its findings with the page each figure is printed on (issue 24)."""

import datetime

import pytest
from django.core.files.base import ContentFile

from beyondraid.intake.tests.pdfs import csv_as_pdf
from beyondraid.records import services
from beyondraid.standard.published import find_published_dir

from .builders import sent
from .pages import client_of

pytestmark = pytest.mark.django_db

SENT = datetime.date(2025, 3, 3)
TABLE = find_published_dir() / "table04_lapd_lasd_larhttf_arrests_by_individual_type.csv"


def test_a_released_pdf_shows_its_findings_with_their_pages_on_the_request_page(
    world, settings, tmp_path
):
    settings.DATA_DIR = tmp_path
    request = sent(world, SENT)
    services.record_step(
        user=world.analyst, request=request, kind="released", on=SENT + datetime.timedelta(days=8)
    )
    (document,) = services.store_released_documents(
        user=world.analyst,
        request=request,
        files=[ContentFile(csv_as_pdf(TABLE, title="Table 4"), name="lapd-arrests.pdf")],
    )
    analyst = client_of(world.analyst)

    page = analyst.post(f"/records/{request.code}/released/{document.pk}/audit/", follow=True)

    text = page.content.decode()
    document.refresh_from_db()
    findings = document.findings
    assert f"lapd-arrests.pdf is audited: {len(findings)} findings." in text
    (blank,) = [f for f in findings if f["code"] == "blank-cell" and f["row"] == "John"]
    assert (blank["row"], blank["column"], blank["place"]["page"]) == ("John", "2018", 1)
    assert f"{blank['message']} (page 1)" in text
    assert "is a conflated category" in text
