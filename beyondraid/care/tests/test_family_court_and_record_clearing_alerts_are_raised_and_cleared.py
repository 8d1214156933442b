"""A victim arrested, cited or charged is owed a record-clearing referral within 30 days; a court
date with no support is on the alerts from two weeks before; a family reunification request
waits 30 days at most. Each alert is raised when due, overdue when missed and cleared when done,
and says nothing that identifies anyone (principles 1, 4 and 6, docs/principles.md)."""

import pytest

from beyondraid.care import services
from beyondraid.care.alerts import refresh_alerts
from beyondraid.care.models import Alert
from beyondraid.standard import services as standard
from beyondraid.standard.models import Statute
from beyondraid.standard.tests.builders import make_encounter

from .support_builders import DAY, REQUESTED, clearing, court_date, family_request

pytestmark = pytest.mark.django_db


def _alert(encounter, kind):
    """The person's open alert of this kind. The services refresh a person's alerts on the real
    day as they write; each test then recomputes them on the days it is about."""
    return (
        Alert.objects.filter(encounter=encounter, kind=kind)
        .exclude(status=Alert.Status.CLEARED)
        .first()
    )


def _arrest(encounter, day):
    return standard.record_treatment_event(
        encounter=encounter, kind="arrested", occurred_on=day, arrest_basis="probable_cause"
    )


# --- Record clearing ----------------------------------------------------------------------------


def test_an_arrested_victim_is_owed_a_referral_within_30_days_cleared_by_one(world):
    victim = world.referred_encounter
    arrested = victim.encountered_on
    _arrest(victim, arrested)

    refresh_alerts(today=arrested + DAY)
    alert = _alert(victim, Alert.Kind.RECORD_CLEARING_DUE)
    assert (alert.status, alert.due_on, alert.rule) == (
        "due",
        arrested + 30 * DAY,
        "record-clearing-referral",
    )
    assert alert.agency == world.agency_a
    assert alert.message == (
        f"Arrested, cited or charged on {arrested} while protected by the non-punishment "
        f"principle: refer the person for record clearing by {arrested + 30 * DAY}."
    )

    refresh_alerts(today=arrested + 31 * DAY)
    assert _alert(victim, Alert.Kind.RECORD_CLEARING_DUE).status == "overdue"

    clearing(world, referred_on=arrested + 31 * DAY)
    assert _alert(victim, Alert.Kind.RECORD_CLEARING_DUE) is None
    refresh_alerts(today=arrested + 32 * DAY)
    assert Alert.objects.get(kind=Alert.Kind.RECORD_CLEARING_DUE).status == "cleared"


def test_a_charge_counts_and_an_arrest_after_the_referral_is_owed_a_new_one(world):
    victim = world.referred_encounter
    charged = victim.encountered_on + 2 * DAY
    standard.record_charge(
        encounter=victim, statute=Statute.objects.get(code="ca-pc-647b"), charged_on=charged
    )
    refresh_alerts(today=charged)
    assert _alert(victim, Alert.Kind.RECORD_CLEARING_DUE).due_on == charged + 30 * DAY

    clearing(world, referred_on=charged + DAY)
    refresh_alerts(today=charged + DAY)
    assert _alert(victim, Alert.Kind.RECORD_CLEARING_DUE) is None

    rearrested = charged + 10 * DAY
    _arrest(victim, rearrested)
    refresh_alerts(today=rearrested)
    alert = _alert(victim, Alert.Kind.RECORD_CLEARING_DUE)
    assert (alert.status, alert.due_on) == ("due", rearrested + 30 * DAY)


def test_the_clock_of_someone_arrested_before_being_identified_starts_at_identification(world):
    person = make_encounter(operation=world.operation_a, role="unknown")
    arrested = person.encountered_on
    _arrest(person, arrested)
    refresh_alerts(today=arrested + 5 * DAY)
    assert _alert(person, Alert.Kind.RECORD_CLEARING_DUE) is None

    identified = arrested + 20 * DAY
    standard.assess_role(
        encounter=person, role="confirmed_victim", basis="self_identified", assessed_on=identified
    )
    refresh_alerts(today=identified)
    assert _alert(person, Alert.Kind.RECORD_CLEARING_DUE).due_on == identified + 30 * DAY


def test_a_minor_is_owed_a_referral_and_a_buyer_or_an_immigration_referral_is_not(world):
    minor = make_encounter(operation=world.operation_a, role="unknown", age_group="15_17")
    _arrest(minor, minor.encountered_on)
    buyer = world.encounter_a
    _arrest(buyer, buyer.encountered_on)
    referred_to_immigration = world.encounter_b
    standard.record_treatment_event(
        encounter=referred_to_immigration,
        kind="immigration_referral",
        occurred_on=referred_to_immigration.encountered_on,
    )

    refresh_alerts(today=minor.encountered_on)

    assert _alert(minor, Alert.Kind.RECORD_CLEARING_DUE).status == "due"
    assert _alert(buyer, Alert.Kind.RECORD_CLEARING_DUE) is None
    assert _alert(referred_to_immigration, Alert.Kind.RECORD_CLEARING_DUE) is None
    assert _alert(referred_to_immigration, Alert.Kind.NON_PUNISHMENT).status == "flagged"


# --- Court dates --------------------------------------------------------------------------------


