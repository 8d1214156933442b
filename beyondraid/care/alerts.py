"""Follow-through on clocks: every promise to a person becomes an alert with a due date.

``refresh_alerts`` reads the records and writes the alerts they call for; the daily task
(``tasks.refresh_alerts_daily``) and ``beyondraid alerts --refresh`` run it. Each condition is one
alert, keyed by what it is about, so recomputing never duplicates one:

- **services not offered**: a suspected or confirmed victim with no service offer within the
  ``services-offered`` clock of identification (R-079, R56);
- **reflection period**: from identification, the ``reflection-period`` clock; no request to
  cooperate and no substantive interview before it ends. One that happens inside it is flagged;
- **interview conditions**: an interview without an advocate (unless the person declined one),
  before basic needs were met, or during or the day after the operation (R-069, R40) is flagged,
  as it happened;
- **declarations**: a T or U visa declaration request runs on the California clock of 90 days, 14
  in removal proceedings (Cal. Penal Code §§ 679.10, 679.11);
- **Continued Presence**: a pending request (a renewal too) on the ``continued-presence-decision``
  clock, overdue after it so that it escalates (R-101, R-102); the two-year term of a grant, with
  a renewal reminder before it ends, cleared once its renewal is requested (R-103);
- **follow-ups**: scheduled at identification for 6 and 12 months (Rec 3.2), due and overdue
  until done;
- **non-punishment**: each non-punishment alert of the standard (a victim or a minor arrested,
  cited, charged or referred to immigration);
- **record clearing**: a person the non-punishment principle protects who was arrested, cited or
  charged, with no referral for vacatur, expungement or sealing since, on the
  ``record-clearing-referral`` clock from that day, or from identification if later (R71, R-111);
- **court dates**: a court date within ``COURT_DATE_NOTICE`` with no support arranged and not
  declined by the person, due on the day of the hearing and overdue after it until its outcome
  is recorded (R71, R-034);
- **family reunification**: a request not yet worked on, on the ``family-reunification-answer``
  clock from the request (R-089).
- **a victim detained**: a person whose current role is a victim held in detention, or in
  immigration detention, is flagged (R-109);
- **screening**: a referral to immigration, a Notice to Appear or a removal with no trafficking
  screening on or before that day (R-072), and an arrest of anyone but a buyer, a suspected
  trafficker or another third party with no screening by the day after (R-013), are flagged;
- **harms after an operation**: each immigration proceeding (R-162), family separation (R-207)
  and risk of violence at home (R-206) recorded is flagged;
- **offers to cooperate**: an offer no later cooperation record answers, on the
  ``cooperation-answer`` clock (R-104, R-112);
- **placements**: a placement the person was not free to leave, or that was locked, is flagged
  as the detention it is (R-029, R-086).

Identification is the first day a role assessment called the person a victim, for people whose
current role is still a victim. Clock alerts clear when the thing is done; flags stay, because a
harm that happened stays a harm that happened. Nothing here reads cooperation to decide what a
person is owed: cooperation records are read only to flag requests made during reflection and to
chase law enforcement's answer to an offer.
"""

import datetime
from collections import defaultdict
from dataclasses import dataclass

from django.conf import settings
from django.db import transaction
from django.db.models import Max, Min, Q, QuerySet
from django.utils import timezone

from beyondraid.core import clocks
from beyondraid.standard import access
from beyondraid.standard import services as standard_services
from beyondraid.standard.models import (
    CooperationRecord,
    Encounter,
    FollowUp,
    NonPunishmentAlert,
    OperationParticipant,
    RoleAssessment,
    ServiceOffer,
    TreatmentEvent,
)
from beyondraid.standard.selectors import with_current_role
from beyondraid.standard.vocabulary import vocabulary

from .models import (
    Alert,
    Answer,
    CourtDate,
    FamilyReunification,
    Harm,
    Placement,
    RecordClearing,
    ReliefRequest,
)

