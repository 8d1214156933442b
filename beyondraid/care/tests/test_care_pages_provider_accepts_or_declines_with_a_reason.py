"""On the referral's page, the provider's caseworker accepts the referral or declines it with a
reason (and an explanation when the reason is "other"); a decline without a reason comes back
naming the field, and a declined referral's services appear in the unmet-need log. Only the
provider answers: the referring steward is told so and nothing changes."""

import datetime

import pytest
from django.urls import reverse

from beyondraid.accounts.testing import sign_in_verified
from beyondraid.care.models import UnmetNeed

from .builders import ANSWERED, SENT, list_provider, refer

pytestmark = pytest.mark.django_db


@pytest.fixture
def referral(world):
    list_provider(world.provider, by=world.caseworker)
    return refer(world)


def _post(client, action: str, referral, data: dict):
    return client.post(reverse(f"care:{action}", args=[referral.code]), data)


def _detail(referral) -> str:
    return reverse("care:referral_detail", args=[referral.code])


def test_the_caseworker_is_offered_to_accept_or_decline_a_new_referral(client, world, referral):
    sign_in_verified(client, world.caseworker)

    response = client.get(_detail(referral))

    assert response.context["accept_form"] is not None
    assert response.context["decline_form"] is not None
    assert response.context["start_form"] is None
    assert response.context["follow_up_form"] is None
    page = response.content.decode()
    assert "Accept the referral" in page
    # Until the provider accepts, the referral itself and nothing else, whatever the consent.
    facts = {fact.label for fact in response.context["facts"]}
    assert facts == {"Services asked for", "Referred by", "Sent on"}


def test_the_caseworker_accepts(client, world, referral):
    sign_in_verified(client, world.caseworker)

    response = _post(client, "accept", referral, {"accept-accepted_on": ANSWERED.isoformat()})

    assert response.status_code == 302
    referral.refresh_from_db()
    assert referral.status == "accepted"
    assert referral.accepted_on == ANSWERED
    assert referral.answered_by == world.caseworker
    page = client.get(_detail(referral))
    assert "The referral was accepted." in page.content.decode()
    assert ("Accepted", ANSWERED, "caseworker") in page.context["history"]


def test_an_answer_dated_before_the_referral_was_sent_is_named(client, world, referral):
    sign_in_verified(client, world.caseworker)
    day_before = SENT - datetime.timedelta(days=1)

    response = _post(client, "accept", referral, {"accept-accepted_on": day_before.isoformat()})

    assert response.status_code == 400
    assert (
        f"Accepted on</a>: A referral cannot be accepted before it was sent ({SENT})."
        in response.content.decode()
    )
    referral.refresh_from_db()
    assert referral.status == "sent"


def test_a_decline_without_a_reason_comes_back_naming_the_field(client, world, referral):
    sign_in_verified(client, world.caseworker)

    response = _post(client, "decline", referral, {"decline-declined_on": ANSWERED.isoformat()})

    assert response.status_code == 400
    assert "Why you decline</a>: Say why the referral is declined." in response.content.decode()
    referral.refresh_from_db()
    assert referral.status == "sent"
    assert not UnmetNeed.objects.exists()


def test_other_needs_an_explanation_kept_as_typed(client, world, referral):
    sign_in_verified(client, world.caseworker)

    response = _post(
        client,
        "decline",
        referral,
        {"decline-decline_reason": "other", "decline-declined_on": ANSWERED.isoformat()},
    )

    assert response.status_code == 400
    assert "Explanation</a>: Explain the reason in a few words" in response.content.decode()
    assert response.context["decline_form"]["decline_reason"].value() == "other"
    assert not UnmetNeed.objects.exists()


def test_a_decline_with_a_reason_goes_to_the_unmet_need_log(client, world, referral):
    sign_in_verified(client, world.caseworker)

    response = _post(
        client,
        "decline",
        referral,
        {"decline-decline_reason": "no_capacity", "decline-declined_on": ANSWERED.isoformat()},
    )

    assert response.status_code == 302
    referral.refresh_from_db()
    assert referral.status == "declined"
    assert sorted(need.service_type for need in UnmetNeed.objects.all()) == [
        "legal_services",
        "trafficking_shelter",
    ]
    for reader in (world.caseworker, world.steward_a, world.analyst):
        sign_in_verified(client, reader)
        log = client.get(reverse("care:unmet_needs"))
        assert len(log.context["needs"]) == 2
        assert "No capacity" in log.content.decode()
        # The operation that encountered the person is not part of the referral.
        shown = world.operation_a.name in log.content.decode()
        assert shown == (reader != world.caseworker)
    sign_in_verified(client, world.steward_b)
    assert len(client.get(reverse("care:unmet_needs")).context["needs"]) == 0


def test_the_referring_steward_cannot_answer_for_the_provider(client, world, referral):
    sign_in_verified(client, world.steward_a)

    assert client.get(_detail(referral)).context["accept_form"] is None
    response = _post(client, "accept", referral, {"accept-accepted_on": ANSWERED.isoformat()})

    assert response.status_code == 302
    referral.refresh_from_db()
    assert referral.status == "sent"
    page = client.get(response["Location"]).content.decode()
    assert "Only a caseworker of Harbor Survivor Services answers this referral" in page


def test_a_referral_answered_already_cannot_be_answered_again(client, world, referral):
    sign_in_verified(client, world.caseworker)
    _post(client, "accept", referral, {"accept-accepted_on": ANSWERED.isoformat()})

    response = _post(
        client,
        "decline",
        referral,
        {"decline-decline_reason": "no_capacity", "decline-declined_on": ANSWERED.isoformat()},
    )

    assert response.status_code == 302
    assert "this one is accepted" in client.get(response["Location"]).content.decode()
    referral.refresh_from_db()
    assert referral.status == "accepted"
