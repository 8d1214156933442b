"""Harms that follow an operation, placements, offers to cooperate, Continued Presence and the
feedback of the people served are counted in the indicators (issue 22): each indicator counts the
people planted for it and none of the near-misses beside them (screened the day before a referral
to immigration, a buyer arrested without a screening, an offer answered in time, a placement the
person was free to leave)."""

import datetime

import pytest

from beyondraid.accountability import services as accountability
from beyondraid.accountability.models import Channel, FeedbackAnswers, Report
from beyondraid.accountability.tests.reporting import open_channel
from beyondraid.care.models import Harm, Placement, ReliefRequest
from beyondraid.standard import services
from beyondraid.standard.tests.builders import make_agency, make_encounter, make_operation
from beyondraid.transparency import indicators
from beyondraid.transparency.models import COMPUTED

pytestmark = pytest.mark.django_db

DAY = datetime.date(2020, 10, 12)
# The day the clocks are read on: offers and requests are overdue or not as of this day.
TODAY = datetime.date(2021, 3, 1)


def _days(n: int) -> datetime.date:
    return DAY + datetime.timedelta(days=n)


def _saved(record):
    record.full_clean()
    record.save()
    return record


@pytest.fixture
def scenario(world):
    police = make_agency(name="Harbor City Police")
    operation = make_operation(lead_agency=police, start_date=DAY, end_date=DAY)
    user = world.caseworker

    def person(role="unknown"):
        return make_encounter(operation=operation, role=role)

    def event(encounter, kind, on=DAY):
        details = {}
        if kind == "screened":
            details = {
                "screener": "officer",
                "screening_tool": "agency_checklist",
                "screening_result": "indicators_present",
            }
        if kind == "arrested":
            details = {"arrest_basis": "probable_cause"}
        services.record_treatment_event(encounter=encounter, kind=kind, occurred_on=on, **details)

    def harm(encounter, kind, on=DAY):
        _saved(Harm(encounter=encounter, kind=kind, occurred_on=on, recorded_by=user))

    def cooperation(encounter, status, on):
        services.record_cooperation(encounter=encounter, status=status, recorded_on=on)

    def placement(encounter, free_to_leave, locked):
        _saved(
            Placement(
                encounter=encounter,
                setting="shelter",
                placed_on=DAY,
                free_to_leave=free_to_leave,
                phone_access="yes",
                staff_speak_language="yes",
                locked=locked,
                recorded_by=user,
            )
        )

    def continued_presence(encounter, requested_on, decided_on=None, given_on=None):
        _saved(
            ReliefRequest(
                encounter=encounter,
                agency=police,
                kind=ReliefRequest.Kind.CONTINUED_PRESENCE,
                requested_on=requested_on,
                status="granted" if decided_on else "pending",
                decided_on=decided_on,
                document_given_on=given_on,
                recorded_by=user,
            )
        )

    # Detention: two victims held (one in jail, one in immigration detention); a buyer held is
    # not a victim.
    event(person("suspected_victim"), "detained")
    harm(person("confirmed_victim"), "immigration_detention")
    event(person("buyer"), "detained")

    # Immigration before screening: referred the day before a screening, and served a Notice to
    # Appear never screened, count; screened the day before a referral, or on the day of an
    # order of removal, do not.
    referred_first = person("adult_in_commercial_sex")
    event(referred_first, "immigration_referral")
    event(referred_first, "screened", on=_days(1))
    screened_first = person()
    event(screened_first, "screened")
    event(screened_first, "immigration_referral", on=_days(1))
    harm(person("witness"), "notice_to_appear", on=_days(5))
    screened_same_day = person()
    event(screened_same_day, "screened")
    harm(screened_same_day, "removal_ordered")

    # Arrests: a victim screened two days after the arrest and a person of unknown role never
    # screened count; a victim screened the next day does not; a buyer never screened is not
    # owed a screening here.
    late = person("suspected_victim")
    event(late, "arrested")
    event(late, "screened", on=_days(2))
    next_day = person("suspected_victim")
    event(next_day, "arrested")
    event(next_day, "screened", on=_days(1))
    event(person(), "arrested")
    event(person("buyer"), "arrested")

    harm(person(), "family_separation")
    harm(person(), "violence_risk")

    # Offers to cooperate (a 14-day clock): answered on its last day is in time; answered late,
    # never answered, or only offered again, is not; an offer still inside its clock today is
    # not counted yet.
    offer_day = datetime.date(2021, 1, 1)
    in_time = person()
    cooperation(in_time, "offered", offer_day)
    cooperation(in_time, "cooperating", offer_day + datetime.timedelta(days=14))
    answered_late = person()
    cooperation(answered_late, "offered", offer_day)
    cooperation(answered_late, "not_needed", offer_day + datetime.timedelta(days=15))
    cooperation(person(), "offered", offer_day)
    offered_again = person()
    cooperation(offered_again, "offered", offer_day)
    cooperation(offered_again, "offered", offer_day + datetime.timedelta(days=4))
    cooperation(person(), "offered", TODAY - datetime.timedelta(days=5))

    # Placements: locked, and not free to leave, count; free to leave, or not known, do not.
    placement(person(), free_to_leave="no", locked="yes")
    placement(person(), free_to_leave="no", locked="no")
    placement(person(), free_to_leave="yes", locked="no")
    placement(person(), free_to_leave="unknown", locked="unknown")

    # Continued Presence (a 30-day clock): pending 45 days is overdue; pending 30 days is due
    # today, not overdue. Documents handed over 60 and 10 days after the grant; a grant not
    # handed over yet has no time.
    continued_presence(person(), TODAY - datetime.timedelta(days=45))
    continued_presence(person(), TODAY - datetime.timedelta(days=30))
    continued_presence(person(), _days(20), _days(40), _days(100))
    twice = person()
    continued_presence(twice, _days(20), _days(30), _days(40))
    continued_presence(twice, _days(50), _days(60))
    return operation


