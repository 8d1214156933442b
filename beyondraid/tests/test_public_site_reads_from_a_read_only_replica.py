"""The public site can be served from a read-only replica (docs/scaling.md): with a replica
configured, an anonymous visitor's public pages are read from it and touch nothing on the primary,
while writes, signed-in staff and every request that could change something stay on the primary.

The replica here is a second connection to the test database that refuses every write, made
with the same options ``REPLICA_DATABASE_URL`` gets in settings: a PostgreSQL session that is
read-only by default, or SQLite's ``query_only``. The tests commit what they create, since the
replica connection cannot see another connection's open transaction.
"""

import copy

import pytest
from django.contrib.auth.models import AnonymousUser
from django.db import DatabaseError, connections
from django.db.backends.base.base import BaseDatabaseWrapper
from django.test import RequestFactory
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from beyondraid.accounts.testing import sign_in_verified
from beyondraid.care.tests.builders import list_publicly
from beyondraid.replica import (
    REPLICA,
    ROUTER,
    is_public_read,
    read_only_options,
    serving_the_public,
)
from beyondraid.standard.models import Agency
from beyondraid.standard.tests.builders import make_agency
from beyondraid.transparency.tests.test_public_sample_release import NAME, make_release

# Committed, since the replica's connection cannot see another connection's open transaction.
uses_the_replica = pytest.mark.django_db(transaction=True, databases=["default", REPLICA])

RELEASE = [NAME, 1]
HARBOR = "harbor-city-police-department"


@pytest.fixture(scope="module")
def replica_alias(django_db_setup):
    """A ``replica`` alias on the test database whose connection refuses every write; made before
    each test's database access is set up, which allows only the aliases that exist then. A mirror
    of the default, as settings make it, so that nothing flushes it."""
    settings_dict = copy.deepcopy(connections["default"].settings_dict)
    settings_dict["OPTIONS"] = read_only_options(
        settings_dict["ENGINE"], settings_dict.get("OPTIONS", {})
    )
    settings_dict["TEST"] = {**settings_dict["TEST"], "MIRROR": "default"}
    connections.settings[REPLICA] = settings_dict
    yield
    # Django keeps connections to an in-memory SQLite database open whatever it is asked; this
    # one is the test's own.
    BaseDatabaseWrapper.close(connections[REPLICA])
    del connections[REPLICA]
    del connections.settings[REPLICA]


@pytest.fixture
def read_only_replica(replica_alias, settings):
    # As settings do when REPLICA_DATABASE_URL is set.
    settings.DATABASE_ROUTERS = [ROUTER]
    return connections[REPLICA]


def public_pages(provider_pk: int) -> list[str]:
    return [
        reverse("home"),
        reverse("public:overview"),
        reverse("public:methodology"),
        reverse("public:release_latest", args=[NAME]),
        reverse("public:release", args=RELEASE),
        reverse("public:scorecards", args=RELEASE),
        reverse("public:agency", args=[*RELEASE, HARBOR]),
        reverse("public:state", args=[*RELEASE, "CA"]),
        reverse("public:operations", args=RELEASE),
        reverse("public:trends", args=RELEASE),
        reverse("public:table_csv", args=[*RELEASE, "outcomes_by_agency"]),
        reverse("public:datapackage", args=RELEASE),
        reverse("help:directory"),
        reverse("help:provider", args=[provider_pk]),
        reverse("api:public_releases"),
        reverse("api:public_release_latest", args=[NAME]),
        reverse("api:public_release", args=RELEASE),
        reverse("api:public_table", args=[*RELEASE, "outcomes_by_agency"]),
    ]


@uses_the_replica
def test_an_anonymous_visitor_reads_every_public_page_from_the_replica_alone(
    client, world, read_only_replica
):
    make_release()
    list_publicly(world.provider, by=world.caseworker)
    pages = public_pages(world.provider.pk)

    with (
        CaptureQueriesContext(read_only_replica) as on_replica,
        CaptureQueriesContext(connections["default"]) as on_primary,
    ):
        statuses = {page: client.get(page).status_code for page in pages}

    assert statuses == dict.fromkeys(pages, 200)
    assert len(on_replica) > 0
    # Nothing read from the primary, and nothing written anywhere: no public page writes.
    assert [query["sql"] for query in on_primary] == []


@uses_the_replica
def test_the_replica_refuses_every_write(read_only_replica):
    # PostgreSQL: "cannot execute INSERT in a read-only transaction"; SQLite: "attempt to write
    # a readonly database".
    with (
        pytest.raises(DatabaseError, match="read-only|readonly"),
        read_only_replica.cursor() as cursor,
    ):
        cursor.execute(
            "INSERT INTO django_content_type (app_label, model) VALUES ('replica', 'write')"
        )


@uses_the_replica
def test_a_write_while_serving_the_public_goes_to_the_primary(read_only_replica):
    make_agency(name="Before")

    with serving_the_public():
        agency = Agency.objects.get(name="Before")
        assert agency._state.db == REPLICA
        agency.name = "After"
        agency.save(update_fields=["name"])

    assert Agency.objects.get(pk=agency.pk).name == "After"


@uses_the_replica
def test_signed_in_staff_read_public_pages_from_the_primary(client, world, read_only_replica):
    make_release()
    sign_in_verified(client, world.analyst)

    with CaptureQueriesContext(read_only_replica) as on_replica:
        response = client.get(reverse("public:scorecards", args=RELEASE))

    assert response.status_code == 200
    assert len(on_replica) == 0


@pytest.mark.parametrize(
    ("method", "path", "headers", "public"),
    [
        ("get", "/", {}, True),
        ("get", "/data/", {}, True),
        ("head", "/help/", {}, True),
        ("get", "/api/v1/public/releases/", {}, True),
        ("post", "/data/", {}, False),
        ("post", "/report/feedback/", {}, False),
        ("get", "/report/", {}, False),
        ("get", "/data/records-requests/", {}, False),
        ("get", "/indicators/", {}, False),
        ("get", "/api/v1/public/releases/", {"HTTP_AUTHORIZATION": "Token abc"}, False),
    ],
)
def test_only_an_anonymous_read_of_a_public_page_is_marked_for_the_replica(
    method, path, headers, public
):
    request = getattr(RequestFactory(), method)(path, **headers)
    request.user = AnonymousUser()
    assert is_public_read(request) is public
