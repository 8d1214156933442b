"""The release as a Frictionless Data Package: valid, self-describing, and free of small counts."""

import csv
import datetime
import io
import json
import zipfile

import pytest
from frictionless import validate

from beyondraid.transparency import datapackage, releases

pytestmark = pytest.mark.django_db


@pytest.fixture
def release(synthetic_records, published_figures):
    created = releases.create_release(
        name="everything",
        period_start=datetime.date(2000, 1, 1),
        period_end=datetime.date(2030, 12, 31),
    )
    return releases.publish_release(created)


def test_the_exported_package_validates_with_frictionless(release, tmp_path):
    written = datapackage.write_package(release, tmp_path / "package")

    names = {path.name for path in written}
    assert {"datapackage.json", "README.md", "outcomes_by_agency.csv"} <= names
    report = validate(str(tmp_path / "package" / "datapackage.json"))
    assert report.valid, report.flatten(["rowNumber", "fieldName", "type", "note"])


def test_every_resource_states_its_provenance_and_published_ones_cite_their_source(release):
    descriptor = datapackage.descriptor(release)

    provenances = {r["name"]: r["provenance"] for r in descriptor["resources"]}
    assert set(provenances.values()) == {"computed", "published"}
    published = [r for r in descriptor["resources"] if r["provenance"] == "published"]
    assert all(r["sources"] for r in published)
    assert "Table 2" in json.dumps(published)
    assert descriptor["beyondraid"]["disclosure"]["threshold"] == 10
    assert descriptor["beyondraid"]["checksum_sha256"] == release.checksum


def test_computed_csvs_hold_no_count_from_one_to_ten_and_flag_unstable_ratios(release):
    for table in release.tables.filter(provenance="computed"):
        counts = {c["name"] for c in table.columns if c["kind"] == "count"}
        ratios = {c["name"] for c in table.columns if c["kind"] == "ratio"}
        rows = list(csv.DictReader(io.StringIO(datapackage.table_csv(table))))
        assert len(rows) == len(table.rows)
        for row in rows:
            for name in counts:
                # A count not shown says why in its cell (issue 20); a shown one is never small.
                cell = row[name]
                assert cell in datapackage.MISSING_VALUES or not 1 <= int(cell) <= 10, (
                    table.slug,
                    name,
                )
            for name in ratios:
                # A ratio not shown keeps its stability to itself: its code instead (issue 20).
                expected = (
                    ("true", "false")
                    if row[name] not in datapackage.MISSING_VALUES
                    else (row[name],)
                )
                assert row[f"{name}_unstable"] in expected


def test_the_readme_states_the_rules_and_the_zip_holds_the_package(release):
    text = datapackage.readme(release)
    assert "Counts of people from 1 to 10 are suppressed" in text
    assert "integer programming" in text

    archive = zipfile.ZipFile(io.BytesIO(datapackage.package_zip(release)))
    folder = f"everything-v{release.version}"
    assert f"{folder}/datapackage.json" in archive.namelist()
    assert f"{folder}/published_operations.csv" in archive.namelist()
