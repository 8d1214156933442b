"""Every persona on the plan pages: the lead agency's stewards write and decide, the named
partners review, analysts read, and for everyone else a plan does not exist (404)."""

import pytest
from django.urls import reverse

from beyondraid.accounts.testing import sign_in_verified

from .plan_builders import draft, submitted

pytestmark = pytest.mark.django_db

READERS = ("steward_a", "prosecutor", "caseworker", "analyst")
STRANGERS = ("steward_b", "investigator", "administrator")


@pytest.mark.parametrize("persona", READERS + STRANGERS)
def test_the_detail_page_answers_each_persona(client, world, persona):
    version = submitted(world)
    sign_in_verified(client, world.personas[persona])

    response = client.get(reverse("planning:detail", args=[version.plan.code]))

    if persona in STRANGERS:
        assert response.status_code == 404
        return
    page = response.content.decode()
    assert response.status_code == 200
    assert "<h1>Operation Harbor Light</h1>" in page
    assert "Wages of four workers paid into one account held by the manager." in page
    assert ("Record your review" in page) == (persona in ("prosecutor", "caseworker"))
    assert "Submit for review" not in page
    assert "Approve version 1" not in page


def test_the_analyst_reads_but_takes_no_part(client, world):
    version = submitted(world)
    sign_in_verified(client, world.analyst)

    page = client.get(reverse("planning:detail", args=[version.plan.code])).content.decode()
    posted = client.post(
        reverse("planning:review", args=[version.plan.code, 1]),
        {"review-recommendation": "approve", "review-comments": "Looks fine."},
        follow=True,
    )

    assert "<strong>Justified targeted operation</strong>" in page
    for action in ("Record your review", "Waive the finding", "Start an amendment", "<form"):
        assert action not in page.split("<main", 1)[1]
    assert "Only the prosecutor&#x27;s office and the victim-service partner named in the plan" in (
        posted.content.decode()
    )
    assert not version.reviews.exists()


def test_a_draft_is_for_the_lead_agency_only(client, world):
    version = draft(world)
    code = version.plan.code
    for persona in ("prosecutor", "caseworker", "analyst", "steward_b"):
        sign_in_verified(client, world.personas[persona])
        assert client.get(reverse("planning:detail", args=[code])).status_code == 404
        assert code not in client.get(reverse("planning:list")).content.decode()
    sign_in_verified(client, world.steward_a)
    page = client.get(reverse("planning:detail", args=[code])).content.decode()
    assert "Submit for review" in page


def test_the_list_shows_the_plans_one_may_see_with_their_state(client, world):
    version = submitted(world)
    sign_in_verified(client, world.prosecutor)

    page = client.get(reverse("planning:list")).content.decode()

    assert "Operation Harbor Light</a>" in page
    assert '<td data-label="Lead agency">Agency A Police Department</td>' in page
    assert '<td data-label="Version">1</td>' in page
    assert '<td data-label="Status">Submitted for review</td>' in page
    assert '<td data-label="Classification">Justified targeted operation</td>' in page
    assert "Write a plan" not in page
    sign_in_verified(client, world.steward_b)
    assert version.plan.code not in client.get(reverse("planning:list")).content.decode()


def test_stewards_are_offered_to_write_a_plan_and_others_are_not(client, world):
    sign_in_verified(client, world.steward_b)
    assert "Write a plan" in client.get(reverse("planning:list")).content.decode()
    assert client.get(reverse("planning:new")).status_code == 200
    sign_in_verified(client, world.prosecutor)
    assert client.get(reverse("planning:new")).status_code == 403


@pytest.mark.parametrize(
    "persona, shown",
    [
        ("steward_a", True),
        ("prosecutor", True),
        ("caseworker", True),
        ("analyst", True),
        ("investigator", False),
        ("administrator", False),
    ],
)
def test_the_navigation_offers_plans_to_those_who_may_see_them(client, world, persona, shown):
    sign_in_verified(client, world.personas[persona])
    page = client.get(reverse("home")).content.decode()
    assert (f'href="{reverse("planning:list")}"><span>Plans</span>' in page) == shown
    if not shown:
        assert client.get(reverse("planning:list")).status_code == 403


def test_signed_out_visitors_are_sent_to_sign_in(client, world):
    version = submitted(world)
    response = client.get(reverse("planning:detail", args=[version.plan.code]))
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("accounts:sign_in"))
