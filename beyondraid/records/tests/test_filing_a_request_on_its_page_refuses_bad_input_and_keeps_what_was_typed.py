"""Filing a request on its page: a draft or a sent request is created with its categories; an
unknown law, a date in the future, a date that is no date, no category, or an organisation the
user may not file for bring the form back (400) with the values typed and a message per field."""

import datetime

from django.urls import reverse
from django.utils import timezone

from beyondraid.records.models import RecordsRequest

from .pages import client_of


def _form(world, **changes):
    data = {
        "requester": world.oversight.pk,
        "agency": world.agency_a.pk,
        "law": "cpra",
        "subject": "Operation Reclaim and Rebuild records",
        "records_period": "2016 to the present",
        "categories": ["trainings_guidelines", "victim_demographics"],
        "other_categories": "Memoranda of understanding\n",
        "sent_on": "",
        "channel": "email",
        "tracking_number": "",
        "note": "",
    }
    data.update(changes)
    return data


def test_a_draft_is_filed_with_its_categories(world):
    response = client_of(world.analyst).post(reverse("records:new"), _form(world), follow=True)
    request = RecordsRequest.objects.get()
    assert response.redirect_chain[-1][0] == reverse("records:detail", args=[request.code])
    assert request.status == "draft" and request.sent_on is None
    assert request.channel == "email"
    assert [str(category) for category in request.categories.all()] == [
        "Trainings and guidelines",
        "Victim demographics",
        "Memoranda of understanding",
    ]
    assert f"Request {request.code} to Agency A Police Department is saved as a draft." in (
        response.content.decode()
    )


def test_a_request_with_a_date_sent_is_submitted_that_day(world):
    sent = timezone.localdate() - datetime.timedelta(days=3)
    client_of(world.investigator).post(
        reverse("records:new"),
        _form(world, sent_on=sent.isoformat(), tracking_number="R-2025-17"),
    )
    request = RecordsRequest.objects.get()
    assert (request.status, request.sent_on, request.tracking_number) == (
        "submitted",
        sent,
        "R-2025-17",
    )
    assert request.events.get().kind == "submitted"


def test_bad_input_is_refused_field_by_field_with_the_values_kept(world):
    future = timezone.localdate() + datetime.timedelta(days=2)
    response = client_of(world.analyst).post(
        reverse("records:new"),
        _form(world, law="nypoa", sent_on=future.isoformat(), subject="Kept as typed"),
    )
    assert response.status_code == 400
    form = response.context["form"]
    assert "Choose the law from the list" in form.errors["law"][0]
    assert "California Public Records Act" in form.errors["law"][0]
    assert f"{future.isoformat()} is in the future" in form.errors["sent_on"][0]
    page = response.content.decode()
    assert 'value="Kept as typed"' in page
    assert "Memoranda of understanding" in page
    assert RecordsRequest.objects.count() == 0

    response = client_of(world.analyst).post(
        reverse("records:new"), _form(world, sent_on="31/02/2025")
    )
    assert response.status_code == 400
    assert "Enter a date as year-month-day" in response.context["form"].errors["sent_on"][0]


def test_a_request_without_any_category_is_refused(world):
    response = client_of(world.analyst).post(
        reverse("records:new"), _form(world, categories=[], other_categories="")
    )
    assert response.status_code == 400
    assert response.context["form"].errors["categories"] == [
        "Ask for at least one category of records."
    ]


def test_oversight_staff_file_only_for_their_own_organisation(world):
    response = client_of(world.investigator).post(
        reverse("records:new"), _form(world, requester=world.agency_b.pk)
    )
    assert response.status_code == 400
    assert (
        "you may file only for the organisations listed"
        in (response.context["form"].errors["requester"][0])
    )
    assert RecordsRequest.objects.count() == 0