def _row(level: str, code: str, unit: tuple) -> indicators.IndicatorRow:
    (row,) = [
        row
        for row in indicators.compute(level, today=TODAY)
        if row.indicator.code == code and row.provenance == COMPUTED and row.unit == unit
    ]
    return row


@pytest.mark.parametrize(
    ("code", "value", "numerator", "denominator"),
    [
        # Four victims (two detained, two arrested); the buyer held is not one.
        ("victims_detained", 50.0, 2, 4),
        ("immigration_referrals_before_screening", 2, 2, None),
        # Of three people owed a screening, two went unscreened past the next day.
        ("arrests_without_screening", 66.7, 2, 3),
        # Immigration detention, a Notice to Appear, an order of removal.
        ("immigration_proceedings", 3, 3, None),
        ("family_separations", 1, 1, None),
        ("violence_risk_after_operation", 1, 1, None),
        ("cooperation_offers_unanswered", 60.0, 3, 5),
        ("placements_not_free", 50.0, 2, 4),
        ("continued_presence_pending_past_setting", 1, 1, None),
        ("days_from_continued_presence_grant_to_document", 35, 35, None),
    ],
)
def test_each_harm_counts_the_people_planted_for_it_and_not_the_near_misses(
    scenario, code, value, numerator, denominator
):
    row = _row("operation", code, (scenario.pk,))
    assert (row.value, row.numerator, row.denominator) == (value, numerator, denominator)


def test_the_cooperation_clock_follows_the_deployment_setting(scenario, settings):
    # With 20 days to answer, the offer answered on day 15 was answered in time.
    settings.CLOCK_OVERRIDES = {"cooperation-answer": 20}
    row = _row("operation", "cooperation_offers_unanswered", (scenario.pk,))
    assert (row.numerator, row.denominator) == (2, 5)


def test_the_clocks_are_read_on_the_day_given(scenario):
    # On the day the offers were made nothing was overdue yet, and the oldest Continued
    # Presence request was three weeks old.
    rows = indicators.compute("operation", today=datetime.date(2021, 1, 2))
    values = {
        row.indicator.code: row.value
        for row in rows
        if row.provenance == COMPUTED and row.unit == (scenario.pk,)
    }
    assert values["cooperation_offers_unanswered"] == 0.0
    assert values["continued_presence_pending_past_setting"] == 0