# Alerts written per statement.
BATCH = 1000
_ALERT_FIELDS = ("encounter_id", "agency_id", "status", "message", "due_on", "rule", "cleared_on")
# How far ahead a follow-up shows as due.
FOLLOW_UP_NOTICE = datetime.timedelta(days=30)
# How far ahead a court date without support shows as due: two weeks leave time to find an
# advocate, an interpreter or a ride (issue 7).
COURT_DATE_NOTICE = datetime.timedelta(days=14)
# The roles whose arrest is not a missed chance to find a victim (R-013 asks for a screening of
# everyone else arrested: adults in commercial sex, witnesses, people of unknown role, victims).
_NOT_SCREENED_ROLES = ("buyer", "suspected_trafficker", "other_third_party")
_DECLARATION_RULES = {
    (ReliefRequest.Kind.T_VISA_DECLARATION, False): "i914b-california",
    (ReliefRequest.Kind.T_VISA_DECLARATION, True): "i914b-california-removal",
    (ReliefRequest.Kind.U_VISA_CERTIFICATION, False): "i918b-california",
    (ReliefRequest.Kind.U_VISA_CERTIFICATION, True): "i918b-california-removal",
}


def _rule(code: str) -> clocks.ClockRule:
    return clocks.rule(code, settings.CLOCK_OVERRIDES)


@dataclass(frozen=True)
class _Wanted:
    kind: str
    about: str
    encounter_id: int
    status: str
    message: str
    due_on: datetime.date | None = None
    rule: str = ""


@dataclass(frozen=True)
class RefreshSummary:
    open: int
    raised: int
    cleared: int
    follow_ups_scheduled: int


def _clock_status(clock: clocks.Clock, today: datetime.date) -> str | None:
    state = clock.status(today).state
    if state in (clocks.State.RUNNING, clocks.State.DUE_TODAY):
        return Alert.Status.DUE
    if state is clocks.State.OVERDUE:
        return Alert.Status.OVERDUE
    return None


def identified_victims(people: QuerySet[Encounter]) -> dict[int, datetime.date]:
    """Each person whose current role is a victim, with the day they were first identified."""
    victim_roles = vocabulary("role").codes_where("is_victim", True)
    current = with_current_role(people).filter(current_role_code__in=victim_roles)
    return dict(
        RoleAssessment.objects.filter(encounter__in=current.values("pk"), role__in=victim_roles)
        .values("encounter_id")
        .annotate(first=Min("assessed_on"))
        .values_list("encounter_id", "first")
    )


def _schedule_follow_ups(identified: dict[int, datetime.date]) -> int:
    """The 6- and 12-month follow-ups of every identified victim, written once."""
    due_dates = {
        encounter: {
            clocks.due_date(_rule(code), first)
            for code in ("follow-up-6-months", "follow-up-12-months")
        }
        for encounter, first in identified.items()
    }
    held = defaultdict(set)
    for encounter, due_on in FollowUp.objects.filter(encounter_id__in=identified).values_list(
        "encounter_id", "due_on"
    ):
        held[encounter].add(due_on)
    missing = [
        (encounter_id, due_on)
        for encounter_id, wanted in due_dates.items()
        for due_on in sorted(wanted - held[encounter_id])
    ]
    encounters = Encounter.objects.in_bulk({encounter_id for encounter_id, _ in missing})
    written = standard_services.schedule_follow_ups(
        ((encounters[encounter_id], due_on) for encounter_id, due_on in missing),
        source_reference="scheduled at identification",
    )
    return len(written)


def _victim_clocks(identified: dict[int, datetime.date], today: datetime.date):
    first_offer = dict(
        ServiceOffer.objects.filter(encounter_id__in=identified)
        .values("encounter_id")
        .annotate(first=Min("offered_on"))
        .values_list("encounter_id", "first")
    )
    offered_rule, reflection_rule = _rule("services-offered"), _rule("reflection-period")
    for encounter_id, first in identified.items():
        # An offer made, even late, clears the alert: what is owed now is the service itself.
        if encounter_id not in first_offer:
            clock = clocks.Clock(offered_rule, first)
            yield _Wanted(
                Alert.Kind.SERVICES_NOT_OFFERED,
                f"standard.encounter:{encounter_id}",
                encounter_id,
                _clock_status(clock, today),
                f"Offer services: none recorded since identification on {first}.",
                clock.due_on,
                offered_rule.code,
            )
        reflection = clocks.Clock(reflection_rule, first)
        if today < reflection.due_on:
            yield _Wanted(
                Alert.Kind.REFLECTION_PERIOD,
                f"standard.encounter:{encounter_id}",
                encounter_id,
                Alert.Status.DUE,
                f"Reflection period until {reflection.due_on}: no request to cooperate and no "
                "substantive interview before then.",
                reflection.due_on,
                reflection_rule.code,
            )


