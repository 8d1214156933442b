"""The API answers as its published OpenAPI schema says (issue 10, "Quality and load"): for every
operation the schema lists, requests generated from the schema — valid ones and, for bad input,
invalid ones — never get a server error, never a status the schema does not document, and always
a body and content type that match what the schema promises for that status.

The schema is read from ``/api/schema/`` through the site's own WSGI application, so an endpoint
added to the API is tested here without touching this module. Token endpoints are called with a
token that reads and writes every kind of record, for an agency with synthetic operations, and
the public endpoints against a published release; generated path parameters are, some of the
time, replaced by real keys so that the answers for records that exist are checked too.
"""

import datetime

import pytest
import schemathesis
from django.core.signals import request_finished, request_started
from django.db import close_old_connections, transaction
from django.db.models import Count
from django.test import Client
from django.utils import timezone
from hypothesis import HealthCheck, settings
from hypothesis import strategies as st
from schemathesis import GenerationMode
from schemathesis.checks import not_a_server_error
from schemathesis.specs.openapi.checks import (
    content_type_conformance,
    negative_data_rejection,
    response_schema_conformance,
    status_code_conformance,
)

from beyondraid.api import tokens
from beyondraid.api.models import RECORD_TYPES
from beyondraid.care.tests.builders import user
from beyondraid.standard.models import Agency
from beyondraid.transparency import releases
from beyondraid.transparency.tests.conftest import load_synthetic
from beyondraid.wsgi import application

CHECKS = [
    not_a_server_error,
    status_code_conformance,
    content_type_conformance,
    response_schema_conformance,
    negative_data_rejection,
]
# Enough to find what a schema and its views disagree on, few enough that the whole run stays
# within a couple of minutes on either database; derandomized so that CI repeats a failure.
EXAMPLES_PER_OPERATION = 25

# NDJSON submissions are text, one JSON document a line: sent as generated, like plain text.
schemathesis.serializer.alias("application/x-ndjson", "text/plain")


def _in_the_test_transaction(environ, start_response):
    """The site's WSGI application, answering within the test's database transaction. Django
    closes "old" connections when a request starts and ends, which would end that transaction;
    its test client stops it from doing so in the same way, for the requests it sends."""
    request_started.disconnect(close_old_connections)
    request_finished.disconnect(close_old_connections)
    try:
        answer = application(environ, start_response)
        try:
            body = b"".join(answer)
        finally:
            answer.close()
        return [body]
    finally:
        request_started.connect(close_old_connections)
        request_finished.connect(close_old_connections)


schema = schemathesis.openapi.from_wsgi("/api/schema/?format=json", _in_the_test_transaction)
schema.config.generation.update(
    modes=[GenerationMode.POSITIVE, GenerationMode.NEGATIVE],
    max_examples=EXAMPLES_PER_OPERATION,
    deterministic=True,
    database="none",
    # Every call carries the module's token (``contract``); a generated Authorization header, or a
    # negative case that drops it, would be overridden by it. No token or a bad one: see
    # test_agency_tokens_read_their_own_agency_only_and_every_use_is_audited.
    with_security_parameters=False,
)

# Real values of path parameters (``key``, ``name``, ``version``, ``slug``…), per path template,
# gathered by the ``contract`` fixture from the API's own collections before the module's tests.
_REAL_PATH_VALUES: dict[str, dict[str, list]] = {}


@schema.hook
def flatmap_path_parameters(context, path_parameters):
    """Either the generated path parameters or, in their place, real ones of the same type (an
    invalid generated value, of another type, is kept so that bad input stays bad)."""
    real = _REAL_PATH_VALUES.get(context.operation.path, {})
    swappable = {
        name: values
        for name, values in real.items()
        if name in path_parameters and type(path_parameters[name]) is type(values[0])
    }
    if not swappable:
        return st.just(path_parameters)
    with_real = st.fixed_dictionaries(
        {name: st.sampled_from(values) for name, values in swappable.items()}
    ).map(lambda chosen: {**path_parameters, **chosen})
    return st.one_of(st.just(path_parameters), with_real)


def _collection_of(path: str) -> str:
    """The address of the collection a templated path belongs to:
    ``/api/v1/encounters/{key}/`` → ``/api/v1/encounters/``."""
    return path[: path.index("{")]


def _fields(document, found: dict[str, list]) -> dict[str, list]:
    """Every scalar value in a JSON document, by the name of its field, in order of appearance."""
    if isinstance(document, list):
        for item in document:
            _fields(item, found)
    elif isinstance(document, dict):
        for name, value in document.items():
            if isinstance(value, dict | list):
                _fields(value, found)
            elif value is not None and value not in found.setdefault(name, []):
                found[name].append(value)
    return found


def _real_path_values(client: Client, headers: dict) -> dict[str, dict[str, list]]:
    """For each templated path of the schema, real values of its parameters, read from its
    collection: a parameter named like a field takes that field's values; ``key`` takes the
    records' ``code`` or, for records without one, their ``id``."""
    templated = [path for path in schema.raw_schema["paths"] if "{" in path]
    real = {}
    for path in templated:
        answer = client.get(_collection_of(path), headers=headers)
        if answer.status_code != 200 or not answer["Content-Type"].startswith("application/json"):
            continue
        fields = _fields(answer.json(), {})
        names = [part[1:-1] for part in path.split("/") if part.startswith("{")]
        values = {}
        for name in names:
            candidates = fields.get(name) or (
                (fields.get("code") or fields.get("id")) if name == "key" else None
            )
            if candidates:
                values[name] = candidates[:3]
        real[path] = values
    return real


def _agency_with_most_operations() -> Agency:
    return Agency.objects.annotate(taking_part=Count("operations")).order_by("-taking_part")[0]


@pytest.fixture(scope="module")
def contract(django_db_setup, django_db_blocker, tmp_path_factory):
    """One agency's synthetic operations, a published release and a token that reads and writes
    everything, made once for the module inside a transaction that is rolled back after it; each
    test's own writes are rolled back by ``db``."""
    with django_db_blocker.unblock(), transaction.atomic():
        load_synthetic(tmp_path_factory.mktemp("synthetic"), operations=8, seed=10)
        every_year = {
            "period_start": datetime.date(2000, 1, 1),
            "period_end": datetime.date(2030, 12, 31),
        }
        release = releases.create_release(name="statewide", **every_year)
        releases.check_release(release)
        releases.publish_release(release)
        agency = _agency_with_most_operations()
        text = tokens.issue(
            user=user("contract.admin", agency, "steward", is_organisation_admin=True),
            agency=agency,
            name="Contract tests",
            can_read=True,
            can_write=True,
            record_types=[name for name, _ in RECORD_TYPES],
            expires_on=timezone.localdate() + datetime.timedelta(days=30),
        ).text
        headers = {"Authorization": f"Bearer {text}"}
        _REAL_PATH_VALUES.update(_real_path_values(Client(), headers))
        try:
            yield headers
        finally:
            _REAL_PATH_VALUES.clear()
            transaction.set_rollback(True)


@schema.parametrize()
# ``db`` is meant to last for all the examples of one operation: they share its transaction.
@settings(suppress_health_check=[HealthCheck.function_scoped_fixture])
def test_every_operation_answers_as_its_schema_says(case, contract, db):
    case.call_and_validate(headers=contract, checks=CHECKS)