def test_a_court_date_without_support_is_due_two_weeks_before_and_cleared_by_support(world):
    victim = world.referred_encounter
    hearing = court_date(world)
    day = hearing.hearing_on

    refresh_alerts(today=day - 15 * DAY)
    assert _alert(victim, Alert.Kind.COURT_DATE_SUPPORT) is None

    refresh_alerts(today=day - 14 * DAY)
    alert = _alert(victim, Alert.Kind.COURT_DATE_SUPPORT)
    assert (alert.status, alert.due_on, alert.about) == ("due", day, f"care.courtdate:{hearing.pk}")
    assert alert.message == (
        f"Court date {day}: arrange an advocate, an interpreter or transport, or record that the "
        "person declined support."
    )

    services.update_court_support(
        user=world.steward_a, court_date=hearing, support=["advocate", "interpreter"]
    )
    refresh_alerts(today=day - 10 * DAY)
    assert _alert(victim, Alert.Kind.COURT_DATE_SUPPORT) is None
    assert Alert.objects.get(kind=Alert.Kind.COURT_DATE_SUPPORT).status == "cleared"


def test_support_declined_by_the_person_is_not_support_owed(world):
    hearing = court_date(world, support_declined=True)
    refresh_alerts(today=hearing.hearing_on - DAY)
    assert _alert(world.referred_encounter, Alert.Kind.COURT_DATE_SUPPORT) is None


def test_a_date_passed_without_support_is_overdue_until_its_outcome_is_recorded(world):
    victim = world.referred_encounter
    hearing = court_date(world)
    refresh_alerts(today=hearing.hearing_on + DAY)
    alert = _alert(victim, Alert.Kind.COURT_DATE_SUPPORT)
    assert alert.status == "overdue"
    assert alert.message == (
        f"Court date {hearing.hearing_on} passed with no support arranged: record what happened."
    )

    services.record_court_outcome(user=world.steward_a, court_date=hearing, outcome="not_attended")
    refresh_alerts(today=hearing.hearing_on + 2 * DAY)
    assert _alert(victim, Alert.Kind.COURT_DATE_SUPPORT) is None


# --- Family reunification -----------------------------------------------------------------------


def test_a_request_not_worked_on_is_due_then_overdue_and_cleared_when_work_starts(world):
    victim = world.referred_encounter
    request = family_request(world)

    refresh_alerts(today=REQUESTED)
    alert = _alert(victim, Alert.Kind.FAMILY_REUNIFICATION_WAITING)
    assert (alert.status, alert.due_on, alert.rule) == (
        "due",
        REQUESTED + 30 * DAY,
        "family-reunification-answer",
    )
    assert alert.message == (
        f"Family reunification request {request.code} of {REQUESTED}: start work on it, or "
        f"record why it is not possible, by {REQUESTED + 30 * DAY}."
    )

    refresh_alerts(today=REQUESTED + 31 * DAY)
    assert _alert(victim, Alert.Kind.FAMILY_REUNIFICATION_WAITING).status == "overdue"

    services.update_family_reunification(
        user=world.steward_a,
        reunification=request,
        status="in_progress",
        changed_on=REQUESTED + 31 * DAY,
    )
    refresh_alerts(today=REQUESTED + 32 * DAY)
    assert _alert(victim, Alert.Kind.FAMILY_REUNIFICATION_WAITING) is None
    assert Alert.objects.get(kind=Alert.Kind.FAMILY_REUNIFICATION_WAITING).status == "cleared"


def test_a_request_closed_as_not_possible_clears_its_alert(world):
    request = family_request(world)
    services.update_family_reunification(
        user=world.steward_a,
        reunification=request,
        status="not_possible",
        changed_on=REQUESTED + DAY,
        not_possible_reason="safety_risk",
    )
    refresh_alerts(today=REQUESTED + DAY)
    assert _alert(world.referred_encounter, Alert.Kind.FAMILY_REUNIFICATION_WAITING) is None


def test_the_deployments_own_lengths_are_used(world, settings):
    settings.CLOCK_OVERRIDES = {"family-reunification-answer": 10, "record-clearing-referral": 7}
    victim = world.referred_encounter
    family_request(world)
    _arrest(victim, victim.encountered_on)

    refresh_alerts(today=REQUESTED)

    waiting = _alert(victim, Alert.Kind.FAMILY_REUNIFICATION_WAITING)
    assert waiting.due_on == REQUESTED + 10 * DAY
    owed = _alert(victim, Alert.Kind.RECORD_CLEARING_DUE)
    assert owed.due_on == victim.encountered_on + 7 * DAY


def test_the_alerts_name_no_one(world):
    victim = world.referred_encounter
    _arrest(victim, victim.encountered_on)
    family_request(world, relationships=["children", "partner"], concerns=["debt_extortion"])
    court_date(world, hearing_kind="sentencing")

    refresh_alerts(today=REQUESTED + 30 * DAY)

    kinds = (
        Alert.Kind.RECORD_CLEARING_DUE,
        Alert.Kind.COURT_DATE_SUPPORT,
        Alert.Kind.FAMILY_REUNIFICATION_WAITING,
    )
    messages = " ".join(Alert.objects.filter(kind__in=kinds).values_list("message", flat=True))
    assert Alert.objects.filter(kind__in=kinds).count() == 3
    for detail in ("children", "partner", "debt", "extortion", "sentencing", "witness"):
        assert detail not in messages.lower()