def _reflection_breaches(identified: dict[int, datetime.date]):
    rule = _rule("reflection-period")
    ends = {e: clocks.due_date(rule, first) for e, first in identified.items()}
    # Only a request made to the person is a breach: their own offer to cooperate, or law
    # enforcement answering that it needs none, asks nothing of them.
    requests = CooperationRecord.objects.filter(
        encounter_id__in=identified,
        status__in=vocabulary("cooperation_status").codes_where("asked", True),
    ).values_list("pk", "encounter_id", "recorded_on")
    interviews = TreatmentEvent.objects.filter(
        encounter_id__in=identified, kind="interviewed"
    ).values_list("pk", "encounter_id", "occurred_on")
    for about, what, rows in (
        ("standard.cooperationrecord", "Asked to cooperate", requests),
        ("standard.treatmentevent", "Interviewed", interviews),
    ):
        for pk, encounter_id, day in rows:
            if identified[encounter_id] <= day < ends[encounter_id]:
                yield _Wanted(
                    Alert.Kind.REFLECTION_BREACHED,
                    f"{about}:{pk}",
                    encounter_id,
                    Alert.Status.FLAGGED,
                    f"{what} on {day}, inside the reflection period that ran until "
                    f"{ends[encounter_id]}.",
                    rule=rule.code,
                )


def _interview_conditions(people: QuerySet[Encounter]):
    interviews = TreatmentEvent.objects.filter(
        kind="interviewed", encounter__in=people.values("pk")
    ).values_list(
        "pk",
        "encounter_id",
        "occurred_on",
        "advocate_present",
        "basic_needs_before",
        "encounter__operation__end_date",
    )
    for pk, encounter_id, day, advocate, basic_needs, operation_ended in interviews:
        problems = []
        if advocate == "no":
            problems.append("without an advocate")
        if basic_needs == "no":
            problems.append("before basic needs were met")
        # A person identified outside any operation has no operation to be questioned during.
        if operation_ended is not None and day <= operation_ended + datetime.timedelta(days=1):
            problems.append("during or right after the operation")
        if problems:
            yield _Wanted(
                Alert.Kind.INTERVIEW_CONDITIONS,
                f"standard.treatmentevent:{pk}",
                encounter_id,
                Alert.Status.FLAGGED,
                f"Interviewed on {day} " + ", ".join(problems) + ".",
            )


def _relief(people: QuerySet[Encounter], today: datetime.date):
    requests = ReliefRequest.objects.filter(encounter__in=people.values("pk"))
    # A renewal renews a grant of the same person (ReliefRequest.clean), so the people's own
    # requests hold every renewal of their grants. A declined renewal leaves the grant to lapse:
    # its reminder comes back until another renewal is asked for.
    renewed = set(
        requests.filter(renews__isnull=False)
        .exclude(status=ReliefRequest.Status.DECLINED)
        .values_list("renews_id", flat=True)
    )
    for request in requests:
        about = f"care.reliefrequest:{request.pk}"
        if request.kind == ReliefRequest.Kind.CONTINUED_PRESENCE:
            if request.status == ReliefRequest.Status.PENDING:
                yield _presence_pending(request, about, today)
            elif request.status == ReliefRequest.Status.GRANTED and request.pk not in renewed:
                term = clocks.Clock(_rule("continued-presence-term"), request.decided_on)
                if today >= term.reminder_on:
                    yield _Wanted(
                        Alert.Kind.CONTINUED_PRESENCE_RENEWAL,
                        about,
                        request.encounter_id,
                        _clock_status(term, today) or Alert.Status.OVERDUE,
                        f"Continued Presence {request.code} ends on {term.due_on}: request its "
                        "renewal.",
                        term.due_on,
                        term.rule.code,
                    )
            continue
        if request.status != ReliefRequest.Status.PENDING:
            continue
        rule = _rule(_DECLARATION_RULES[(request.kind, request.in_removal_proceedings)])
        clock = clocks.Clock(rule, request.requested_on)
        yield _Wanted(
            Alert.Kind.DECLARATION_DUE,
            about,
            request.encounter_id,
            _clock_status(clock, today),
            f"{request.get_kind_display()} {request.code}: sign it or decline it with a reason "
            f"by {clock.due_on}.",
            clock.due_on,
            rule.code,
        )


