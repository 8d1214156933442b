"""A provider's caseworker lists their organisation in the directory and keeps the entry up to
date through its page; an administrator lists a provider and may correct its entry; another
provider's caseworker and everyone else are refused, and bad input comes back as typed with the
field named."""

import pytest
from django.urls import reverse

from beyondraid.accounts.testing import sign_in_verified
from beyondraid.care import selectors
from beyondraid.care.models import ProviderProfile

from .builders import list_provider, second_provider

pytestmark = pytest.mark.django_db

ENTRY = {
    "services": ["emergency_shelter", "immigration_legal"],
    "languages": ["en", "vi"],
    "gender_identities": ["woman", "man"],
    "age_groups": ["15_17", "18_24"],
    "serves_foreign_nationals": "on",
    "trafficking_shelter_places": "0",
    "capacity": "waitlist",
    "walk_in": "none",
}


def _edit(world):
    return reverse("care:provider_edit", args=[world.provider.pk])


def test_a_caseworker_lists_their_organisation(client, world):
    sign_in_verified(client, world.caseworker)

    assert client.get(_edit(world)).status_code == 200
    response = client.post(_edit(world), ENTRY)

    assert response.status_code == 302
    entry = selectors.provider_profile(world.provider)
    assert entry.services == ["emergency_shelter", "immigration_legal"]
    assert entry.age_groups == ["15_17", "18_24"]
    assert entry.serves_minors is True
    assert entry.serves_foreign_nationals is True
    assert entry.answers_any_hour is False
    assert entry.capacity == "waitlist"
    assert entry.updated_by == world.caseworker


def test_a_caseworker_updates_the_entry_they_keep(client, world):
    list_provider(world.provider, by=world.caseworker)
    sign_in_verified(client, world.caseworker)

    form = client.get(_edit(world)).context["form"]
    assert form.initial["capacity"] == "open"
    assert form.initial["languages"] == ["en", "es"]
    response = client.post(_edit(world), ENTRY | {"capacity": "full"})

    assert response.status_code == 302
    entry = selectors.provider_profile(world.provider)
    assert entry.capacity == "full"
    assert entry.languages == ["en", "vi"]
    assert entry.trafficking_shelter_places == 0


def test_another_providers_caseworker_is_refused(client, world):
    list_provider(world.provider, by=world.caseworker)
    _, other_caseworker = second_provider()
    sign_in_verified(client, other_caseworker)

    assert client.get(_edit(world)).status_code == 403
    response = client.post(_edit(world), ENTRY | {"capacity": "full"})

    assert response.status_code == 403
    assert "Only a caseworker of Harbor Survivor Services" in response.content.decode()
    assert selectors.provider_profile(world.provider).capacity == "open"


def test_an_organisation_that_is_not_a_provider_has_no_entry_page(client, world):
    sign_in_verified(client, world.administrator)

    assert client.get(reverse("care:provider_edit", args=[world.agency_a.pk])).status_code == 404


def test_an_administrator_lists_a_provider_not_listed_yet_and_may_correct_it(client, world):
    sign_in_verified(client, world.administrator)
    assert reverse("care:provider_edit", args=[world.provider.pk]) in (
        client.get(reverse("care:directory")).content.decode()
    )

    assert client.post(_edit(world), ENTRY).status_code == 302
    assert client.get(_edit(world)).status_code == 200
    assert "Update this entry" in client.get(reverse("care:directory")).content.decode()


def test_bad_input_comes_back_as_typed_naming_the_fields(client, world):
    sign_in_verified(client, world.caseworker)

    response = client.post(
        _edit(world),
        ENTRY | {"languages": [], "trafficking_shelter_places": "4"},
    )

    assert response.status_code == 400
    page = response.content.decode()
    assert "Languages spoken</a>: Choose at least one" in page
    form = response.context["form"]
    assert form["trafficking_shelter_places"].value() == "4"
    assert form["services"].value() == ["emergency_shelter", "immigration_legal"]
    assert 'value="immigration_legal" class="usa-checkbox__input"' in page
    assert not ProviderProfile.objects.exists()


def test_shelter_places_need_the_shelter_service(client, world):
    sign_in_verified(client, world.caseworker)

    response = client.post(_edit(world), ENTRY | {"trafficking_shelter_places": "4"})

    assert response.status_code == 400
    assert "Places in a trafficking-specific shelter</a>: Places in a" in (
        response.content.decode()
    )
    assert not ProviderProfile.objects.exists()
