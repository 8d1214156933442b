"""Small builders for the care tests: a second provider with its own caseworker, a steward who
is their agency's administrator, directory entries and referrals made through the services."""

import datetime

from beyondraid.accounts.models import User
from beyondraid.care import services
from beyondraid.conftest import PASSWORD
from beyondraid.standard.tests.builders import OPERATION_START, make_agency

ENCOUNTERED = OPERATION_START
CONSENTED = OPERATION_START
SENT = OPERATION_START + datetime.timedelta(days=1)
ANSWERED = OPERATION_START + datetime.timedelta(days=2)
STARTED = OPERATION_START + datetime.timedelta(days=3)
CLOSED = OPERATION_START + datetime.timedelta(days=60)
OVERRIDE_REASON = (
    "The person is fourteen and state law requires an immediate child protection referral."
)


def user(username: str, organisation, role: str, **extra) -> User:
    return User.objects.create_user(
        username=username, password=PASSWORD, organisation=organisation, role=role, **extra
    )


def second_provider(name: str = "Bayside Legal Aid for Survivors"):
    """Another victim-service provider and its caseworker, who must see nothing of the first's."""
    provider = make_agency(name=name, kind="victim_service_provider")
    return provider, user(f"caseworker.{provider.pk}", provider, "caseworker")


def administrator_steward(world) -> User:
    """A steward of agency A who is also its organisation administrator."""
    return user("steward.a.admin", world.agency_a, "steward", is_organisation_admin=True)


def list_provider(provider, *, by, **overrides):
    values = {
        "services": ["trafficking_shelter", "crisis_counselling"],
        "languages": ["en", "es"],
        "gender_identities": ["woman", "transgender_woman", "non_binary"],
        "age_groups": ["18_24", "25_34", "35_and_over"],
        "serves_foreign_nationals": True,
        "answers_any_hour": True,
        "trafficking_shelter_places": 6,
        "capacity": "open",
    }
    values.update(overrides)
    return services.create_provider_profile(user=by, provider=provider, **values)


# What a provider adds to its entry to be on the public directory (/help/).
PUBLIC_ENTRY = {
    "listed_publicly": True,
    "counties": ["06001", "06075"],
    "requires_id": False,
    "requires_police_report": False,
    "contact_phone": "(510) 555-0142",
    "contact_texts": True,
    "contact_hours": "24 hours, every day",
    "walk_in": "on_contact",
}


def list_publicly(provider, *, by, **overrides):
    """A directory entry that is also on the public directory."""
    return list_provider(provider, by=by, **(PUBLIC_ENTRY | overrides))


def refer(world, *, encounter=None, provider=None, by=None, **overrides):
    """A referral of the referred person to Harbor Survivor Services, with consent."""
    provider = provider or world.provider
    values = {
        "services": ["trafficking_shelter", "legal_services"],
        "sent_on": SENT,
        "consent_given_on": CONSENTED,
        "consent_organisation": provider,
        "consent_scope": ["referral_details", "age_gender_language"],
    }
    values.update(overrides)
    return services.send_referral(
        user=by or world.steward_a,
        encounter=encounter or world.referred_encounter,
        provider=provider,
        **values,
    )


def accepted(world, **overrides):
    referral = refer(world, **overrides)
    return services.accept_referral(user=world.caseworker, referral=referral, accepted_on=ANSWERED)
