"""What the indicators and the releases count, decided once: one row per encounter, annotated in
the database with the facts every measure needs.

Indicators and release tables aggregate this queryset with ``values(...).annotate(Count(...))``,
so every figure is computed by the database and every measure means the same thing wherever it
appears. The facts that need other tables (the latest role, whether an event, an offer, an alert,
a charge, a follow-up or a referral exists) come from the view ``transparency_encounter_fact``
(``models.EncounterFact``, defined by migrations 0006 and 0007), which computes each once per
encounter with grouped joins and takes where its operation is counted from the view
``transparency_operation_fact`` (``models.OperationFact``); the rest are expressions on its
columns. Nothing here leaves the server: the rows are person-level and only their aggregates are
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
- an operation's *agency* is its lead agency;
- a person identified outside any operation (issue 21) is counted where they were identified: in
  the year of the day they were identified, in the state and county of the organisation that
  identified them, and under that organisation as their agency (``identification_facts``). The
  measures of operations count the people met in operations only (``encounter_facts`` of them);
- a person's *contacts* are their records linked with the same person link (docs/linkage.md);
  their *identification* is the first of them, by day and then by record, whose current role is
  victim; an *earlier contact* is a linked record before it (``linked_identification_facts``).
"""

import datetime

from django.db.models import (
    Case,
    CharField,
    Exists,
    F,
    IntegerField,
    OuterRef,
    Q,
    QuerySet,
    Subquery,
    TextField,
    Value,
    When,
)
from django.db.models.functions import Cast, Coalesce, ExtractYear

from beyondraid.standard.models import Encounter, RoleAssessment, TreatmentEvent
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
# Columns of the view, read as they are.
_VIEW_FACTS = (
    "role",
    "arrested",
    "screened",
    "interviewed",
    "immigration_referral",
    "offered_services",
    "accepted_services",
    "punished_victim",
    "charged_trafficking",
    "convicted_trafficking",
    "convicted_lesser",
    "charged_pimping_pandering_supervising",
    "interviewed_without_advocate",
    "immigration_alert",
    "re_trafficked",
    "deported",
    "prosecuted",
    "declined_services",
    "followed_up",
    "referred",
    "turned_away_by_provider",
    "agency_id",
    "state",
    "county",
)


def victim_roles() -> list[str]:
    return vocabulary("role").codes_where("is_victim", True)


def minor_age_groups() -> list[str]:
    return vocabulary("age_group").codes_where("is_minor", True)


def encounter_facts(encounters: QuerySet[Encounter] | None = None) -> QuerySet[Encounter]:
    """Encounters annotated with the facts the measures count (all computed in SQL).

    Annotations: ``role``, ``arrest_category`` (blank unless arrested), ``is_victim``,
    ``is_minor``, ``arrested``, ``screened``, ``interviewed``, ``offered_services``,
    ``accepted_services``, ``offered_before_interview``, ``punished_victim`` (a victim or minor
    arrested, cited or charged: a non-punishment alert), ``immigration_referral``,
    ``charged_trafficking``, ``convicted_trafficking``, ``convicted_lesser``,
    ``receiving_after_six_months``, ``re_trafficked``, ``deported``, ``prosecuted``,
    ``declined_services`` (declined at least one offer), ``followed_up`` (a follow-up done),
    ``referred`` (referred to a service provider), ``turned_away_by_provider`` (a referral the
    provider declined: the unmet-need log),
    ``charged_pimping_pandering_supervising``, ``interviewed_without_advocate`` (an interview
    with no advocate present), ``immigration_alert`` (a non-punishment alert for a referral to
    immigration enforcement),
    ``agency_id`` (the lead agency), ``year``, ``state``, ``county``, ``initiative``; and the alias
    ``race_text``, the race and ethnicity codes as JSON text.
    """
    encounters = Encounter.objects.all() if encounters is None else encounters
    victims = victim_roles()
    return (
        encounters.alias(
            first_offer_on=F("fact__first_offer_on"),
            first_interview_on=F("fact__first_interview_on"),
            last_receiving_on=F("fact__last_receiving_on"),
            # The JSON list as text, so that a code is matched as '"code"' on SQLite and
            # PostgreSQL alike.
            race_text=Cast("race_ethnicity", TextField()),
        )
        .annotate(**{name: F(f"fact__{name}") for name in _VIEW_FACTS})
        .annotate(
            is_victim=Q(role__in=victims),
            is_minor=Q(age_group__in=minor_age_groups()),
            arrest_category=Case(
                When(arrested=False, then=Value("")),
                When(role__in=[*victims, "adult_in_commercial_sex"], then=Value(SELLING_SEX)),
                When(role="buyer", then=Value(BUYING_SEX)),
                When(role="suspected_trafficker", then=Value(SUSPECTED_TRAFFICKER)),
                default=Value(OTHER),
                output_field=CharField(),
            ),
            # By day: an offer made on the day of the first interview counts as before it,
            # since the standard records days, not times.
            offered_before_interview=Case(
                When(offered_services=False, then=Value(False)),
                When(interviewed=False, then=Value(True)),
                When(Q(first_offer_on__lte=F("first_interview_on")), then=Value(True)),
                default=Value(False),
            ),
            receiving_after_six_months=Q(last_receiving_on__gte=F("encountered_on") + SIX_MONTHS),
            year=ExtractYear("operation__start_date"),
            initiative=F("operation__initiative"),
        )
    )


