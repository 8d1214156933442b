"""The public pages show a published release: its headline figures, scorecards, agencies, states,
operations and trends, with what a reader needs to cite it, and no sign-in."""

import pytest
from django.urls import reverse

from beyondraid.transparency.models import Release, ReleaseTable

from .test_public_sample_release import NAME, make_release

pytestmark = pytest.mark.django_db


def page(client, name, *args) -> str:
    response = client.get(reverse(f"public:{name}", args=args))
    assert response.status_code == 200, response.status_code
    return response.content.decode()


def test_the_overview_shows_the_newest_release_and_its_headline_figures(client):
    make_release(name="older-release", title="Older release")
    make_release(title="All agencies, 2018–2020")

    html = page(client, "overview")

    assert "Latest release: All agencies, 2018–2020" in html
    assert "455" in html and "Arrests" in html
    assert reverse("public:release", args=[NAME, 1]) in html
    assert reverse("public:release", args=["older-release", 1]) in html


def test_the_overview_says_so_when_nothing_is_published_yet(client):
    make_release(status=Release.Status.PASSED)

    html = page(client, "overview")

    assert "Nothing has been published yet" in html
    assert reverse("public:methodology") in html


def test_a_version_being_checked_does_not_hide_the_published_one(client):
    make_release(version=1, title="Published version")
    make_release(version=2, status=Release.Status.CREATED, title="Draft version")

    overview = page(client, "overview")
    latest = page(client, "release_latest", NAME)

    assert "Published version" in overview and "Draft version" not in overview
    assert "Version 1." in latest and "Draft version" not in latest


def test_the_release_name_alone_shows_the_newest_published_version(client):
    make_release(version=1, title="First count")
    make_release(version=2, title="Second count")

    assert "Second count" in page(client, "release_latest", NAME)
    first = page(client, "release", NAME, 1)
    assert "First count" in first
    assert "A newer version of this release is published" in first


def test_the_release_page_says_what_it_counts_and_how_it_was_protected(client):
    release = make_release()

    html = page(client, "release", NAME, 1)

    assert "Records entered up to 31 March 2021" in html
    assert release.checksum in html
    assert "From 1 to 10 people" in html
    assert "fewer than 20 people is marked unstable" in html
    assert "at least 10 wide" in html
    for name, args in [
        ("scorecards", [NAME, 1]),
        ("trends", [NAME, 1]),
        ("operations", [NAME, 1]),
        ("state", [NAME, 1, "CA"]),
        ("state", [NAME, 1, "NV"]),
        ("release_report", [NAME, 1]),
        ("datapackage", [NAME, 1]),
        ("table_csv", [NAME, 1, "outcomes_by_agency"]),
        ("table_csv", [NAME, 1, "published_operations"]),
    ]:
        assert reverse(f"public:{name}", args=args) in html


def test_scorecards_group_agencies_by_peers_and_label_incomplete_data(client):
    make_release()

    html = page(client, "scorecards", NAME, 1)

    mid = html.index("Serves 100,000–999,999 people")
    small = html.index("Serves fewer than 100,000 people")
    assert mid < html.index("Harbor City Police Department") < small
    assert small < html.index("Desert Springs Police Department")
    assert '<strong class="br-incomplete">incomplete data</strong>' in html
    assert reverse("public:agency", args=[NAME, 1, "harbor-city-police-department"]) in html
    assert reverse("public:agency", args=[NAME, 1, "all"]) not in html


def test_an_agency_page_shows_its_figures_roles_completeness_and_funding(client):
    make_release()

    html = page(client, "agency", NAME, 1, "harbor-city-police-department")

    assert "<h1>Harbor City Police Department</h1>" in html
    assert "Arrests by the role of the person arrested" in html
    assert "People buying sex" in html and "131" in html
    assert "Age group" in html and "covered" in html
    assert "Victim services" in html and "$64,500" in html
    assert "Operation Safe Harbor" in html
    assert reverse("public:agency_report", args=[NAME, 1, "harbor-city-police-department"]) in html


def test_a_state_page_shows_its_figures_agencies_and_operations(client):
    make_release()

    html = page(client, "state", NAME, 1, "CA")

    assert "<h1>California</h1>" in html
    assert "419" in html
    assert "Bay County Sheriff’s Office" in html
    assert "Operation Safe Harbor" in html
    assert "Operation Reclaim and Rebuild 2020" in html
    assert "Desert Springs" not in html


