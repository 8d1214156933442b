"""A follow-up is recorded as done only once it has happened: a date in the future is refused
with its field named, and nothing is written."""

import datetime

import pytest
from django.core.exceptions import ValidationError
from django.utils import timezone

from beyondraid.standard import services
from beyondraid.standard.models import FollowUp

pytestmark = pytest.mark.django_db


def test_a_follow_up_done_tomorrow_is_refused(world):
    tomorrow = timezone.localdate() + datetime.timedelta(days=1)
    with pytest.raises(ValidationError) as refused:
        services.record_follow_up(
            encounter=world.referred_encounter, due_on=tomorrow, done_on=tomorrow, reached="yes"
        )
    assert "in the future" in refused.value.message_dict["done_on"][0]
    assert not FollowUp.objects.exists()


def test_a_follow_up_done_today_is_kept(world):
    today = timezone.localdate()
    follow_up = services.record_follow_up(
        encounter=world.referred_encounter, due_on=today, done_on=today, reached="yes"
    )
    assert follow_up.done_on == today
