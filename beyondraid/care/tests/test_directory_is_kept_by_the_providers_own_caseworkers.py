"""A provider keeps its own directory entry: its caseworkers change it, and an administrator, who
may also list any provider, corrects it when needed; nobody else does. The lists hold only codes
a provider can serve."""

import pytest
from django.core.exceptions import ValidationError

from beyondraid.accounts.models import AuditEntry
from beyondraid.care import selectors, services
from beyondraid.care.models import DirectoryList, ProviderProfile, listable_choices
from beyondraid.care.services import CareRefused

from .builders import list_provider, second_provider

pytestmark = pytest.mark.django_db


def test_an_administrator_lists_a_provider_and_its_caseworker_keeps_it_up_to_date(world):
    profile = list_provider(world.provider, by=world.administrator)

    services.update_provider_profile(
        user=world.caseworker, profile=profile, capacity="waitlist", languages=["en", "es", "vi"]
    )

    profile = selectors.provider_profile(world.provider)
    assert profile.capacity == "waitlist"
    assert profile.languages == ["en", "es", "vi"]
    assert profile.services == ["trafficking_shelter", "crisis_counselling"]
    assert profile.updated_by == world.caseworker
    assert profile.serves_minors is False


def test_a_caseworker_may_list_their_own_organisation(world):
    profile = list_provider(world.provider, by=world.caseworker, age_groups=["15_17", "18_24"])

    assert profile.provider == world.provider
    assert profile.serves_minors is True


@pytest.mark.parametrize("persona", ["steward_a", "steward_b", "analyst", "investigator"])
def test_nobody_but_the_providers_caseworkers_and_administrators_changes_its_entry(world, persona):
    profile = list_provider(world.provider, by=world.administrator)

    with pytest.raises(CareRefused, match="Only a caseworker of Harbor Survivor Services"):
        services.update_provider_profile(
            user=getattr(world, persona), profile=profile, capacity="full"
        )

    assert ProviderProfile.objects.get(pk=profile.pk).capacity == "open"


def test_an_administrator_corrects_an_entry_and_is_named_as_its_last_editor(world):
    profile = list_provider(world.provider, by=world.caseworker)

    services.update_provider_profile(user=world.administrator, profile=profile, capacity="full")

    profile = selectors.provider_profile(world.provider)
    assert profile.capacity == "full"
    assert profile.updated_by == world.administrator


def test_another_providers_caseworker_can_neither_list_nor_change_this_one(world):
    _, other_caseworker = second_provider()
    with pytest.raises(CareRefused, match="administrator or a caseworker of Harbor"):
        list_provider(world.provider, by=other_caseworker)

    profile = list_provider(world.provider, by=world.caseworker)
    with pytest.raises(CareRefused):
        services.update_provider_profile(user=other_caseworker, profile=profile, capacity="full")


def test_only_a_victim_service_provider_is_listed_and_only_once(world):
    with pytest.raises(ValidationError) as refused:
        list_provider(world.agency_a, by=world.administrator)
    assert "not a victim-service provider" in refused.value.message_dict["provider"][0]

    list_provider(world.provider, by=world.administrator)
    with pytest.raises(ValidationError) as twice:
        list_provider(world.provider, by=world.administrator)
    assert "already in the directory" in twice.value.message_dict["provider"][0]


def test_bad_lists_are_named_and_nothing_is_written(world):
    with pytest.raises(ValidationError) as refused:
        list_provider(
            world.provider,
            by=world.administrator,
            services=[],
            languages=["en", "klingon"],
            age_groups=["unknown"],
            gender_identities=["woman", "woman"],
        )

    errors = refused.value.message_dict
    assert "Choose at least one" in errors["services"][0]
    assert "klingon cannot be listed among the languages spoken" in errors["languages"][0]
    assert "unknown cannot be listed among the age groups served" in errors["age_groups"][0]
    assert "listed twice" in errors["gender_identities"][0]
    assert not ProviderProfile.objects.exists()


def test_shelter_places_need_the_shelter_service_and_capacity_is_a_known_code(world):
    with pytest.raises(ValidationError) as places:
        list_provider(world.provider, by=world.administrator, services=["legal_services"])
    assert "trafficking_shelter_places" in places.value.message_dict

    profile = list_provider(world.provider, by=world.administrator)
    with pytest.raises(ValidationError) as capacity:
        services.update_provider_profile(user=world.caseworker, profile=profile, capacity="maybe")
    assert "capacity" in capacity.value.message_dict
    assert ProviderProfile.objects.get(pk=profile.pk).capacity == "open"


def test_a_change_to_a_list_logs_only_the_codes_added_and_removed(world):
    profile = list_provider(world.provider, by=world.administrator)
    logged = AuditEntry.objects.filter(object_type="care.profilecode")
    before = logged.count()

    services.update_provider_profile(user=world.caseworker, profile=profile, languages=["es", "ko"])

    assert logged.count() == before + 2
    assert sorted(entry.action for entry in logged[:2]) == ["create", "delete"]
    assert selectors.provider_profile(world.provider).languages == ["es", "ko"]


def test_the_lists_offer_only_what_a_provider_can_serve():
    ages = [code for code, _ in listable_choices(DirectoryList.AGE_GROUPS)]
    assert "unknown" not in ages and "minor_group_unknown" not in ages
    assert ("15_17", "15 to 17") in listable_choices(DirectoryList.AGE_GROUPS)
    assert "unspecified" not in dict(listable_choices(DirectoryList.SERVICES))
