"""Only published releases reach the public: an unpublished release, or anything not in a
published one, is a 404 whatever the URL asks; and no page shows person-level data or the
checker's workings."""

import re

import pytest
from django.urls import reverse

from beyondraid.transparency.models import Release

from .test_public_sample_release import NAME, ORR_2020, SECRET_ATOM, make_release

pytestmark = pytest.mark.django_db

HARBOR = "harbor-city-police-department"
ENCOUNTER_CODE = re.compile(r"\bE-[0-9A-Z]{4}-[0-9A-Z]{4}\b")


def every_url(name: str, version: int) -> list[str]:
    release = [name, version]
    return [
        reverse("public:release", args=release),
        reverse("public:scorecards", args=release),
        reverse("public:agency", args=[*release, HARBOR]),
        reverse("public:agency_report", args=[*release, HARBOR]),
        reverse("public:state", args=[*release, "CA"]),
        reverse("public:state_report", args=[*release, "CA"]),
        reverse("public:operations", args=release),
        reverse("public:operation", args=[*release, "OP-HC20-7K3M"]),
        reverse("public:operation", args=[*release, ORR_2020]),
        reverse("public:trends", args=release),
        reverse("public:release_report", args=release),
        reverse("public:datapackage", args=release),
        reverse("public:table_csv", args=[*release, "outcomes_by_agency"]),
    ]


@pytest.mark.parametrize("status", [s for s in Release.Status if s != Release.Status.PUBLISHED])
def test_an_unpublished_release_is_not_found_anywhere(client, status):
    make_release(status=status, title="Not yet public")

    urls = [reverse("public:release_latest", args=[NAME]), *every_url(NAME, 1)]
    assert {url: client.get(url).status_code for url in urls} == dict.fromkeys(urls, 404)
    assert "Not yet public" not in client.get(reverse("public:overview")).content.decode()


def test_an_unpublished_newer_version_is_not_found_beside_the_published_one(client):
    make_release(version=1)
    make_release(version=2, status=Release.Status.FAILED)

    urls = every_url(NAME, 2)
    assert {url: client.get(url).status_code for url in urls} == dict.fromkeys(urls, 404)
    assert all(client.get(url).status_code == 200 for url in every_url(NAME, 1))


@pytest.mark.parametrize(
    "url",
    [
        "/data/no-such-release/",
        "/data/no-such-release/v1/",
        f"/data/{NAME}/v2/",
        f"/data/{NAME}/v0/",
        f"/data/{NAME}/v99999999999999999999999/",
        f"/data/{NAME}/vone/",
        f"/data/{NAME}/v1/agencies/all/",
        f"/data/{NAME}/v1/agencies/all/report.pdf",
        f"/data/{NAME}/v1/agencies/no-such-agency/",
        f"/data/{NAME}/v1/agencies/no-such-agency/report.pdf",
        f"/data/{NAME}/v1/states/ZZ/",
        f"/data/{NAME}/v1/states/ca/",
        f"/data/{NAME}/v1/states/ZZ/report.pdf",
        f"/data/{NAME}/v1/operations/OP-0000-0000/",
        f"/data/{NAME}/v1/operations/%3Cscript%3E/",
        f"/data/{NAME}/v1/tables/no_such_table.csv",
        f"/data/{NAME}/v1/tables/outcomes_by_agency.json",
        "/data/Not%20A%20Slug/",
    ],
)
def test_a_bad_url_part_is_a_plain_404(client, url):
    make_release()

    assert client.get(url).status_code == 404


def test_public_pages_refuse_to_be_posted_to(client):
    make_release()

    assert client.post(reverse("public:release", args=[NAME, 1])).status_code == 405
    assert client.head(reverse("public:release", args=[NAME, 1])).status_code == 200


def test_no_page_shows_person_level_codes_or_the_checkers_atoms(client, world):
    make_release()
    person_codes = [world.encounter_a.code, world.referred_encounter.code, world.encounter_b.code]
    html_urls = [
        reverse("public:overview"),
        reverse("public:methodology"),
        *(url for url in every_url(NAME, 1) if not url.endswith((".pdf", ".zip", ".csv"))),
    ]

    for url in html_urls:
        html = client.get(url).content.decode()
        assert SECRET_ATOM not in html, url
        assert "atoms" not in html, url
        for code in person_codes:
            assert code not in html, url
        assert not ENCOUNTER_CODE.search(html), url


def test_a_suppressed_figure_reads_suppressed_with_its_reason_and_never_a_number(client):
    make_release()

    html = client.get(reverse("public:agency", args=[NAME, 1, "desert-springs-police-department"]))
    text = html.content.decode()

    assert 'Suppressed</span> <span class="br-reason">(1–10 people)</span>' in text
    assert "Suppressed because it counts 1 to 10 people" in text
    assert "rests on 1–10 people" in text
    assert "None" not in text


def test_a_complementary_suppression_and_an_unstable_ratio_are_explained(client):
    make_release()

    html = client.get(
        reverse("public:agency", args=[NAME, 1, "bay-county-sheriffs-office"])
    ).content.decode()

    assert "(protects another suppressed figure)" in html
    assert "another suppressed figure cannot be worked out" in html
    assert '70.6% <span class="br-reason">unstable (fewer than 20)</span>' in html


def test_a_zero_is_shown_as_zero(client):
    make_release()

    html = client.get(
        reverse("public:agency", args=[NAME, 1, "bay-county-sheriffs-office"])
    ).content.decode()

    row = html.split("Victims or minors arrested, cited or charged</th>")[1].split("</tr>")[0]
    assert '<td class="br-number">0' in row