def _feedback(world, *, about, answers=None, operation=None, channel=Channel.FEEDBACK):
    report = accountability.submit_report(conduct=["force"], account="How I was treated.").report
    Report.objects.filter(pk=report.pk).update(
        channel=channel, concerned_agency=about, operation=operation, state="triaged"
    )
    if answers is not None:
        rights, free, judgement, help_needed, complaint = answers
        FeedbackAnswers.objects.create(
            report=report,
            rights_explained=rights,
            free_to_leave=free,
            without_judgement=judgement,
            help_needed=help_needed,
            complaint=complaint,
        )
    return report


def test_feedback_counts_per_organisation_concerned_and_never_per_operation(scenario, world):
    open_channel(world)
    provider = world.provider
    police = scenario.lead_agency
    _feedback(world, about=provider, answers=("no", "no", "no", "no", True), operation=scenario)
    _feedback(world, about=provider, answers=("yes", "yes", "yes", "yes", False))
    _feedback(world, about=provider, answers=("not_said",) * 4 + (False,))
    _feedback(world, about=provider)  # not triaged yet
    _feedback(world, about=provider, channel=Channel.MISCONDUCT)

    expected = {
        "feedback_received": (3, 3, None),
        "feedback_rights_not_explained": (33.3, 1, 3),
        "feedback_not_free_to_leave": (33.3, 1, 3),
        "feedback_judged": (33.3, 1, 3),
        "feedback_help_not_needed": (33.3, 1, 3),
        "feedback_with_complaint": (33.3, 1, 3),
    }
    for code, answer in expected.items():
        row = _row("agency", code, (provider.pk,))
        assert (row.value, row.numerator, row.denominator) == answer, code
    # An agency nobody gave feedback about has none: a count of 0, and no share.
    assert _row("agency", "feedback_received", (police.pk,)).value == 0
    assert _row("agency", "feedback_judged", (police.pk,)).note == indicators.NOBODY_IN_DENOMINATOR
    # Feedback linked to an operation is not a report of abuse by officers.
    assert _row("agency", "misconduct_reports", (police.pk,)).value == 0
    # Feedback is about organisations, not operations: the operation and initiative levels do
    # not show it, the state of the organisation concerned does, and the provider, which led no
    # operation, has no row of the operations' indicators.
    for level in ("operation", "initiative"):
        groups = {row.indicator.group for row in indicators.compute(level, today=TODAY)}
        assert indicators.FEEDBACK not in groups
    assert _row("state", "feedback_received", (provider.state,)).value == 3
    assert _row("all", "feedback_with_complaint", ()).numerator == 1
    assert not [
        row
        for row in indicators.compute("agency", today=TODAY)
        if row.unit == (provider.pk,) and row.indicator.code == "victims_detained"
    ]


def test_feedback_is_kept_to_the_year_it_was_received(scenario, world):
    open_channel(world)
    _feedback(world, about=world.provider, answers=("no", "no", "no", "no", True))
    received = Report.objects.get(channel=Channel.FEEDBACK).received_on.year
    rows = [
        row
        for row in indicators.compute("agency", year=received - 1, today=TODAY)
        if row.indicator.code == "feedback_received"
    ]
    assert all(row.unit != (world.provider.pk,) for row in rows)


def test_every_new_indicator_is_defined_with_its_source_and_the_release_suppression():
    for code in (
        "victims_detained",
        "immigration_referrals_before_screening",
        "arrests_without_screening",
        "immigration_proceedings",
        "family_separations",
        "violence_risk_after_operation",
        "cooperation_offers_unanswered",
        "placements_not_free",
        "continued_presence_pending_past_setting",
        "days_from_continued_presence_grant_to_document",
        "feedback_received",
        "feedback_rights_not_explained",
        "feedback_not_free_to_leave",
        "feedback_judged",
        "feedback_help_not_needed",
        "feedback_with_complaint",
    ):
        indicator = indicators.find_indicator(code)
        assert indicator is not None and indicator.is_measured, code
        assert "R-" in indicator.source or "Issue 22" in indicator.source, code
        assert indicators.SUPPRESSED_IN_RELEASES in indicator.note, code
