"""Family reunification requests, court dates and record-clearing referrals refuse what cannot be
true (dates out of order or in the future, a status without its date, a concern that says
nothing, a denial without a ground) with a message naming the field; the database refuses the
same records even when the checks in Python are skipped."""

import pytest
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction

from beyondraid.care import services
from beyondraid.care.models import CourtDate, FamilyReunification, RecordClearing
from beyondraid.standard.tests.builders import OPERATION_START

from .builders import ANSWERED, refer, second_provider
from .support_builders import DAY, HEARING, REQUESTED, clearing, court_date, family_request

pytestmark = pytest.mark.django_db


def _refusal(call, *args, **kwargs) -> dict[str, list[str]]:
    with pytest.raises(ValidationError) as refused:
        call(*args, **kwargs)
    return refused.value.message_dict


# --- Family reunification -----------------------------------------------------------------------


def test_a_request_says_how_the_family_members_are_related(world):
    refusal = _refusal(family_request, world, relationships=[])
    assert refusal["relationships"] == ["Tick at least one: how the family members are related."]


def test_a_request_counts_at_least_one_member_per_kind_of_relative(world):
    refusal = _refusal(
        family_request, world, members_count=1, relationships=["children", "parents"]
    )
    assert refusal["members_count"] == [
        "2 kinds of relative are ticked, so the request is about at least 2 family members, not 1."
    ]


def test_an_unknown_relationship_is_named(world):
    refusal = _refusal(family_request, world, relationships=["cousin"])
    assert refusal["relationships"] == [
        "Unknown choice(s) cousin; use: children, partner, parents, siblings, other_relatives."
    ]


def test_a_concern_says_what_the_danger_is_and_no_danger_is_ticked_without_one(world):
    assert _refusal(family_request, world, concerns=[])["concerns"] == [
        "Tick what the danger to the family is ('Another danger' if none of the others)."
    ]
    refusal = _refusal(family_request, world, safety_concern="none_known", concerns=["threats"])
    assert refusal["concerns"][0].startswith("Dangers are ticked but no concern is recorded")


def test_a_request_is_neither_in_the_future_nor_before_the_encounter(world):
    future = _refusal(family_request, world, requested_on=OPERATION_START + 100_000 * DAY)
    assert future["requested_on"] == ["This date is in the future; record what has happened."]
    early = _refusal(family_request, world, requested_on=OPERATION_START - DAY)
    assert early["requested_on"] == [
        f"A request cannot be recorded before the encounter ({OPERATION_START})."
    ]


def test_a_request_moves_forward_in_date_order_and_stays_closed(world):
    request = family_request(world)
    early = _refusal(
        services.update_family_reunification,
        user=world.steward_a,
        reunification=request,
        status="in_progress",
        changed_on=REQUESTED - DAY,
    )
    assert early["changed_on"] == [f"Work cannot start before the request ({REQUESTED})."]

    no_reason = _refusal(
        services.update_family_reunification,
        user=world.steward_a,
        reunification=request,
        status="not_possible",
        changed_on=REQUESTED + DAY,
    )
    assert no_reason["not_possible_reason"] == ["Say why reunification is not possible."]

    services.update_family_reunification(
        user=world.steward_a, reunification=request, status="withdrawn", changed_on=REQUESTED + DAY
    )
    closed = _refusal(
        services.update_family_reunification,
        user=world.steward_a,
        reunification=request,
        status="in_progress",
        changed_on=REQUESTED + 2 * DAY,
    )
    assert closed["status"] == [
        f"{request.code} was closed on {REQUESTED + DAY} (withdrawn by the person); if the "
        "person asks again, record a new request."
    ]


def test_a_request_in_progress_cannot_go_back(world):
    request = family_request(world)
    services.update_family_reunification(
        user=world.steward_a, reunification=request, status="in_progress", changed_on=REQUESTED
    )
    refusal = _refusal(
        services.update_family_reunification,
        user=world.steward_a,
        reunification=request,
        status="requested",
        changed_on=REQUESTED,
    )
    assert refusal["status"] == [
        "A request that is in progress can become: reunited, not possible, withdrawn by the person."
    ]


