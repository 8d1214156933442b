"""Bad input about harms and placements is refused in plain words naming the field, and nothing
is written: dates in the future, before the encounter or out of order; a placement both locked
and free to leave; a time limit of no days; a provider that is not a victim-service provider; the
same harm twice on one day; a placement ended twice. On the page it comes back as typed, with a
400; through the services it is a ``ValidationError`` keyed by the argument at fault."""

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse

from beyondraid.accounts.testing import sign_in_verified
from beyondraid.care import services
from beyondraid.care.models import Harm, Placement

from .support_builders import DAY, REQUESTED

pytestmark = pytest.mark.django_db

CONDITIONS = {
    "free_to_leave": "yes",
    "phone_access": "no",
    "staff_speak_language": "yes",
    "locked": "no",
}


def _url(world):
    return reverse("care:support", args=[world.referred_encounter.code])


def _post(client, world, action, fields, *, record=None, prefix=None):
    prefix = prefix or (f"{action}-{record.code}" if record else action)
    data = {"action": action, **{f"{prefix}-{name}": value for name, value in fields.items()}}
    if record:
        data["record"] = record.code
    return client.post(_url(world), data)


def _placement_fields(**overrides):
    return {"setting": "shelter", "placed_on": REQUESTED.isoformat(), **CONDITIONS, **overrides}


def _refused(response, field_id: str, message: str) -> str:
    assert response.status_code == 400
    page = response.content.decode()
    assert f'href="#{field_id}"' in page
    assert message in page
    return page


@pytest.fixture
def steward(client, world):
    sign_in_verified(client, world.steward_a)
    return client


def _placement(world, **overrides):
    return services.record_placement(
        user=world.steward_a,
        encounter=world.referred_encounter,
        **{"setting": "shelter", "placed_on": REQUESTED, **CONDITIONS, **overrides},
    )


@pytest.mark.parametrize(
    ("day", "message"),
    [
        ("2999-01-01", "This date is in the future; record what has happened."),
        ("2001-01-01", "A harm after the operation cannot precede the encounter"),
        ("not a day", "Enter a date as year-month-day"),
    ],
)
def test_a_harm_on_an_impossible_day_is_refused(steward, world, day, message):
    response = _post(
        steward, world, "add_harm", {"kind": "removed", "occurred_on": day}, prefix="harm"
    )
    page = _refused(response, "id_harm-occurred_on", message)
    assert f'value="{day}"' in page
    assert not Harm.objects.exists()


def test_a_harm_without_its_kind_is_refused(steward, world):
    response = _post(
        steward, world, "add_harm", {"occurred_on": REQUESTED.isoformat()}, prefix="harm"
    )
    _refused(response, "id_harm-kind", "Choose what happened.")
    assert not Harm.objects.exists()


def test_the_same_harm_twice_on_one_day_is_refused_plainly(steward, world):
    fields = {"kind": "immigration_detention", "occurred_on": REQUESTED.isoformat()}
    assert _post(steward, world, "add_harm", fields, prefix="harm").status_code == 302
    response = _post(steward, world, "add_harm", fields, prefix="harm")
    _refused(
        response,
        "id_harm-occurred_on",
        f"“Held in immigration detention” is already recorded for {REQUESTED}; a harm is "
        "recorded once for a day.",
    )
    assert Harm.objects.count() == 1
    next_day = {**fields, "occurred_on": (REQUESTED + DAY).isoformat()}
    assert _post(steward, world, "add_harm", next_day, prefix="harm").status_code == 302


