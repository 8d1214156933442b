"""What the indicators and the releases count, decided once: one row per encounter, annotated in
the database with the facts every measure needs.

Indicators and release tables aggregate this queryset with ``values(...).annotate(Count(...))``,
so every figure is computed by the database and every measure means the same thing wherever it
appears. Nothing here leaves the server: the rows are person-level and only their aggregates are
ever shown.

Where a fact needs a judgement, the judgement is written here once:

- an encounter's *role* is the role of its latest assessment ('unknown' without one);
- an *arrest* is an encounter with at least one 'arrested' treatment event;
- the *arrest category* reads the role: victims and adults in commercial sex were arrested as
  people selling sex (that is how agencies count them: the 2021 report's "Commercial Sex Worker");
  buyers as buyers; suspected traffickers apart; everyone else as other;
- an operation's *year*, *state* and *county* are those of its first day and its first recorded
  place (the lead agency's state when no place is recorded), so that each operation is counted
  once at every level;
- an operation's *agency* is its lead agency.
"""

import datetime

from django.db.models import (
    Case,
    CharField,
    Exists,
    F,
    Min,
    OuterRef,
    Q,
    QuerySet,
    Subquery,
    TextField,
    Value,
    When,
)
from django.db.models.functions import Cast, Coalesce, ExtractYear

from beyondraid.standard.models import (
    Charge,
    Encounter,
    FollowUp,
    NonPunishmentAlert,
    OperationParticipant,
    OperationPlace,
    RoleAssessment,
    ServiceOffer,
    TreatmentEvent,
)
from beyondraid.standard.vocabulary import vocabulary

# A follow-up at least this long after the encounter counts for "still receiving services after
# six months" (Rec 3.2); 183 days is half a year rounded up.
SIX_MONTHS = datetime.timedelta(days=183)

SELLING_SEX = "selling_sex"
BUYING_SEX = "buying_sex"
SUSPECTED_TRAFFICKER = "suspected_trafficker"
OTHER = "other"
ARREST_CATEGORIES = (
    (SELLING_SEX, "People selling sex"),
    (BUYING_SEX, "People buying sex"),
    (SUSPECTED_TRAFFICKER, "Suspected traffickers"),
    (OTHER, "Others"),
)


def victim_roles() -> list[str]:
    return vocabulary("role").codes_where("is_victim", True)


def minor_age_groups() -> list[str]:
    return vocabulary("age_group").codes_where("is_minor", True)


def _events(kind: str) -> QuerySet[TreatmentEvent]:
    return TreatmentEvent.objects.filter(encounter=OuterRef("pk"), kind=kind)


def _first_date(queryset, field: str) -> Subquery:
    return Subquery(
        queryset.order_by().values("encounter").annotate(first=Min(field)).values("first")[:1]
    )


def encounter_facts(encounters: QuerySet[Encounter] | None = None) -> QuerySet[Encounter]:
    """Encounters annotated with the facts the measures count (all computed in SQL).

    Annotations: ``role``, ``arrest_category`` (blank unless arrested), ``is_victim``,
    ``is_minor``, ``arrested``, ``screened``, ``interviewed``, ``offered_services``,
    ``accepted_services``, ``offered_before_interview``, ``punished_victim`` (a victim or minor
    arrested, cited or charged: a non-punishment alert), ``immigration_referral``,
    ``charged_trafficking``, ``convicted_trafficking``, ``convicted_lesser``,
    ``receiving_after_six_months``, ``re_trafficked``, ``deported``, ``prosecuted``,
    ``agency_id`` (the lead agency), ``year``, ``state``, ``county``, ``initiative``.
    """
    encounters = Encounter.objects.all() if encounters is None else encounters
    latest_role = (
        RoleAssessment.objects.filter(encounter=OuterRef("pk"))
        .order_by("-assessed_on", "-created_at", "-pk")
        .values("role")[:1]
    )
    victims = victim_roles()
    offers = ServiceOffer.objects.filter(encounter=OuterRef("pk"))
    trafficking_charges = Charge.objects.filter(
        encounter=OuterRef("pk"), statute__category="trafficking"
    )
    follow_ups = FollowUp.objects.filter(encounter=OuterRef("pk"), done_on__isnull=False)
    first_place = OperationPlace.objects.filter(operation=OuterRef("operation")).order_by("pk")
    lead = OperationParticipant.objects.filter(
        operation=OuterRef("operation"), part="lead"
    ).order_by()
    first_offer = _first_date(offers, "offered_on")
    first_interview = _first_date(_events("interviewed"), "occurred_on")
    return encounters.alias(
        first_offer_on=first_offer,
        first_interview_on=first_interview,
        # The JSON list as text, so that a code is matched as '"code"' on SQLite and PostgreSQL.
        race_text=Cast("race_ethnicity", TextField()),
    ).annotate(
        role=Coalesce(Subquery(latest_role), Value("unknown"), output_field=CharField()),
        is_victim=Q(role__in=victims),
        is_minor=Q(age_group__in=minor_age_groups()),
        arrested=Exists(_events("arrested")),
        arrest_category=Case(
            When(arrested=False, then=Value("")),
            When(role__in=[*victims, "adult_in_commercial_sex"], then=Value(SELLING_SEX)),
            When(role="buyer", then=Value(BUYING_SEX)),
            When(role="suspected_trafficker", then=Value(SUSPECTED_TRAFFICKER)),
            default=Value(OTHER),
            output_field=CharField(),
        ),
        screened=Exists(_events("screened")),
        interviewed=Exists(_events("interviewed")),
        offered_services=Exists(offers),
        accepted_services=Exists(offers.filter(response="accepted")),
        # By day: an offer made on the day of the first interview counts as before it, since
        # the standard records days, not times.
        offered_before_interview=Case(
            When(offered_services=False, then=Value(False)),
            When(interviewed=False, then=Value(True)),
            When(Q(first_offer_on__lte=F("first_interview_on")), then=Value(True)),
            default=Value(False),
        ),
        punished_victim=Exists(
            NonPunishmentAlert.objects.filter(
                encounter=OuterRef("pk"), trigger__in=["arrested", "cited", "charged"]
            )
        ),
        immigration_referral=Exists(_events("immigration_referral")),
        charged_trafficking=Exists(trafficking_charges),
        convicted_trafficking=Exists(
            trafficking_charges.filter(disposition="convicted_as_charged")
        ),
        convicted_lesser=Exists(
            Charge.objects.filter(encounter=OuterRef("pk"), disposition="convicted_lesser")
        ),
        receiving_after_six_months=Exists(
            follow_ups.filter(
                still_receiving_services="yes",
                done_on__gte=OuterRef("encountered_on") + SIX_MONTHS,
            )
        ),
        re_trafficked=Exists(follow_ups.filter(re_trafficking__in=["suspected", "known"])),
        deported=Exists(follow_ups.filter(deported="yes")),
        prosecuted=Exists(follow_ups.filter(prosecuted="yes")),
        agency_id=Subquery(lead.values("agency")[:1]),
        year=ExtractYear("operation__start_date"),
        state=Coalesce(
            Subquery(first_place.values("state")[:1]),
            Subquery(lead.values("agency__state")[:1]),
            Value(""),
        ),
        county=Coalesce(Subquery(first_place.values("county")[:1]), Value("")),
        initiative=F("operation__initiative"),
    )
