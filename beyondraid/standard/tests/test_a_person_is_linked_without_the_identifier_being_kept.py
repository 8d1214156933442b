"""Issue 21, item 3: a steward links a person's records with a booking number their agency holds.
Only the keyed hash is kept: the number is nowhere in the database, the audit log, the logs or the
page, not even when it is refused. The person's page then lists their other contacts the reader
may see, each read logged; a refusal names the field; only the organisation holding the number
links, and only within its linkage group do links meet."""

import io
import logging

import pytest
from django.core.exceptions import ValidationError
from django.core.management import call_command
from django.urls import reverse

from beyondraid.accounts.models import AuditEntry
from beyondraid.accounts.testing import sign_in_verified
from beyondraid.standard import linkage, services
from beyondraid.standard.tests.builders import OPERATION_START, make_encounter, make_operation

pytestmark = pytest.mark.django_db

NUMBER = "bk-7731 qz"
NORMALISED = "BK7731QZ"


def _everything_stored() -> str:
    out = io.StringIO()
    call_command("dumpdata", "standard", "accounts", "care", stdout=out)
    return out.getvalue()


def _link(client, encounter, number=NUMBER):
    return client.post(
        reverse("standard:link_person", args=[encounter.code]), {"identifier": number}
    )


@pytest.fixture
def steward(client, world):
    sign_in_verified(client, world.steward_a)
    return client


def test_a_link_keeps_only_the_keyed_hash_and_audits_who_linked(steward, world, caplog):
    caplog.set_level(logging.DEBUG)
    response = _link(steward, world.referred_encounter)
    assert response.status_code == 302
    world.referred_encounter.refresh_from_db()
    assert world.referred_encounter.person_link == linkage.person_link(NUMBER, world.agency_a)
    change = AuditEntry.objects.get(
        action=AuditEntry.Action.UPDATE, object_id=str(world.referred_encounter.pk)
    )
    assert change.actor == world.steward_a
    assert change.changed_fields == ["person_link"]
    page = steward.get(response["Location"]).content.decode()
    stored = _everything_stored()
    for text in (NUMBER, NORMALISED, NUMBER.upper()):
        assert text not in stored
        assert text not in page
        assert text not in caplog.text
    # Not even the hash leaves the server in the page.
    assert world.referred_encounter.person_link not in page


@pytest.mark.parametrize(
    ("number", "message"),
    [
        ("", "Give the booking or case number."),
        ("unknown", "The booking or case number is a placeholder"),
        ("N/A", "The booking or case number is a placeholder"),
        ("000", "The booking or case number is a placeholder"),
        ("A1", "The booking or case number is too short"),
    ],
)
def test_a_refused_number_is_named_and_never_repeated(steward, world, number, message):
    response = _link(steward, world.referred_encounter, number)
    assert response.status_code == 400
    page = response.content.decode()
    assert message in page
    assert 'name="identifier"' in page and f'value="{number}"' not in page
    world.referred_encounter.refresh_from_db()
    assert world.referred_encounter.person_link == ""


def test_a_number_refused_with_other_mistakes_is_not_written_back_into_the_page(steward, world):
    response = _link(steward, world.referred_encounter, "x" * 101 + NUMBER)
    assert response.status_code == 400
    assert NUMBER not in response.content.decode()


def test_only_the_organisation_holding_the_number_links(client, world):
    sign_in_verified(client, world.prosecutor)
    refused = _link(client, world.referred_encounter)
    assert refused.status_code == 403
    assert "Only a data steward or a caseworker of the organisation" in refused.content.decode()
    sign_in_verified(client, world.steward_b)
    assert _link(client, world.referred_encounter).status_code == 404
    with pytest.raises(ValidationError, match="Only a data steward or a caseworker"):
        services.link_person(
            user=world.analyst, encounter=world.referred_encounter, identifier=NUMBER
        )
    world.referred_encounter.refresh_from_db()
    assert world.referred_encounter.person_link == ""


def test_the_page_lists_the_other_contacts_the_reader_may_see_and_logs_each(steward, world):
    later = make_operation(
        lead_agency=world.agency_a,
        start_date=OPERATION_START.replace(year=OPERATION_START.year + 1),
        end_date=OPERATION_START.replace(year=OPERATION_START.year + 1),
    )
    again = make_encounter(operation=later, role="confirmed_victim", role_basis="investigation")
    services.record_treatment_event(
        encounter=world.referred_encounter,
        kind="arrested",
        occurred_on=OPERATION_START,
        arrest_basis="probable_cause",
    )
    # Agency B's person, linked with the same number under B's own key, is not the same person.
    other = make_encounter(operation=world.operation_b)
    for person, user in ((world.referred_encounter, world.steward_a), (again, world.steward_a)):
        services.link_person(user=user, encounter=person, identifier=NUMBER)
    services.link_person(user=world.steward_b, encounter=other, identifier=NUMBER)
    page = steward.get(reverse("standard:encounter_detail", args=[again.code])).content.decode()
    assert "Other contacts of this person" in page
    assert world.referred_encounter.code in page and world.operation_a.name in page
    assert "(earlier)" in page and "<td>Yes</td>" in page
    assert other.code not in page
    viewed = set(
        AuditEntry.objects.filter(action=AuditEntry.Action.VIEW).values_list("object_id", flat=True)
    )
    assert {str(again.pk), str(world.referred_encounter.pk)} <= viewed
    assert str(other.pk) not in viewed


def test_links_meet_only_within_a_linkage_group(world):
    assert linkage.person_link(NUMBER, world.agency_a) != linkage.person_link(
        NUMBER, world.agency_b
    )
    for agency in (world.agency_a, world.agency_b):
        agency.linkage_group = "County linkage group"
        agency.save()
    assert linkage.person_link(NUMBER, world.agency_a) == linkage.person_link(
        NUMBER, world.agency_b
    )


def test_a_link_given_ready_made_is_a_hash_and_a_refusal_does_not_repeat_it(world):
    with pytest.raises(ValidationError) as refusal:
        make_encounter(operation=world.operation_a, person_link=NUMBER)
    assert "person_link" in refusal.value.message_dict
    assert NUMBER not in str(refusal.value)
    link = linkage.person_link(NUMBER, world.agency_a)
    assert make_encounter(operation=world.operation_a, person_link=link).person_link == link


def test_the_demo_generates_its_key_once_readable_by_its_owner_alone(settings, tmp_path):
    settings.LINKAGE_KEY = None
    settings.LINKAGE_KEY_DEMO_FILE = tmp_path / "data" / "linkage.key"
    first = linkage.deployment_key()
    assert len(first) >= 32
    assert settings.LINKAGE_KEY_DEMO_FILE.stat().st_mode & 0o777 == 0o600
    assert linkage.deployment_key() == first


def test_link_hash_prints_a_link_per_line_and_names_refused_lines_by_number(world):
    out, err = io.StringIO(), io.StringIO()
    with pytest.raises(Exception, match="1 line could not be linked"):
        call_command(
            "link",
            "hash",
            "--organisation",
            world.agency_a.name,
            stdin=io.StringIO(f"{NUMBER}\nunknown\n"),
            stdout=out,
            stderr=err,
        )
    assert out.getvalue().splitlines() == [linkage.person_link(NUMBER, world.agency_a), ""]
    assert "Line 2: The booking or case number is a placeholder" in err.getvalue()
    assert "unknown" not in err.getvalue().replace("Line 2", "")