def presence_term_ends(granted_on: datetime.date) -> datetime.date:
    """The last day of a Continued Presence granted on ``granted_on``."""
    return clocks.due_date(_rule("continued-presence-term"), granted_on)


def _presence_pending(request: ReliefRequest, about: str, today: datetime.date) -> _Wanted:
    """A Continued Presence request, or its renewal, waiting for the agency's decision. The
    standard is "likely a victim", not a final finding (R-102), so a request waiting past the
    jurisdiction's setting goes to someone who can move it."""
    rule = _rule("continued-presence-decision")
    clock = clocks.Clock(rule, request.requested_on)
    status = _clock_status(clock, today)
    what = "renewal of Continued Presence" if request.renews_id else "Continued Presence"
    if status == Alert.Status.OVERDUE:
        message = (
            f"The {what} {request.code} received on {request.requested_on} is still pending "
            f"past {clock.due_on}, the {rule.unit.of(rule.length)} this jurisdiction sets: "
            "escalate it to the agency's supervisor."
        )
    else:
        message = (
            f"The {what} {request.code} received on {request.requested_on}: record the "
            f"decision by {clock.due_on}."
        )
    return _Wanted(
        Alert.Kind.CONTINUED_PRESENCE_PENDING,
        about,
        request.encounter_id,
        status,
        message,
        clock.due_on,
        rule.code,
    )


def _follow_ups(people: QuerySet[Encounter], today: datetime.date):
    pending = FollowUp.objects.filter(
        encounter__in=people.values("pk"),
        done_on__isnull=True,
        due_on__lte=today + FOLLOW_UP_NOTICE,
    ).values_list("pk", "encounter_id", "due_on")
    for pk, encounter_id, due_on in pending:
        yield _Wanted(
            Alert.Kind.FOLLOW_UP_DUE,
            f"standard.followup:{pk}",
            encounter_id,
            Alert.Status.OVERDUE if due_on < today else Alert.Status.DUE,
            f"Follow-up due {due_on}: try to reach the person and record what happened.",
            due_on,
        )


def _non_punishment(people: QuerySet[Encounter]):
    # What to do about each alert is in the vocabulary, beside its definition and source.
    triggers = vocabulary("non_punishment_trigger")
    for pk, encounter_id, trigger in NonPunishmentAlert.objects.filter(
        encounter__in=people.values("pk")
    ).values_list("pk", "encounter_id", "trigger"):
        yield _Wanted(
            Alert.Kind.NON_PUNISHMENT,
            f"standard.nonpunishmentalert:{pk}",
            encounter_id,
            Alert.Status.FLAGGED,
            f"{triggers.label(trigger)}: the non-punishment principle applies; "
            f"{triggers.term(trigger).attributes['next_step']}",
        )


def _record_clearing(
    people: QuerySet[Encounter], identified: dict[int, datetime.date], today: datetime.date
):
    """One alert per person still protected by the non-punishment principle (a victim now, a
    minor, or someone charged for what they entered as a minor) with an arrest, citation or charge
    that no record-clearing referral came after."""
    minors = vocabulary("age_group").codes_where("is_minor", True)
    harms = defaultdict(list)
    entered_as_minors = set()
    for encounter_id, trigger, arrested_or_cited, charged in NonPunishmentAlert.objects.filter(
        encounter__in=people.values("pk"),
        trigger__in=vocabulary("non_punishment_trigger").codes_where("leaves_a_record"),
    ).values_list("encounter_id", "trigger", "treatment_event__occurred_on", "charge__charged_on"):
        harms[encounter_id].append(arrested_or_cited or charged)
        if trigger == "charged_entered_as_minor":
            entered_as_minors.add(encounter_id)
    protected = (
        set(identified)
        | entered_as_minors
        | set(
            Encounter.objects.filter(pk__in=harms, age_group__in=minors).values_list(
                "pk", flat=True
            )
        )
    )
    last_referral = dict(
        RecordClearing.objects.filter(encounter_id__in=harms)
        .values("encounter_id")
        .annotate(last=Max("referred_on"))
        .values_list("encounter_id", "last")
    )
    rule = _rule("record-clearing-referral")
    for encounter_id, days in harms.items():
        if encounter_id not in protected:
            continue
        referred = last_referral.get(encounter_id)
        uncovered = [day for day in days if referred is None or day > referred]
        if not uncovered:
            continue
        first = min(uncovered)
        clock = clocks.Clock(rule, max(first, identified.get(encounter_id, first)))
        yield _Wanted(
            Alert.Kind.RECORD_CLEARING_DUE,
            f"standard.encounter:{encounter_id}",
            encounter_id,
            _clock_status(clock, today),
            f"Arrested, cited or charged on {first} while protected by the non-punishment "
            f"principle: refer the person for record clearing by {clock.due_on}.",
            clock.due_on,
            rule.code,
        )