def identification_facts(encounters: QuerySet[Encounter] | None = None) -> QuerySet[Encounter]:
    """Every person recorded, met in an operation or identified outside any, annotated with
    ``role``, ``is_victim`` and where their identification is counted: ``year``, ``state``,
    ``county``, ``agency_id`` and ``initiative`` of their operation, or, outside any operation,
    the year of the day they were identified and the state, county and identity of the
    organisation that identified them (no initiative). Their own ``identification_pathway``,
    ``work_sector`` and ``trafficking_form`` are read as they are.

    The view of facts holds the people of operations only; the role of anyone else is their
    latest assessment, read the same way (``standard.selectors.with_current_role``)."""
    encounters = Encounter.objects.all() if encounters is None else encounters
    latest = RoleAssessment.objects.filter(encounter=OuterRef("pk")).order_by(
        "-assessed_on", "-created_at", "-pk"
    )
    return encounters.annotate(
        role=Coalesce(F("fact__role"), Subquery(latest.values("role")[:1]), Value("unknown")),
        is_victim=Q(role__in=victim_roles()),
        year=Case(
            When(operation__isnull=True, then=ExtractYear("encountered_on")),
            default=ExtractYear("operation__start_date"),
        ),
        state=Coalesce(F("fact__state"), F("identified_by__state"), Value("")),
        county=Coalesce(F("fact__county"), F("identified_by__county"), Value("")),
        agency_id=Coalesce(
            F("fact__agency_id"), F("identified_by_id"), output_field=IntegerField()
        ),
        initiative=F("operation__initiative"),
    )


# What an earlier contact must have for the person to count as arrested before identification:
# an arrest, or a citation in its place.
ARRESTED_OR_CITED = ("arrested", "cited")


def _latest_role():
    return Subquery(
        RoleAssessment.objects.filter(encounter=OuterRef("pk"))
        .order_by("-assessed_on", "-created_at", "-pk")
        .values("role")[:1]
    )


def linked_identification_facts() -> QuerySet[Encounter]:
    """Every identification of a victim whose record is linked to their other contacts
    (docs/linkage.md), counted once per person: the first of their linked records, by day and
    then by record, whose current role is suspected or confirmed victim. Annotated as
    ``identification_facts`` annotates (where it is counted), and with:

    - ``arrested_before``: an earlier linked contact has an arrest or a citation (R-019);
    - ``repeated_contacts``: the person has at least one other linked contact, at any time;
    - ``first_contact_on``: the day of their earliest linked contact before the identification,
      None when there is none.

    A link joins only records linked under the same key (one organisation, or one linkage
    group), so contacts are found within the organisations that agreed to link them."""
    victims = victim_roles()
    same_person = Encounter.objects.filter(person_link=OuterRef("person_link"))
    earlier = same_person.filter(
        Q(encountered_on__lt=OuterRef("encountered_on"))
        | Q(encountered_on=OuterRef("encountered_on"), pk__lt=OuterRef("pk"))
    )
    return (
        identification_facts(Encounter.objects.exclude(person_link=""))
        .filter(is_victim=True)
        .alias(
            identified_before=Exists(
                earlier.annotate(earlier_role=_latest_role()).filter(earlier_role__in=victims)
            )
        )
        .filter(identified_before=False)
        .annotate(
            arrested_before=Exists(
                earlier.filter(
                    Exists(
                        TreatmentEvent.objects.filter(
                            encounter=OuterRef("pk"), kind__in=ARRESTED_OR_CITED
                        )
                    )
                )
            ),
            repeated_contacts=Exists(same_person.exclude(pk=OuterRef("pk"))),
            first_contact_on=Subquery(
                earlier.order_by("encountered_on").values("encountered_on")[:1]
            ),
        )
    )
