"""Once the provider has accepted a referral, its caseworker records on the referral's page the
services delivered, the start of services, the follow-ups (reached, still receiving services,
re-trafficked, deported, prosecuted and for what) and the closing; bad input comes back as typed
with the field named."""

import datetime

import pytest
from django.urls import reverse

from beyondraid.accounts.testing import sign_in_verified
from beyondraid.standard.models import FollowUp, Statute

from .builders import ANSWERED, CLOSED, STARTED, accepted, list_provider

pytestmark = pytest.mark.django_db
SIX_MONTHS = ANSWERED + datetime.timedelta(days=182)


@pytest.fixture
def referral(world):
    list_provider(world.provider, by=world.caseworker)
    return accepted(world)


def _post(client, action: str, referral, data: dict):
    return client.post(reverse(f"care:{action}", args=[referral.code]), data)


def test_an_accepted_referral_offers_the_follow_through(client, world, referral):
    sign_in_verified(client, world.caseworker)

    context = client.get(reverse("care:referral_detail", args=[referral.code])).context

    assert context["accept_form"] is None
    assert context["start_form"] is not None
    assert context["close_form"] is not None
    assert context["follow_up_form"] is not None
    # Only the services referred can be recorded as delivered under the referral.
    assert [code for code, _ in context["delivery_form"].fields["service_type"].choices] == [
        "",
        "trafficking_shelter",
        "legal_services",
    ]


def test_the_first_service_delivered_starts_services(client, world, referral):
    sign_in_verified(client, world.caseworker)

    response = _post(
        client,
        "record_delivery",
        referral,
        {"delivery-service_type": "legal_services", "delivery-delivered_on": STARTED.isoformat()},
    )

    assert response.status_code == 302
    referral.refresh_from_db()
    assert referral.status == "services_started"
    assert referral.services_started_on == STARTED
    (delivery,) = referral.deliveries.all()
    assert (delivery.service_type, delivery.delivered_on) == ("legal_services", STARTED)
    page = client.get(response["Location"]).content.decode()
    assert "The service delivered was recorded." in page


def test_a_delivery_before_the_referral_was_accepted_is_named(client, world, referral):
    sign_in_verified(client, world.caseworker)
    early = ANSWERED - datetime.timedelta(days=1)

    response = _post(
        client,
        "record_delivery",
        referral,
        {"delivery-service_type": "legal_services", "delivery-delivered_on": early.isoformat()},
    )

    assert response.status_code == 400
    assert (
        "Delivered on</a>: A service cannot be delivered before the referral was accepted "
        f"({ANSWERED})." in response.content.decode()
    )
    assert response.context["delivery_form"]["service_type"].value() == "legal_services"
    assert not referral.deliveries.exists()


def test_services_start_and_the_referral_closes(client, world, referral):
    sign_in_verified(client, world.caseworker)

    started = _post(client, "start", referral, {"start-services_started_on": STARTED.isoformat()})
    closed = _post(client, "close", referral, {"close-closed_on": CLOSED.isoformat()})

    assert started.status_code == closed.status_code == 302
    referral.refresh_from_db()
    assert (referral.status, referral.services_started_on, referral.closed_on) == (
        "closed",
        STARTED,
        CLOSED,
    )


def test_a_follow_up_is_recorded_with_its_outcomes(client, world, referral):
    statute = Statute.objects.get(code="ca-pc-647b")
    sign_in_verified(client, world.caseworker)

    response = _post(
        client,
        "record_follow_up",
        referral,
        {
            "follow_up-due_on": SIX_MONTHS.isoformat(),
            "follow_up-done_on": SIX_MONTHS.isoformat(),
            "follow_up-reached": "yes",
            "follow_up-still_receiving_services": "yes",
            "follow_up-re_trafficking": "no",
            "follow_up-deported": "no",
            "follow_up-prosecuted": "yes",
            "follow_up-prosecuted_for": [statute.pk],
        },
    )

    assert response.status_code == 302
    (follow_up,) = referral.follow_ups.all()
    assert follow_up.encounter == world.referred_encounter
    assert (follow_up.due_on, follow_up.done_on, follow_up.reached) == (
        SIX_MONTHS,
        SIX_MONTHS,
        "yes",
    )
    assert (follow_up.still_receiving_services, follow_up.re_trafficking) == ("yes", "no")
    assert (follow_up.deported, follow_up.prosecuted) == ("no", "yes")
    assert list(follow_up.prosecuted_for.all()) == [statute]
    page = client.get(response["Location"]).content.decode()
    assert "The follow-up was recorded." in page
    assert statute.citation in page


def test_a_follow_up_not_done_yet_needs_only_its_due_date(client, world, referral):
    sign_in_verified(client, world.caseworker)

    response = _post(
        client,
        "record_follow_up",
        referral,
        {
            "follow_up-due_on": SIX_MONTHS.isoformat(),
            "follow_up-still_receiving_services": "unknown",
            "follow_up-re_trafficking": "unknown",
            "follow_up-deported": "unknown",
            "follow_up-prosecuted": "unknown",
        },
    )

    assert response.status_code == 302
    (follow_up,) = referral.follow_ups.all()
    assert (follow_up.done_on, follow_up.reached) == (None, "")


def test_a_follow_up_with_bad_dates_comes_back_as_typed(client, world, referral):
    sign_in_verified(client, world.caseworker)
    before = world.referred_encounter.encountered_on - datetime.timedelta(days=1)

    missing = _post(client, "record_follow_up", referral, {"follow_up-deported": "no"})
    early = _post(
        client,
        "record_follow_up",
        referral,
        {
            "follow_up-due_on": before.isoformat(),
            "follow_up-still_receiving_services": "unknown",
            "follow_up-re_trafficking": "unknown",
            "follow_up-deported": "no",
            "follow_up-prosecuted": "unknown",
        },
    )

    assert missing.status_code == early.status_code == 400
    assert "Due on</a>: Enter the date, as year-month-day." in missing.content.decode()
    assert missing.context["follow_up_form"]["deported"].value() == "no"
    assert "Due on</a>: This date cannot be before the encounter" in early.content.decode()
    assert not FollowUp.objects.exists()
