"""Every promise to a person is an alert with a due date: raised when due, overdue when missed,
cleared when done; harms stay flagged (principles 4 and 6, docs/principles.md)."""

import datetime

import pytest

from beyondraid.care import services
from beyondraid.care.alerts import alerts_for, refresh_alerts
from beyondraid.care.models import Alert, ReliefRequest
from beyondraid.standard import services as standard
from beyondraid.standard.models import FollowUp

pytestmark = pytest.mark.django_db

DAY = datetime.timedelta(days=1)


def _alert(encounter, kind):
    return Alert.objects.filter(encounter=encounter, kind=kind).first()


def test_a_victim_without_an_offer_is_due_then_overdue_and_cleared_by_an_offer(world):
    victim = world.encounter_b  # a suspected victim of agency B with no offer
    identified = victim.encountered_on
    refresh_alerts(today=identified)
    alert = _alert(victim, Alert.Kind.SERVICES_NOT_OFFERED)
    assert (alert.status, alert.due_on, alert.agency) == ("due", identified + DAY, world.agency_b)
    assert alert.rule == "services-offered"

    refresh_alerts(today=identified + 3 * DAY)
    assert _alert(victim, Alert.Kind.SERVICES_NOT_OFFERED).status == "overdue"

    standard.offer_service(
        encounter=victim,
        service_type="medical_care",
        offered_on=identified + 3 * DAY,
        offered_by=world.agency_b,
    )
    summary = refresh_alerts(today=identified + 4 * DAY)
    alert = _alert(victim, Alert.Kind.SERVICES_NOT_OFFERED)
    assert (alert.status, alert.cleared_on) == ("cleared", identified + 4 * DAY)
    assert summary.cleared >= 1


def test_the_reflection_period_runs_thirty_days_and_a_request_inside_it_is_flagged(world):
    victim = world.encounter_b
    identified = victim.encountered_on
    refresh_alerts(today=identified)
    period = _alert(victim, Alert.Kind.REFLECTION_PERIOD)
    assert (period.status, period.due_on) == ("due", identified + 30 * DAY)

    standard.record_cooperation(
        encounter=victim, status="declined", recorded_on=identified + 2 * DAY
    )
    refresh_alerts(today=identified + 40 * DAY)
    assert _alert(victim, Alert.Kind.REFLECTION_PERIOD).status == "cleared"
    breach = _alert(victim, Alert.Kind.REFLECTION_BREACHED)
    assert breach.status == "flagged"
    assert str(identified + 2 * DAY) in breach.message


def test_an_interview_without_an_advocate_right_after_the_operation_is_flagged(world):
    victim = world.encounter_b
    standard.record_treatment_event(
        encounter=victim,
        kind="interviewed",
        occurred_on=victim.encountered_on,
        interview_location="station",
        advocate_present="no",
        basic_needs_before="yes",
        attorney_present="no",
    )
    refresh_alerts(today=victim.encountered_on + 100 * DAY)
    flag = _alert(victim, Alert.Kind.INTERVIEW_CONDITIONS)
    assert flag.status == "flagged"
    assert "without an advocate" in flag.message
    assert "during or right after the operation" in flag.message


def test_a_t_visa_declaration_runs_on_the_california_clock(world):
    victim = world.referred_encounter
    received = datetime.date(2026, 3, 2)
    request = services.record_relief_request(
        user=world.steward_a,
        encounter=victim,
        kind=ReliefRequest.Kind.T_VISA_DECLARATION,
        requested_on=received,
    )
    refresh_alerts(today=received)
    alert = _alert(victim, Alert.Kind.DECLARATION_DUE)
    # Ninety days from 2 March 2026 is Sunday 31 May: the last day moves to Monday 1 June.
    assert (alert.status, alert.due_on, alert.rule) == (
        "due",
        datetime.date(2026, 6, 1),
        "i914b-california",
    )
    refresh_alerts(today=datetime.date(2026, 6, 2))
    assert _alert(victim, Alert.Kind.DECLARATION_DUE).status == "overdue"

    services.decide_relief_request(
        user=world.steward_a,
        request=request,
        status=ReliefRequest.Status.SIGNED,
        decided_on=datetime.date(2026, 6, 3),
    )
    refresh_alerts(today=datetime.date(2026, 6, 4))
    assert _alert(victim, Alert.Kind.DECLARATION_DUE).status == "cleared"


