"""The demo holds what issue 22 follows through on, each with its alert: a Continued Presence
pending past the jurisdiction's setting, one handed over long after its grant and near its end,
a renewal; a victim detained; a referral to immigration before any screening and one just after
a screening; the harms after an operation; a placement that is detention; an offer to cooperate
nobody answered; reports of abuse triaged with their types and feedback triaged with its answers
(one demo run for all of issue 22: each run costs a minute of the suite). Run twice, it records
them once."""

import datetime
from io import StringIO

import pytest
from django.conf import settings
from django.contrib.auth import get_user_model
from django.core.management import call_command
from django.utils import timezone

from beyondraid.accountability import kdf, receipts, sealing, services
from beyondraid.accountability.management.commands.demo_oversight import DEMO_KEY_PASSPHRASE
from beyondraid.accountability.models import Channel, Report, ReportType
from beyondraid.care.models import Alert, Answer, Harm, Placement, ReliefRequest
from beyondraid.core import clocks
from beyondraid.standard.models import Agency, CooperationRecord, TreatmentEvent

pytestmark = pytest.mark.django_db

# The demo's reports are sealed under receipts: their slow key derivation, made fast for a test.
FAST = kdf.Argon2idParameters(time_cost=1, memory_kib=256, parallelism=1)
CP = ReliefRequest.Kind.CONTINUED_PRESENCE


def _alert(kind: str, about) -> str | None:
    """The status of the alert of this kind about this record, if there is one."""
    return (
        Alert.objects.filter(kind=kind, about=f"{about._meta.label_lower}:{about.pk}")
        .values_list("status", flat=True)
        .first()
    )


def _continued_presence(today: datetime.date) -> None:
    decision = clocks.rule("continued-presence-decision", settings.CLOCK_OVERRIDES)
    pending = ReliefRequest.objects.get(kind=CP, status="pending", renews__isnull=True)
    assert (today - pending.requested_on).days > decision.length
    assert _alert(Alert.Kind.CONTINUED_PRESENCE_PENDING, pending) == Alert.Status.OVERDUE

    late = ReliefRequest.objects.get(kind=CP, status="granted", renewals__isnull=True, renews=None)
    granted_on, handed_over_on = late.decided_on, late.document_given_on
    assert granted_on and handed_over_on
    assert handed_over_on - granted_on == datetime.timedelta(days=120)
    term_ends = clocks.due_date(clocks.rule("continued-presence-term"), granted_on)
    assert today < term_ends <= today + datetime.timedelta(days=90)
    assert _alert(Alert.Kind.CONTINUED_PRESENCE_RENEWAL, late) == Alert.Status.DUE

    renewal = ReliefRequest.objects.get(kind=CP, renews__isnull=False)
    older = renewal.renews
    assert older is not None and older.decided_on is not None
    assert (older.encounter, older.status) == (renewal.encounter, "granted")
    assert renewal.requested_on >= older.decided_on and renewal.status == "granted"
    # Renewed in time: the older grant's reminder is answered.
    assert _alert(Alert.Kind.CONTINUED_PRESENCE_RENEWAL, older) == Alert.Status.CLEARED


def _screenings_and_detention() -> None:
    detained = TreatmentEvent.objects.get(kind="detained")
    assert detained.encounter.current_role == "suspected_victim"
    assert _alert(Alert.Kind.VICTIM_DETAINED, detained) == Alert.Status.FLAGGED

    referrals = TreatmentEvent.objects.filter(
        kind="immigration_referral", source_reference__contains="issue 22"
    )
    never = referrals.get(encounter__role_assessments__role="unknown")
    assert not never.encounter.treatment_events.filter(kind="screened").exists()
    assert _alert(Alert.Kind.IMMIGRATION_BEFORE_SCREENING, never) == Alert.Status.FLAGGED
    near = referrals.exclude(pk=never.pk).get()
    screened = near.encounter.treatment_events.filter(kind="screened").earliest("occurred_on")
    assert near.occurred_on - screened.occurred_on == datetime.timedelta(days=1)
    assert _alert(Alert.Kind.IMMIGRATION_BEFORE_SCREENING, near) is None


