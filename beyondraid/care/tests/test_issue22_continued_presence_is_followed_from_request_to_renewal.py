"""Continued Presence is followed from the request to its renewal (R-101 to R-103): a pending
request runs on the jurisdiction's decision clock and escalates when overdue, the day the
document reached the person is recorded, and a renewal requested answers the grant's renewal
reminder. The relief page refuses impossible dates, naming the field."""

import datetime

import pytest
from django.urls import reverse
from django.utils import timezone

from beyondraid.accounts.testing import sign_in_verified
from beyondraid.care import services
from beyondraid.care.alerts import refresh_alerts
from beyondraid.care.models import Alert, ReliefRequest

pytestmark = pytest.mark.django_db

DAY = datetime.timedelta(days=1)
RECEIVED = datetime.date(2025, 1, 5)
GRANTED = datetime.date(2025, 1, 15)
CP = ReliefRequest.Kind.CONTINUED_PRESENCE


def _alert(request, kind):
    return Alert.objects.get(kind=kind, about=f"care.reliefrequest:{request.pk}")


def _requested(world, requested_on=RECEIVED, **extra):
    return services.record_relief_request(
        user=world.steward_a,
        encounter=world.referred_encounter,
        kind=CP,
        requested_on=requested_on,
        **extra,
    )


def _granted(world):
    return services.decide_relief_request(
        user=world.steward_a, request=_requested(world), status="granted", decided_on=GRANTED
    )


def test_a_pending_request_is_due_for_thirty_days_then_overdue_and_cleared_by_the_decision(world):
    request = _requested(world)
    refresh_alerts(today=RECEIVED + DAY)
    alert = _alert(request, Alert.Kind.CONTINUED_PRESENCE_PENDING)
    assert (alert.status, alert.due_on, alert.rule) == (
        "due",
        RECEIVED + 30 * DAY,
        "continued-presence-decision",
    )
    refresh_alerts(today=RECEIVED + 31 * DAY)
    alert = _alert(request, Alert.Kind.CONTINUED_PRESENCE_PENDING)
    assert alert.status == "overdue"
    assert "escalate it to the agency's supervisor" in alert.message
    assert "30 calendar days" in alert.message

    services.decide_relief_request(
        user=world.steward_a,
        request=request,
        status="declined",
        decided_on=RECEIVED + 40 * DAY,
        decline_reason="The agency found no basis to request it.",
    )
    refresh_alerts(today=RECEIVED + 41 * DAY)
    assert _alert(request, Alert.Kind.CONTINUED_PRESENCE_PENDING).status == "cleared"


def test_a_jurisdiction_sets_its_own_decision_clock(world, settings):
    settings.CLOCK_OVERRIDES = {"continued-presence-decision": 10}
    request = _requested(world)
    refresh_alerts(today=RECEIVED + 11 * DAY)
    alert = _alert(request, Alert.Kind.CONTINUED_PRESENCE_PENDING)
    assert (alert.status, alert.due_on) == ("overdue", RECEIVED + 10 * DAY)


def test_a_renewal_requested_clears_the_renewal_reminder_and_runs_on_the_decision_clock(world):
    grant = _granted(world)
    refresh_alerts(today=datetime.date(2026, 11, 1))
    assert _alert(grant, Alert.Kind.CONTINUED_PRESENCE_RENEWAL).status == "due"

    renewal = _requested(world, requested_on=datetime.date(2026, 11, 1), renews=grant)
    refresh_alerts(today=datetime.date(2026, 11, 2))
    assert _alert(grant, Alert.Kind.CONTINUED_PRESENCE_RENEWAL).status == "cleared"
    pending = _alert(renewal, Alert.Kind.CONTINUED_PRESENCE_PENDING)
    assert (pending.status, pending.due_on) == ("due", datetime.date(2026, 12, 1))
    assert "renewal of Continued Presence" in pending.message

    # Declined, the renewal leaves the grant to lapse: its reminder comes back.
    services.decide_relief_request(
        user=world.steward_a,
        request=renewal,
        status="declined",
        decided_on=datetime.date(2026, 11, 3),
        decline_reason="The agency asked for a T visa declaration instead.",
    )
    refresh_alerts(today=datetime.date(2026, 11, 4))
    assert _alert(grant, Alert.Kind.CONTINUED_PRESENCE_RENEWAL).status == "due"


def test_only_continued_presence_granted_to_the_same_person_is_renewed(world):
    grant = _granted(world)
    with pytest.raises(services.CareRefused) as refused:
        services.record_relief_request(
            user=world.steward_a,
            encounter=world.referred_encounter,
            kind=ReliefRequest.Kind.T_VISA_DECLARATION,
            requested_on=GRANTED,
            renews=grant,
        )
    assert "kind" in refused.value.message_dict
    pending = _requested(world)
    with pytest.raises(services.ValidationError) as not_granted:
        _requested(world, requested_on=GRANTED, renews=pending)
    assert "renews" in not_granted.value.message_dict


