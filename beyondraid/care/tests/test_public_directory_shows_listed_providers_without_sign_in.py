"""The public directory of where help is (issue 21, item 5; R-116): anyone reads it without
signing in; it lists only the providers that chose to be listed, searchable by service, language
and county, those asking for neither an ID nor a police report first; it shows what the public
needs and nothing else — never a confidential address, the provider's capacity or shelter places,
or who changed the entry — and leaves nothing in the reader's browser."""

import pytest
from django.test import Client
from django.urls import reverse

from beyondraid.accounts.testing import sign_in_verified
from beyondraid.care import services
from beyondraid.care.models import ProviderProfile
from beyondraid.care.selectors_public import PublicEntry

from .builders import list_provider, list_publicly, second_provider

pytestmark = pytest.mark.django_db

URL = reverse("help:directory")


@pytest.fixture
def listed(world):
    """Harbor (the world's provider) is listed publicly: no ID, no police report, address given
    on contact; Bayside asks for an ID, takes walk-ins at its office and serves Los Angeles;
    Quiet Harbour keeps a staff-only entry."""
    list_publicly(world.provider, by=world.caseworker)
    world.bayside, world.bayside_caseworker = second_provider()
    list_publicly(
        world.bayside,
        by=world.bayside_caseworker,
        services=["legal_services", "immigration_legal"],
        languages=["en", "vi"],
        counties=["06037"],
        trafficking_shelter_places=0,
        requires_id=True,
        walk_in="address",
        walk_in_address="1200 Main Street, Los Angeles",
        contact_texts=False,
        capacity="full",
    )
    world.quiet, quiet_caseworker = second_provider("Quiet Harbour Refuge")
    list_provider(world.quiet, by=quiet_caseworker, counties=["06001"])
    return world


def _page(client, path=URL, **query) -> str:
    response = client.get(path, query)
    assert response.status_code == 200
    return response.content.decode()


def test_anyone_reads_the_directory_without_signing_in_and_nothing_stays_behind(listed):
    client = Client()
    response = client.get(URL)

    assert response.status_code == 200
    page = response.content.decode()
    assert "Harbor Survivor Services" in page
    assert "Bayside Legal Aid for Survivors" in page
    # No cookie, no copy kept by the browser, nothing loaded from another site.
    assert not response.cookies
    assert "no-store" in response["Cache-Control"]
    assert "default-src 'self'" in response["Content-Security-Policy"]
    assert "https://" not in page and "http://" not in page

    detail = client.get(reverse("help:provider", args=[listed.provider.pk]))
    assert detail.status_code == 200
    assert not detail.cookies


def test_the_danger_line_gives_911_and_the_national_hotline(listed):
    for path in (URL, reverse("help:provider", args=[listed.provider.pk])):
        page = _page(Client(), path)
        assert 'href="tel:911"' in page
        assert 'href="tel:+18883737888">1-888-373-7888</a>' in page
        assert 'href="sms:233733">233733</a>' in page


def test_a_provider_not_listed_publicly_never_appears(listed):
    client = Client()
    assert "Quiet Harbour Refuge" not in _page(client)
    assert "Quiet Harbour Refuge" not in _page(client, county="06001")
    assert client.get(reverse("help:provider", args=[listed.quiet.pk])).status_code == 404
    # Nor an organisation that is not a provider, nor one that does not exist.
    assert client.get(reverse("help:provider", args=[listed.agency_a.pk])).status_code == 404
    assert client.get(reverse("help:provider", args=[999_999])).status_code == 404


def test_a_provider_that_stops_being_listed_disappears_at_once(listed):
    profile = ProviderProfile.objects.get(provider=listed.provider)
    services.update_provider_profile(user=listed.caseworker, profile=profile, listed_publicly=False)

    assert "Harbor Survivor Services" not in _page(Client())
    page = reverse("help:provider", args=[listed.provider.pk])
    assert Client().get(page).status_code == 404


def test_providers_asking_for_neither_an_id_nor_a_police_report_come_first_the_others_marked(
    listed,
):
    page = _page(Client())

    assert page.index("Harbor Survivor Services") < page.index("Bayside Legal Aid")
    harbor, bayside = page.split("Bayside Legal Aid for Survivors</a>", 1)
    assert "Asks for no ID and no police report" in harbor
    assert "Asks for an ID" in bayside
    assert "Asks for a police report" not in bayside
    assert "No one should ask you for an ID or a police report before helping you" in page


def test_the_search_filters_by_service_language_and_county(listed):
    client = Client()

    by_service = _page(client, service="immigration_legal")
    assert "Bayside Legal Aid" in by_service and "Harbor Survivor Services" not in by_service
    assert "1 organisation found" in by_service

    by_language = _page(client, language="es")
    assert "Harbor Survivor Services" in by_language and "Bayside Legal Aid" not in by_language

    by_county = _page(client, county="06037")
    assert "Bayside Legal Aid" in by_county and "Harbor Survivor Services" not in by_county

    nobody = _page(client, service="record_clearing", county="06037")
    assert "No organisation in the directory matches every choice" in nobody


def test_a_search_outside_the_lists_is_refused_naming_the_field(listed):
    response = Client().get(URL, {"county": "99999", "language": "klingon"})

    assert response.status_code == 400
    page = response.content.decode()
    assert "The search could not run" in page
    assert 'href="#id_county">County</a>: Choose one of the options in the list.' in page
    assert 'href="#id_language">Language spoken</a>: Choose one of the options' in page


def test_a_confidential_address_is_never_shown_and_a_walk_in_address_is(listed):
    harbor = _page(Client(), reverse("help:provider", args=[listed.provider.pk]))
    assert "The address is given when you contact them" in harbor
    assert 'href="tel:5105550142">(510) 555-0142</a>' in harbor
    assert 'href="sms:5105550142">Send a text</a>' in harbor
    assert "24 hours, every day" in harbor

    bayside = _page(Client(), reverse("help:provider", args=[listed.bayside.pk]))
    assert "1200 Main Street, Los Angeles" in bayside
    assert "Send a text" not in bayside
    assert "Los Angeles (CA)" in bayside


def test_the_public_page_shows_nothing_meant_for_staff(listed):
    response = Client().get(reverse("help:provider", args=[listed.bayside.pk]))
    page = response.content.decode()

    # The page is given only what is meant for the public: no capacity, shelter places or
    # editor reach its template, so no change to the template can show them.
    entry = response.context["entry"]
    assert isinstance(entry, PublicEntry)
    assert not {"capacity", "trafficking_shelter_places", "updated_by"} & set(vars(entry))
    assert "Full" not in page and "Capacity" not in page
    assert listed.bayside_caseworker.username not in page


def test_signed_in_staff_read_the_same_public_pages(client, listed):
    sign_in_verified(client, listed.steward_a)
    page = _page(client)
    assert "Harbor Survivor Services" in page and "Quiet Harbour Refuge" not in page
