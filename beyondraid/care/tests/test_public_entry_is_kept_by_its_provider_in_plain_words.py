"""A provider puts its entry on the public directory through its own staff page: counties served,
whether it asks for an ID or a police report, how to reach it safely. Bad input is refused in
plain words naming the field, all problems at once; a confidential place's address is never
stored, whichever way it comes; only the provider's caseworkers and administrators change the
entry."""

import pytest
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.urls import reverse

from beyondraid.accounts.testing import sign_in_verified
from beyondraid.care import selectors_public, services
from beyondraid.care.counties import read_counties
from beyondraid.care.models import ProviderProfile
from beyondraid.care.services import CareRefused

from .builders import PUBLIC_ENTRY, list_provider, list_publicly, second_provider

pytestmark = pytest.mark.django_db

FORM = {
    "services": ["emergency_shelter", "legal_services"],
    "languages": ["en", "es"],
    "gender_identities": ["woman", "man"],
    "age_groups": ["18_24", "25_34"],
    "trafficking_shelter_places": "0",
    "capacity": "open",
    "walk_in": "none",
}
PUBLIC_FORM = FORM | {
    "listed_publicly": "on",
    "counties": ["06037", "06059"],
    "requires_id": "False",
    "requires_police_report": "False",
    "contact_phone": "(213) 555-0199",
    "contact_texts": "on",
    "contact_hours": "24 hours, every day",
    "walk_in": "on_contact",
}


def _edit(provider):
    return reverse("care:provider_edit", args=[provider.pk])


def _refusal(**overrides) -> dict[str, list[str]]:
    with pytest.raises(ValidationError) as refused:
        services.update_provider_profile(**overrides)
    return refused.value.message_dict


def test_a_caseworker_lists_their_organisation_publicly_through_its_page(client, world):
    sign_in_verified(client, world.caseworker)

    response = client.post(_edit(world.provider), PUBLIC_FORM)

    assert response.status_code == 302
    entry = selectors_public.public_entry(world.provider.pk)
    assert entry is not None
    assert entry.counties == ("06037", "06059")
    assert entry.asks_for_neither
    assert entry.contact_phone == "(213) 555-0199"
    assert entry.address_on_contact and entry.walk_in_address == ""
    form = client.get(_edit(world.provider)).context["form"]
    assert form.initial["requires_id"] is False
    assert form.initial["walk_in"] == "on_contact"


def test_listing_publicly_asks_for_everything_the_public_needs_at_once(client, world):
    sign_in_verified(client, world.caseworker)

    response = client.post(_edit(world.provider), FORM | {"listed_publicly": "on"})

    assert response.status_code == 400
    page = response.content.decode()
    assert "Counties served</a>: Counties served: choose at least one" in page
    assert "Do you ask for an ID before helping someone?</a>: Say whether you ask for an ID" in (
        page
    )
    assert "Do you ask for a police report before helping someone?</a>: Say whether" in page
    assert "Phone or text line</a>: Phone or text line: the public directory must say how" in page
    assert "When you answer</a>: When you answer: say when people can reach you" in page
    assert not ProviderProfile.objects.exists()


def test_a_confidential_place_keeps_its_address_off_the_record(client, world):
    sign_in_verified(client, world.caseworker)

    response = client.post(
        _edit(world.provider), PUBLIC_FORM | {"walk_in_address": "14 Hidden Lane, Oakland"}
    )

    assert response.status_code == 400
    assert "Walk-in address</a>: Walk-in address: leave it empty unless people can come" in (
        response.content.decode()
    )
    # As typed, so nothing is lost, but nothing is stored.
    assert response.context["form"]["walk_in_address"].value() == "14 Hidden Lane, Oakland"
    assert not ProviderProfile.objects.exists()


def test_the_database_refuses_an_address_for_a_place_whose_address_is_given_on_contact(world):
    list_publicly(
        world.provider, by=world.caseworker, walk_in="address", walk_in_address="1 Main Street"
    )

    with pytest.raises(IntegrityError), transaction.atomic():
        ProviderProfile.objects.filter(provider=world.provider).update(walk_in="on_contact")


def test_the_line_and_the_walk_in_are_checked_in_plain_words(world):
    profile = list_provider(world.provider, by=world.caseworker)

    errors = _refusal(
        user=world.caseworker,
        profile=profile,
        contact_phone="call Maria",
        walk_in="address",
    )
    assert errors["contact_phone"] == [
        "Phone or text line: 'call Maria' is not a telephone number. Write its digits, with the "
        "area code, such as (510) 555-0142."
    ]
    assert errors["walk_in_address"][0].startswith("Walk-in address: give the address")

    errors = _refusal(user=world.caseworker, profile=profile, contact_texts=True)
    assert "needs its number under 'Phone or text line'" in errors["contact_texts"][0]

    errors = _refusal(user=world.caseworker, profile=profile, walk_in="on_contact")
    assert (
        "give the line people call or text to be given the address" in (errors["contact_phone"][0])
    )

    errors = _refusal(user=world.caseworker, profile=profile, counties=["06037", "99999"])
    assert errors["counties"] == [
        "99999 cannot be listed among the counties served; use the five-digit county codes of "
        "beyondraid/care/counties.toml, such as 06037."
    ]
    profile.refresh_from_db()
    assert profile.contact_phone == "" and profile.walk_in == "none"


def test_a_staff_only_entry_needs_no_county_and_keeps_its_answers(world):
    profile = list_provider(world.provider, by=world.caseworker)
    assert profile.counties == []

    services.update_provider_profile(user=world.caseworker, profile=profile, requires_id=True)
    services.update_provider_profile(user=world.caseworker, profile=profile, capacity="full")

    assert ProviderProfile.objects.get(pk=profile.pk).requires_id is True


def test_another_providers_caseworker_cannot_change_the_entry(client, world):
    profile = list_publicly(world.provider, by=world.caseworker)
    _, other_caseworker = second_provider()

    with pytest.raises(CareRefused, match="Only a caseworker of Harbor Survivor Services"):
        services.update_provider_profile(
            user=other_caseworker, profile=profile, listed_publicly=False
        )
    sign_in_verified(client, other_caseworker)
    assert client.post(_edit(world.provider), PUBLIC_FORM).status_code == 403

    entry = selectors_public.public_entry(world.provider.pk)
    assert entry is not None and entry.contact_phone == PUBLIC_ENTRY["contact_phone"]


def test_an_administrator_takes_an_unsafe_entry_off_the_public_directory(client, world):
    list_publicly(world.provider, by=world.caseworker)
    sign_in_verified(client, world.administrator)

    response = client.post(_edit(world.provider), PUBLIC_FORM | {"listed_publicly": ""})

    assert response.status_code == 302
    assert selectors_public.public_entry(world.provider.pk) is None
    assert ProviderProfile.objects.get(provider=world.provider).updated_by == world.administrator


def test_a_malformed_county_list_is_refused_naming_the_county(tmp_path):
    broken = tmp_path / "counties.toml"
    broken.write_text('[NV]\nname = "Nevada"\nfips = "32"\n\n[NV.counties]\n"06003" = "Clark"\n')

    with pytest.raises(ValueError, match="county 'Clark' of NV has code '06003'"):
        read_counties(broken)
