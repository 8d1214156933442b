"""Downloads of a published release: one CSV per table, the Data Package, and PDF reports of the
release, an agency and a state, drawn without fetching anything."""

import io
import zipfile

import pytest
import weasyprint
from django.urls import reverse

from .test_public_sample_release import NAME, SECRET_ATOM, make_release

pytestmark = pytest.mark.django_db


def download(client, name, *args):
    response = client.get(reverse(f"public:{name}", args=args))
    assert response.status_code == 200
    return response


def test_a_table_downloads_as_csv_saying_why_a_figure_is_not_shown(client):
    make_release()

    response = download(client, "table_csv", NAME, 1, "outcomes_by_agency")

    assert response["Content-Type"] == "text/csv; charset=utf-8"
    assert response["Content-Disposition"] == (
        f'attachment; filename="{NAME}-v1-outcomes_by_agency.csv"'
    )
    text = response.content.decode()
    assert text.splitlines()[0].startswith("agency,agency_key,state,peer_group,encounters")
    desert = next(line for line in text.splitlines() if line.startswith("Desert Springs"))
    assert ",58,36,suppressed-small,suppressed-small," in desert
    assert SECRET_ATOM not in text


def test_the_data_package_downloads_as_a_zip(client):
    make_release()

    response = download(client, "datapackage", NAME, 1)

    assert response["Content-Type"] == "application/zip"
    names = zipfile.ZipFile(io.BytesIO(response.content)).namelist()
    assert f"{NAME}-v1/datapackage.json" in names
    assert f"{NAME}-v1/published_operations.csv" in names


@pytest.mark.parametrize(
    ("name", "args", "filename"),
    [
        ("release_report", [NAME, 1], f"{NAME}-v1.pdf"),
        (
            "agency_report",
            [NAME, 1, "harbor-city-police-department"],
            f"{NAME}-v1-harbor-city-police-department.pdf",
        ),
        ("state_report", [NAME, 1, "CA"], f"{NAME}-v1-ca.pdf"),
    ],
)
def test_reports_download_as_pdf(client, name, args, filename):
    make_release()

    response = download(client, name, *args)

    assert response["Content-Type"] == "application/pdf"
    assert response["Content-Disposition"] == f'attachment; filename="{filename}"'
    assert response.content.startswith(b"%PDF-")


@pytest.fixture
def drawn(monkeypatch):
    """What the reports hand to WeasyPrint: the HTML and the URL fetcher."""
    handed = {}
    real = weasyprint.HTML

    def recording(*, string, url_fetcher):
        handed.update(html=string, fetcher=url_fetcher)
        return real(string=string, url_fetcher=url_fetcher)

    monkeypatch.setattr(weasyprint, "HTML", recording)
    return handed


def test_the_release_report_holds_the_figures_charts_and_rules(client, drawn):
    make_release()

    download(client, "release_report", NAME, 1)

    html = drawn["html"]
    assert "All agencies together" in html and "455" in html
    assert html.count('<svg role="img"') == 2
    assert "Suppressed" in html and "protects another suppressed figure" in html
    assert "Operation Reclaim and Rebuild 2020" in html
    assert "incomplete data" in html
    assert SECRET_ATOM not in html and "atoms" not in html


def test_a_report_fetches_nothing_local_or_remote(client, drawn):
    make_release()

    download(client, "state_report", NAME, 1, "CA")

    assert "<link" not in drawn["html"] and "<img" not in drawn["html"]
    for url in ("https://example.org/style.css", "file:///etc/passwd", "data:text/css,body{}"):
        with pytest.raises(ValueError, match="disallowed protocol"):
            drawn["fetcher"](url)
