"""Where an agency's own figures are mostly suppressed, its scorecard and its page show its peer
group taken together, labelled as the group's, and say why; or point to a published release over
a longer period that shows its own figures. An agency whose figures are shown gets neither
(issue 20, item 3)."""

import datetime

import pytest
from django.urls import reverse
from django.utils import timezone

from beyondraid.transparency import pdf, selectors
from beyondraid.transparency.models import COMPUTED, Release, ReleaseTable

from .test_public_sample_release import (
    AGENCY,
    COMPLEMENTARY,
    OUTCOMES,
    PARAMETERS,
    PEERS_MID,
    PEERS_SMALL,
    PRIMARY,
    column,
    released,
)

pytestmark = pytest.mark.django_db

NAME = "groups-2020"
AGENCY_COLUMNS = [*AGENCY, column("state", "State"), column("peer_group", "Peer group")]
GROUP_COLUMNS = [
    column("peer_group", "Peer group"),
    {"name": "agencies", "title": "Agencies", "type": "integer", "kind": "agencies"},
    *OUTCOMES,
]
SHOWN = {
    "encounters": 420,
    "arrests": 300,
    "victims_identified": 40,
    "victims_per_100_arrests": 13.3,
    "victims_offered_services": 31,
    "share_victims_offered_services": 77.5,
    "victims_punished": 0,
    "minors_arrested": 0,
}


def agency(name: str, group: str, **figures) -> dict:
    return {
        "agency": name,
        "agency_key": name.lower().replace(" ", "-"),
        "state": "CA",
        "peer_group": group,
        **SHOWN,
        **figures,
    }


ALDER = agency("Alder Police", PEERS_MID)
# Victims identified is a count of 1 to 10: the agency's key figure is hidden.
BIRCH = agency(
    "Birch Police",
    PEERS_MID,
    victims_identified=PRIMARY,
    victims_per_100_arrests=PRIMARY,
    victims_offered_services=PRIMARY,
    share_victims_offered_services=PRIMARY,
)
# Large figures hidden to protect smaller ones.
CEDAR = agency(
    "Cedar Sheriff",
    PEERS_MID,
    encounters=COMPLEMENTARY,
    arrests=COMPLEMENTARY,
    victims_identified=COMPLEMENTARY,
    victims_per_100_arrests=COMPLEMENTARY,
)
# Alone in its peer group: the group is the agency, suppressed alike.
DOGWOOD = agency(
    "Dogwood Police",
    PEERS_SMALL,
    **{name: PRIMARY for name in SHOWN if name not in ("victims_punished", "minors_arrested")},
)
GROUPS = [
    {
        "peer_group": PEERS_MID,
        "agencies": 3,
        "encounters": 1130,
        "arrests": 812,
        "victims_identified": 97,
        "victims_per_100_arrests": 11.9,
        "victims_offered_services": 70,
        "share_victims_offered_services": 72.2,
        "victims_punished": 0,
        "minors_arrested": 0,
    },
    {"peer_group": PEERS_SMALL, "agencies": 1, **DOGWOOD, "agency": None, "agency_key": None},
]


def make_release(name: str = NAME, *, period=(2020, 2020), agencies=None, groups=None, **extra):
    start, end = period
    release = Release.objects.create(
        name=name,
        version=1,
        title=f"Every agency, {start}–{end}",
        period_start=datetime.date(start, 1, 1),
        period_end=datetime.date(end, 12, 31),
        data_through=datetime.date(end + 1, 3, 31),
        parameters=PARAMETERS,
        status=extra.get("status", Release.Status.PUBLISHED),
        check_report={"passed": True},
        published_at=timezone.now(),
    )
    tables = [("outcomes_by_agency", AGENCY_COLUMNS + OUTCOMES, agencies or [])]
    if groups is not None:
        tables.append(("outcomes_by_peer_group", GROUP_COLUMNS, groups))
    for position, (slug, columns, rows) in enumerate(tables):
        values, cells, proofs = released(columns, rows, COMPUTED)
        ReleaseTable.objects.create(
            release=release,
            position=position,
            slug=slug,
            title=slug,
            provenance=COMPUTED,
            columns=columns,
            rows=values,
            cells=cells,
            proof=proofs,
        )
    release.checksum = release.compute_checksum()
    release.save(update_fields=["checksum"])
    return release


@pytest.fixture
def release():
    return make_release(agencies=[ALDER, BIRCH, CEDAR, DOGWOOD], groups=GROUPS)


def page(client, name, *args) -> str:
    response = client.get(reverse(f"public:{name}", args=args))
    assert response.status_code == 200
    return response.content.decode()


def agency_page(client, row, release_name=NAME) -> str:
    return page(client, "agency", release_name, 1, row["agency_key"])


def row_of(html: str, label: str) -> str:
    return html.split(label, 1)[1].split("</tr>", 1)[0]


def test_the_scorecard_closes_a_group_with_its_agencies_together(client, release):
    html = page(client, "scorecards", NAME, 1)

    mid = html.split(f'<h2 id="peer-group-1">{PEERS_MID}</h2>', 1)[1].split("</section>", 1)[0]
    together = row_of(mid, f"{PEERS_MID}: 3 agencies together</th>")
    assert "812" in together and "97" in together and "11.9" in together
    assert "Not scored" in together
    assert (
        "Too few people for its figures to be shown on their own without revealing someone. "
        "The last row gives its group&#x27;s 3 agencies together." in row_of(mid, "Birch Police")
    )
    assert "Most of its figures are hidden so that other, small figures cannot be worked out" in (
        row_of(mid, "Cedar Sheriff")
    )
    assert "br-note" not in row_of(mid, "Alder Police</a>")