# --- Court dates --------------------------------------------------------------------------------


def test_support_is_arranged_or_declined_not_both(world):
    refusal = _refusal(court_date, world, support=["interpreter"], support_declined=True)
    assert refusal["support_declined"] == [
        "Support is ticked as arranged, so the person has not declined it: untick one."
    ]


def test_a_petitioner_is_at_a_petition_hearing_and_only_there(world):
    refusal = _refusal(court_date, world, capacity="petitioner", hearing_kind="trial")
    assert refusal["hearing_kind"][0].startswith("The person is the petitioner at the hearing")
    assert _refusal(court_date, world, capacity="witness", hearing_kind="petition")["hearing_kind"]


def test_a_court_date_follows_the_encounter(world):
    refusal = _refusal(court_date, world, hearing_on=OPERATION_START - DAY)
    assert refusal["hearing_on"] == [
        f"Court dates followed here come after the encounter ({OPERATION_START})."
    ]


def test_attendance_is_recorded_from_the_day_of_the_hearing_and_once(world):
    upcoming = court_date(world, hearing_on=OPERATION_START + 100_000 * DAY)
    refusal = _refusal(
        services.record_court_outcome, user=world.steward_a, court_date=upcoming, outcome="attended"
    )
    assert refusal["outcome"][0].startswith(f"The hearing is on {upcoming.hearing_on}")
    services.record_court_outcome(user=world.steward_a, court_date=upcoming, outcome="postponed")

    again = _refusal(
        services.record_court_outcome,
        user=world.steward_a,
        court_date=upcoming,
        outcome="cancelled",
    )
    assert again["outcome"] == [f"The outcome of {upcoming.code} is already recorded (postponed)."]
    support = _refusal(
        services.update_court_support,
        user=world.steward_a,
        court_date=upcoming,
        support=["transport"],
    )
    assert support["support"] == [
        f"The outcome of {upcoming.code} is recorded (postponed); the support arranged for it "
        "can no longer change."
    ]


def test_an_unknown_capacity_is_named(world):
    refusal = _refusal(court_date, world, capacity="victim")
    assert refusal["capacity"] == [
        "Choose why the person is in court: witness, defendant, petitioner."
    ]


# --- Record clearing ----------------------------------------------------------------------------


def test_a_referral_goes_to_a_victim_service_provider_or_to_none_named(world):
    refusal = _refusal(clearing, world, referred_to=world.agency_b)
    assert refusal["referred_to"][0].startswith(
        "Agency B Police Department is not a victim-service provider"
    )
    assert clearing(world, referred_to=None).referred_to is None


def test_a_petition_is_filed_before_it_is_decided_and_a_denial_has_a_ground(world):
    referral = clearing(world)
    early = _refusal(
        services.update_record_clearing,
        user=world.steward_a,
        clearing=referral,
        status="granted",
        changed_on=REQUESTED + DAY,
    )
    assert early["status"] == [
        "A record clearing that is referred can become: petition filed, withdrawn."
    ]

    services.update_record_clearing(
        user=world.steward_a, clearing=referral, status="filed", changed_on=REQUESTED + DAY
    )
    no_ground = _refusal(
        services.update_record_clearing,
        user=world.steward_a,
        clearing=referral,
        status="denied",
        changed_on=REQUESTED + 2 * DAY,
    )
    assert no_ground["denial_reason"] == ["Say on what ground the petition was denied."]
    before_filing = _refusal(
        services.update_record_clearing,
        user=world.steward_a,
        clearing=referral,
        status="granted",
        changed_on=REQUESTED,
    )
    assert before_filing["changed_on"] == [
        f"A petition cannot be decided before it was filed ({REQUESTED + DAY})."
    ]


def test_a_decided_petition_stays_decided(world):
    referral = clearing(world)
    for status, day in (("filed", REQUESTED + DAY), ("granted", REQUESTED + 2 * DAY)):
        services.update_record_clearing(
            user=world.steward_a, clearing=referral, status=status, changed_on=day
        )
    refusal = _refusal(
        services.update_record_clearing,
        user=world.steward_a,
        clearing=referral,
        status="withdrawn",
        changed_on=REQUESTED + 3 * DAY,
    )
    assert refusal["status"] == [
        f"{referral.code} was granted on {REQUESTED + 2 * DAY}; a new petition is a new referral."
    ]


