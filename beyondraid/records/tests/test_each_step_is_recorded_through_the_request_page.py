"""The lifecycle through the request's page: every step from draft to closed is recorded by
the form with its date, reasons and the agency's words; a denial without its reason, or a step
the state does not allow, brings the page back (400) with the message and changes nothing."""

import datetime

from django.urls import reverse

from beyondraid.records.models import RequestEvent

from .builders import draft, sent
from .pages import client_of


def _step(client, request, kind, on, **extra):
    return client.post(
        reverse("records:step", args=[request.code]),
        {
            "step-kind": kind,
            "step-on": on.isoformat(),
            **{f"step-{k}": v for k, v in extra.items()},
        },
        follow=True,
    )


def test_a_request_goes_from_draft_to_closed_through_the_page(world):
    request = draft(world)
    client = client_of(world.analyst)
    day = datetime.date(2025, 1, 6)
    path = [
        ("submitted", {"channel": "portal"}),
        ("acknowledged", {"tracking_number": "CPRA-25-0042"}),
        ("extension_claimed", {"extension_reason": "voluminous"}),
        ("payment_required", {"agency_words": "Copies cost $12."}),
        ("awaiting_response", {"note": "Paid on the portal."}),
        ("denied", {"denial_reasons": ["6254f"], "agency_words": "Investigative records."}),
        ("appeal", {}),
        ("litigation", {}),
        ("partially_released", {}),
        ("released", {}),
        ("follow_up", {"note": "Asked for the missing annex."}),
        ("closed", {}),
    ]
    for offset, (kind, extra) in enumerate(path):
        response = _step(client, request, kind, day + datetime.timedelta(days=offset), **extra)
        assert response.status_code == 200, (kind, response.context.get("forms"))
        assert "is recorded for request" in response.content.decode()
    request.refresh_from_db()
    assert request.status == "closed"
    assert (request.channel, request.tracking_number) == ("portal", "CPRA-25-0042")
    kinds = list(request.events.values_list("kind", flat=True))
    assert kinds == [kind for kind, _ in path]
    denial = request.events.get(kind="denied")
    assert (denial.reasons, denial.agency_words) == (["6254f"], "Investigative records.")
    assert request.events.get(kind="extension_claimed").reasons == ["voluminous"]

    page = client.get(reverse("records:detail", args=[request.code])).content.decode()
    assert "Records of investigations, intelligence and security of law enforcement agencies" in (
        page
    )
    assert "“Investigative records.”" in page
    assert "Record the step" not in page  # a closed request takes no more steps


def test_no_response_is_recorded_once_the_agency_had_its_time(world):
    request = sent(world, datetime.date(2025, 1, 6))
    response = _step(client_of(world.analyst), request, "no_response", datetime.date(2025, 3, 3))
    assert response.status_code == 200
    request.refresh_from_db()
    assert request.status == "no_response"


def test_a_denial_without_its_reason_is_refused_with_the_laws_reasons(world):
    request = sent(world, datetime.date(2025, 1, 6))
    response = _step(
        client_of(world.analyst),
        request,
        "denied",
        datetime.date(2025, 1, 10),
        agency_words="Denied, kept as typed.",
    )
    assert response.status_code == 400
    form = response.context["forms"]["step"]
    assert form.errors["denial_reasons"][0].startswith(
        "A denial needs the exemption or reason the agency cited: 6254f, 6255"
    )
    assert "Denied, kept as typed." in response.content.decode()
    request.refresh_from_db()
    assert request.status == "submitted"
    assert not RequestEvent.objects.filter(kind="denied").exists()


def test_a_step_the_state_does_not_allow_is_refused(world):
    request = draft(world)
    response = _step(client_of(world.analyst), request, "released", datetime.date(2025, 1, 6))
    assert response.status_code == 400
    assert "Choose one of the steps offered" in response.context["forms"]["step"].errors["kind"][0]
    request.refresh_from_db()
    assert request.status == "draft"


def test_a_step_dated_before_the_one_before_it_names_that_step(world):
    request = sent(world, datetime.date(2025, 1, 6))
    response = _step(client_of(world.analyst), request, "acknowledged", datetime.date(2025, 1, 2))
    assert response.status_code == 400
    assert (
        "before the step before it (submitted on 2025-01-06)"
        in (response.context["forms"]["step"].errors["on"][0])
    )


def test_the_request_is_made_public_and_private_again(world):
    request = sent(world, datetime.date(2025, 1, 6))
    client = client_of(world.investigator)
    url = reverse("records:public", args=[request.code])
    assert "is now public" in client.post(url, {"is_public": "yes"}, follow=True).content.decode()
    request.refresh_from_db()
    assert request.is_public
    client.post(url, {"is_public": "no"})
    request.refresh_from_db()
    assert not request.is_public


def test_making_public_needs_a_yes_or_a_no(world):
    request = sent(world, datetime.date(2025, 1, 6))
    response = client_of(world.analyst).post(reverse("records:public", args=[request.code]))
    assert response.status_code == 400
    assert "Choose whether the request is public: yes or no." in response.content.decode()
