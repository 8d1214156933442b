"""Harms after an operation raise flags that stay when the record changes (principle 4): a victim
detained (R-109), a referral to immigration or an arrest before any trafficking screening (R-072,
R-013), immigration proceedings, a family separated, violence at home (R-162, R-207, R-206), a
placement the person could not leave (R-029, R-086). An offer to cooperate runs on a clock until
law enforcement answers it (R-104, R-112), and is never taken for a request to cooperate."""

import datetime

import pytest

from beyondraid.care.alerts import alerts_for, refresh_alerts
from beyondraid.care.models import Alert, Harm, Placement
from beyondraid.care.tests.builders import accepted
from beyondraid.standard import services as standard

pytestmark = pytest.mark.django_db

DAY = datetime.timedelta(days=1)
LATER = datetime.date(2021, 6, 1)


def _alerts(encounter, kind):
    return list(Alert.objects.filter(encounter=encounter, kind=kind).order_by("pk"))


def _alert(encounter, kind):
    (alert,) = _alerts(encounter, kind)
    return alert


def _event(encounter, kind, day, **details):
    return standard.record_treatment_event(
        encounter=encounter, kind=kind, occurred_on=day, **details
    )


def _screened(encounter, day):
    return _event(
        encounter,
        "screened",
        day,
        screener="nonprofit_advocate",
        screening_tool="standard_instrument",
        screening_result="indicators_present",
    )


def _harm(world, encounter, kind, day):
    return Harm.objects.create(
        encounter=encounter, kind=kind, occurred_on=day, recorded_by=world.steward_a
    )


def _placement(world, encounter, **conditions):
    values = {
        "setting": Placement.Setting.SHELTER,
        "placed_on": encounter.encountered_on + DAY,
        "free_to_leave": "yes",
        "phone_access": "yes",
        "staff_speak_language": "yes",
        "locked": "no",
    }
    return Placement.objects.create(
        encounter=encounter, recorded_by=world.steward_a, **(values | conditions)
    )


def test_a_victim_detained_is_flagged_and_the_flag_stays_when_the_role_changes(world):
    victim, buyer = world.encounter_b, world.encounter_a
    day = victim.encountered_on
    event = _event(victim, "detained", day)
    held = _harm(world, victim, Harm.Kind.IMMIGRATION_DETENTION, day + DAY)
    _event(buyer, "detained", day)
    refresh_alerts(today=day + 2 * DAY)
    flags = _alerts(victim, Alert.Kind.VICTIM_DETAINED)
    assert {flag.about for flag in flags} == {
        f"standard.treatmentevent:{event.pk}",
        f"care.harm:{held.pk}",
    }
    assert {flag.status for flag in flags} == {"flagged"}
    assert "in immigration detention" in flags[1].message
    assert victim.code not in flags[0].message
    # Only a victim's detention is this harm; a buyer held is not.
    assert _alerts(buyer, Alert.Kind.VICTIM_DETAINED) == []

    standard.assess_role(encounter=victim, role="witness", basis="other", assessed_on=day + DAY)
    refresh_alerts(today=LATER)
    assert {a.status for a in _alerts(victim, Alert.Kind.VICTIM_DETAINED)} == {"flagged"}


def test_a_referral_to_immigration_before_any_screening_is_flagged_whatever_the_role(world):
    buyer, screened = world.encounter_a, world.referred_encounter
    day = buyer.encountered_on
    referral = _event(buyer, "immigration_referral", day)
    _screened(screened, day)
    _event(screened, "immigration_referral", day)
    refresh_alerts(today=day)
    # The day itself leaves time to record a screening done before the referral.
    assert _alerts(buyer, Alert.Kind.IMMIGRATION_BEFORE_SCREENING) == []

    refresh_alerts(today=day + DAY)
    flag = _alert(buyer, Alert.Kind.IMMIGRATION_BEFORE_SCREENING)
    assert (flag.status, flag.about) == ("flagged", f"standard.treatmentevent:{referral.pk}")
    assert "screen" in flag.message
    assert _alerts(screened, Alert.Kind.IMMIGRATION_BEFORE_SCREENING) == []


def test_a_removal_before_screening_is_flagged_and_stays_after_a_late_screening(world):
    victim = world.encounter_b
    day = victim.encountered_on + 5 * DAY
    ordered = _harm(world, victim, Harm.Kind.REMOVAL_ORDERED, day)
    _harm(world, victim, Harm.Kind.IMMIGRATION_DETENTION, day)
    refresh_alerts(today=day + DAY)
    flag = _alert(victim, Alert.Kind.IMMIGRATION_BEFORE_SCREENING)
    assert flag.about == f"care.harm:{ordered.pk}"
    assert "Ordered removed" in flag.message

    _screened(victim, day + 2 * DAY)
    refresh_alerts(today=LATER)
    assert _alert(victim, Alert.Kind.IMMIGRATION_BEFORE_SCREENING).status == "flagged"