# --- The database's own rules -------------------------------------------------------------------


def _family(world, **fields):
    values = {
        "encounter": world.referred_encounter,
        "requested_on": REQUESTED,
        "members_count": 1,
        "includes_children": True,
        "recorded_by": world.steward_a,
    }
    return FamilyReunification(**{**values, **fields})


def _court(world, **fields):
    values = {
        "encounter": world.referred_encounter,
        "hearing_on": HEARING,
        "capacity": "witness",
        "hearing_kind": "trial",
        "recorded_by": world.steward_a,
    }
    return CourtDate(**{**values, **fields})


def _clearing(world, **fields):
    values = {
        "encounter": world.referred_encounter,
        "remedy": "vacatur",
        "referred_on": REQUESTED,
        "recorded_by": world.steward_a,
    }
    return RecordClearing(**{**values, **fields})


BROKEN = [
    (_family, {"members_count": 0}, "A request is about at least one family member."),
    (
        _family,
        {"includes_children": False},
        "Say how the family members are related to the person.",
    ),
    (
        _family,
        {"safety_concern": "concern"},
        "A safety concern says what the danger is; without a concern, no danger is ticked.",
    ),
    (_family, {"status": "in_progress"}, "The request's status does not match its dates."),
    (
        _family,
        {"status": "not_possible", "closed_on": REQUESTED},
        "A reunification found not possible has a reason; no other one has.",
    ),
    (
        _family,
        {"status": "in_progress", "started_on": REQUESTED - DAY},
        "A request's steps happen in order: requested, started, closed.",
    ),
    (
        _court,
        {"support_transport": True, "support_declined": True},
        "Support is either arranged or declined by the person, not both.",
    ),
    (
        _court,
        {"capacity": "petitioner"},
        "The person is the petitioner at the hearing of a record-clearing petition, and only "
        "there.",
    ),
    (
        _clearing,
        {"status": "granted", "closed_on": REQUESTED},
        "The record clearing's status does not match its dates: a petition is filed before it "
        "is granted or denied.",
    ),
    (
        _clearing,
        {"status": "denied", "filed_on": REQUESTED, "closed_on": REQUESTED},
        "A denied petition has a reason; no other one has.",
    ),
    (
        _clearing,
        {"status": "filed", "filed_on": REQUESTED - DAY},
        "A record clearing's steps happen in order: referred, filed, decided.",
    ),
]


@pytest.mark.parametrize(("build", "fields", "message"), BROKEN)
def test_each_constraint_refuses_with_its_message(world, build, fields, message):
    record = build(world, **fields)
    with pytest.raises(ValidationError) as refused:
        record.validate_constraints()
    assert message in refused.value.messages
    with pytest.raises(IntegrityError), transaction.atomic():
        record.save()


def test_only_those_who_follow_the_person_record_for_them(world):
    refusal = "Only a data steward of an agency in the person's operation, someone of the"
    for outsider in (world.steward_b, world.prosecutor, world.analyst, world.caseworker):
        with pytest.raises(services.CareRefused) as refused:
            family_request(world, by=outsider)
        assert refused.value.messages[0].startswith(refusal)

    _, other_caseworker = second_provider()
    with pytest.raises(services.CareRefused):
        court_date(world, by=other_caseworker)
    assert not FamilyReunification.objects.exists()
    assert not CourtDate.objects.exists()


def test_a_caseworker_whose_provider_accepted_the_person_records_for_them(world):
    with pytest.raises(services.CareRefused):
        court_date(world, by=world.caseworker)
    referral = refer(world)
    with pytest.raises(services.CareRefused):
        court_date(world, by=world.caseworker)
    services.accept_referral(user=world.caseworker, referral=referral, accepted_on=ANSWERED)

    assert court_date(world, by=world.caseworker).recorded_by == world.caseworker
