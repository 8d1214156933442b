"""The request form and the step form read the channel, the agency's tracking number and the
note the same way, and the forms that attach to a step offer the request's steps latest first:
one definition of each, so a message or a limit cannot drift between forms."""

import datetime

import pytest

from beyondraid.records.forms import AttachForm, LetterForm, RequestForm, StepForm
from beyondraid.records.models import Channel
from beyondraid.standard.models import Agency

from .builders import sent, step

pytestmark = pytest.mark.django_db


def _forms(world, data):
    request = sent(world, datetime.date(2025, 3, 3))
    return [
        RequestForm(data, requesters=Agency.objects.all()),
        StepForm(
            {f"step-{key}": value for key, value in data.items()}, request=request, prefix="step"
        ),
    ]


def test_an_unknown_channel_and_a_long_tracking_number_are_refused_alike(world):
    for form in _forms(world, {"channel": "pigeon", "tracking_number": "N" * 101}):
        assert not form.is_valid()
        assert form.errors["channel"] == ["Choose the channel from the list."]
        assert form.errors["tracking_number"] == [
            "Ensure this value has at most 100 characters (it has 101)."
        ]


def test_channel_tracking_number_and_note_are_optional_and_read_alike(world):
    for form in _forms(world, {"channel": "portal", "tracking_number": " R-17 ", "note": " Sent "}):
        form.is_valid()
        assert [form.cleaned_data[key] for key in ("channel", "tracking_number", "note")] == [
            "portal",
            "R-17",
            "Sent",
        ]
        assert {"channel", "tracking_number", "note"}.isdisjoint(form.errors)
        assert [value for value, _ in form.fields["channel"].choices][1:] == Channel.values
        assert form.fields["note"].help_text.endswith("never about a person.")


def test_letters_and_attachments_offer_the_steps_latest_first(world):
    request = sent(world, datetime.date(2025, 3, 3))
    acknowledged = step(world, request, "acknowledged", datetime.date(2025, 3, 5))
    submitted = request.events.get(kind="submitted")
    for form in (AttachForm(request=request), LetterForm(request=request)):
        assert [value for value, _ in form.fields["event"].choices] == [
            str(acknowledged.pk),
            str(submitted.pk),
        ]