def test_an_arrest_screened_by_the_next_day_is_not_flagged_and_one_screened_later_is(world):
    on_time, late, buyer = world.encounter_b, world.referred_encounter, world.encounter_a
    day = on_time.encountered_on
    for person in (on_time, late, buyer):
        _event(person, "arrested", day, arrest_basis="probable_cause")
    _screened(on_time, day + DAY)
    _screened(late, day + 2 * DAY)
    refresh_alerts(today=day + DAY)
    assert not Alert.objects.filter(kind=Alert.Kind.ARREST_WITHOUT_SCREENING).exists()

    refresh_alerts(today=day + 2 * DAY)
    assert _alerts(on_time, Alert.Kind.ARREST_WITHOUT_SCREENING) == []
    assert _alert(late, Alert.Kind.ARREST_WITHOUT_SCREENING).status == "flagged"
    # A buyer's arrest is not a missed screening.
    assert _alerts(buyer, Alert.Kind.ARREST_WITHOUT_SCREENING) == []


def test_each_harm_after_an_operation_is_flagged_with_its_next_step(world):
    person = world.referred_encounter
    day = person.encountered_on + 10 * DAY
    immigration = [_harm(world, person, kind, day) for kind in Harm.IMMIGRATION]
    separated = _harm(world, person, Harm.Kind.FAMILY_SEPARATION, day)
    at_risk = _harm(world, person, Harm.Kind.VIOLENCE_RISK, day)
    refresh_alerts(today=day)
    proceedings = _alerts(person, Alert.Kind.IMMIGRATION_PROCEEDINGS)
    assert {a.about for a in proceedings} == {f"care.harm:{harm.pk}" for harm in immigration}
    family = _alert(person, Alert.Kind.FAMILY_SEPARATION)
    violence = _alert(person, Alert.Kind.VIOLENCE_RISK)
    assert family.about == f"care.harm:{separated.pk}"
    assert violence.about == f"care.harm:{at_risk.pk}"
    assert "reunification" in family.message
    assert "safety planning" in violence.message
    assert {a.status for a in [*proceedings, family, violence]} == {"flagged"}

    refresh_alerts(today=LATER)
    assert Alert.objects.filter(encounter=person, status="flagged").count() >= 6


def test_a_placement_the_person_could_not_leave_is_flagged_and_stays(world):
    person = world.referred_encounter
    not_free = _placement(world, person, free_to_leave="no")
    locked = _placement(world, person, free_to_leave="unknown", locked="yes")
    _placement(world, person)
    refresh_alerts(today=LATER)
    flags = _alerts(person, Alert.Kind.PLACEMENT_NOT_FREE)
    assert {a.about for a in flags} == {
        f"care.placement:{not_free.pk}",
        f"care.placement:{locked.pk}",
    }
    assert "shelter the person could not leave" in flags[0].message

    not_free.free_to_leave = "yes"
    not_free.save()
    refresh_alerts(today=LATER + DAY)
    assert {a.status for a in _alerts(person, Alert.Kind.PLACEMENT_NOT_FREE)} == {"flagged"}


def test_an_offer_to_cooperate_is_due_then_overdue_and_cleared_by_any_answer(world):
    person = world.referred_encounter
    offered_on = person.encountered_on + 40 * DAY
    offer = standard.record_cooperation(encounter=person, status="offered", recorded_on=offered_on)
    refresh_alerts(today=offered_on)
    alert = _alert(person, Alert.Kind.COOPERATION_UNANSWERED)
    assert (alert.status, alert.due_on, alert.rule, alert.about) == (
        "due",
        offered_on + 14 * DAY,
        "cooperation-answer",
        f"standard.cooperationrecord:{offer.pk}",
    )
    refresh_alerts(today=offered_on + 15 * DAY)
    alert = _alert(person, Alert.Kind.COOPERATION_UNANSWERED)
    assert alert.status == "overdue"
    assert "escalate" in alert.message

    standard.record_cooperation(encounter=person, status="not_needed", recorded_on=offered_on)
    refresh_alerts(today=offered_on + 16 * DAY)
    assert _alert(person, Alert.Kind.COOPERATION_UNANSWERED).status == "cleared"


def test_an_offer_or_not_needed_inside_the_reflection_period_is_no_breach(world):
    victim = world.encounter_b
    identified = victim.encountered_on
    standard.record_cooperation(encounter=victim, status="offered", recorded_on=identified + DAY)
    standard.record_cooperation(
        encounter=victim, status="not_needed", recorded_on=identified + 2 * DAY
    )
    refresh_alerts(today=identified + 40 * DAY)
    assert _alerts(victim, Alert.Kind.REFLECTION_BREACHED) == []

    asked = standard.record_cooperation(
        encounter=victim, status="cooperating", recorded_on=identified + 3 * DAY
    )
    refresh_alerts(today=identified + 41 * DAY)
    breach = _alert(victim, Alert.Kind.REFLECTION_BREACHED)
    assert breach.about == f"standard.cooperationrecord:{asked.pk}"


def test_a_caseworker_sees_the_placement_flag_but_never_the_offer_to_cooperate(world):
    accepted(world)
    person = world.referred_encounter
    _placement(world, person, locked="yes", free_to_leave="no")
    standard.record_cooperation(
        encounter=person, status="offered", recorded_on=person.encountered_on + DAY
    )
    refresh_alerts(today=person.encountered_on + 2 * DAY)
    seen = {a.kind for a in alerts_for(world.caseworker)}
    assert Alert.Kind.PLACEMENT_NOT_FREE in seen
    assert Alert.Kind.COOPERATION_UNANSWERED not in seen
    assert Alert.Kind.COOPERATION_UNANSWERED in {a.kind for a in alerts_for(world.steward_a)}
