"""A request goes draft → submitted → … → outcome → appeal → litigation → closed, every step
dated no earlier than the one before; steps out of order, a denial without a reason, an unknown
law and dates out of order are refused in plain words and change nothing."""

import datetime
import hashlib

import pytest
from django.core.exceptions import ValidationError
from django.core.files.base import ContentFile

from beyondraid.records import services
from beyondraid.records.models import RecordsRequest, RequestEvent

from .builders import draft, sent, step

pytestmark = pytest.mark.django_db
D = datetime.date


def test_the_whole_way_from_draft_to_closed(world, settings, tmp_path):
    settings.DATA_DIR = tmp_path
    request = draft(world)
    assert request.status == "draft" and request.sent_on is None
    letter = ContentFile(b"Dear records officer", name="request.txt")
    step(world, request, "submitted", D(2025, 3, 3), channel="email", correspondence=[letter])
    step(world, request, "acknowledged", D(2025, 3, 4), tracking_number="R-2025-117")
    step(world, request, "awaiting_response", D(2025, 3, 4))
    step(world, request, "extension_claimed", D(2025, 3, 10), reasons=["consultation"])
    step(world, request, "payment_required", D(2025, 3, 12))
    step(world, request, "awaiting_response", D(2025, 3, 14))
    step(world, request, "partially_released", D(2025, 3, 20))
    step(world, request, "released", D(2025, 3, 25))
    step(world, request, "appeal", D(2025, 4, 1), note="Appeal of the withheld plans.")
    step(world, request, "denied", D(2025, 5, 1), reasons=["6254f"], agency_words="Exempt.")
    step(world, request, "litigation", D(2025, 6, 1))
    step(world, request, "closed", D(2025, 9, 1))

    request = RecordsRequest.objects.get(pk=request.pk)
    assert request.status == "closed"
    assert (request.sent_on, request.channel, request.tracking_number) == (
        D(2025, 3, 3),
        "email",
        "R-2025-117",
    )
    stored = request.events.get(kind="submitted").correspondence.get()
    assert stored.sha256 == hashlib.sha256(b"Dear records officer").hexdigest()
    assert stored.file.read() == b"Dear records officer"


def test_a_step_out_of_order_names_the_current_state(world):
    request = draft(world)
    with pytest.raises(ValidationError) as refused:
        step(world, request, "released", D(2025, 3, 3))
    assert refused.value.message_dict["kind"] == [
        f"Request {request.code} is draft: it cannot go to “Released”. "
        "Next it can go to: “Submitted”."
    ]
    request = sent(world, D(2025, 3, 3))
    step(world, request, "closed", D(2025, 3, 5))
    with pytest.raises(ValidationError) as closed:
        step(world, request, "appeal", D(2025, 3, 6))
    assert "is closed" in closed.value.messages[0]
    assert "nothing: it is closed" in closed.value.messages[0]


def test_a_denial_without_a_reason_is_refused(world):
    request = sent(world, D(2025, 3, 3))
    with pytest.raises(ValidationError) as refused:
        step(world, request, "denied", D(2025, 3, 10))
    assert refused.value.message_dict["reasons"][0].startswith(
        "A denial needs the exemption or reason the agency cited: 6254f, 6255"
    )
    with pytest.raises(ValidationError) as unknown:
        step(world, request, "denied", D(2025, 3, 10), reasons=["b7"])
    assert (
        "'b7' is not an exemption or reason for a denial under the California Public"
        in (unknown.value.message_dict["reasons"][0])
    )
    request.refresh_from_db()
    assert request.status == "submitted"
    assert not RequestEvent.objects.filter(request=request, kind="denied").exists()


def test_an_extension_needs_the_laws_reason_and_comes_once(world):
    request = sent(world, D(2025, 3, 3), law="foia")
    with pytest.raises(ValidationError) as missing:
        step(world, request, "extension_claimed", D(2025, 3, 5))
    assert "field-facilities, voluminous, consultation" in missing.value.messages[0]
    step(world, request, "extension_claimed", D(2025, 3, 5), reasons=["voluminous"])
    step(world, request, "fix_required", D(2025, 3, 6))
    step(world, request, "awaiting_response", D(2025, 3, 7))
    with pytest.raises(ValidationError) as twice:
        step(world, request, "extension_claimed", D(2025, 3, 8), reasons=["voluminous"])
    assert (
        "already claimed on 2025-03-05; the Freedom of Information Act allows one"
        in (twice.value.messages[0])
    )


def test_an_unknown_law_is_refused_with_the_laws_there_are(world):
    with pytest.raises(ValidationError) as refused:
        draft(world, law="nypoa")
    assert refused.value.message_dict["law"][0].startswith(
        "There is no public-records law 'nypoa'; the laws are: foia (Freedom of Information "
        "Act), cpra (California Public Records Act)."
    )


def test_dates_out_of_order_are_refused(world):
    request = sent(world, D(2025, 3, 3))
    step(world, request, "acknowledged", D(2025, 3, 6))
    with pytest.raises(ValidationError) as before_previous:
        step(world, request, "awaiting_response", D(2025, 3, 5))
    assert before_previous.value.message_dict["on"] == [
        "“Awaiting response” cannot be dated 2025-03-05, before the step before it "
        "(acknowledged on 2025-03-06)."
    ]
    with pytest.raises(ValidationError) as future:
        step(world, request, "awaiting_response", D(2099, 1, 1))
    assert "is in the future" in future.value.messages[0]


def test_no_response_only_after_the_agency_had_its_time(world):
    request = sent(world, D(2025, 3, 3))  # CPRA: due Thu 13 Mar 2025
    with pytest.raises(ValidationError) as early:
        step(world, request, "no_response", D(2025, 3, 13))
    assert early.value.messages == [
        "The agency has until 2025-03-13 to answer; record “No response” after that day."
    ]
    step(world, request, "follow_up", D(2025, 3, 13))
    assert request.status == "submitted"
    step(world, request, "no_response", D(2025, 3, 14))
    assert request.status == "no_response"


def test_released_documents_are_stored_with_their_hash_and_categories_received(
    world, settings, tmp_path
):
    settings.DATA_DIR = tmp_path
    request = sent(world, D(2025, 3, 3), categories=["funding_expenditures", "victim_demographics"])
    with pytest.raises(ValidationError):
        services.store_released_documents(
            user=world.analyst, request=request, files=[ContentFile(b"x", name="x.csv")]
        )
    step(world, request, "released", D(2025, 3, 10))
    (document,) = services.store_released_documents(
        user=world.analyst, request=request, files=[ContentFile(b"a,b\n1,2\n", name="orr.csv")]
    )
    assert document.sha256 == hashlib.sha256(b"a,b\n1,2\n").hexdigest()
    assert (tmp_path / "records" / document.file.name).read_bytes() == b"a,b\n1,2\n"
    with pytest.raises(ValidationError) as again:
        services.store_released_documents(
            user=world.analyst, request=request, files=[ContentFile(b"a,b\n1,2\n", name="copy.csv")]
        )
    assert again.value.messages == [f"copy.csv is already stored with request {request.code}."]
    funding = request.categories.get(code="funding_expenditures")
    services.record_categories_received(user=world.analyst, request=request, received=[funding])
    assert list(request.categories.filter(received=True)) == [funding]