def _harms_and_placements() -> None:
    counts = {kind: Harm.objects.filter(kind=kind).count() for kind in Harm.Kind.values}
    assert counts == {
        "notice_to_appear": 2,
        "immigration_detention": 0,
        "removal_ordered": 1,
        "removed": 0,
        "family_separation": 1,
        "violence_risk": 1,
    }
    for harm, kind in (
        *(
            (harm, Alert.Kind.IMMIGRATION_PROCEEDINGS)
            for harm in Harm.objects.filter(kind__in=Harm.IMMIGRATION)
        ),
        (Harm.objects.get(kind="family_separation"), Alert.Kind.FAMILY_SEPARATION),
        (Harm.objects.get(kind="violence_risk"), Alert.Kind.VIOLENCE_RISK),
    ):
        assert _alert(kind, harm) == Alert.Status.FLAGGED

    free = Placement.objects.get(setting="shelter", free_to_leave=Answer.YES)
    assert (free.phone_access, free.staff_speak_language, free.locked) == ("yes", "yes", "no")
    assert free.provider == Agency.objects.get(name="Synthetic Safe Passage Survivor Services")
    locked = Placement.objects.get(setting="shelter", locked=Answer.YES)
    assert locked.free_to_leave == Answer.NO and locked.is_detention
    hotel = Placement.objects.get(setting="hotel")
    assert hotel.time_limit_days == 30 and not hotel.is_detention
    flagged = Alert.objects.filter(kind=Alert.Kind.PLACEMENT_NOT_FREE)
    assert list(flagged.values_list("about", flat=True)) == [f"care.placement:{locked.pk}"]


def _cooperation(today: datetime.date) -> None:
    offers = CooperationRecord.objects.filter(status="offered").order_by("-recorded_on")
    waiting, answered = offers
    assert waiting.recorded_on == today - datetime.timedelta(days=20)
    assert waiting.encounter.cooperation_records.latest("recorded_on") == waiting
    assert _alert(Alert.Kind.COOPERATION_UNANSWERED, waiting) == Alert.Status.OVERDUE
    answer = answered.encounter.cooperation_records.get(status="not_needed")
    assert answer.recorded_on - answered.recorded_on == datetime.timedelta(days=5)
    assert _alert(Alert.Kind.COOPERATION_UNANSWERED, answered) is None


def _typed_reports_and_feedback() -> None:
    """The reporting channel holds reports of abuse triaged with the types of misconduct found,
    and feedback in English and Spanish, sealed like any report and triaged with its answers
    and the organisation it concerns, a provider or an agency."""
    misconduct = Report.objects.filter(channel=Channel.MISCONDUCT)
    assert misconduct.count() == 4
    assert set(misconduct.values_list("state", flat=True)) == {Report.State.TRIAGED}
    assert all(report.types.exists() for report in misconduct)
    found = set(ReportType.objects.values_list("type", flat=True))
    assert {"bribery", "confinement", "pressure_to_mislead", "retaliation"} <= found

    feedback = Report.objects.filter(channel=Channel.FEEDBACK).select_related("answers")
    assert feedback.count() == 6
    assert {report.state for report in feedback} == {Report.State.TRIAGED}
    assert {report.language for report in feedback} == {"en", "es"}
    assert not ReportType.objects.filter(report__channel=Channel.FEEDBACK).exists()
    concerned = set(feedback.values_list("concerned_agency__kind", flat=True))
    assert concerned == {"victim_service_provider", "local_police"}
    assert {report.answers.complaint for report in feedback} == {True, False}
    answers = {
        getattr(report.answers, question)
        for report in feedback
        for question in services.FEEDBACK_QUESTIONS
    }
    assert answers == {"yes", "no", "not_said"}

    # Sealed like every report: the investigator's key opens what the person answered.
    investigator = get_user_model().objects.get(username="investigator")
    key = services.unlock_key(user=investigator, passphrase=DEMO_KEY_PASSPHRASE)
    for report in feedback:
        content = services.read_report(user=investigator, private_key=key, report=report)
        assert content["answers"] == {
            question: getattr(report.answers, question) for question in services.FEEDBACK_QUESTIONS
        }
        assert content["account"]


def test_the_demo_holds_the_harms_and_the_follow_through_with_their_alerts(monkeypatch):
    monkeypatch.setattr(receipts, "LOOKUP_KDF", FAST)
    monkeypatch.setattr(sealing, "WRAP_KDF", FAST)
    out = StringIO()
    call_command("demo", no_serve=True, port=8126, stdout=out)
    for line in (
        "Continued Presence:",
        "Detention:",
        "Referrals to immigration:",
        "Harms:",
        "Placements:",
        "Offers to cooperate:",
    ):
        assert line in out.getvalue()
    today = timezone.localdate()
    _continued_presence(today)
    _screenings_and_detention()
    _harms_and_placements()
    _cooperation(today)
    assert "Reports of abuse by officers: 4 triaged" in out.getvalue()
    assert "Feedback: 6 triaged" in out.getvalue()
    _typed_reports_and_feedback()

    before = (ReliefRequest.objects.count(), Harm.objects.count(), Placement.objects.count())
    again = StringIO()
    call_command("demo_follow_through", stdout=again)
    assert "already recorded" in again.getvalue()
    assert (ReliefRequest.objects.count(), Harm.objects.count(), Placement.objects.count()) == (
        before
    )
    again = StringIO()
    call_command("demo_oversight", stdout=again)
    assert "adds none" in again.getvalue()
    assert Report.objects.count() == 10
