"""The navigation fits the people who use it (issue 23): at most seven items on its top row for
every role, grouped; only links the role can follow; the public footer without staff links or the
health check; and the addresses the README names lead somewhere useful."""

import re
from html.parser import HTMLParser

import pytest
from django.urls import reverse
from django.utils import translation

from beyondraid.accounts.testing import sign_in_verified, totp_device
from beyondraid.standard.vocabulary import vocabulary

pytestmark = pytest.mark.django_db

# One persona of the shared world per role of the staff_role vocabulary.
PERSONA_OF_ROLE = {
    "steward": "steward_a",
    "prosecutor": "prosecutor",
    "caseworker": "caseworker",
    "analyst": "analyst",
    "investigator": "investigator",
    "administrator": "administrator",
}


class _Navigation(HTMLParser):
    """The top row of the primary navigation (its items), every link in it, and the footer's."""

    def __init__(self, html: str):
        super().__init__()
        self.top_items: list[str] = []
        self.links: list[str] = []
        self.footer_links: list[str] = []
        self._where: str | None = None
        self._depth = 0  # of <ul> inside the primary navigation
        self._in_top_item = False
        self._words: list[str] = []
        self.feed(html)

    def handle_starttag(self, tag, attrs):
        attributes = dict(attrs)
        if tag == "nav" and attributes.get("aria-label") == "Primary navigation":
            self._where = "primary"
        elif tag == "footer":
            self._where = "footer"
        elif self._where == "primary" and tag == "ul":
            self._depth += 1
        elif self._where == "primary" and tag == "li" and self._depth == 1:
            self._in_top_item, self._words = True, []
        elif tag == "a" and self._where == "primary":
            self.links.append(attributes["href"])
        elif tag == "a" and self._where == "footer":
            self.footer_links.append(attributes["href"])

    def handle_endtag(self, tag):
        if tag in ("nav", "footer") and self._where in ("primary", "footer"):
            self._where = None
        elif self._where == "primary" and tag == "ul":
            self._depth -= 1
        elif self._where == "primary" and tag == "li" and self._depth == 1 and self._in_top_item:
            self._in_top_item = False
            self.top_items.append(" ".join(" ".join(self._words).split()))

    def handle_data(self, data):
        # The name of a top item is its first words: a group's button, a link, or Sign out.
        if self._in_top_item and self._depth == 1 and data.strip():
            self._words.append(data)


def _navigation(client, path: str = "") -> _Navigation:
    with translation.override("en"):
        page = client.get(path or reverse("home"), HTTP_ACCEPT_LANGUAGE="en")
        return _Navigation(page.content.decode())


def test_every_role_has_a_persona_here():
    assert set(PERSONA_OF_ROLE) == set(vocabulary("staff_role").codes)


@pytest.mark.parametrize("role", sorted(PERSONA_OF_ROLE))
def test_every_role_has_at_most_seven_top_items_grouped(client, world, role):
    sign_in_verified(client, world.personas[PERSONA_OF_ROLE[role]])
    navigation = _navigation(client)
    assert 3 <= len(navigation.top_items) <= 7, navigation.top_items
    assert navigation.top_items[0] == "Today"
    assert navigation.top_items[-1] == "Sign out"
    assert reverse("start") in navigation.links


def test_an_organisation_administrator_also_fits(client, world):
    # The steward who administers their agency also manages its users: still seven at most.
    world.steward_a.is_organisation_admin = True
    world.steward_a.save()
    sign_in_verified(client, world.steward_a)
    navigation = _navigation(client)
    assert len(navigation.top_items) <= 7
    assert reverse("accounts:users") in navigation.links


def test_the_staff_groups_as_a_steward_sees_them(client, world):
    sign_in_verified(client, world.steward_a)
    navigation = _navigation(client)
    assert navigation.top_items == [
        "Today",
        "Operations",
        "People",
        "Data",
        "Administration",
        "Sign out",
    ]
    for name in ("standard:operation_list", "planning:list", "intake:import_list", "care:alerts"):
        assert reverse(name) in navigation.links