def _court_dates(people: QuerySet[Encounter], today: datetime.date):
    waiting = CourtDate.objects.filter(
        encounter__in=people.values("pk"),
        outcome="",
        support_advocate=False,
        support_interpreter=False,
        support_transport=False,
        support_declined=False,
        hearing_on__lte=today + COURT_DATE_NOTICE,
    ).values_list("pk", "encounter_id", "hearing_on")
    for pk, encounter_id, hearing_on in waiting:
        if hearing_on < today:
            status = Alert.Status.OVERDUE
            message = (
                f"Court date {hearing_on} passed with no support arranged: record what happened."
            )
        else:
            status = Alert.Status.DUE
            message = (
                f"Court date {hearing_on}: arrange an advocate, an interpreter or transport, or "
                "record that the person declined support."
            )
        yield _Wanted(
            Alert.Kind.COURT_DATE_SUPPORT,
            f"care.courtdate:{pk}",
            encounter_id,
            status,
            message,
            hearing_on,
        )


def _family_reunification(people: QuerySet[Encounter], today: datetime.date):
    rule = _rule("family-reunification-answer")
    for pk, encounter_id, code, requested_on in FamilyReunification.objects.filter(
        encounter__in=people.values("pk"), status=FamilyReunification.Status.REQUESTED
    ).values_list("pk", "encounter_id", "code", "requested_on"):
        clock = clocks.Clock(rule, requested_on)
        yield _Wanted(
            Alert.Kind.FAMILY_REUNIFICATION_WAITING,
            f"care.familyreunification:{pk}",
            encounter_id,
            _clock_status(clock, today),
            f"Family reunification request {code} of {requested_on}: start work on it, or "
            f"record why it is not possible, by {clock.due_on}.",
            clock.due_on,
            rule.code,
        )


def _victims_detained(identified: dict[int, datetime.date]):
    """R-109: "nor would it permit the detention of people who have been victimized by
    trafficking under any circumstances"."""
    detained = TreatmentEvent.objects.filter(
        encounter_id__in=identified, kind="detained"
    ).values_list("pk", "encounter_id", "occurred_on")
    held = Harm.objects.filter(
        encounter_id__in=identified, kind=Harm.Kind.IMMIGRATION_DETENTION
    ).values_list("pk", "encounter_id", "occurred_on")
    for about, where, rows in (
        ("standard.treatmentevent", "in detention", detained),
        ("care.harm", "in immigration detention", held),
    ):
        for pk, encounter_id, day in rows:
            yield _Wanted(
                Alert.Kind.VICTIM_DETAINED,
                f"{about}:{pk}",
                encounter_id,
                Alert.Status.FLAGGED,
                f"Held {where} on {day}, a person identified as a victim: a victim is never "
                "detained. Ask for their release to a safe placement and tell their advocate.",
            )


def _first_screenings(encounter_ids) -> dict[int, datetime.date]:
    return dict(
        TreatmentEvent.objects.filter(encounter_id__in=encounter_ids, kind="screened")
        .values("encounter_id")
        .annotate(first=Min("occurred_on"))
        .values_list("encounter_id", "first")
    )


def _screened_by(
    first_screening: dict[int, datetime.date], encounter_id: int, day: datetime.date
) -> bool:
    first = first_screening.get(encounter_id)
    return first is not None and first <= day