def test_a_group_of_one_agency_is_not_shown_in_its_place(client, release):
    html = page(client, "scorecards", NAME, 1)

    small = html.split(PEERS_SMALL, 1)[1].split("</section>", 1)[0]
    assert "agencies together</th>" not in small
    assert "Too few people for its figures to be shown" in row_of(small, "Dogwood Police")
    assert "The last row" not in small

    dogwood = agency_page(client, DOGWOOD)
    assert "Why most figures are suppressed" in dogwood
    assert "No group of agencies in this release can be shown in their place either." in dogwood


def test_the_page_of_a_mostly_suppressed_agency_shows_its_group_and_says_why(client, release):
    html = agency_page(client, BIRCH)

    section = html.split('id="together-heading"', 1)[1].split("</section>", 1)[0]
    assert "Its peer group, taken together" in section
    assert (
        "There are too few people for this agency&#x27;s figures to be shown on their own without "
        "revealing someone. These are the figures of its peer group, “Serves 100,000–999,999 "
        "people”: 3 agencies taken together, this one among them." in section
    )
    assert f"<caption>{PEERS_MID}: 3 agencies together</caption>" in section
    assert "812" in row_of(section, "Arrests</th>")
    # Its own figures follow, under their own heading.
    assert "Its own figures" in html.split('id="together-heading"', 1)[1]

    cedar = agency_page(client, CEDAR)
    assert "figures are suppressed not because they count few people" in cedar
    assert f"{PEERS_MID}: 3 agencies together" in cedar


def test_an_agency_whose_figures_are_shown_gets_no_group(client, release):
    html = agency_page(client, ALDER)

    assert 'id="together-heading"' not in html
    assert "agencies together" not in html and "too few people" not in html.lower()
    assert '<h2 id="figures-heading">Figures</h2>' in html


def test_a_longer_published_release_that_shows_the_agency_is_pointed_to(client, release):
    shown = agency("Dogwood Police", PEERS_SMALL, arrests=45, victims_identified=12)
    make_release("every-year", period=(2018, 2021), agencies=[shown])
    # Not longer, or not published: never pointed to.
    make_release("same-year", period=(2020, 2020), agencies=[shown])
    make_release("draft", period=(2015, 2022), agencies=[shown], status=Release.Status.PASSED)

    html = agency_page(client, DOGWOOD)

    link = reverse("public:agency", args=["every-year", 1, DOGWOOD["agency_key"]])
    assert "Over a longer period its own figures can be shown" in html
    assert f'href="{link}"' in html and "Every agency, 2018–2021" in html
    assert "same-year" not in html and "draft" not in html
    assert "No group of agencies" not in html


def test_a_longer_release_where_the_agency_is_also_suppressed_is_not_pointed_to(client, release):
    make_release("every-year", period=(2018, 2021), agencies=[DOGWOOD])

    assert "Over a longer period" not in agency_page(client, DOGWOOD)


def test_a_release_without_the_group_table_still_says_why(client):
    make_release(agencies=[ALDER, BIRCH])

    html = agency_page(client, BIRCH)

    assert "Why most figures are suppressed" in html
    assert "There are too few people for this agency" in html


@pytest.mark.parametrize(
    ("figures", "mostly"),
    [
        ({}, False),
        ({"victims_identified": PRIMARY}, True),
        ({"arrests": COMPLEMENTARY}, True),
        # Three of its six counts is not more than half.
        (dict.fromkeys(("encounters", "victims_punished", "minors_arrested"), PRIMARY), False),
        (
            dict.fromkeys(
                ("encounters", "victims_offered_services", "victims_punished", "minors_arrested"),
                PRIMARY,
            ),
            True,
        ),
        # A figure that is not available was not hidden.
        (
            {
                "victims_offered_services": None,
                "victims_punished": None,
                "minors_arrested": None,
                "encounters": None,
            },
            False,
        ),
    ],
)
def test_the_rule_for_mostly_suppressed(figures, mostly):
    release = make_release(agencies=[agency("Elm Police", PEERS_MID, **figures)])

    contents = selectors.release_contents(release)

    assert selectors.mostly_suppressed(contents.agencies[0]) is mostly


def test_the_reports_show_the_group_as_the_pages_do(monkeypatch, release):
    drawn: list[str] = []

    def draw(html: str) -> bytes:
        drawn.append(html)
        return b"%PDF-"

    monkeypatch.setattr(pdf, "html_to_pdf", draw)
    contents = selectors.release_contents(release)
    birch = selectors.agency_profile(contents, BIRCH["agency_key"])
    assert birch is not None

    pdf.release_report(contents)
    pdf.agency_report(contents, birch)

    summary, agency_report = drawn
    assert f"{PEERS_MID}: 3 agencies together" in summary
    assert "The last row gives its group&#x27;s 3 agencies together." in summary
    assert "These are the figures of its peer group" in agency_report
