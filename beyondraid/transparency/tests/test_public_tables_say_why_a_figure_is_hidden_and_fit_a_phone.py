"""Every suppressed figure on the public pages says why, when pointed at (its title) and in text
for a screen reader, with a legend under its table; and every wide table scrolls inside a named,
keyboard-focusable container under a hint, or becomes cards on a phone (issue 23, item 6)."""

import re

import pytest
from django.urls import reverse
from django.utils import translation

from .test_public_sample_release import NAME, make_release

pytestmark = pytest.mark.django_db

RELEASE = [NAME, 1]
PAGES = [
    reverse("public:release", args=RELEASE),
    reverse("public:scorecards", args=RELEASE),
    reverse("public:agency", args=[*RELEASE, "harbor-city-police-department"]),
    reverse("public:agency", args=[*RELEASE, "desert-springs-police-department"]),
    reverse("public:state", args=[*RELEASE, "CA"]),
    reverse("public:operations", args=RELEASE),
    reverse("public:trends", args=RELEASE),
]
SMALL_COUNT = "Hidden: it counts 1 to 10 people, so few that someone could be identified."
ON_A_SMALL_COUNT = (
    "Hidden: it is worked out from a count of 1 to 10 people, so few that someone could be "
    "identified."
)
PROTECTS_ANOTHER = (
    "Hidden so that another hidden figure cannot be worked out from the figures that are shown."
)
# The reason each visible mark stands for.
REASON_OF_MARK = {
    "1–10 people": SMALL_COUNT,
    "rests on 1–10 people": ON_A_SMALL_COUNT,
    "protects another suppressed figure": PROTECTS_ANOTHER,
}
SUPPRESSED_CELL = re.compile(
    r'<abbr class="br-why" title="(?P<title>[^"]*)"><span class="br-suppressed">Suppressed</span>'
    r' <span class="br-reason">\((?P<mark>[^)]*)\)</span></abbr>'
    r'<span class="usa-sr-only"> (?P<text>[^<]*)</span>'
)
HINT = (
    '<p class="br-scroll-hint" data-scroll-hint hidden><span aria-hidden="true">↔</span> '
    "Scroll sideways to see every column</p>"
)
CONTAINER = re.compile(
    r'<div class="usa-table-container--scrollable br-scroll" tabindex="0" role="group" '
    r'aria-label="(?P<name>[^"]*)">\s*<table class="(?P<classes>[^"]*)">\s*'
    r"<caption>(?P<caption>[^<]*)</caption>"
)


def page(client, url: str) -> str:
    with translation.override("en"):
        return client.get(url, HTTP_ACCEPT_LANGUAGE="en").content.decode()


def test_every_suppressed_figure_says_why_when_pointed_at_and_to_a_screen_reader(client):
    make_release()
    marks = set()
    for url in PAGES:
        html = page(client, url)
        cells = list(SUPPRESSED_CELL.finditer(html))

        assert len(cells) == html.count('class="br-suppressed"'), url
        for cell in cells:
            assert cell["title"] == REASON_OF_MARK[cell["mark"]], (url, cell["mark"])
            assert cell["text"] == cell["title"], url
            marks.add(cell["mark"])

    # The sample release has all three kinds, so each reason was seen on some page.
    assert marks == set(REASON_OF_MARK)


def test_a_complementary_suppression_is_told_apart_from_a_small_count(client):
    make_release()

    html = page(client, reverse("public:trends", args=RELEASE))
    year_2018 = html.split('<th scope="row">2018\n</th>')[1].split("</tr>")[0]

    assert f'title="{PROTECTS_ANOTHER}"' in year_2018
    assert SMALL_COUNT not in year_2018


def test_a_legend_under_each_table_with_hidden_figures_explains_each_mark(client):
    make_release()

    html = page(client, reverse("public:trends", args=RELEASE))
    after_table = html.split("Every measure by year")[1].split("</table>")[1]
    legend = after_table.split('<div class="br-legend">')[1].split("</div>")[0]

    assert "What the marks mean" in legend
    assert "Suppressed so that another suppressed figure cannot be worked out" in legend


def test_every_wide_table_scrolls_in_a_named_focusable_container_under_a_hint(client):
    make_release()
    for url in [*PAGES, reverse("public:overview")]:
        html = page(client, url)
        containers = list(CONTAINER.finditer(html))

        # Every table but a chart's two columns of figures, which fit any screen.
        assert len(containers) == html.count("<table") - html.count("Figures of the chart:"), url
        assert html.count(HINT) == len(containers), url
        for container in containers:
            assert container["name"] == container["caption"], url
            before = html[: container.start()].rstrip()
            assert before.endswith(HINT), (url, container["caption"])


def test_tables_of_units_become_cards_on_a_phone_and_comparisons_keep_their_grid(client):
    make_release()

    scorecards = page(client, reverse("public:scorecards", args=RELEASE))
    release = page(client, reverse("public:release", args=RELEASE))
    trends = page(client, reverse("public:trends", args=RELEASE))

    tables = {
        match["caption"]: match["classes"]
        for html in (scorecards, release, trends)
        for match in CONTAINER.finditer(html)
    }
    assert "usa-table--stacked-header" in tables["Service offers by type of service"]
    assert "usa-table--stacked-header" in next(
        classes for caption, classes in tables.items() if caption.startswith("Peer group")
    )
    assert "usa-table--stacked" not in tables["Outcomes by year"]
    assert (
        "usa-table--stacked"
        not in tables["Who is arrested for selling sex, and who is identified as a victim"]
    )
    # A card labels each figure with its column, since the column headings are not shown.
    for html in (scorecards, release):
        for table in re.findall(r"usa-table--stacked-header\">(.*?)</table>", html, re.S):
            assert table.count("<td") == len(re.findall(r"<td[^>]* data-label=", table))


def test_the_hint_is_in_the_readers_language(client):
    make_release()

    html = client.get(
        reverse("public:trends", args=RELEASE), HTTP_ACCEPT_LANGUAGE="es"
    ).content.decode()

    assert "Desplácese hacia los lados para ver todas las columnas" in html
