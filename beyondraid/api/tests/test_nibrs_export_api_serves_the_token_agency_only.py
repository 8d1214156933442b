"""``GET /api/v1/exports/nibrs/?from=…&to=…``: the same flat file as the command, for the token's
own agency only, as text/csv; bad days are 400 problems naming 'from' or 'to'; a token must read
charges, encounters and treatment events; every export is in the audit log under the token."""

import csv
import datetime
import io

import pytest
from django.test import Client
from django.utils import timezone

from beyondraid.accounts.models import AuditEntry
from beyondraid.api import nibrs, tokens
from beyondraid.api.tests.token_builders import TokenClient, agency_a_token
from beyondraid.care.tests.builders import administrator_steward, user
from beyondraid.standard import services
from beyondraid.standard.models import Statute
from beyondraid.standard.tests.builders import OPERATION_START, make_encounter

pytestmark = pytest.mark.django_db

URL = "/api/v1/exports/nibrs/"
PERIOD = {"from": "2020-10-01", "to": "2020-12-31"}


@pytest.fixture
def charged(world):
    """A buyer charged in each agency's operation."""
    statute = Statute.objects.get(code="ca-pc-647b")
    services.record_charge(encounter=world.encounter_a, statute=statute, charged_on=OPERATION_START)
    other = make_encounter(operation=world.operation_b, role="buyer")
    services.record_charge(encounter=other, statute=statute, charged_on=OPERATION_START)


@pytest.fixture
def api(world):
    return TokenClient(agency_a_token(world, can_write=False))


def _problems(response):
    assert response["Content-Type"] == "application/problem+json"
    return response.json()["problems"]


def test_the_token_gets_its_agency_file_as_csv(world, charged, api):
    response = api.get(URL, **PERIOD)
    assert response.status_code == 200
    assert response["Content-Type"] == "text/csv; charset=utf-8"
    assert response["Cache-Control"] == "no-store"
    text = response.content.decode("utf-8")
    start, end = datetime.date(2020, 10, 1), datetime.date(2020, 12, 31)
    assert text == nibrs.as_csv(nibrs.rows(world.agency_a, start, end))
    incidents = {row["incident_id"] for row in csv.DictReader(io.StringIO(text))}
    assert incidents == {f"{world.operation_a.code}-40C", f"{world.operation_a.code}-64A"}
    assert world.operation_b.code not in text


def test_another_agency_token_gets_only_its_own_incidents(world, charged):
    admin_b = user("steward.b.admin", world.agency_b, "steward", is_organisation_admin=True)
    issued = tokens.issue(
        user=admin_b,
        agency=world.agency_b,
        name="B's records system",
        can_read=True,
        can_write=False,
        record_types=["charges", "encounters", "treatment_events"],
        expires_on=timezone.localdate() + datetime.timedelta(days=30),
    )
    text = TokenClient(issued.text).get(URL, **PERIOD).content.decode()
    assert world.operation_b.code in text and world.operation_a.code not in text


def test_the_file_is_csv_whatever_the_client_accepts(world, charged, api):
    response = api.client.get(URL, PERIOD, headers={**api.headers, "Accept": "text/csv"})
    assert response.status_code == 200 and response["Content-Type"].startswith("text/csv")


@pytest.mark.parametrize(
    ("params", "path", "message"),
    [
        ({"to": "2020-12-31"}, "from", "Give the first day, e.g. 2024-01-31."),
        ({"from": "2020-10-01"}, "to", "Give the last day, e.g. 2024-01-31."),
        (
            {"from": "31/12/2020", "to": "2020-12-31"},
            "from",
            "'31/12/2020' is not a date; write it like 2024-01-31.",
        ),
        (
            {"from": "2020-12-31", "to": "2020-10-01"},
            "to",
            "The period ends (2020-10-01) before it starts (2020-12-31).",
        ),
    ],
)
def test_bad_days_are_problems_naming_from_or_to(world, api, params, path, message):
    response = api.client.get(URL, params, headers={**api.headers, "Accept": "text/csv"})
    assert response.status_code == 400
    assert _problems(response) == [{"path": path, "message": message}]


def test_no_token_is_401_and_a_token_not_reading_people_and_arrests_is_403(world):
    assert Client().get(URL, PERIOD).status_code == 401
    admin = administrator_steward(world)

    def token(record_types, *, can_read=True):
        return TokenClient(
            tokens.issue(
                user=admin,
                agency=world.agency_a,
                name="Records management system",
                can_read=can_read,
                can_write=not can_read,
                record_types=record_types,
                expires_on=timezone.localdate() + datetime.timedelta(days=30),
            ).text
        )

    refused = token(["charges"]).get(URL, **PERIOD)
    assert refused.status_code == 403
    assert "does not read encounters, treatment_events" in refused.json()["detail"]
    assert token(["operations"]).get(URL, **PERIOD).status_code == 403
    writer = token(["charges", "encounters", "treatment_events"], can_read=False)
    assert writer.get(URL, **PERIOD).status_code == 403
    assert not AuditEntry.objects.filter(action=AuditEntry.Action.EXPORT).exists()


def test_every_export_is_in_the_audit_log_under_the_token(world, charged, api):
    api.get(URL, **PERIOD)
    entry = AuditEntry.objects.get(action=AuditEntry.Action.EXPORT)
    assert entry.actor is None and entry.actor_label.startswith("token ")
    assert str(world.agency_a) in entry.actor_label
    assert (entry.object_type, entry.object_id) == ("standard.agency", str(world.agency_a.pk))
    assert entry.object_label == "NIBRS export 2020-10-01 to 2020-12-31: 3 rows"


def test_the_schema_documents_the_export_and_its_errors():
    schema = Client().get("/api/schema/?format=json").json()
    operation = schema["paths"][URL]["get"]
    assert operation["operationId"] == "nibrs_export"
    assert operation["tags"] == ["exports"]
    assert list(operation["responses"]["200"]["content"]) == ["text/csv"]
    for status in ("400", "401", "403"):
        assert list(operation["responses"][status]["content"]) == ["application/problem+json"]
    assert [p["name"] for p in operation["parameters"]] == ["from", "to"]
