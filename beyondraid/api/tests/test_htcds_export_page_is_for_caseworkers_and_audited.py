"""The caseworker's download: a page for the provider's caseworkers only, the file as CSV with a
header or as a JSON list of objects, never cached, and every export in the audit log, once for
the export and once for each case it carried."""

import csv
import datetime
import io
import json

import pytest
from django.urls import reverse

from beyondraid.accounts.models import AuditEntry
from beyondraid.accounts.testing import sign_in_verified
from beyondraid.api import htcds
from beyondraid.care import services
from beyondraid.care.tests.builders import ANSWERED, accepted, list_provider

pytestmark = pytest.mark.django_db

URL = reverse("api:htcds_export")


@pytest.fixture
def case(world):
    list_provider(world.provider, by=world.caseworker)
    referral = accepted(world)
    services.record_delivery(
        user=world.caseworker,
        referral=referral,
        service_type="legal_services",
        delivered_on=ANSWERED,
    )
    services.record_follow_up(
        user=world.caseworker,
        referral=referral,
        due_on=ANSWERED + datetime.timedelta(days=30),
        done_on=ANSWERED + datetime.timedelta(days=30),
        reached="yes",
        still_receiving_services="yes",
    )
    services.record_follow_up(
        user=world.caseworker, referral=referral, due_on=ANSWERED + datetime.timedelta(days=180)
    )
    return referral


@pytest.mark.parametrize(
    "persona", ["steward_a", "steward_b", "prosecutor", "analyst", "investigator", "administrator"]
)
def test_everyone_but_caseworkers_is_refused_and_nothing_is_logged(client, world, case, persona):
    sign_in_verified(client, getattr(world, persona))

    response = client.get(URL, {"format": "csv"})

    assert response.status_code == 403
    assert "Only caseworkers" in response.content.decode()
    assert not AuditEntry.objects.filter(action=AuditEntry.Action.EXPORT).exists()


def test_visitors_are_sent_to_sign_in(client, world, case):
    response = client.get(URL, {"format": "csv"})

    assert response.status_code == 302


def test_the_page_offers_both_files_and_says_what_they_hold(client, world, case):
    sign_in_verified(client, world.caseworker)

    response = client.get(URL)

    page = response.content.decode()
    assert response.status_code == 200
    assert "Download CSV" in page and "Download JSON" in page
    assert "1 case to export" in page
    assert "vic_TraffickingStatus" in page
    assert not AuditEntry.objects.filter(action=AuditEntry.Action.EXPORT).exists()


def test_an_unknown_format_is_named_with_the_choices(client, world, case):
    sign_in_verified(client, world.caseworker)

    response = client.get(URL, {"format": "xlsx"})

    assert response.status_code == 400
    assert "There is no format “xlsx”" in response.content.decode()
    assert "CSV or JSON" in response.content.decode()


def test_the_csv_file_has_a_header_and_one_row_per_case(client, world, case):
    sign_in_verified(client, world.caseworker)

    response = client.get(URL, {"format": "csv"})

    assert response.status_code == 200
    assert response["Content-Type"].startswith("text/csv")
    assert 'filename="htcds-harbor-survivor-services.csv"' in response["Content-Disposition"]
    assert "no-store" in response["Cache-Control"]
    reader = csv.DictReader(io.StringIO(response.content.decode()))
    assert reader.fieldnames == htcds.column_names()
    [row] = list(reader)
    assert row["btr_CaseId"] == case.code
    assert row["cas_Status"] == "Active"
    assert row["spl_Type"] == "SocialCare;Legal"
    assert row["btr_ServicesAccepted"] == "trafficking_shelter;legal_services"
    assert row["btr_ServicesStartedOn"] == ANSWERED.isoformat()
    assert row["btr_FollowUpsDone"] == "1"
    assert row["btr_LastFollowUpReached"] == "yes"
    assert row["btr_StillReceivingServices"] == "yes"
    assert row["btr_NextFollowUpDue"] == (ANSWERED + datetime.timedelta(days=180)).isoformat()
    assert row["prs_Citizenship"] == ""


def test_the_json_file_is_a_list_of_objects_without_columns_outside_the_consent(
    client, world, case
):
    sign_in_verified(client, world.caseworker)

    response = client.get(URL, {"format": "json"})

    assert response["Content-Type"] == "application/json"
    [row] = json.loads(response.content)
    assert row["btr_CaseId"] == case.code
    assert row["btr_ServicesOffered"] == ["trafficking_shelter", "legal_services"]
    assert row["spl_ActualEndDate"] is None
    assert "prs_Citizenship" not in row


def test_the_export_and_each_case_it_carried_are_in_the_audit_log(client, world, case):
    sign_in_verified(client, world.caseworker)

    client.get(URL, {"format": "json"})

    exported = AuditEntry.objects.filter(action=AuditEntry.Action.EXPORT, actor=world.caseworker)
    assert set(exported.values_list("object_type", "object_id", "object_label")) == {
        ("care.referral", "", "1 rows"),
        ("care.referral", str(case.pk), "Referral"),
    }
