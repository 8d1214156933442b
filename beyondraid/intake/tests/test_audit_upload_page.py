"""The audit page: staff who read released figures upload sheets and read the report; nothing
uploaded is kept, and a sheet of people is not echoed back."""

from pathlib import Path

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from beyondraid.accounts.testing import sign_in_verified
from beyondraid.intake import forms
from beyondraid.standard.published import find_published_dir

pytestmark = pytest.mark.django_db
DATA = Path(__file__).parent / "data" / "audit"
URL = reverse("intake:audit")


def _upload(path: Path, name: str | None = None) -> SimpleUploadedFile:
    return SimpleUploadedFile(name or path.name, path.read_bytes())


@pytest.fixture
def analyst_client(client, world):
    sign_in_verified(client, world.analyst)
    return client


def test_the_page_offers_the_form(analyst_client):
    response = analyst_client.get(URL)
    assert response.status_code == 200
    assert b"Sheets to audit" in response.content
    assert response["Cache-Control"].startswith("max-age=0")


def test_a_caseworker_may_not_audit(client, world):
    sign_in_verified(client, world.caseworker)
    assert client.get(URL).status_code == 403


def test_a_signed_out_visitor_is_sent_to_sign_in(client):
    response = client.get(URL)
    assert response.status_code == 302
    assert reverse("accounts:sign_in") in response["Location"]


def test_uploaded_tables_with_a_manifest_are_audited_across_tables(analyst_client):
    directory = find_published_dir()
    manifest = SimpleUploadedFile(
        "published.toml",
        b'[[table]]\nfile = "table02_ca_statewide_arrests_by_individual_type.csv"\n'
        b'scope = "California"\ntitle = "Table 2"\n'
        b'[[table]]\nfile = "table03_la_county_arrests_by_individual_type.csv"\n'
        b'scope = "Los Angeles County"\nwithin = "California"\ntitle = "Table 3"\n',
    )
    response = analyst_client.post(
        URL,
        {
            "files": [
                _upload(directory / "table02_ca_statewide_arrests_by_individual_type.csv"),
                _upload(directory / "table03_la_county_arrests_by_individual_type.csv"),
            ],
            "manifest": manifest,
        },
    )
    assert response.status_code == 200
    report = response.context["report"]
    codes = {f.code for f in report.cross_table_findings}
    assert {"subset-exceeds-superset", "superset-not-reported"} <= codes
    assert "Across tables" in response.content.decode()


def test_a_sheet_of_people_is_not_echoed_back(analyst_client):
    path = find_published_dir() / "table09_occ_2017_victims.csv"
    response = analyst_client.post(URL, {"files": [_upload(path)]})
    page = response.content.decode()
    assert "A sheet of 5 records" in page
    assert "victims-without-services" in page
    # Only the cells a finding is about are named; the rows' other values are not listed.
    assert "<td>F</td>" not in page


def test_an_unreadable_upload_is_one_sentence_on_the_form(analyst_client):
    response = analyst_client.post(
        URL, {"files": [SimpleUploadedFile("sheet.xlsx", b"not a workbook")]}
    )
    assert response.status_code == 400
    assert "sheet.xlsx is not a readable XLSX workbook" in response.content.decode()


def test_a_bad_manifest_is_one_sentence_on_the_form(analyst_client):
    response = analyst_client.post(
        URL,
        {
            "files": [_upload(DATA / "adds_up.csv")],
            "manifest": SimpleUploadedFile("m.toml", b'[[table]]\nfile = "absent.csv"\n'),
        },
    )
    assert response.status_code == 400
    assert "the table file absent.csv was not given" in response.content.decode()


def test_limits_on_count_size_and_kind_are_plain_messages(analyst_client, monkeypatch):
    monkeypatch.setattr(forms, "MAX_FILE_BYTES", 10)
    response = analyst_client.post(
        URL,
        {
            "files": [
                _upload(DATA / "adds_up.csv"),
                SimpleUploadedFile("notes.docx", b"x"),
            ]
        },
    )
    page = response.content.decode()
    assert response.status_code == 400
    assert "adds_up.csv is 0.0 MB, more than the 0.0 MB a sheet may be here" in page
    assert "notes.docx is not a CSV, TSV, XLSX, PDF or scanned image" in page
    monkeypatch.setattr(forms, "MAX_FILES", 1)
    response = analyst_client.post(
        URL, {"files": [_upload(DATA / "adds_up.csv"), _upload(DATA / "total_first.tsv")]}
    )
    assert "You chose 2 files; audit at most 1 at a time." in response.content.decode()


def test_no_file_chosen_asks_for_one(analyst_client):
    response = analyst_client.post(URL, {})
    assert response.status_code == 400
    assert "Choose at least one sheet to audit." in response.content.decode()


def test_the_nav_links_to_the_page_for_those_who_may_use_it(client, world):
    sign_in_verified(client, world.steward_a)
    assert b"Audit a sheet" in client.get(reverse("home")).content
    sign_in_verified(client, world.caseworker)
    assert b"Audit a sheet" not in client.get(reverse("home")).content