@pytest.mark.parametrize("persona", sorted(PERSONA_OF_ROLE.values()))
def test_every_link_of_the_navigation_can_be_followed(client, world, persona):
    sign_in_verified(client, world.personas[persona])
    for href in _navigation(client).links:
        response = client.get(href, follow=True)
        assert response.status_code == 200, (persona, href, response.status_code)


def test_the_public_navigation_is_the_public_site(client):
    navigation = _navigation(client)
    assert navigation.top_items == [
        "About",
        "Find help",
        "Public data",
        "Report abuse by an officer",
        "Sign in",
    ]


def test_the_footer_has_no_staff_links_and_no_health_check(client, world):
    for user in (None, world.administrator):
        if user is not None:
            sign_in_verified(client, user)
        footer = _navigation(client).footer_links
        assert reverse("admin:index") not in footer
        assert reverse("healthz") not in footer
        assert reverse("report:form") in footer
    # The health check itself still answers.
    assert client.get(reverse("healthz")).json() == {"status": "ok"}


def test_the_demo_passphrase_is_shown_to_the_demo_investigator_only(client, world, settings):
    from beyondraid.accountability.management.commands.demo_oversight import (
        DEMO_KEY_PASSPHRASE,
    )

    sign_in_verified(client, world.investigator)
    assert DEMO_KEY_PASSPHRASE in client.get(reverse("home")).content.decode()
    settings.DEMO_MODE = False
    assert DEMO_KEY_PASSPHRASE not in client.get(reverse("home")).content.decode()
    settings.DEMO_MODE = True
    sign_in_verified(client, world.analyst)
    assert DEMO_KEY_PASSPHRASE not in client.get(reverse("home")).content.decode()


def test_oversight_sends_investigators_to_their_reports(client, world):
    sign_in_verified(client, world.investigator)
    response = client.get("/oversight/")
    assert response.status_code == 302
    assert response["Location"] == reverse("oversight:reports")


@pytest.mark.parametrize("persona", ["anonymous", "analyst"])
def test_oversight_says_what_it_is_and_how_to_get_access(client, world, persona):
    if persona != "anonymous":
        sign_in_verified(client, world.personas[persona])
    with translation.override("en"):
        response = client.get("/oversight/", HTTP_ACCEPT_LANGUAGE="en")
    html = response.content.decode()
    assert response.status_code == 200
    assert "<h1>Oversight of reports of abuse by officers</h1>" in html
    assert "investigator role" in html
    assert f'href="{reverse("report:form")}"' in html


def test_oversight_speaks_spanish_to_the_public(client):
    html = client.get("/oversight/", HTTP_ACCEPT_LANGUAGE="es").content.decode()
    assert "<h1>Supervisión de las denuncias de abusos de agentes</h1>" in html


def test_the_api_root_names_its_endpoints_and_documentation(client):
    page = client.get("/api/", HTTP_ACCEPT="text/html")
    html = page.content.decode()
    assert page.status_code == 200
    assert f'href="{reverse("api:docs")}"' in html
    assert reverse("api:public_releases") in html
    assert reverse("api:submissions") in html
    as_json = client.get("/api/", HTTP_ACCEPT="application/json")
    assert as_json.status_code == 200
    body = as_json.json()
    assert body["documentation"].endswith(reverse("api:docs"))
    assert {endpoint["url"] for endpoint in body["endpoints"]} >= {
        reverse("api:schema"),
        reverse("api:operations"),
    }
    for endpoint in body["endpoints"]:
        assert re.fullmatch(r"/api/[a-z0-9/_-]*", endpoint["url"])


def test_between_the_password_and_the_code_the_menu_is_the_public_one(client, world):
    """Staff groups would only lead back to the code: none is offered before it is given."""
    totp_device(world.steward_a)
    client.force_login(world.steward_a, backend="django.contrib.auth.backends.ModelBackend")
    navigation = _navigation(client, reverse("accounts:two_factor"))
    assert navigation.top_items == [
        "About",
        "Find help",
        "Public data",
        "Report abuse by an officer",
        "Sign in",
    ]
    assert "Signed in as" not in client.get(reverse("accounts:two_factor")).content.decode()