def test_removal_proceedings_shorten_the_declaration_clock_to_fourteen_days(world):
    received = datetime.date(2026, 3, 2)
    services.record_relief_request(
        user=world.steward_a,
        encounter=world.referred_encounter,
        kind=ReliefRequest.Kind.U_VISA_CERTIFICATION,
        requested_on=received,
        in_removal_proceedings=True,
    )
    refresh_alerts(today=received)
    alert = _alert(world.referred_encounter, Alert.Kind.DECLARATION_DUE)
    assert (alert.due_on, alert.rule) == (datetime.date(2026, 3, 16), "i918b-california-removal")


def test_continued_presence_asks_for_renewal_before_its_two_years_end(world):
    granted = datetime.date(2025, 1, 15)
    request = services.record_relief_request(
        user=world.steward_a,
        encounter=world.referred_encounter,
        kind=ReliefRequest.Kind.CONTINUED_PRESENCE,
        requested_on=granted - 10 * DAY,
    )
    services.decide_relief_request(
        user=world.steward_a, request=request, status="granted", decided_on=granted
    )
    refresh_alerts(today=datetime.date(2026, 6, 1))
    early = _alert(world.referred_encounter, Alert.Kind.CONTINUED_PRESENCE_RENEWAL)
    assert early is None or early.status == "cleared"
    refresh_alerts(today=datetime.date(2026, 11, 1))
    renewal = _alert(world.referred_encounter, Alert.Kind.CONTINUED_PRESENCE_RENEWAL)
    assert (renewal.status, renewal.due_on) == ("due", datetime.date(2027, 1, 15))


def test_follow_ups_are_scheduled_at_six_and_twelve_months_and_missed_ones_are_overdue(world):
    victim = world.encounter_b
    identified = victim.encountered_on  # 2020-10-12
    summary = refresh_alerts(today=identified)
    assert summary.follow_ups_scheduled >= 2
    due = sorted(FollowUp.objects.filter(encounter=victim).values_list("due_on", flat=True))
    assert due == [datetime.date(2021, 4, 12), datetime.date(2021, 10, 12)]
    refresh_alerts(today=identified)  # scheduled once, however often it runs
    assert FollowUp.objects.filter(encounter=victim).count() == 2

    refresh_alerts(today=datetime.date(2021, 5, 1))
    overdue = Alert.objects.get(encounter=victim, kind=Alert.Kind.FOLLOW_UP_DUE)
    assert (overdue.status, overdue.due_on) == ("overdue", datetime.date(2021, 4, 12))

    follow_up = FollowUp.objects.get(encounter=victim, due_on=datetime.date(2021, 4, 12))
    follow_up.done_on, follow_up.reached = datetime.date(2021, 5, 2), "yes"
    follow_up.save()
    refresh_alerts(today=datetime.date(2021, 5, 3))
    assert Alert.objects.get(pk=overdue.pk).status == "cleared"


def test_a_victim_arrested_is_flagged_and_the_flag_stays(world):
    victim = world.encounter_b
    standard.record_treatment_event(
        encounter=victim,
        kind="arrested",
        occurred_on=victim.encountered_on,
        arrest_basis="probable_cause",
    )
    refresh_alerts(today=victim.encountered_on)
    standard.assess_role(
        encounter=victim, role="witness", basis="other", assessed_on=victim.encountered_on + DAY
    )
    refresh_alerts(today=victim.encountered_on + 2 * DAY)
    assert _alert(victim, Alert.Kind.NON_PUNISHMENT).status == "flagged"


def test_recording_a_request_shows_its_alert_at_once(world):
    services.record_relief_request(
        user=world.steward_a,
        encounter=world.referred_encounter,
        kind=ReliefRequest.Kind.T_VISA_DECLARATION,
    )
    alert = _alert(world.referred_encounter, Alert.Kind.DECLARATION_DUE)
    assert alert.status == "due"
    assert alert in alerts_for(world.steward_a)


def test_each_role_sees_the_alerts_about_people_it_may_see(world):
    refresh_alerts(today=world.encounter_b.encountered_on)
    mine = {a.encounter for a in alerts_for(world.steward_a)}
    assert world.encounter_b not in mine
    assert world.encounter_b in {a.encounter for a in alerts_for(world.steward_b)}
    assert {a.encounter for a in alerts_for(world.caseworker)} <= {world.referred_encounter}
    assert alerts_for(world.investigator).count() == 0
    assert alerts_for(world.administrator).count() == 0
    assert alerts_for(world.analyst).count() == Alert.objects.exclude(status="cleared").count()
