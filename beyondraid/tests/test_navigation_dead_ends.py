"""No link or button that cannot work (issue 23): a person's page links to the operation only for
those who may open it, a plan's post-operation review only for those who may read it, and a plan
that cannot be approved yet says why instead of offering the button."""

import pytest
from django.urls import reverse
from django.utils import translation
from django.utils.html import escape

from beyondraid.accounts.testing import sign_in_verified
from beyondraid.care.tests.builders import accepted
from beyondraid.planning import services as planning
from beyondraid.planning.tests.plan_builders import reviewed, second_steward, submitted

pytestmark = pytest.mark.django_db


def _html(client, url: str) -> str:
    with translation.override("en"):
        response = client.get(url, HTTP_ACCEPT_LANGUAGE="en")
    assert response.status_code == 200
    return response.content.decode()


def test_a_person_page_links_the_operation_only_for_those_who_may_open_it(client, world):
    # Consent shares everything, the operation's record included: still not the operation's page.
    accepted(
        world,
        consent_scope=[
            "referral_details",
            "age_gender_language",
            "immigration_status",
            "role_assessment",
            "operation_record",
        ],
    )
    operation_url = reverse("standard:operation_detail", args=[world.operation_a.code])
    person_url = reverse("standard:encounter_detail", args=[world.referred_encounter.code])

    sign_in_verified(client, world.caseworker)
    assert operation_url not in _html(client, person_url)
    assert client.get(operation_url).status_code == 404  # the link would have led here

    sign_in_verified(client, world.steward_a)
    assert operation_url in _html(client, person_url)


def test_the_post_operation_review_is_linked_only_for_those_who_may_read_it(client, world):
    plan = planning.link_operation(
        user=world.steward_a, plan=submitted(world).plan, operation=world.operation_a
    )
    outcome_url = reverse("planning:outcome", args=[plan.code])
    plan_url = reverse("planning:detail", args=[plan.code])

    sign_in_verified(client, world.caseworker)  # the service partner reads the plan, not the people
    assert outcome_url not in _html(client, plan_url)
    assert client.get(outcome_url).status_code == 404

    sign_in_verified(client, world.steward_a)
    assert outcome_url in _html(client, plan_url)
    assert client.get(outcome_url).status_code == 200


def test_a_plan_waiting_for_reviews_says_so_instead_of_offering_approval(client, world):
    version = submitted(world)
    decider = second_steward(world)
    sign_in_verified(client, decider)
    html = _html(client, reverse("planning:detail", args=[version.plan.code]))
    assert "Approve version 1</button>" not in html
    reason = planning.approval_refusal(user=decider, version=version)
    assert reason is not None
    assert reason.startswith("The plan cannot be approved before both reviews are in")
    assert f"Version 1 cannot be approved yet. {escape(reason)}" in html
    # The other decision stays: a plan can be returned at any time.
    assert "Return version 1</button>" in html


def test_a_plan_that_can_be_approved_offers_the_button(client, world):
    version = reviewed(world)
    decider = second_steward(world)
    assert planning.approval_refusal(user=decider, version=version) is None
    sign_in_verified(client, decider)
    html = _html(client, reverse("planning:detail", args=[version.plan.code]))
    assert "Approve version 1</button>" in html
    assert "cannot be approved yet" not in html


def test_the_service_refuses_with_the_reason_the_page_shows(world):
    version = submitted(world)
    decider = second_steward(world)
    reason = planning.approval_refusal(user=decider, version=version)
    with pytest.raises(planning.PlanRefused) as refused:
        planning.approve(user=decider, version=version)
    assert refused.value.message == reason
