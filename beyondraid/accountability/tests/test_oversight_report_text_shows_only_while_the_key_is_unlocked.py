"""What the reporter wrote shows on the report page only after the investigator unlocks the
oversight key with their passphrase; a wrong passphrase is refused with a message; the page is
never cached, its read is audited, and it never carries the sealed bytes or the receipt lookup."""

import base64

import pytest
from django.urls import reverse

from beyondraid.accountability import keyholding, services
from beyondraid.accountability.models import Report
from beyondraid.accounts.models import AuditEntry, User
from beyondraid.accounts.testing import sign_in_verified
from beyondraid.conftest import PASSWORD

pytestmark = pytest.mark.django_db

PASSPHRASE = "a long passphrase 123"
ACCOUNT = "The officer took my phone and laughed at the photos."


@pytest.fixture
def oversight(world):
    world.investigator.is_organisation_admin = True
    world.investigator.save()
    services.create_keyring({world.investigator: PASSPHRASE})
    return world


@pytest.fixture
def report(oversight) -> Report:
    return services.submit_report(
        conduct=["force", "property"],
        account=ACCOUNT,
        where="Motel on Harbor Road",
        reporter_is="encountered",
        officers=[{"badge": "1234", "name": "", "unit": "Vice"}],
    ).report


@pytest.fixture
def signed_in(client, oversight):
    sign_in_verified(client, oversight.investigator)
    return client


def _unlock(client, passphrase=PASSPHRASE, next_page=""):
    return client.post(reverse("oversight:unlock"), {"passphrase": passphrase, "next": next_page})


def _page(client, report):
    return client.get(reverse("oversight:report", args=[report.reference]))


def test_before_unlocking_the_page_says_to_unlock_and_shows_no_text(signed_in, report):
    response = _page(signed_in, report)
    assert response.status_code == 200
    page = response.content.decode()
    assert "Unlock the oversight key to read this report" in page
    assert ACCOUNT not in page
    assert "1234" not in page
    assert not AuditEntry.objects.filter(
        action=AuditEntry.Action.VIEW, object_id=str(report.pk)
    ).exists()


def test_a_wrong_passphrase_is_refused_with_a_message(signed_in, report):
    response = _unlock(signed_in, "not the passphrase at all")
    assert response.status_code == 400
    assert "That passphrase does not open your copy of the key." in response.content.decode()
    assert keyholding.COOKIE not in response.cookies
    assert ACCOUNT not in _page(signed_in, report).content.decode()


def test_an_empty_passphrase_is_asked_for(signed_in):
    response = _unlock(signed_in, "")
    assert response.status_code == 400
    assert "Type your passphrase." in response.content.decode()


def test_an_investigator_without_a_copy_is_told_to_ask_for_one(client, oversight):
    other = User.objects.create_user(
        username="investigator.two",
        password=PASSWORD,
        organisation=oversight.oversight,
        role="investigator",
    )
    sign_in_verified(client, other)
    response = _unlock(client)
    assert response.status_code == 400
    assert "You do not hold a copy of the oversight key" in response.content.decode()


def test_without_a_key_the_page_says_how_to_create_one(client, world):
    sign_in_verified(client, world.investigator)
    response = _unlock(client)
    assert response.status_code == 400
    assert "beyondraid oversight_key init" in response.content.decode()


def test_after_unlocking_the_report_text_shows_and_the_read_is_audited(
    signed_in, report, oversight
):
    page_url = reverse("oversight:report", args=[report.reference])
    unlocked = _unlock(signed_in, next_page=page_url)
    assert unlocked.status_code == 302
    assert unlocked["Location"] == page_url
    response = _page(signed_in, report)
    page = response.content.decode()
    assert ACCOUNT in page
    assert "Excessive force or painful restraint" in page
    assert "Money, property or phone seized or mocked" in page
    assert "A person who was encountered in an operation" in page
    assert "Motel on Harbor Road" in page
    assert "<td>1234</td>" in page and "<td>Vice</td>" in page
    assert AuditEntry.objects.filter(
        action=AuditEntry.Action.VIEW, object_id=str(report.pk), actor=oversight.investigator
    ).exists()


def test_the_report_page_is_never_cached(signed_in, report):
    _unlock(signed_in)
    response = _page(signed_in, report)
    assert "no-store" in response["Cache-Control"]


@pytest.mark.parametrize("target", ["https://elsewhere.example/", "//elsewhere.example/x"])
def test_unlocking_returns_only_to_a_page_of_this_site(signed_in, target):
    response = _unlock(signed_in, next_page=target)
    assert response.status_code == 302
    assert response["Location"] == reverse("oversight:reports")


def test_locking_hides_the_text_again(signed_in, report):
    _unlock(signed_in)
    assert ACCOUNT in _page(signed_in, report).content.decode()
    response = signed_in.post(reverse("oversight:lock"))
    assert response.status_code == 302
    assert ACCOUNT not in _page(signed_in, report).content.decode()


def test_the_page_never_carries_the_sealed_bytes_or_the_lookup(signed_in, report):
    _unlock(signed_in)
    services.reporter_reply(report, "One more thing.")
    secrets = [bytes(report.sealed), bytes(report.lookup), bytes(report.reader_key)]
    secrets += [bytes(message.for_oversight) for message in report.messages.all()]
    secrets += [bytes(message.for_reporter) for message in report.messages.all()]
    pages = [
        _page(signed_in, report).content.decode(),
        signed_in.get(reverse("oversight:reports")).content.decode(),
    ]
    for page in pages:
        for raw in secrets:
            for shown in (raw.hex(), base64.b64encode(raw).decode(), repr(raw)):
                assert shown not in page
