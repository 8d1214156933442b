"""Issue 21 items 4 and 6 on the public site: /data/ and a release's page show where
identifications come from beside the operations' outcomes, and a release's money page sets the
dollars for operations against those for services, per victim identified through each pathway;
from a published release's tables only, suppressed figures shown with their reason."""

import pytest
from django.urls import reverse

from beyondraid.transparency import releases
from beyondraid.transparency.models import COMPUTED, Release, ReleaseTable
from beyondraid.transparency.release_tables import FUNDING_BY_PURPOSE, IDENTIFICATIONS_BY_PATHWAY

from .beyond_operations import PERIOD, beyond_operations
from .test_public_sample_release import (
    COMPLEMENTARY,
    NAME,
    PRIMARY,
    SECRET_ATOM,
    column,
    make_release,
    released,
)

pytestmark = pytest.mark.django_db

PATHWAYS = (
    IDENTIFICATIONS_BY_PATHWAY,
    "Where identifications come from",
    [
        column("pathway", "Pathway"),
        column("pathway_key", "Pathway key"),
        column("victims_identified", "Victims identified", "count"),
        column("share_of_victims", "Share of all victims identified", "ratio", "%"),
    ],
    [
        {
            "pathway": "Law-enforcement operation",
            "pathway_key": "law_enforcement_operation",
            "victims_identified": 64,
            "share_of_victims": 41.6,
        },
        {
            "pathway": "Self-referral",
            "pathway_key": "self_referral",
            "victims_identified": 57,
            "share_of_victims": 37.0,
        },
        {
            "pathway": "Hotline",
            "pathway_key": "hotline",
            "victims_identified": PRIMARY,
            "share_of_victims": PRIMARY,
        },
        {
            "pathway": "Community or faith organisation",
            "pathway_key": "community_or_faith_organisation",
            "victims_identified": COMPLEMENTARY,
            "share_of_victims": COMPLEMENTARY,
        },
        {
            "pathway": "All pathways",
            "pathway_key": "all",
            "victims_identified": 154,
            "share_of_victims": 100.0,
        },
    ],
)
FUNDING = (
    FUNDING_BY_PURPOSE,
    "Money for operations and money for services",
    [
        column("jurisdiction", "Jurisdiction"),
        column("year", "Year"),
        column("operations", "Law-enforcement operations", "amount", "$"),
        column("victim_services", "Victim services", "amount", "$"),
        column("beyond_operations", "All money beyond operations", "amount", "$"),
        {
            "name": "grants",
            "title": "Grants",
            "type": "integer",
            "kind": "grants",
            "description": "Grants recorded.",
        },
        {
            "name": "condition_anti_prostitution_pledge",
            "title": "Grants with the condition: anti-prostitution pledge",
            "type": "integer",
            "kind": "grants",
            "description": "Grants with the condition.",
        },
        column("victims_through_operations", "Victims identified through operations", "count"),
        column(
            "dollars_per_victim_operations",
            "Operations dollars per victim identified through operations",
            "ratio",
            "$ per victim",
        ),
        column("victims_other_pathways", "Victims identified through every other pathway", "count"),
        column(
            "dollars_per_victim_other_pathways",
            "Other dollars per victim identified through other pathways",
            "ratio",
            "$ per victim",
        ),
    ],
    [
        {
            "jurisdiction": "CA",
            "year": "2020",
            "operations": 750000.0,
            "victim_services": 90000.0,
            "beyond_operations": 120000.0,
            "grants": 4,
            "condition_anti_prostitution_pledge": 2,
            "victims_through_operations": 58,
            "dollars_per_victim_operations": 12931.0,
            "victims_other_pathways": 48,
            "dollars_per_victim_other_pathways": 2500.0,
        },
        {
            "jurisdiction": "NV",
            "year": "2020",
            "operations": 15000.0,
            "victim_services": 0.0,
            "beyond_operations": 8000.0,
            "grants": 1,
            "condition_anti_prostitution_pledge": 0,
            "victims_through_operations": PRIMARY,
            "dollars_per_victim_operations": PRIMARY,
            "victims_other_pathways": COMPLEMENTARY,
            "dollars_per_victim_other_pathways": COMPLEMENTARY,
        },
    ],
)