def test_a_computed_operation_page_shows_its_figures(client):
    make_release()

    html = page(client, "operation", NAME, 1, "OP-HC20-7K3M")

    assert "Operation Safe Harbor" in html and "180" in html and "27" in html
    assert "as printed" not in html.lower().split("<main")[1].split("</main>")[0]


def test_the_trends_page_shows_every_year(client):
    make_release()

    html = page(client, "trends", NAME, 1)

    for year in ("2018", "2019", "2020", "All years"):
        assert year in html
    assert "Arrests, by year" in html


def test_the_methodology_explains_the_disclosure_rules(client):
    html = page(client, "methodology")

    assert "Primary suppression" in html
    assert "numerator or its denominator" in html
    assert "unstable (fewer than 20)" in html
    assert "Complementary suppression" in html
    assert "least total cost" in html and "never hidden again" in html
    assert "linear (integer) programs" in html
    # Every core field the completeness rule checks, named from the rule itself.
    assert "interpreter, primary language) is recorded" in html
    assert "as printed, with the citation" in html
    assert "Known limits" in html


def test_a_release_without_some_tables_still_has_working_pages(client):
    make_release(slugs=("outcomes_by_agency",), with_published_operations=False)

    release = page(client, "release", NAME, 1)
    assert "Scorecards of the agencies" in release
    assert reverse("public:trends", args=[NAME, 1]) not in release
    assert "This release has no figures by year." in page(client, "trends", NAME, 1)
    assert "lists no operations one by one" in page(client, "operations", NAME, 1)
    agency = page(client, "agency", NAME, 1, "harbor-city-police-department")
    assert "Data completeness" in agency
    assert client.get(reverse("public:state", args=[NAME, 1, "CA"])).status_code == 404


def test_a_release_with_no_tables_at_all_still_renders(client):
    make_release(slugs=(), with_published_operations=False)

    assert "Downloads" in page(client, "release", NAME, 1)
    assert "no figures by agency" in page(client, "scorecards", NAME, 1)
    assert "Nothing has been published yet" not in page(client, "overview")


def test_tables_with_fewer_columns_than_usual_still_have_pages(client):
    release = make_release(slugs=())
    label = {"type": "string", "kind": "label"}
    arrests = {"name": "arrests", "title": "Arrests", "type": "integer", "kind": "count"}
    for position, (slug, key, value) in enumerate(
        [
            ("outcomes_by_agency", "agency_key", "agency-k"),
            ("outcomes_by_state", "state", "WA"),
            ("outcomes_by_year", "period", "2020"),
            ("operations", "operation", "OP-KKKK-2020"),
        ],
        start=1,
    ):
        ReleaseTable.objects.create(
            release=release,
            position=position,
            slug=slug,
            title=slug,
            description=slug,
            provenance="computed",
            columns=[{"name": key, "title": key, **label}, arrests],
            rows=[{key: value, "arrests": 0}],
            cells=[{"arrests": {"suppressed": "", "unstable": False}}],
        )

    for name, extra in [
        ("release", []),
        ("scorecards", []),
        ("agency", ["agency-k"]),
        ("state", ["WA"]),
        ("operations", []),
        ("operation", ["OP-KKKK-2020"]),
        ("trends", []),
    ]:
        page(client, name, NAME, 1, *extra)
    assert "<h1>agency-k</h1>" in page(client, "agency", NAME, 1, "agency-k")
    assert client.get(reverse("public:release_report", args=[NAME, 1])).status_code == 200


def test_the_navigation_offers_public_data_to_everyone(client):
    html = page(client, "overview")

    assert html.count(f'href="{reverse("public:overview")}"') >= 2
    assert 'aria-current="page"><span>Public data</span>' in html


def test_a_narrower_release_published_later_never_takes_the_headline(client):
    make_release(title="All agencies, 2018–2020")
    narrow = make_release(name="one-agency", title="One agency, 2018–2020")
    Release.objects.filter(pk=narrow.pk).update(scope=Release.Scope.AGENCY)

    html = page(client, "overview")

    assert "Latest release: All agencies, 2018–2020" in html
    assert reverse("public:release", args=["one-agency", 1]) in html