@pytest.mark.parametrize(
    ("overrides", "field", "message"),
    [
        (
            {"ended_on": (REQUESTED - DAY).isoformat()},
            "ended_on",
            f"A placement cannot end before it starts ({REQUESTED}).",
        ),
        ({"ended_on": "2999-01-01"}, "ended_on", "This date (2999-01-01) is in the future"),
        ({"placed_on": "2999-01-01"}, "placed_on", "This date is in the future"),
        ({"placed_on": "2001-01-01"}, "placed_on", "A placement cannot start before the encounter"),
        (
            {"locked": "yes", "free_to_leave": "yes"},
            "free_to_leave",
            "A locked placement is not one the person is free to leave.",
        ),
        (
            {"time_limit_days": "0"},
            "time_limit_days",
            "A time limit is at least one day; leave it empty if there is none.",
        ),
        ({"time_limit_days": "a month"}, "time_limit_days", "Enter a whole number of days"),
        ({"locked": "maybe"}, "locked", "Choose one of the options in the list."),
        ({"setting": ""}, "setting", "Choose where the person was placed."),
    ],
)
def test_a_placement_with_bad_input_is_refused_on_its_field(
    steward, world, overrides, field, message
):
    response = _post(
        steward, world, "add_placement", _placement_fields(**overrides), prefix="placement"
    )
    _refused(response, f"id_placement-{field}", message)
    assert not Placement.objects.exists()


def test_a_provider_that_is_not_a_victim_service_provider_is_refused(steward, world):
    response = _post(
        steward,
        world,
        "add_placement",
        _placement_fields(provider=str(world.agency_a.pk)),
        prefix="placement",
    )
    _refused(response, "id_placement-provider", "Choose a victim-service provider of the list.")
    assert not Placement.objects.exists()

    with pytest.raises(ValidationError) as refused:
        _placement(world, provider=world.agency_a)
    assert refused.value.message_dict == {
        "provider": [
            "Agency A Police Department is not a victim-service provider; name one, or leave it "
            "empty."
        ]
    }
    assert not Placement.objects.exists()


def test_the_services_name_the_argument_at_fault(world):
    for overrides, field in (
        ({"time_limit_days": 0}, "time_limit_days"),
        ({"phone_access": "sometimes"}, "phone_access"),
        ({"setting": "jail"}, "setting"),
    ):
        with pytest.raises(ValidationError) as refused:
            _placement(world, **overrides)
        assert list(refused.value.message_dict) == [field]
    with pytest.raises(ValidationError) as refused:
        services.record_harm(
            user=world.steward_a, encounter=world.referred_encounter, kind="deported"
        )
    assert list(refused.value.message_dict) == ["kind"]
    assert not Placement.objects.exists() and not Harm.objects.exists()


def test_ending_a_placement_before_it_started_or_twice_is_refused(steward, world):
    placement = _placement(world)
    early = _post(
        steward,
        world,
        "placement_end",
        {"ended_on": (REQUESTED - DAY).isoformat()},
        record=placement,
    )
    _refused(
        early,
        f"id_placement_end-{placement.code}-ended_on",
        f"A placement cannot end before it starts ({REQUESTED}).",
    )
    placement.refresh_from_db()
    assert placement.ended_on is None

    services.end_placement(user=world.steward_a, placement=placement, ended_on=REQUESTED)
    with pytest.raises(ValidationError) as refused:
        services.end_placement(user=world.steward_a, placement=placement, ended_on=REQUESTED + DAY)
    assert refused.value.message_dict == {
        "ended_on": [f"{placement.code} already ended on {REQUESTED}."]
    }
    placement.refresh_from_db()
    assert placement.ended_on == REQUESTED


def test_a_correction_making_a_locked_placement_free_to_leave_changes_nothing(steward, world):
    placement = _placement(world, free_to_leave="no", locked="yes")
    response = _post(
        steward,
        world,
        "placement_correct",
        {**CONDITIONS, "free_to_leave": "yes", "locked": "yes", "time_limit_days": "0"},
        record=placement,
    )
    page = _refused(
        response,
        f"id_placement_correct-{placement.code}-time_limit_days",
        "A time limit is at least one day",
    )
    assert "Nothing was recorded. Please correct:" in page
    fixed_limit = _post(
        steward,
        world,
        "placement_correct",
        {**CONDITIONS, "free_to_leave": "yes", "locked": "yes"},
        record=placement,
    )
    _refused(
        fixed_limit,
        f"id_placement_correct-{placement.code}-free_to_leave",
        "A locked placement is not one the person is free to leave.",
    )
    placement.refresh_from_db()
    assert (placement.free_to_leave, placement.locked, placement.time_limit_days) == (
        "no",
        "yes",
        None,
    )