def _screening(people: QuerySet[Encounter], today: datetime.date):
    """What was done to a person before anyone asked whether they were trafficked. Each is
    flagged only once the day for screening has passed, so that a screening recorded a little
    after the event it preceded is not taken for a missing one; a flag then stays."""
    referred = TreatmentEvent.objects.filter(
        encounter__in=people.values("pk"), kind="immigration_referral"
    ).values_list("pk", "encounter_id", "occurred_on")
    removal = Harm.objects.filter(
        encounter__in=people.values("pk"),
        kind__in=[kind for kind in Harm.IMMIGRATION if kind != Harm.Kind.IMMIGRATION_DETENTION],
    ).values_list("pk", "encounter_id", "occurred_on", "kind")
    # Picked out rather than excluded: a person with no role assessed yet has a NULL current
    # role, which an exclusion in SQL would drop, and they are owed a screening too.
    third_parties = set(
        with_current_role(people)
        .filter(current_role_code__in=_NOT_SCREENED_ROLES)
        .values_list("pk", flat=True)
    )
    arrests = [
        (pk, encounter_id, day)
        for pk, encounter_id, day in TreatmentEvent.objects.filter(
            encounter__in=people.values("pk"), kind="arrested"
        ).values_list("pk", "encounter_id", "occurred_on")
        if encounter_id not in third_parties
    ]
    immigration = [
        ("standard.treatmentevent", pk, encounter_id, day, "Referred to immigration enforcement")
        for pk, encounter_id, day in referred
    ] + [
        ("care.harm", pk, encounter_id, day, Harm.Kind(kind).label)
        for pk, encounter_id, day, kind in removal
    ]
    first_screening = _first_screenings(
        {row[2] for row in immigration} | {encounter_id for _, encounter_id, _ in arrests}
    )
    for about, pk, encounter_id, day, what in immigration:
        if day < today and not _screened_by(first_screening, encounter_id, day):
            yield _Wanted(
                Alert.Kind.IMMIGRATION_BEFORE_SCREENING,
                f"{about}:{pk}",
                encounter_id,
                Alert.Status.FLAGGED,
                f"{what} on {day} with no trafficking screening on or before that day (R-072): "
                "screen the person now and tell their attorney before any removal.",
            )
    # A screening the day after an arrest still counts: it is often done at the station, after
    # booking, and the record may carry the next day's date. Later than that, the person went
    # through the arrest unscreened (R-013: "only one participant was ever screened").
    for pk, encounter_id, day in arrests:
        window_ends = day + datetime.timedelta(days=1)
        if window_ends < today and not _screened_by(first_screening, encounter_id, window_ends):
            yield _Wanted(
                Alert.Kind.ARREST_WITHOUT_SCREENING,
                f"standard.treatmentevent:{pk}",
                encounter_id,
                Alert.Status.FLAGGED,
                f"Arrested on {day} with no trafficking screening by the next day (R-013): "
                "screen the person and record the result.",
            )


_HARM_NEXT_STEPS = {
    Harm.Kind.NOTICE_TO_APPEAR: "refer the person to an immigration attorney and consider "
    "Continued Presence or a T or U visa declaration.",
    Harm.Kind.IMMIGRATION_DETENTION: "refer the person to an immigration attorney and ask for "
    "their release.",
    Harm.Kind.REMOVAL_ORDERED: "refer the person to an immigration attorney at once: relief may "
    "still stop the removal.",
    Harm.Kind.REMOVED: "keep the person's attorney and advocate in touch with them and record "
    "what follows.",
    Harm.Kind.FAMILY_SEPARATION: "offer help to reach the family and, if the person wants it, "
    "family reunification.",
    Harm.Kind.VIOLENCE_RISK: "offer safety planning and a domestic-violence advocate.",
}
_HARM_ALERTS = dict.fromkeys(Harm.IMMIGRATION, Alert.Kind.IMMIGRATION_PROCEEDINGS) | {
    Harm.Kind.FAMILY_SEPARATION: Alert.Kind.FAMILY_SEPARATION,
    Harm.Kind.VIOLENCE_RISK: Alert.Kind.VIOLENCE_RISK,
}


def _harms(people: QuerySet[Encounter]):
    """Each harm recorded after an operation (R-162, R-206, R-207), flagged with what to do."""
    for pk, encounter_id, kind, day in Harm.objects.filter(
        encounter__in=people.values("pk")
    ).values_list("pk", "encounter_id", "kind", "occurred_on"):
        yield _Wanted(
            _HARM_ALERTS[kind],
            f"care.harm:{pk}",
            encounter_id,
            Alert.Status.FLAGGED,
            f"{Harm.Kind(kind).label} on {day}: {_HARM_NEXT_STEPS[kind]}",
        )


