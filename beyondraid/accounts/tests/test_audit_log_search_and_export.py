import csv
import datetime
import io

import pytest
from django.conf import settings
from django.shortcuts import resolve_url
from django.urls import reverse
from django.utils import timezone
from django.utils.html import escape

from beyondraid.accounts.models import AuditEntry
from beyondraid.accounts.testing import sign_in_verified

pytestmark = pytest.mark.django_db

COLUMNS = ["at", "actor", "action", "object_type", "object_id", "object_label", "changed_fields"]


def _at(day: int, hour: int = 12) -> datetime.datetime:
    return timezone.make_aware(datetime.datetime(2025, 3, day, hour))


@pytest.fixture
def log(world):
    """Three entries in March 2025, beside those the fixture's own writes left today."""
    return [
        AuditEntry.objects.create(
            at=_at(3),
            actor=world.steward_a,
            actor_label="steward.a",
            action="update",
            object_type="standard.encounter",
            object_id=str(world.encounter_a.pk),
            object_label=world.encounter_a.code,
            changed_fields=["age_group", "citizenship_status"],
        ),
        AuditEntry.objects.create(
            at=_at(10),
            actor=world.analyst,
            actor_label="analyst",
            action="view",
            object_type="standard.encounter",
            object_id=str(world.encounter_b.pk),
            object_label=world.encounter_b.code,
        ),
        AuditEntry.objects.create(
            at=_at(20, hour=23),
            actor_label="command: load_exchange",
            action="create",
            object_type="standard.agency",
            object_id=str(world.agency_b.pk),
            object_label='=HYPERLINK("http://example.invalid")',
        ),
    ]


def _rows(response) -> list[list[str]]:
    text = b"".join(response.streaming_content).decode()
    return list(csv.reader(io.StringIO(text)))


@pytest.fixture
def analyst_client(client, world):
    sign_in_verified(client, world.analyst)
    return client


def _labels(response) -> str:
    return response.content.decode()


def _shows(page: str, entry: AuditEntry) -> bool:
    return escape(entry.object_label) in page


@pytest.mark.parametrize(
    ("filters", "shown", "hidden"),
    [
        ({"username": "STEWARD.A"}, [0], [1, 2]),
        ({"object_type": "standard.agency"}, [2], [0, 1]),
        ({"action": "view"}, [1], [0, 2]),
        ({"date_from": "2025-03-05", "date_to": "2025-03-20"}, [1, 2], [0]),
        ({"date_to": "2025-03-10"}, [0, 1], [2]),
    ],
)
def test_the_log_is_searched_by_each_filter(analyst_client, log, filters, shown, hidden):
    page = _labels(analyst_client.get(reverse("accounts:audit_log"), filters))
    assert [index for index, entry in enumerate(log) if _shows(page, entry)] == shown
    assert not any(_shows(page, log[index]) for index in hidden)


def test_the_log_is_searched_by_object_id_or_code(analyst_client, world, log):
    by_code = _labels(
        analyst_client.get(reverse("accounts:audit_log"), {"object": log[1].object_label})
    )
    assert log[1].object_label in by_code
    assert log[0].object_label not in by_code
    by_id = analyst_client.get(
        reverse("accounts:audit_log"),
        {"object": log[0].object_id, "object_type": "standard.encounter"},
    )
    assert log[0].object_label in _labels(by_id)


def test_the_log_is_newest_first_fifty_a_page(client, world):
    for minute in range(60):
        AuditEntry.objects.create(
            at=_at(1) + datetime.timedelta(minutes=minute),
            actor_label="command: synth",
            action="create",
            object_type="standard.operation",
            object_id=str(minute),
            object_label=f"OP-{minute:03d}",
        )
    sign_in_verified(client, world.administrator)
    filters = {"username": "command: synth"}
    first = client.get(reverse("accounts:audit_log"), filters)
    entries = first.context["page"].object_list
    assert len(entries) == 50
    assert [e.object_label for e in entries[:2]] == ["OP-059", "OP-058"]
    second = client.get(reverse("accounts:audit_log"), {**filters, "page": 2})
    assert [e.object_label for e in second.context["page"].object_list][-1] == "OP-000"
    assert "username=command" in _labels(first)


def test_the_export_holds_the_filtered_entries_in_csv(analyst_client, world, log):
    response = analyst_client.get(
        reverse("accounts:audit_export"), {"date_from": "2025-03-01", "date_to": "2025-03-31"}
    )
    assert response["Content-Type"].startswith("text/csv")
    assert "attachment" in response["Content-Disposition"]
    rows = _rows(response)
    assert rows[0] == COLUMNS
    assert [row[5] for row in rows[1:]] == [
        '\'=HYPERLINK("http://example.invalid")',
        log[1].object_label,
        log[0].object_label,
    ]
    first = rows[3]
    assert first[:5] == [
        log[0].at.isoformat(),
        "steward.a",
        "update",
        "standard.encounter",
        log[0].object_id,
    ]
    assert first[6] == "age_group;citizenship_status"


def test_an_export_is_itself_logged_and_not_in_its_own_file(analyst_client, world, log):
    response = analyst_client.get(reverse("accounts:audit_export"), {"action": "export"})
    assert _rows(response) == [COLUMNS]
    entry = AuditEntry.objects.get(action="export")
    assert (entry.actor, entry.object_type, entry.object_label) == (
        world.analyst,
        "accounts.auditentry",
        "0 rows",
    )


@pytest.mark.parametrize("persona", ["steward_a", "prosecutor", "caseworker", "investigator"])
def test_other_roles_get_a_plain_refusal(client, world, persona):
    sign_in_verified(client, getattr(world, persona))
    for name in ("accounts:audit_log", "accounts:audit_export"):
        response = client.get(reverse(name))
        assert response.status_code == 403
        assert "You do not have access to the audit log" in response.content.decode()
    assert not AuditEntry.objects.filter(action="export").exists()


def test_an_anonymous_visitor_is_sent_to_sign_in(client, world):
    for name in ("accounts:audit_log", "accounts:audit_export"):
        response = client.get(reverse(name))
        assert response.status_code == 302
        assert response["Location"].startswith(resolve_url(settings.LOGIN_URL))


def test_an_invalid_date_gives_a_message_not_an_error(analyst_client, world, log):
    response = analyst_client.get(reverse("accounts:audit_log"), {"date_from": "2025-02-31"})
    assert response.status_code == 200
    assert "Enter a date as year-month-day" in _labels(response)
    export = analyst_client.get(reverse("accounts:audit_export"), {"date_to": "yesterday"})
    assert export.status_code == 400
    assert "Enter a date as year-month-day" in _labels(export)
    assert not AuditEntry.objects.filter(action="export").exists()


def test_dates_in_the_wrong_order_give_a_message(analyst_client, world):
    response = analyst_client.get(
        reverse("accounts:audit_log"), {"date_from": "2025-03-20", "date_to": "2025-03-01"}
    )
    assert "The end date must be on or after the start date" in _labels(response)


def test_an_unknown_action_or_page_gives_no_error(analyst_client, world, log):
    response = analyst_client.get(
        reverse("accounts:audit_log"), {"action": "explode", "page": "many"}
    )
    assert response.status_code == 200
    assert "Choose what happened from the list" in _labels(response)
    assert analyst_client.get(reverse("accounts:audit_log"), {"page": "999"}).status_code == 200
