"""Finding a provider filters on service, language, age group and gender identity, and lists
providers that can take someone now first."""

import pytest
from django.core.exceptions import ValidationError

from beyondraid.care import selectors
from beyondraid.standard.tests.builders import make_agency, make_encounter

from .builders import list_provider

pytestmark = pytest.mark.django_db


@pytest.fixture
def network(world):
    """Three providers: a full adult shelter (world.provider), an open youth programme, and an
    open legal service on a waiting list for Spanish speakers."""
    youth = make_agency(name="Youth Harbor", kind="victim_service_provider")
    legal = make_agency(name="Legal Aid for Survivors", kind="victim_service_provider")
    by = world.administrator
    list_provider(world.provider, by=by, capacity="full")
    list_provider(
        youth,
        by=by,
        services=["trafficking_shelter", "education"],
        languages=["en"],
        age_groups=["12_14", "15_17"],
        gender_identities=["woman", "man", "transgender_woman", "transgender_man", "non_binary"],
        serves_foreign_nationals=False,
    )
    list_provider(
        legal,
        by=by,
        services=["legal_services", "immigration_legal"],
        languages=["es", "en"],
        trafficking_shelter_places=0,
        age_groups=["18_24", "25_34", "35_and_over", "15_17"],
        gender_identities=["woman", "man", "non_binary"],
        capacity="waitlist",
    )
    return world


def _names(profiles) -> list[str]:
    return [profile.provider.name for profile in profiles]


def test_open_providers_come_first_then_waiting_lists_then_full(network):
    assert _names(selectors.find_providers()) == [
        "Youth Harbor",
        "Legal Aid for Survivors",
        "Harbor Survivor Services",
    ]


def test_each_need_narrows_the_list(network):
    assert _names(selectors.find_providers(service="trafficking_shelter")) == [
        "Youth Harbor",
        "Harbor Survivor Services",
    ]
    assert _names(selectors.find_providers(language="es")) == [
        "Legal Aid for Survivors",
        "Harbor Survivor Services",
    ]
    assert _names(selectors.find_providers(age_group="15_17")) == [
        "Youth Harbor",
        "Legal Aid for Survivors",
    ]
    assert _names(selectors.find_providers(gender_identity="transgender_man")) == ["Youth Harbor"]


def test_all_four_needs_together(network):
    found = selectors.find_providers(
        service="legal_services", language="es", age_group="25_34", gender_identity="woman"
    )
    assert _names(found) == ["Legal Aid for Survivors"]
    assert not selectors.find_providers(
        service="trafficking_shelter", language="es", age_group="15_17", gender_identity="woman"
    ).exists()


def test_an_answer_not_known_does_not_narrow_and_a_bare_minor_matches_any_minor_band(network):
    assert len(selectors.find_providers(language="unknown", gender_identity="not_recorded")) == 3
    assert _names(selectors.find_providers(age_group="minor_group_unknown")) == [
        "Youth Harbor",
        "Legal Aid for Survivors",
    ]


def test_foreign_nationals_are_matched_with_providers_that_serve_them(network):
    assert _names(selectors.find_providers(foreign_national=True)) == [
        "Legal Aid for Survivors",
        "Harbor Survivor Services",
    ]


def test_an_unknown_code_is_named_with_the_codes_to_use(network):
    with pytest.raises(ValidationError) as refused:
        selectors.find_providers(service="spa_day", language="xx")
    errors = refused.value.message_dict
    assert "'spa_day' is not a code of the service type list" in errors["service"][0]
    assert "use one of:" in errors["language"][0]


def test_a_steward_finds_providers_for_the_person_they_may_refer(network):
    person = make_encounter(
        operation=network.operation_a,
        role="suspected_victim",
        age_group="15_17",
        gender_identity="woman",
        primary_language="es",
        citizenship_status="undocumented",
    )

    found = selectors.providers_for_encounter(
        network.steward_a, encounter=person, service="legal_services"
    )

    assert _names(found) == ["Legal Aid for Survivors"]
    assert not selectors.providers_for_encounter(network.steward_b, encounter=person).exists()
