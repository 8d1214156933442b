"""The cooperation parity report compares how often victims who cooperated with law enforcement
and victims who did not were offered services, referred, accepted and served, so that any gap is
visible (R-080, R58)."""

import datetime

import pytest

from beyondraid.care import selectors, services
from beyondraid.standard import services as standard
from beyondraid.standard.tests.builders import make_encounter

from .builders import ANSWERED, STARTED, refer

pytestmark = pytest.mark.django_db
DAY = datetime.timedelta(days=1)


def _victim(world, *statuses):
    person = make_encounter(operation=world.operation_a, role="suspected_victim")
    for day, status in enumerate(statuses):
        standard.record_cooperation(
            encounter=person, status=status, recorded_on=person.encountered_on + day * DAY
        )
    return person


@pytest.fixture
def dataset(world):
    """Agency A's victims: two who cooperate (one referred, accepted and served; one only
    offered a service), one who declined (referred, declined by the provider), one who withdrew
    after cooperating (referred and accepted), and the world's referred person with nothing
    recorded (offered a shelter). Agency B has one victim with nothing. A buyer who cooperates
    is not a victim and is not counted."""
    served = _victim(world, "cooperating")
    referral = refer(world, encounter=served)
    services.accept_referral(user=world.caseworker, referral=referral, accepted_on=ANSWERED)
    services.start_services(user=world.caseworker, referral=referral, services_started_on=STARTED)

    offered = _victim(world, "cooperating")
    standard.offer_service(
        encounter=offered,
        service_type="medical_care",
        offered_on=offered.encountered_on,
        offered_by=world.agency_a,
    )

    declined = _victim(world, "declined")
    services.decline_referral(
        user=world.caseworker,
        referral=refer(world, encounter=declined),
        decline_reason="no_capacity",
        declined_on=ANSWERED,
    )

    withdrew = _victim(world, "cooperating", "withdrew")
    services.accept_referral(
        user=world.caseworker, referral=refer(world, encounter=withdrew), accepted_on=ANSWERED
    )

    buyer = make_encounter(operation=world.operation_a, role="buyer")
    standard.record_cooperation(encounter=buyer, status="cooperating", recorded_on=ANSWERED)
    return world


def _counts(group) -> tuple[int, ...]:
    return (
        group.victims,
        group.offered_services,
        group.referred,
        group.referral_accepted,
        group.services_started,
    )


def test_an_analyst_sees_both_groups_across_all_agencies(dataset):
    report = selectors.cooperation_parity(dataset.analyst)

    assert report.agency is None
    assert _counts(report.cooperated) == (2, 2, 1, 1, 1)
    assert _counts(report.did_not) == (4, 3, 2, 1, 0)
    assert report.cooperated.share("offered_services") == 1.0
    assert report.did_not.share("offered_services") == 0.75
    assert report.gap("offered_services") == pytest.approx(0.25)
    assert report.gap("services_started") == pytest.approx(0.5)


def test_the_groups_are_broken_down_by_latest_cooperation_status(dataset):
    report = selectors.cooperation_parity(dataset.analyst)

    by_status = {group.code: group.victims for group in report.by_status}
    assert by_status == {
        "not_asked": 0,
        "declined": 1,
        "cooperating": 2,
        "withdrew": 1,
        "offered": 0,
        "not_needed": 0,
        "": 2,
    }
    assert report.by_status[-1].label == "Nothing recorded"
    assert report.did_not.label == (
        "All other victims: not asked, declined, withdrew, offered to cooperate, waiting for an "
        "answer, law enforcement does not need cooperation, nothing recorded"
    )


def test_a_steward_reads_the_report_for_their_own_agency_only(dataset):
    ours = selectors.cooperation_parity(dataset.steward_a)
    assert ours.agency == dataset.agency_a
    assert _counts(ours.did_not) == (3, 3, 2, 1, 0)

    theirs = selectors.cooperation_parity(dataset.steward_b)
    assert _counts(theirs.did_not) == (1, 0, 0, 0, 0)
    assert theirs.cooperated.victims == 0
    assert theirs.gap("offered_services") is None

    assert selectors.cooperation_parity(dataset.steward_b, agency=dataset.agency_a) is None


def test_an_analyst_may_narrow_to_one_agency(dataset):
    report = selectors.cooperation_parity(dataset.analyst, agency=dataset.agency_b)

    assert _counts(report.did_not) == (1, 0, 0, 0, 0)


@pytest.mark.parametrize("persona", ["caseworker", "prosecutor", "investigator", "administrator"])
def test_nobody_else_reads_it(dataset, persona):
    assert selectors.cooperation_parity(getattr(dataset, persona)) is None
