"""The home page says in plain words what the system is, who it is for, what exists now and what
is loaded, and is built to pass a strict Content-Security-Policy and a basic accessibility check."""

import datetime
import itertools
from html.parser import HTMLParser

import pytest
from django.urls import resolve

from beyondraid.accounts.testing import sign_in_verified
from beyondraid.standard import services
from beyondraid.standard.tests.builders import make_agency

pytestmark = pytest.mark.django_db


class _Page(HTMLParser):
    """The parts of a page these tests look at."""

    def __init__(self, html: str):
        super().__init__()
        self.lang = None
        self.headings: list[int] = []
        self.ids: set[str] = set()
        self.links: list[str] = []
        self.scripts: list[dict] = []
        self.stylesheets: list[str] = []
        self.inline_styles = 0
        self.inline_handlers = 0
        self._text: list[str] = []
        self.feed(html)

    @property
    def text(self) -> str:
        """The visible words, with runs of white space made one space."""
        return " ".join(" ".join(self._text).split())

    def handle_data(self, data):
        self._text.append(data)

    def handle_starttag(self, tag, attrs):
        attributes = dict(attrs)
        if tag == "html":
            self.lang = attributes.get("lang")
        if len(tag) == 2 and tag[0] == "h" and tag[1].isdigit():
            self.headings.append(int(tag[1]))
        if "id" in attributes:
            self.ids.add(attributes["id"])
        if tag == "a" and "href" in attributes:
            self.links.append(attributes["href"])
        if tag == "script":
            self.scripts.append(attributes)
        if tag == "link" and attributes.get("rel") == "stylesheet":
            self.stylesheets.append(attributes["href"])
        self.inline_styles += "style" in attributes or tag == "style"
        self.inline_handlers += any(name.startswith("on") for name in attributes)


def _home(client):
    response = client.get("/")
    assert response.status_code == 200
    return response.content.decode()


def test_the_home_page_says_what_the_system_is_and_its_rules(client):
    html = _home(client)
    for phrase in [
        "The operation is the unit of accountability",
        "Victims, people who sell sex, buyers and traffickers are never counted as one",
        "Help never depends on cooperation",
        "Public numbers come only from checked releases",
    ]:
        assert phrase in html


def test_the_home_page_names_every_kind_of_user(client):
    html = _home(client)
    for user in [
        "Data stewards",
        "Prosecutors",
        "Caseworkers of non-profit victim services",
        "Oversight analysts",
        "Misconduct investigators",
        "The public, survivors and journalists",
    ]:
        assert f'<th scope="row" data-label="Who">{user}' in html


def test_the_home_page_links_only_to_parts_that_exist(client):
    html = _home(client)
    page = _Page(html)
    assert "/admin/" in page.links
    assert "/healthz" in page.links
    assert "beyondraid dictionary" in html
    for href in page.links:
        if href.startswith("#"):
            assert href == "#main-content"
            continue
        assert client.get(href, follow=True).status_code == 200, href
    coming = html[html.index('id="coming"') :]
    for part in ["Operation review", "Victim services", "abuse by officers", "Public releases"]:
        assert part in coming
    assert "<a " not in coming[: coming.index("</section>")]


def test_an_empty_database_shows_nothing_loaded(client):
    html = _home(client)
    assert "No operations are loaded yet." in html


def test_operations_are_counted_by_origin_with_their_labels(client):
    lead = make_agency()
    for origin in ["synthetic", "synthetic", "published_aggregate"]:
        services.record_operation(
            name=f"Operation {origin}",
            initiative="local",
            operation_type="sweep",
            start_date=datetime.date(2021, 5, 1),
            end_date=datetime.date(2021, 5, 2),
            stated_objective="Arrest sellers and buyers.",
            trigger="community_complaint_sex_work",
            lead_agency=lead,
            data_origin=origin,
        )
    text = _Page(_home(client)).text
    assert "3 operations are loaded." in text
    assert "Origin of the data Operations Recorded 0 Published aggregate 1 Synthetic 2" in text
    assert "labelled Synthetic wherever they appear" in text
    assert "are labelled Published aggregate" in text


def test_the_count_of_people_is_shown_to_signed_in_staff_only(client, world):
    assert "This count of people" not in _Page(_home(client)).text
    # A password without the second factor is not yet signed in.
    client.force_login(world.analyst)
    assert "This count of people" not in _Page(_home(client)).text
    sign_in_verified(client, world.analyst)
    assert "3 people encountered are recorded. This count of people" in _Page(_home(client)).text


def test_the_demo_notice_shows_only_in_demo_mode(client, settings):
    assert 'aria-label="Demo notice"' in _home(client)
    settings.DEMO_MODE = False
    assert "Demo" not in _home(client)


def test_the_page_needs_no_inline_code_and_no_other_origin(client):
    page = _Page(_home(client))
    assert page.scripts == [
        {"src": "/static/uswds/js/uswds-init.min.js"},
        {"src": "/static/uswds/js/uswds.min.js"},
    ]
    assert page.stylesheets == ["/static/uswds/css/uswds.min.css"]
    assert page.inline_styles == 0
    assert page.inline_handlers == 0
    assert not [href for href in page.links if "//" in href]


def test_the_page_has_a_language_a_skip_link_and_ordered_headings(client):
    html = _home(client)
    page = _Page(html)
    assert page.lang == "en"
    assert '<a class="usa-skipnav" href="#main-content">' in html
    assert "main-content" in page.ids
    assert page.headings[0] == 1
    assert page.headings.count(1) == 1
    assert all(b - a <= 1 for a, b in itertools.pairwise(page.headings))


def test_the_home_page_is_the_root_url():
    assert resolve("/").url_name == "home"
