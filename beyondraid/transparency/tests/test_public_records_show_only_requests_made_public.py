"""The public records pages show only requests sent and made public by their requesters, the
same to every visitor, signed in or not: a request not made public, a draft or an unknown code is
a 404, and is left out of the scorecard, the CSV and the list."""

import datetime

import pytest
from django.core.files.base import ContentFile
from django.urls import reverse

from beyondraid.accounts.testing import sign_in_verified
from beyondraid.records import services

pytestmark = pytest.mark.django_db

SENT = datetime.date(2024, 3, 4)


def request_to_agency_a(world, *, public: bool, sent: bool = True):
    request = services.create_request(
        user=world.analyst,
        requester=world.oversight,
        agency=world.agency_a,
        law="cpra",
        subject="Operation Reclaim and Rebuild staffing records",
    )
    if sent:
        services.record_step(user=world.analyst, request=request, kind="submitted", on=SENT)
    return services.set_public(user=world.analyst, request=request, is_public=public)


@pytest.fixture
def two_requests(world, settings, tmp_path):
    """Two requests to agency A, both released with one document: one public, one not."""
    settings.DATA_DIR = tmp_path
    made = {}
    for public in (True, False):
        request = request_to_agency_a(world, public=public)
        services.record_step(
            user=world.analyst, request=request, kind="released", on=SENT + datetime.timedelta(9)
        )
        document = ContentFile(f"staffing roster summary {public}".encode(), name="roster.csv")
        (stored,) = services.store_released_documents(
            user=world.analyst, request=request, files=[document]
        )
        made["public" if public else "private"] = (request, stored)
    return made


def test_a_request_not_made_public_is_absent_and_its_pages_are_not_found(client, two_requests):
    private, private_document = two_requests["private"]
    public, _ = two_requests["public"]

    scorecard = client.get(reverse("public:records_scorecard")).content.decode()
    assert public.code in scorecard
    assert private.code not in scorecard
    assert "1 public request," in scorecard
    csv_total = client.get(reverse("public:records_scorecard_csv")).content.decode()
    assert csv_total.splitlines()[-1].startswith("Total,all,All laws,1,")
    assert client.get(reverse("public:records_request", args=[private.code])).status_code == 404
    file_url = reverse("public:records_file", args=[private.code, private_document.sha256])
    assert client.get(file_url).status_code == 404


def test_a_public_request_does_not_lend_its_address_to_another_requests_document(
    client, two_requests
):
    public, _ = two_requests["public"]
    _, private_document = two_requests["private"]

    url = reverse("public:records_file", args=[public.code, private_document.sha256])
    assert client.get(url).status_code == 404


def test_a_public_draft_and_an_unknown_code_are_not_found(client, world):
    draft = request_to_agency_a(world, public=True, sent=False)

    for code in (draft.code, "PR-0000-0000", "not-a-code"):
        assert client.get(reverse("public:records_request", args=[code])).status_code == 404
    assert draft.code not in client.get(reverse("public:records_scorecard")).content.decode()


def test_a_request_made_public_shows_at_once_and_leaves_when_made_private(client, world):
    request = request_to_agency_a(world, public=False)
    page = reverse("public:records_request", args=[request.code])
    assert client.get(page).status_code == 404

    services.set_public(user=world.analyst, request=request, is_public=True)
    assert client.get(page).status_code == 200
    assert request.code in client.get(reverse("public:records_scorecard")).content.decode()

    services.set_public(user=world.analyst, request=request, is_public=False)
    assert client.get(page).status_code == 404
    assert request.code not in client.get(reverse("public:records_scorecard")).content.decode()


@pytest.mark.parametrize(
    "persona",
    [
        "steward_a",
        "steward_b",
        "prosecutor",
        "caseworker",
        "analyst",
        "investigator",
        "administrator",
        "anonymous",
    ],
)
def test_every_visitor_gets_the_same_public_pages(client, two_requests, world, persona):
    """Staff who may read a private request elsewhere (the analyst, the administrator, the
    requester's own staff) still do not find it here: these pages are the public's."""
    user = world.personas[persona]
    if user is not None:
        sign_in_verified(client, user)
    public, public_document = two_requests["public"]
    private, private_document = two_requests["private"]

    answers = {
        "scorecard": client.get(reverse("public:records_scorecard")).status_code,
        "csv": client.get(reverse("public:records_scorecard_csv")).status_code,
        "public request": client.get(
            reverse("public:records_request", args=[public.code])
        ).status_code,
        "public document": client.get(
            reverse("public:records_file", args=[public.code, public_document.sha256])
        ).status_code,
        "private request": client.get(
            reverse("public:records_request", args=[private.code])
        ).status_code,
        "private document": client.get(
            reverse("public:records_file", args=[private.code, private_document.sha256])
        ).status_code,
    }

    assert answers == {
        "scorecard": 200,
        "csv": 200,
        "public request": 200,
        "public document": 200,
        "private request": 404,
        "private document": 404,
    }
    assert private.code not in client.get(reverse("public:records_scorecard")).content.decode()
