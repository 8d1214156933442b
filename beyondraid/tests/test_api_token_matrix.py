"""Every API address that answers agency tokens, for every kind of token: what each scope
reaches, and nothing more (docs/api.md). An address without a row here fails the test, as in the
access matrix of the pages (test_access_matrix.py), which covers the signed-in personas.
"""

import datetime
from collections.abc import Callable
from dataclasses import dataclass

import pytest
from django.test import Client
from django.urls import URLPattern, get_resolver, reverse
from django.utils import timezone

from beyondraid.api import tokens
from beyondraid.api.authentication import IntegrationTokenAuthentication
from beyondraid.care.tests.builders import administrator_steward
from beyondraid.intake.models import ImportBatch
from beyondraid.standard import services
from beyondraid.standard.models import Statute

pytestmark = pytest.mark.django_db

ALL_TYPES = [
    "operations",
    "encounters",
    "treatment_events",
    "charges",
    "service_offers",
    "follow_ups",
]

# Token kinds: (agency, can_read, can_write, record types, revoked)
TOKENS = {
    "reads_all": ("a", True, False, ALL_TYPES, False),
    "reads_operations": ("a", True, False, ["operations"], False),
    "writes_all": ("a", True, True, ALL_TYPES, False),
    "writes_only": ("a", False, True, ALL_TYPES, False),
    "other_agency": ("b", True, True, ALL_TYPES, False),
    "revoked": ("a", True, True, ALL_TYPES, True),
}


@dataclass(frozen=True)
class Row:
    """One address: how to reach it, the record type it serves, and what each method gets."""

    record_type: str
    args: Callable = lambda records: []
    detail: bool = False
    methods: tuple[str, ...] = ("get", "post")
    content_type: str = "application/json"
    query: str = ""
    # Read by the tokens that write its record type, as part of writing (a submission's status).
    read_with_write: bool = False


def _expected(row: Row, token: str, method: str) -> int:
    agency, can_read, can_write, types, revoked = TOKENS[token]
    if revoked:
        return 401
    write = method != "get" or row.read_with_write
    if row.record_type not in types or not (can_write if write else can_read):
        return 403
    if row.detail and agency == "b":
        return 404  # another agency's record does not exist for it
    if method == "post":
        return 400  # the scope lets it through; the empty record is refused
    return 200


MATRIX = {
    "api:operations": Row("operations"),
    "api:operations_detail": Row("operations", lambda r: [r["operation"]], True, ("get", "patch")),
    "api:encounters": Row("encounters"),
    "api:encounters_detail": Row("encounters", lambda r: [r["encounter"]], True, ("get", "patch")),
    "api:treatment_events": Row("treatment_events"),
    "api:treatment_events_detail": Row(
        "treatment_events", lambda r: [r["treatment_event"]], True, ("get", "patch")
    ),
    "api:charges": Row("charges"),
    "api:charges_detail": Row("charges", lambda r: [r["charge"]], True, ("get", "patch")),
    "api:service_offers": Row("service_offers"),
    "api:service_offers_detail": Row(
        "service_offers", lambda r: [r["service_offer"]], True, ("get", "patch")
    ),
    "api:follow_ups": Row("follow_ups"),
    "api:follow_ups_detail": Row("follow_ups", lambda r: [r["follow_up"]], True, ("get", "patch")),
    # An agency's own NIBRS file: it shows people's ages, sexes and arrests, so it needs the
    # person-level scopes beside charges (docs/nibrs.md).
    "api:nibrs_export": Row("charges", methods=("get",), query="?from=2020-01-01&to=2020-12-31"),
    # A submission writes operations with their encounters; an empty one is refused.
    "api:submissions": Row("operations", methods=("post",), content_type="application/x-ndjson"),
    # Following a submission is part of making one: the tokens that submit read its status.
    "api:submission": Row(
        "operations", lambda r: [r["submission"]], True, ("get",), read_with_write=True
    ),
}


def _token_urls() -> set[str]:
    names = set()
    for pattern in get_resolver().url_patterns:
        if getattr(pattern, "namespace", None) != "api":
            continue
        for inner in pattern.url_patterns:
            view = getattr(inner.callback, "cls", None)
            if (
                isinstance(inner, URLPattern)
                and view is not None
                and IntegrationTokenAuthentication in view.authentication_classes
            ):
                names.add(f"api:{inner.name}")
    return names


def test_every_address_answering_tokens_has_a_row():
    assert _token_urls() == set(MATRIX)


@pytest.fixture
def records(world):
    encounter = world.encounter_a
    return {
        "operation": world.operation_a.code,
        "encounter": encounter.code,
        "treatment_event": services.record_treatment_event(
            encounter=encounter, kind="released", occurred_on=encounter.encountered_on
        ).pk,
        "charge": services.record_charge(
            encounter=encounter,
            statute=Statute.objects.get(code="ca-pc-647b"),
            charged_on=encounter.encountered_on,
        ).pk,
        "service_offer": services.offer_service(
            encounter=encounter,
            service_type="legal_services",
            offered_on=encounter.encountered_on,
            offered_by=world.agency_a,
        ).pk,
        "submission": ImportBatch.objects.create(
            agency=world.agency_a,
            channel=ImportBatch.Channel.API,
            status=ImportBatch.Status.COMPLETED,
            finished_at=timezone.now(),
        ).pk,
        "follow_up": services.record_follow_up(
            encounter=encounter, due_on=encounter.encountered_on + datetime.timedelta(days=90)
        ).pk,
    }


@pytest.fixture
def token_texts(world):
    administrator = administrator_steward(world)
    texts = {}
    for name, (agency, can_read, can_write, types, revoked) in TOKENS.items():
        owner = world.agency_a if agency == "a" else world.agency_b
        administrator.organisation = owner
        issued = tokens.issue(
            user=administrator,
            agency=owner,
            name=name,
            can_read=can_read,
            can_write=can_write,
            record_types=types,
            expires_on=timezone.localdate() + datetime.timedelta(days=30),
        )
        if revoked:
            tokens.revoke(user=administrator, token=issued.token)
        texts[name] = issued.text
    administrator.organisation = world.agency_a
    return texts


@pytest.mark.parametrize("token", list(TOKENS))
def test_each_token_reaches_what_its_scopes_allow(records, token_texts, token):
    client = Client()
    headers = {"Authorization": f"Bearer {token_texts[token]}"}
    wrong = []
    for name, row in MATRIX.items():
        path = reverse(name, args=row.args(records)) + row.query
        for method in row.methods:
            call = getattr(client, method)
            if method == "get":
                answer = call(path, headers=headers)
            else:
                body = {} if row.content_type == "application/json" else ""
                answer = call(path, body, content_type=row.content_type, headers=headers)
            expected = _expected(row, token, method)
            if answer.status_code != expected:
                wrong.append(f"{method.upper()} {name}: {answer.status_code}, expected {expected}")
    assert not wrong, "\n".join(wrong)