def _signed_in(client, world):
    sign_in_verified(client, world.steward_a)
    return client


def _messages(response) -> str:
    return " ".join(str(message) for message in response.context["messages"])


def test_the_page_records_the_hand_over_and_shows_each_step_of_the_grant(client, world):
    grant = _granted(world)
    victim = world.referred_encounter
    _signed_in(client, world)
    handed = client.post(
        reverse("care:decide_relief", args=[victim.code, grant.code]),
        {"action": "handover", f"handover-{grant.code}-document_given_on": "2025-03-01"},
        follow=True,
    )
    grant.refresh_from_db()
    assert grant.document_given_on == datetime.date(2025, 3, 1)
    assert f"The hand-over of {grant.code} is recorded." in _messages(handed)
    _requested(world, requested_on=datetime.date(2026, 11, 1), renews=grant)

    page = client.get(reverse("care:relief", args=[victim.code])).content.decode()
    assert "on 2025-01-15, 10 days after the request" in page
    assert "on 2025-03-01, 45 days after the grant" in page
    assert "Term ends on 2027-01-15" in page
    assert "requested on 2026-11-01, pending" in page
    # A grant being renewed is not offered another renewal.
    assert f'name="renews" value="{grant.code}"' not in page


def test_the_page_requests_a_renewal_of_a_grant(client, world):
    grant = _granted(world)
    victim = world.referred_encounter
    _signed_in(client, world)
    page = client.get(reverse("care:relief", args=[victim.code])).content.decode()
    assert "Request renewal" in page
    response = client.post(
        reverse("care:relief", args=[victim.code]),
        {"renews": grant.code, f"renew-{grant.code}-requested_on": "2026-11-01"},
    )
    assert response.status_code == 302
    renewal = ReliefRequest.objects.get(renews=grant)
    assert (renewal.kind, renewal.requested_on, renewal.status) == (
        CP,
        datetime.date(2026, 11, 1),
        "pending",
    )


@pytest.mark.parametrize(
    ("day", "message"),
    [
        ("2025-01-10", "Renewal requested on</a>: A renewal cannot be requested before the grant"),
        ("future", "Renewal requested on</a>: This date is in the future"),
    ],
)
def test_a_renewal_before_the_grant_or_in_the_future_is_refused_naming_the_field(
    client, world, day, message
):
    grant = _granted(world)
    victim = world.referred_encounter
    if day == "future":
        day = (timezone.localdate() + DAY).isoformat()
    response = _signed_in(client, world).post(
        reverse("care:relief", args=[victim.code]),
        {"renews": grant.code, f"renew-{grant.code}-requested_on": day},
    )
    assert response.status_code == 400
    assert message in response.content.decode()
    assert not ReliefRequest.objects.filter(renews=grant).exists()


@pytest.mark.parametrize(
    ("field", "day", "message"),
    [
        (
            "decided_on",
            "2025-01-01",
            "Decided on: A request cannot be decided before it was received",
        ),
        ("decided_on", "future", "Decided on: This date is in the future"),
    ],
)
def test_a_decision_before_its_request_or_in_the_future_is_refused_naming_the_field(
    client, world, field, day, message
):
    request = _requested(world)
    victim = world.referred_encounter
    if day == "future":
        day = (timezone.localdate() + DAY).isoformat()
    response = _signed_in(client, world).post(
        reverse("care:decide_relief", args=[victim.code, request.code]),
        {f"decide-{request.code}-status": "granted", f"decide-{request.code}-{field}": day},
        follow=True,
    )
    assert message in _messages(response)
    request.refresh_from_db()
    assert request.status == "pending"


@pytest.mark.parametrize(
    ("day", "message"),
    [
        (
            "2025-01-14",
            "Document handed over on: The document cannot be handed over before the grant",
        ),
        ("future", "Document handed over on: This date is in the future"),
    ],
)
def test_a_hand_over_before_the_grant_or_in_the_future_is_refused_naming_the_field(
    client, world, day, message
):
    grant = _granted(world)
    victim = world.referred_encounter
    if day == "future":
        day = (timezone.localdate() + DAY).isoformat()
    response = _signed_in(client, world).post(
        reverse("care:decide_relief", args=[victim.code, grant.code]),
        {"action": "handover", f"handover-{grant.code}-document_given_on": day},
        follow=True,
    )
    assert message in _messages(response)
    grant.refresh_from_db()
    assert grant.document_given_on is None


def test_only_a_granted_continued_presence_has_a_document_and_only_the_agency_asked_records_it(
    world,
):
    pending = _requested(world)
    with pytest.raises(services.CareRefused, match="no document to hand over"):
        services.record_document_handed_over(
            user=world.steward_a, request=pending, document_given_on=GRANTED
        )
    grant = _granted(world)
    with pytest.raises(services.CareRefused, match="agency asked"):
        services.record_document_handed_over(
            user=world.steward_b, request=grant, document_given_on=GRANTED
        )
