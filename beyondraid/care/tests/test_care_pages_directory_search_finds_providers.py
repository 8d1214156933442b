"""The directory page lists every provider with what it offers and to whom, and its search
narrows the list on service, language, age group, gender identity and foreign nationals; each
caseworker is offered to update their own organisation's entry only."""

import pytest
from django.urls import reverse

from beyondraid.accounts.testing import sign_in_verified

from .builders import list_provider, second_provider

pytestmark = pytest.mark.django_db
URL = reverse("care:directory")


@pytest.fixture
def listed(world):
    """Harbor (shelter and counselling, English and Spanish, adult women, foreign nationals) and
    Bayside (legal services, English, any adult, citizens only, waiting list)."""
    list_provider(world.provider, by=world.caseworker)
    bayside, bayside_caseworker = second_provider()
    list_provider(
        bayside,
        by=bayside_caseworker,
        services=["legal_services"],
        languages=["en"],
        gender_identities=["woman", "man", "non_binary"],
        serves_foreign_nationals=False,
        answers_any_hour=False,
        trafficking_shelter_places=0,
        capacity="waitlist",
    )
    world.bayside, world.bayside_caseworker = bayside, bayside_caseworker
    return world


def _names(response) -> list[str]:
    return [entry.provider.name for entry in response.context["entries"]]


def test_every_provider_is_listed_with_what_it_offers_open_places_first(client, listed):
    sign_in_verified(client, listed.steward_a)

    response = client.get(URL)

    assert response.status_code == 200
    assert _names(response) == ["Harbor Survivor Services", "Bayside Legal Aid for Survivors"]
    page = response.content.decode()
    for words in (
        "Trafficking-specific shelter",
        "Crisis mental-health counselling",
        "Spanish",
        "Serves foreign nationals.",
        "Does not serve foreign nationals.",
        "Waiting list",
    ):
        assert words in page


@pytest.mark.parametrize(
    ("query", "found"),
    [
        ({"service": "legal_services"}, ["Bayside Legal Aid for Survivors"]),
        ({"language": "es"}, ["Harbor Survivor Services"]),
        ({"gender_identity": "man"}, ["Bayside Legal Aid for Survivors"]),
        ({"age_group": "15_17"}, []),
        ({"foreign_national": "on"}, ["Harbor Survivor Services"]),
        (
            {"service": "", "language": "en", "age_group": "adult_group_unknown"},
            ["Harbor Survivor Services", "Bayside Legal Aid for Survivors"],
        ),
    ],
)
def test_the_search_narrows_on_each_need(client, listed, query, found):
    sign_in_verified(client, listed.analyst)

    response = client.get(URL, query)

    assert response.status_code == 200
    assert _names(response) == found


def test_an_unknown_code_is_answered_in_words_not_an_error(client, listed):
    sign_in_verified(client, listed.steward_a)

    response = client.get(URL, {"service": "teleportation"})

    assert response.status_code == 400
    assert "Service</a>: Choose one of the options in the list." in response.content.decode()


def test_each_caseworker_may_update_only_their_own_entry(client, listed):
    edit_harbor = reverse("care:provider_edit", args=[listed.provider.pk])
    edit_bayside = reverse("care:provider_edit", args=[listed.bayside.pk])

    sign_in_verified(client, listed.caseworker)
    page = client.get(URL).content.decode()
    assert edit_harbor in page
    assert edit_bayside not in page
    assert page.count("Update our entry") == 1

    sign_in_verified(client, listed.steward_a)
    assert "Update our entry" not in client.get(URL).content.decode()
