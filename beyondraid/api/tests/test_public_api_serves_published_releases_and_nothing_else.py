"""The public API (no token) serves the published releases and their tables exactly as frozen —
suppressed figures null — and nothing unpublished; every error is RFC 9457 problem details
(issue 10, "Public API")."""

import datetime
import io
import json
import zipfile

import pytest
from django.test import Client

from beyondraid.transparency import releases
from beyondraid.transparency.tests.conftest import load_synthetic

pytestmark = pytest.mark.django_db

EVERY_YEAR = {"period_start": datetime.date(2000, 1, 1), "period_end": datetime.date(2030, 12, 31)}


@pytest.fixture
def published(db, tmp_path):
    load_synthetic(tmp_path / "synthetic", operations=8, seed=5)
    release = releases.create_release(name="statewide", **EVERY_YEAR)
    releases.check_release(release)
    releases.publish_release(release)
    # A newer version still being prepared: never public.
    releases.create_release(name="statewide", **EVERY_YEAR)
    releases.create_release(name="draft-only", **EVERY_YEAR)
    return release


def test_the_list_holds_only_published_releases(published):
    answer = Client().get("/api/v1/public/releases/")
    assert answer.status_code == 200
    (listed,) = answer.json()
    assert (listed["name"], listed["version"]) == ("statewide", 1)
    assert listed["checksum"] == published.checksum
    assert listed["datapackage"].endswith("/api/v1/public/releases/statewide/1/datapackage/")
    assert listed["tables"][0]["slug"] == "outcomes_by_agency"


def _members(content: bytes) -> dict[str, bytes]:
    with zipfile.ZipFile(io.BytesIO(content)) as package:
        return {name: package.read(name) for name in package.namelist()}


def test_the_data_package_comes_through_the_api_as_the_public_site_serves_it(published):
    answer = Client().get("/api/v1/public/releases/statewide/1/datapackage/")
    assert answer.status_code == 200
    assert answer["Content-Type"] == "application/zip"
    site = Client().get("/data/statewide/v1/datapackage.zip").content
    assert _members(answer.content) == _members(site)
    descriptor = json.loads(_members(answer.content)["statewide-v1/datapackage.json"])
    assert descriptor["name"].startswith("statewide")
    assert Client().get("/api/v1/public/releases/statewide/2/datapackage/").status_code == 404


def test_a_table_comes_as_frozen_with_suppressed_figures_null(published):
    stored = published.tables.get(slug="outcomes_by_agency")
    answer = Client().get("/api/v1/public/releases/statewide/1/tables/outcomes_by_agency/")
    assert answer.status_code == 200
    table = answer.json()
    assert table["rows"] == stored.rows
    assert [c["name"] for c in table["columns"]] == [c["name"] for c in stored.columns]
    assert any(value is None for row in table["rows"] for value in row.values())
    # The latest published version answers by name alone; the one in preparation never does.
    assert Client().get("/api/v1/public/releases/statewide/").json()["version"] == 1
    assert Client().get("/api/v1/public/releases/statewide/2/").status_code == 404


@pytest.mark.parametrize(
    "path",
    [
        "/api/v1/public/releases/draft-only/",
        "/api/v1/public/releases/no-such-release/1/",
        "/api/v1/public/releases/statewide/1/tables/no-such-table/",
        "/api/v1/public/releases/draft-only/1/datapackage/",
    ],
)
def test_what_is_not_published_is_a_problem_document(published, path):
    answer = Client().get(path)
    assert answer.status_code == 404
    assert answer["Content-Type"] == "application/problem+json"
    assert answer.json() == {
        "type": "about:blank",
        "title": "Not found",
        "status": 404,
        "detail": "Not found.",
    }


def test_a_method_the_public_api_does_not_take_is_a_problem_document(published):
    answer = Client().post("/api/v1/public/releases/", {}, content_type="application/json")
    assert answer.status_code == 405
    assert answer["Content-Type"] == "application/problem+json"
    assert answer["Allow"] == "GET, HEAD, OPTIONS"


def test_the_schema_documents_every_public_path_and_its_404_and_the_docs_load_nothing_remote():
    schema = Client().get("/api/schema/?format=json").json()
    paths = schema["paths"]
    assert "/api/v1/public/releases/{name}/{version}/tables/{slug}/" in paths
    for path, operations in paths.items():
        if "{" in path:
            assert "404" in operations["get"]["responses"], path
    docs = Client().get("/api/docs/").content.decode()
    assert "cdn" not in docs.lower() and "https://" not in docs
