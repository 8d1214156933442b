"""A figure that is not shown says why, in every CSV of a release and in its Data Package: a count
of 1 to 10 people, a figure hidden to protect another, or a figure that is not available; and the
pages never word a figure that is not available as suppressed (issue 20, item 4)."""

import csv
import io
import zipfile

import pytest
from django.urls import reverse
from frictionless import Package, validate

from beyondraid.core.spreadsheets import neutralise
from beyondraid.transparency import datapackage

from .test_public_sample_release import NAME, make_release

pytestmark = pytest.mark.django_db

CODES = ("suppressed-small", "suppressed-protects-other", "not-available")


def rows_of(text: str, key: str) -> dict[str, dict]:
    return {row[key]: row for row in csv.DictReader(io.StringIO(text))}


def site_csv(client, slug: str) -> str:
    response = client.get(reverse("public:table_csv", args=[NAME, 1, slug]))
    assert response.status_code == 200
    return response.content.decode()


def test_each_reason_has_its_own_code_in_the_csv(client):
    make_release()

    agencies = rows_of(site_csv(client, "outcomes_by_agency"), "agency_key")
    harbor = agencies["harbor-city-police-department"]
    assert harbor["victims_punished"] == "suppressed-small"
    assert harbor["immigration_referrals"] == "suppressed-protects-other"
    assert harbor["arrests"] == "268"
    desert = agencies["desert-springs-police-department"]
    assert desert["victims_identified"] == "suppressed-small"
    assert desert["victims_per_100_arrests"] == "suppressed-small"
    # Bay County reported no spending: nothing was hidden, there is no figure.
    bay = agencies["bay-county-sheriffs-office"]
    assert (bay["spent"], bay["spending_per_victim"]) == ("not-available", "not-available")
    assert agencies["all"]["state"] == "", "a text left blank stays blank"

    printed = rows_of(site_csv(client, "published_operations"), "operation")
    assert printed["OP-4CAS-2017"]["arrests_selling_sex"] == "not-available"


def test_every_csv_of_the_release_and_of_its_package_uses_the_codes(client):
    release = make_release()
    archive = zipfile.ZipFile(io.BytesIO(datapackage.package_zip(release)))

    for table in release.tables.all():
        text = site_csv(client, table.slug)
        assert archive.read(f"{NAME}-v1/{table.slug}.csv").decode() == text
        typed = [c["name"] for c in table.columns if c["type"] in ("integer", "number")]
        cells = table.cells or [{} for _ in table.rows]
        read = list(csv.DictReader(io.StringIO(text)))
        for row, stored, flags in zip(read, table.rows, cells, strict=True):
            for name in typed:
                if stored[name] is not None:
                    continue
                reason = (flags.get(name) or {}).get("suppressed", "")
                expected = {"primary": CODES[0], "complementary": CODES[1], "": CODES[2]}[reason]
                assert row[name] == expected, (table.slug, name)


def test_a_ratio_not_shown_does_not_say_whether_it_is_unstable(client):
    release = make_release()
    outcomes = release.tables.get(slug="outcomes_by_agency")
    # Desert Springs' victims per 100 arrests is suppressed; its denominator is under 20. (A
    # release's tables are frozen, so the flag is set beneath the model.)
    outcomes.cells[2]["victims_per_100_arrests"]["unstable"] = True
    release.tables.filter(pk=outcomes.pk).update(cells=outcomes.cells)

    agencies = rows_of(site_csv(client, "outcomes_by_agency"), "agency_key")

    desert = agencies["desert-springs-police-department"]
    assert desert["victims_per_100_arrests_unstable"] == "suppressed-small"
    bay = agencies["bay-county-sheriffs-office"]
    assert bay["share_victims_offered_services_unstable"] == "true"
    assert bay["spending_per_victim"] == "not-available"


def test_the_schemas_declare_the_codes_as_missing_values():
    descriptor = datapackage.descriptor(make_release())

    for resource in descriptor["resources"]:
        schema = resource["schema"]
        assert schema["missingValues"] == list(CODES)
        for field in schema["fields"]:
            if field["type"] in ("integer", "number"):
                assert all(code in field["description"] for code in CODES), field["name"]


def test_the_package_validates_and_its_figures_read_as_numbers(tmp_path):
    datapackage.write_package(make_release(), tmp_path)

    report = validate(str(tmp_path / "datapackage.json"))
    assert report.valid, report.flatten(["rowNumber", "fieldName", "type", "note"])
    package = Package.from_descriptor(str(tmp_path / "datapackage.json"))
    outcomes = package.get_table_resource("outcomes-by-agency")
    rows = {row["agency_key"]: row for row in outcomes.read_rows()}
    harbor = rows["harbor-city-police-department"]
    assert (harbor["arrests"], harbor["victims_punished"]) == (268, None)
    assert harbor["immigration_referrals"] is None
    assert rows["bay-county-sheriffs-office"]["spending_per_victim"] is None
    assert float(harbor["spending_per_victim"]) == 4451.0


def test_the_readme_explains_each_code_with_the_release_threshold():
    text = datapackage.readme(make_release())

    section = text.split("## Cells without a figure", 1)[1].split("\n## ", 1)[0]
    assert "`suppressed-small` — Suppressed: a count of 1 to 10 people" in section
    assert "`suppressed-protects-other` — Suppressed to protect another suppressed" in section
    assert "`not-available` — Not available, and not suppressed" in section
    assert "missingValues" in section
    assert "Counts of people from 1 to 10 are suppressed (`suppressed-small`)" in text


def test_the_spreadsheet_guard_leaves_the_codes_as_they_are():
    assert [neutralise(code) for code in datapackage.MISSING_VALUES] == list(CODES)


def test_the_pages_that_offer_the_downloads_explain_the_codes(client):
    make_release()

    for url in (reverse("public:release", args=[NAME, 1]), reverse("public:methodology")):
        page = client.get(url).content.decode()
        for code in CODES:
            assert f"<code>{code}</code>" in page, (url, code)
        assert "a count of 1 to 10 people" in page


def test_a_figure_that_is_not_available_is_never_worded_as_suppressed(client):
    make_release()

    page = client.get(
        reverse("public:agency", args=[NAME, 1, "bay-county-sheriffs-office"])
    ).content.decode()

    row = page.split("Spending per victim identified</th>", 1)[1].split("</tr>", 1)[0]
    assert "Not available" in row and "Suppressed" not in row
    assert "Not available, and not suppressed" in page
    # The same page words both kinds of suppression.
    assert "1–10 people" in page and "protects another suppressed figure" in page
