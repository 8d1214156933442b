"""Analysts create, read, check and publish releases from pages; nobody else reaches them."""

import pytest
from django.urls import reverse

from beyondraid.accounts.testing import sign_in_verified
from beyondraid.transparency.models import Release

pytestmark = pytest.mark.django_db

FORM = {
    "name": "harbor-2022",
    "title": "Harbor, 2022",
    "first_year": 2021,
    "last_year": 2024,
    "scope": "state",
    "state": "ca",
    "agency": "",
    "threshold": 10,
    "protection_width": 10,
    "unstable_below": 20,
}


def test_an_analyst_creates_checks_and_publishes_a_release(client, world, synthetic_records):
    sign_in_verified(client, world.analyst)

    response = client.post(reverse("releases:list"), FORM, follow=True)

    release = Release.objects.get(name="harbor-2022")
    assert release.scope_state == "CA" and release.created_by == world.analyst
    page = response.content.decode()
    assert "Created harbor-2022 (version 1)" in page
    assert "Outcomes by lead agency" in page
    assert "Suppressed" in page

    checked = client.post(reverse("releases:check", args=[release.name, 1]), follow=True)
    assert "passes the disclosure check" in checked.content.decode()

    published = client.post(reverse("releases:publish", args=[release.name, 1]), follow=True)
    assert "Published harbor-2022 (version 1)" in published.content.decode()
    release.refresh_from_db()
    assert release.is_published and release.published_by == world.analyst

    package = client.get(reverse("releases:package", args=[release.name, 1]))
    assert package["Content-Type"] == "application/zip"


def test_mistakes_in_the_form_are_named_and_nothing_is_created(client, world):
    sign_in_verified(client, world.analyst)

    response = client.post(
        reverse("releases:list"),
        FORM | {"name": "Harbor 2022", "first_year": 2024, "last_year": 2021, "state": ""},
    )

    page = response.content.decode()
    assert response.status_code == 200
    assert "Use lower-case letters, digits and hyphens" in page
    assert "The last year comes before the first." in page
    assert "A state release needs a two-letter state code" in page
    assert not Release.objects.exists()


@pytest.mark.parametrize("persona", ["steward_a", "prosecutor", "caseworker", "investigator"])
def test_other_staff_are_refused(client, world, persona):
    sign_in_verified(client, world.personas[persona])
    assert client.get(reverse("releases:list")).status_code == 403
    assert client.post(reverse("releases:list"), FORM).status_code == 403
    assert not Release.objects.exists()


def test_the_navigation_offers_indicators_and_releases_to_analysts_only(client, world):
    sign_in_verified(client, world.analyst)
    page = client.get(reverse("home")).content.decode()
    assert f'href="{reverse("indicators:index")}"' in page
    assert f'href="{reverse("releases:list")}"' in page

    client.logout()
    sign_in_verified(client, world.steward_a)
    page = client.get(reverse("home")).content.decode()
    assert reverse("indicators:index") not in page and reverse("releases:list") not in page