def _unanswered_offers(people: QuerySet[Encounter], today: datetime.date):
    """An offer to cooperate waits for law enforcement's answer, which is any later cooperation
    record (the vocabulary's definition of ``offered``); the same day counts when recorded
    after the offer."""
    records = defaultdict(list)
    for pk, encounter_id, status, day, created in CooperationRecord.objects.filter(
        encounter__in=people.filter(cooperation_records__status="offered").values("pk")
    ).values_list("pk", "encounter_id", "status", "recorded_on", "created_at"):
        records[encounter_id].append((day, created, pk, status))
    rule = _rule("cooperation-answer")
    for encounter_id, rows in records.items():
        # Only the latest record can be an offer nothing came after.
        day, _, pk, status = max(rows)
        if status != "offered":
            continue
        clock = clocks.Clock(rule, day)
        state = _clock_status(clock, today)
        yield _Wanted(
            Alert.Kind.COOPERATION_UNANSWERED,
            f"standard.cooperationrecord:{pk}",
            encounter_id,
            state,
            f"Offer to cooperate of {day}: law enforcement answers it by {clock.due_on}."
            if state == Alert.Status.DUE
            else f"Offer to cooperate of {day} unanswered since {clock.due_on}: escalate it to "
            "the agency's supervisor and record the answer.",
            clock.due_on,
            rule.code,
        )


def _placements(people: QuerySet[Encounter]):
    """R-086: "providing housing that does not feel like a detention center"; the same test as
    ``Placement.is_detention``, in the query."""
    for pk, encounter_id, setting, placed_on in Placement.objects.filter(
        Q(free_to_leave=Answer.NO) | Q(locked=Answer.YES), encounter__in=people.values("pk")
    ).values_list("pk", "encounter_id", "setting", "placed_on"):
        yield _Wanted(
            Alert.Kind.PLACEMENT_NOT_FREE,
            f"care.placement:{pk}",
            encounter_id,
            Alert.Status.FLAGGED,
            f"Placed on {placed_on} in a {Placement.Setting(setting).label.lower()} the person "
            "could not leave: that is detention. Offer housing they are free to come and go from.",
        )


@transaction.atomic
def refresh_alerts(
    *, today: datetime.date | None = None, encounters: QuerySet[Encounter] | None = None
) -> RefreshSummary:
    """Recompute the alerts from the records: raise what is due, clear what was done.

    Every alert by default (the nightly run); ``encounters`` limits it to some people, so that a
    page that changes one person's record shows that person's alerts at once.
    """
    today = today or timezone.localdate()
    people = Encounter.objects.all() if encounters is None else encounters
    identified = identified_victims(people)
    scheduled = _schedule_follow_ups(identified)
    wanted = {
        (w.kind, w.about): w
        for source in (
            _victim_clocks(identified, today),
            _reflection_breaches(identified),
            _interview_conditions(people),
            _relief(people, today),
            _follow_ups(people, today),
            _non_punishment(people),
            _record_clearing(people, identified, today),
            _court_dates(people, today),
            _family_reunification(people, today),
            _victims_detained(identified),
            _screening(people, today),
            _harms(people),
            _unanswered_offers(people, today),
            _placements(people),
        )
        for w in source
    }
    concerned = list(
        Encounter.objects.filter(pk__in={w.encounter_id for w in wanted.values()}).values_list(
            "pk", "operation_id", "identified_by_id"
        )
    )
    # Only the leads of the operations concerned: one person's refresh, after each record a
    # page or the API writes, must not read every operation's lead.
    lead = dict(
        OperationParticipant.objects.filter(
            part="lead", operation_id__in={operation for _, operation, _ in concerned} - {None}
        ).values_list("operation_id", "agency_id")
    )
    # A person identified outside any operation is the identifying organisation's to act on.
    acting = {
        encounter_id: lead[operation_id] if operation_id is not None else identified_by
        for encounter_id, operation_id, identified_by in concerned
    }
    held = {(a.kind, a.about): a for a in Alert.objects.filter(encounter__in=people.values("pk"))}
    new, changed = [], []
    for key, want in wanted.items():
        values = {
            "encounter_id": want.encounter_id,
            "agency_id": acting[want.encounter_id],
            "status": want.status,
            "message": want.message,
            "due_on": want.due_on,
            "rule": want.rule,
            "cleared_on": None,
        }
        alert = held.get(key)
        if alert is None:
            new.append(Alert(kind=want.kind, about=want.about, raised_on=today, **values))
        elif any(getattr(alert, name) != value for name, value in values.items()):
            for name, value in values.items():
                setattr(alert, name, value)
            changed.append(alert)
    cleared = 0
    for key, alert in held.items():
        # A flag is a harm that happened: it stays even when the record no longer calls for it.
        if key in wanted or alert.status in (Alert.Status.CLEARED, Alert.Status.FLAGGED):
            continue
        alert.status, alert.cleared_on = Alert.Status.CLEARED, today
        changed.append(alert)
        cleared += 1
    # Only what changed is written, in bulk: the nightly run over everyone mostly finds nothing
    # new (docs/benchmarks.md).
    Alert.objects.bulk_create(new, batch_size=BATCH)
    Alert.objects.bulk_update(changed, _ALERT_FIELDS, batch_size=BATCH)
    raised = len(new)
    return RefreshSummary(
        open=Alert.objects.exclude(status=Alert.Status.CLEARED).count(),
        raised=raised,
        cleared=cleared,
        follow_ups_scheduled=scheduled,
    )