def add_tables(release: Release, *tables) -> Release:
    for position, (slug, title, columns, rows) in enumerate(tables, start=100):
        values, cells, proofs = released(columns, rows, COMPUTED)
        ReleaseTable.objects.create(
            release=release,
            position=position,
            slug=slug,
            title=title,
            description=f"{title}, as released.",
            provenance=COMPUTED,
            columns=columns,
            rows=values,
            cells=cells,
            proof=proofs,
        )
    release.checksum = release.compute_checksum()
    release.save(update_fields=["checksum"])
    return release


def _page(client, url) -> str:
    response = client.get(url)
    assert response.status_code == 200
    text = response.content.decode()
    assert SECRET_ATOM not in text
    return text


def test_the_overview_and_the_release_show_where_identifications_come_from(client):
    add_tables(make_release(), PATHWAYS, FUNDING)
    funding_url = reverse("public:funding", args=[NAME, 1])

    for url in (reverse("public:overview"), reverse("public:release", args=[NAME, 1])):
        text = _page(client, url)
        assert "Where identifications come from" in text
        assert "ninety\n    percent of our cases are not from raids" in text
        assert "Kicking Down the Door" in text
        assert '<th scope="row">Self-referral\n</th>' in text
        assert ">57\n<" in text and ">37%\n<" in text
        # Suppressed with the reason, as elsewhere.
        assert 'Suppressed</span> <span class="br-reason">(1–10 people)' in text
        assert "(protects another suppressed figure)" in text
        assert funding_url in text


def test_the_money_page_sets_operations_against_services_per_victim(client):
    add_tables(make_release(), PATHWAYS, FUNDING)

    text = _page(client, reverse("public:funding", args=[NAME, 1]))

    assert "<h1>Money for operations and money for services</h1>" in text
    assert "CA, 2020" in text and "NV, 2020" in text
    assert "$750,000" in text and "$120,000" in text
    assert "$12,931" in text and "$2,500" in text
    assert "<caption>Money and victims identified: CA, 2020</caption>" in text
    assert '<th scope="col">Measure</th>' in text
    # Nevada's victims are suppressed, and so are its figures per victim, with their reasons.
    assert "(rests on 1–10 people)" in text
    assert "(protects another suppressed figure)" in text
    assert "Grants with the condition: anti-prostitution pledge" in text
    assert reverse("public:table_csv", args=[NAME, 1, FUNDING_BY_PURPOSE]) in text


def test_nothing_shows_from_an_unpublished_release(client):
    add_tables(make_release(status=Release.Status.PASSED), PATHWAYS, FUNDING)

    assert client.get(reverse("public:funding", args=[NAME, 1])).status_code == 404
    assert (
        "Where identifications come from"
        not in client.get(reverse("public:overview")).content.decode()
    )


def test_a_release_without_the_tables_has_no_panel_and_no_money_page(client):
    make_release()

    assert client.get(reverse("public:funding", args=[NAME, 1])).status_code == 404
    text = _page(client, reverse("public:release", args=[NAME, 1]))
    assert "Where identifications come from" not in text
    assert reverse("public:funding", args=[NAME, 1]) not in text


def test_the_money_page_renders_from_a_published_release(client, world):
    """Issue 21, done when: the public funding comparison renders from a published release."""
    beyond_operations(world)
    release = releases.create_release(name="all-2020", period_start=PERIOD[0], period_end=PERIOD[1])
    url = reverse("public:funding", args=[release.name, release.version])
    assert client.get(url).status_code == 404  # created, not yet published

    releases.publish_release(release)

    text = _page(client, url)
    assert "CA, 2020" in text and "$150,000" in text and "$72,000" in text
    assert "$10,714" in text  # 150,000 dollars ÷ 14 victims met in operations
    overview = _page(client, reverse("public:overview"))
    assert "Where identifications come from" in overview and url in overview
