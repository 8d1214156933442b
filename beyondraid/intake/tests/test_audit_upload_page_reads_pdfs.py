"""The audit page takes a PDF of tables and shows each finding with the page its figure is
printed on; a scan with no table is refused in one sentence, and so is one longer than the site
reads by OCR in one request (issue 24)."""

import html

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from beyondraid.accounts.testing import sign_in_verified
from beyondraid.intake import ocr, sheets
from beyondraid.standard.published import find_published_dir

from .pdfs import csv_as_pdf, pdf_of, scan_pdf, scanned, table_html

pytestmark = pytest.mark.django_db
URL = reverse("intake:audit")
TABLE = find_published_dir() / "table02_ca_statewide_arrests_by_individual_type.csv"


@pytest.fixture
def analyst_client(client, world):
    sign_in_verified(client, world.analyst)
    return client


def test_the_page_offers_pdf(analyst_client):
    page = analyst_client.get(URL).content.decode()
    assert 'accept=".csv,.tsv,.txt,.xlsm,.xlsx,.pdf,.png,.jpg,.jpeg,.tif,.tiff"' in page
    assert "CSV, TSV, XLSX or PDF summary tables" in page


def test_a_pdf_of_tables_is_audited_with_the_page_of_each_finding(analyst_client):
    upload = SimpleUploadedFile("statewide.pdf", csv_as_pdf(TABLE), "application/pdf")
    response = analyst_client.post(URL, {"files": [upload]})
    page = response.content.decode()
    assert response.status_code == 200
    assert "statewide.pdf, page 1, table 1" in page
    assert "“Commercial Sex Worker” in 2017 is “N/A”" in page
    assert "Page 1." in page


def test_a_scan_with_no_table_is_read_by_ocr_and_refused_in_one_sentence(analyst_client):
    upload = SimpleUploadedFile("scan.pdf", scan_pdf(), "application/pdf")
    response = analyst_client.post(URL, {"files": [upload]})
    assert response.status_code == 400
    assert "scan.pdf has no table this audit can read" in response.content.decode()


def test_a_scan_longer_than_the_site_reads_at_once_is_refused_before_any_ocr(
    analyst_client, monkeypatch
):
    monkeypatch.setattr(sheets, "SCAN_PAGES_PER_REQUEST", 2)
    monkeypatch.setattr(ocr, "_straighten", _no_ocr_expected)
    four_pages = scanned(pdf_of(table_html([["Year", "Arrests"], *[["2017", "1"]] * 160])))
    upload = SimpleUploadedFile("long.pdf", four_pages, "application/pdf")
    response = analyst_client.post(URL, {"files": [upload]})
    assert response.status_code == 400
    assert (
        "long.pdf is a scan of 4 pages, and the site reads at most 2 scanned pages at a time by "
        "OCR; audit it on the command line (`beyondraid audit long.pdf`), which has no limit, or "
        "give fewer pages at a time."
    ) in html.unescape(response.content.decode())


def test_the_pages_of_scans_are_counted_across_the_files_of_one_upload(analyst_client, monkeypatch):
    monkeypatch.setattr(sheets, "SCAN_PAGES_PER_REQUEST", 1)
    one_page = scanned(csv_as_pdf(TABLE))
    files = [SimpleUploadedFile(name, one_page, "application/pdf") for name in ("a.pdf", "b.pdf")]
    response = analyst_client.post(URL, {"files": files})
    assert response.status_code == 400
    assert (
        "b.pdf is a scan of 1 page, and the site reads at most 1 scanned pages at a time by OCR, "
        "and 1 were already read for this request"
    ) in html.unescape(response.content.decode())


def _no_ocr_expected(*args):
    raise AssertionError("a scan over the allowance was read by OCR")
