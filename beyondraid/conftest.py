"""Personas shared by every test module (docs/architecture.md, Tests).

Agency A runs an operation jointly with a prosecutor's office; agency B is another police
department whose steward must see nothing of A's. One of A's people accepted a service offer
naming a victim-service provider, but no referral was sent: the provider's caseworker sees no one
until a test refers a person and the provider accepts (``care/tests/builders.py``).
"""

import os
from dataclasses import dataclass

import pytest
from django.utils import translation
from hypothesis import settings as hypothesis_settings

from beyondraid.accounts.models import User
from beyondraid.standard import services
from beyondraid.standard.tests.builders import make_agency, make_encounter, make_operation

# The real-browser fixtures serve every app's browser tests, so they are loaded for the whole suite.
pytest_plugins = ["beyondraid.tests.browser"]

# Property tests draw the same examples on every run, so `make test` and CI never pass or fail by
# chance; each failing example found so far is pinned with @example beside its test.
# `make test-explore` draws fresh ones (HYPOTHESIS_PROFILE=explore) for developers hunting defects.
hypothesis_settings.register_profile("derandomized", derandomize=True, database=None)
hypothesis_settings.register_profile("explore", derandomize=False, print_blob=True)
hypothesis_settings.load_profile(os.environ.get("HYPOTHESIS_PROFILE", "derandomized"))

PASSWORD = "correct horse battery staple 42"  # noqa: S105 - test personas only


@dataclass
class World:
    agency_a: object
    agency_b: object
    prosecutor_office: object
    provider: object
    oversight: object
    operation_a: object
    operation_b: object
    encounter_a: object
    referred_encounter: object
    encounter_b: object
    steward_a: User
    steward_b: User
    prosecutor: User
    caseworker: User
    analyst: User
    investigator: User
    administrator: User

    @property
    def personas(self) -> dict[str, User | None]:
        return {
            "steward_a": self.steward_a,
            "steward_b": self.steward_b,
            "prosecutor": self.prosecutor,
            "caseworker": self.caseworker,
            "analyst": self.analyst,
            "investigator": self.investigator,
            "administrator": self.administrator,
            "anonymous": None,
        }


# Every test links under this key, never the demo's key file under var/ (docs/linkage.md).
TEST_LINKAGE_KEY = b"beyondraid-tests-fixed-linkage-key-not-secret-0123456789"


@pytest.fixture(autouse=True, scope="session")
def _fixed_linkage_key():
    """Set for the whole session, before the session's fixtures load synthetic data."""
    from django.conf import settings

    settings.LINKAGE_KEY = TEST_LINKAGE_KEY


@pytest.fixture(autouse=True)
def _fast_password_hashing(settings):
    """Argon2 is slow on purpose; tests that are not about hashing use a fast hasher."""
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


@pytest.fixture(autouse=True)
def _private_cache(settings):
    """Each test gets an empty cache of its own (sessions and import progress live there), never
    the files under var/."""
    settings.CACHES = {"default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"}}


@pytest.fixture(autouse=True)
def _default_language():
    """Each test starts in the site's default language. A request through the test client runs
    LocaleMiddleware in the test's own thread, and the language it activates (Spanish, for a
    reporter's request) would otherwise stay active for the next test on the same worker."""
    translation.deactivate()
    yield
    translation.deactivate()


def _user(username, organisation, role, **extra) -> User:
    return User.objects.create_user(
        username=username,
        password=PASSWORD,
        organisation=organisation,
        role=role,
        **extra,
    )


@pytest.fixture
def world(db) -> World:
    agency_a = make_agency(name="Agency A Police Department")
    agency_b = make_agency(name="Agency B Police Department")
    prosecutor_office = make_agency(name="County District Attorney", kind="prosecutor")
    provider = make_agency(name="Harbor Survivor Services", kind="victim_service_provider")
    oversight = make_agency(name="Civilian Oversight Commission", kind="oversight_body")
    operation_a = make_operation(
        lead_agency=agency_a, participants=[(prosecutor_office, "prosecutor")]
    )
    operation_b = make_operation(lead_agency=agency_b)
    encounter_a = make_encounter(operation=operation_a, role="buyer", age_group="35_and_over")
    referred = make_encounter(
        operation=operation_a, role="suspected_victim", role_basis="self_identified"
    )
    services.offer_service(
        encounter=referred,
        service_type="trafficking_shelter",
        offered_on=referred.encountered_on,
        offered_by=agency_a,
        provider=provider,
        response="accepted",
    )
    encounter_b = make_encounter(operation=operation_b, role="suspected_victim")
    return World(
        agency_a=agency_a,
        agency_b=agency_b,
        prosecutor_office=prosecutor_office,
        provider=provider,
        oversight=oversight,
        operation_a=operation_a,
        operation_b=operation_b,
        encounter_a=encounter_a,
        referred_encounter=referred,
        encounter_b=encounter_b,
        steward_a=_user("steward.a", agency_a, "steward"),
        steward_b=_user("steward.b", agency_b, "steward"),
        prosecutor=_user("prosecutor", prosecutor_office, "prosecutor"),
        caseworker=_user("caseworker", provider, "caseworker"),
        analyst=_user("analyst", oversight, "analyst"),
        investigator=_user("investigator", oversight, "investigator"),
        administrator=_user("administrator", oversight, "administrator", is_staff=True),
    )


# Tests of what only one database does, each run by CI on that database and deselected, with a
# notice, on the other: the marker, and how to run them.
_ONLY_ON = {
    "postgresql": ("PostgreSQL", "SQLite", "run them with DATABASE_URL=postgres://… make test"),
    "sqlite": ("SQLite", "PostgreSQL", "run them with `make test` and no DATABASE_URL"),
}


def pytest_collection_modifyitems(config, items):
    """Tests marked for the other database are deselected, visibly; CI runs the suite on both."""
    from django.db import connection

    marker = "sqlite" if connection.vendor == "postgresql" else "postgresql"
    elsewhere = [item for item in items if item.get_closest_marker(marker)]
    if elsewhere:
        config.hook.pytest_deselected(items=elsewhere)
        items[:] = [item for item in items if not item.get_closest_marker(marker)]
        config._only_elsewhere = (marker, len(elsewhere))
        if hasattr(config, "workeroutput"):  # a pytest-xdist worker tells the controller
            config.workeroutput["only_elsewhere"] = (marker, len(elsewhere))


def pytest_testnodedown(node, error):
    """Under pytest-xdist the workers collect and deselect; each collects the whole suite."""
    reported = getattr(node, "workeroutput", {}).get("only_elsewhere")
    if reported:
        node.config._only_elsewhere = tuple(reported)


def pytest_terminal_summary(terminalreporter, config):
    marker, count = getattr(config, "_only_elsewhere", ("", 0))
    if count:
        only, here, how = _ONLY_ON[marker]
        terminalreporter.write_line(
            f"{count} {only}-only test(s) deselected on {here}; {how} (CI does)."
        )