# What each kind of alert tells about the person, as the consent_scope codes a caseworker's
# referrals must share before they see it: the person's role (a victim identified, their reflection
# period), what was done in the operation (an arrest, an interview), their immigration situation
# (relief paperwork). The follow-through a provider does itself comes with the referral. A kind not
# listed here is shown to no caseworker: a request to cooperate inside the reflection period, or
# an offer to cooperate waiting for law enforcement's answer, is about cooperation with law
# enforcement, which no consent shares (it is kept apart from services).
_ALERT_SCOPE = {
    Alert.Kind.SERVICES_NOT_OFFERED: ("role_assessment",),
    Alert.Kind.REFLECTION_PERIOD: ("role_assessment",),
    Alert.Kind.INTERVIEW_CONDITIONS: ("operation_record",),
    Alert.Kind.DECLARATION_DUE: ("immigration_status",),
    Alert.Kind.CONTINUED_PRESENCE_RENEWAL: ("immigration_status",),
    Alert.Kind.FOLLOW_UP_DUE: ("referral_details",),
    Alert.Kind.NON_PUNISHMENT: ("role_assessment", "operation_record"),
    Alert.Kind.RECORD_CLEARING_DUE: ("role_assessment", "operation_record"),
    Alert.Kind.COURT_DATE_SUPPORT: ("referral_details",),
    Alert.Kind.FAMILY_REUNIFICATION_WAITING: ("referral_details",),
    Alert.Kind.CONTINUED_PRESENCE_PENDING: ("immigration_status",),
    Alert.Kind.VICTIM_DETAINED: ("role_assessment", "operation_record"),
    Alert.Kind.IMMIGRATION_BEFORE_SCREENING: ("immigration_status", "operation_record"),
    Alert.Kind.ARREST_WITHOUT_SCREENING: ("operation_record",),
    Alert.Kind.IMMIGRATION_PROCEEDINGS: ("immigration_status",),
    Alert.Kind.FAMILY_SEPARATION: ("referral_details",),
    Alert.Kind.VIOLENCE_RISK: ("referral_details",),
    Alert.Kind.PLACEMENT_NOT_FREE: ("referral_details",),
}


def _within_consent(shared: dict[int, tuple[str, ...]]) -> Q:
    """The alerts a caseworker may see: about each person, the kinds their consent covers."""
    people_by_scope = defaultdict(list)
    for encounter_id, scope in shared.items():
        people_by_scope[scope].append(encounter_id)
    allowed = Q(pk__in=[])
    for scope, people in people_by_scope.items():
        kinds = [kind for kind, needs in _ALERT_SCOPE.items() if set(needs) <= set(scope)]
        allowed |= Q(encounter_id__in=people, kind__in=kinds)
    return allowed


def alerts_for(user, *, include_cleared: bool = False) -> QuerySet[Alert]:
    """The alerts about people the user may see: a steward's or prosecutor's operations, a
    caseworker's accepted referrals (only what their consent shares), the people the user's
    organisation identified outside any operation, every one for an analyst; nobody else's."""
    alerts = Alert.objects.filter(encounter__in=access.encounters_for(user).values("pk"))
    if not access.reads_whole_records(user):
        # The people their own organisation identified, a caseworker reads whole.
        alerts = alerts.filter(
            Q(encounter__identified_by_id=user.organisation_id)
            | _within_consent(access.shared_scopes(user))
        )
    if not include_cleared:
        alerts = alerts.exclude(status=Alert.Status.CLEARED)
    return alerts.select_related("encounter", "agency").order_by("due_on", "kind", "pk")
