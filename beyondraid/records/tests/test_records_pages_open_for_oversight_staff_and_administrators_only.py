"""Who opens the staff pages of records requests: analysts and the oversight body's staff file
and move requests, administrators read them; stewards, prosecutors and caseworkers are told the
pages are not for them (403); anyone signed out is sent to sign in; a request a user may not
read does not exist for them (404)."""

import datetime

import pytest
from django.urls import reverse

from beyondraid.records import services

from .pages import client_of, sent_with_letter

READERS = ("analyst", "investigator", "administrator")
OTHERS = ("steward_a", "steward_b", "prosecutor", "caseworker")


@pytest.fixture
def records_dir(settings, tmp_path):
    settings.DATA_DIR = tmp_path


def _pages(request):
    letter = request.events.get().correspondence.get()
    return {
        "list": reverse("records:list"),
        "new": reverse("records:new"),
        "detail": reverse("records:detail", args=[request.code]),
        "file": reverse("records:file", args=[request.code, "correspondence", letter.pk]),
        "letter": reverse("records:letter", args=[request.code, "request"]),
        "scorecard": reverse("records:scorecard"),
        "scorecard_json": reverse("records:scorecard_json"),
    }


def test_each_page_for_every_persona(world, records_dir):
    pages = _pages(sent_with_letter(world))
    expected = {
        "analyst": dict.fromkeys(pages, 200),
        # The investigator is staff of the commission that sends the request: they move it.
        "investigator": dict.fromkeys(pages, 200),
        # Administrators read; filing and letters are for those who move requests.
        "administrator": {**dict.fromkeys(pages, 200), "new": 403, "letter": 403},
        **{name: dict.fromkeys(pages, 403) for name in OTHERS},
    }
    for persona, statuses in expected.items():
        client = client_of(world.personas[persona])
        for page, status in statuses.items():
            assert client.get(pages[page]).status_code == status, (persona, page)
    anonymous = client_of(None)
    for page, url in pages.items():
        response = anonymous.get(url)
        assert response.status_code == 302, page
        assert "/accounts/" in response["Location"]


def test_a_request_of_another_organisation_is_not_found_for_oversight_staff(world, records_dir):
    request = services.create_request(
        user=world.analyst,
        requester=world.agency_b,
        agency=world.agency_a,
        law="foia",
        subject="Another organisation's request",
    )
    assert (
        client_of(world.analyst).get(reverse("records:detail", args=[request.code])).status_code
        == 200
    )
    investigator = client_of(world.investigator)
    assert investigator.get(reverse("records:detail", args=[request.code])).status_code == 404
    assert investigator.get(reverse("records:detail", args=["PR-NONE-NONE"])).status_code == 404


def test_the_navigation_offers_records_requests_to_those_who_may_open_them(world):
    for persona in (*READERS, *OTHERS):
        page = client_of(world.personas[persona]).get(reverse("home")).content.decode()
        link = f'href="{reverse("records:list")}"><span>Records requests</span>'
        assert (link in page) == (persona in READERS), persona


def test_readers_see_no_forms_and_movers_see_only_allowed_steps(world, records_dir):
    request = sent_with_letter(world)
    url = reverse("records:detail", args=[request.code])
    administrator = client_of(world.administrator).get(url).content.decode()
    assert "Record the step" not in administrator
    assert "Make it public" not in administrator
    analyst = client_of(world.analyst).get(url)
    steps = [value for value, _ in analyst.context["forms"]["step"].fields["kind"].choices]
    assert "acknowledged" in steps and "denied" in steps
    assert "submitted" not in steps and "appeal" not in steps
    refused = client_of(world.administrator).post(
        reverse("records:step", args=[request.code]), {"step-kind": "acknowledged"}
    )
    assert refused.status_code == 403


def test_the_list_filters_by_agency_law_and_status_and_refuses_an_unknown_law(world):
    cpra = services.create_request(
        user=world.analyst,
        requester=world.oversight,
        agency=world.agency_a,
        law="cpra",
        subject="Plans",
        sent_on=datetime.date(2025, 3, 3),
    )
    foia = services.create_request(
        user=world.analyst,
        requester=world.oversight,
        agency=world.agency_b,
        law="foia",
        subject="Funding",
    )
    client = client_of(world.analyst)
    listed = client.get(reverse("records:list"))
    codes = {row.request.code: row.phrase for row in listed.context["rows"]}
    assert codes[foia.code] == "no deadline: a draft"
    # Due on 13 March 2025, never answered: more than 60 days late on any day these tests run.
    assert codes[cpra.code].startswith("overdue by ")
    assert codes[cpra.code].endswith(": very overdue; reminder: send a follow-up")
    by_law = client.get(reverse("records:list"), {"law": "foia"}).context["rows"]
    assert [row.request for row in by_law] == [foia]
    by_agency = client.get(reverse("records:list"), {"agency": world.agency_a.pk}).context["rows"]
    assert [row.request for row in by_agency] == [cpra]
    by_status = client.get(reverse("records:list"), {"status": "draft"}).context["rows"]
    assert [row.request for row in by_status] == [foia]
    refused = client.get(reverse("records:list"), {"law": "nypoa"})
    assert refused.status_code == 400
    assert "Choose the law from the list" in refused.content.decode()
