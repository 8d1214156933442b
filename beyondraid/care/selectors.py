"""Reads of the victim-service network, each answering only what the reader may see
(``permissions``). A referral someone may not read is ``None`` or absent here, never an error,
so that pages answer 404 and reveal nothing.

The cooperation parity report at the end is the only code in this app that reads cooperation
with law enforcement: it exists to show whether services reached people who did not cooperate
as often as those who did (R-080: "record any instance where a benefit, service, or endorsement
was withheld or made conditional on cooperation"; R58).
"""

from dataclasses import dataclass

from django.core.exceptions import ValidationError
from django.db.models import (
    Case,
    Count,
    Exists,
    IntegerField,
    OuterRef,
    Q,
    QuerySet,
    Subquery,
    Value,
    When,
)

from beyondraid.standard import access
from beyondraid.standard.models import (
    Agency,
    CooperationRecord,
    Encounter,
    ServiceOffer,
)
from beyondraid.standard.selectors import with_current_role
from beyondraid.standard.vocabulary import UnknownCode, vocabulary

from . import permissions
from .counties import county_codes
from .models import DirectoryList, ProfileCode, ProviderProfile, Referral, UnmetNeed

# --- The provider directory ---------------------------------------------------------------------

# A person's answer that is not known does not narrow the search: every provider may serve them.
_NOT_KNOWN = {
    "service": ("unspecified",),
    "language": ("unknown",),
    "gender_identity": ("not_recorded",),
    "age_group": ("unknown",),
}
_FILTER_VOCABULARIES = {
    "service": ("service_type", DirectoryList.SERVICES),
    "language": ("language", DirectoryList.LANGUAGES),
    "gender_identity": ("gender_identity", DirectoryList.GENDER_IDENTITIES),
    "age_group": ("age_group", DirectoryList.AGE_GROUPS),
}


def _age_groups_matching(age_group: str) -> tuple[str, ...]:
    """The bands a provider must serve for a person of this age group: the band itself, or any
    minor (adult) band when the record says only 'under 18' ('18 or over')."""
    ages = vocabulary("age_group")
    if age_group == "minor_group_unknown":
        return ages.codes_where("is_minor", True)
    if age_group == "adult_group_unknown":
        return ages.codes_where("is_minor", False)
    return (age_group,)


def _serves(list_name: str, codes: tuple[str, ...]) -> Exists:
    return Exists(
        ProfileCode.objects.filter(profile=OuterRef("pk"), list=list_name, code__in=codes)
    )


def _capacity_rank() -> Case:
    return Case(
        *[
            When(capacity=code, then=Value(rank))
            for rank, code in enumerate(vocabulary("provider_capacity").codes)
        ],
        output_field=IntegerField(),
    )


def directory() -> QuerySet[ProviderProfile]:
    """Every directory entry, open capacity first, then by name, with its lists loaded."""
    return (
        ProviderProfile.objects.select_related("provider", "updated_by")
        .prefetch_related("codes")
        .annotate(capacity_rank=_capacity_rank())
        .order_by("capacity_rank", "provider__name")
    )


def find_providers(
    *,
    service: str | None = None,
    language: str | None = None,
    age_group: str | None = None,
    gender_identity: str | None = None,
    foreign_national: bool | None = None,
    county: str | None = None,
) -> QuerySet[ProviderProfile]:
    """Providers that meet a person's needs: each given filter must be served; empty or 'not
    known' values do not narrow the search. ``foreign_national=True`` keeps providers that serve
    foreign nationals; ``county`` (a code of ``counties``) those that serve it. Open capacity
    first, then waiting list, then full.

    The directory describes organisations, not people, so it needs no reader; pages show it to
    ``permissions.may_read_directory`` users. An unknown code raises ``ValidationError`` keyed
    by the filter."""
    found = directory()
    given = {
        "service": service,
        "language": language,
        "age_group": age_group,
        "gender_identity": gender_identity,
    }
    errors = {}
    for name, code in given.items():
        if not code or code in _NOT_KNOWN[name]:
            continue
        vocabulary_name, list_name = _FILTER_VOCABULARIES[name]
        try:
            vocabulary(vocabulary_name).term(code)
        except UnknownCode as error:
            errors[name] = str(error)
            continue
        codes = _age_groups_matching(code) if name == "age_group" else (code,)
        found = found.filter(_serves(list_name, codes))
    if county and county not in county_codes():
        errors["county"] = f"{county!r} is not a county of the list; use a code such as 06037."
    elif county:
        found = found.filter(_serves(DirectoryList.COUNTIES, (county,)))
    if errors:
        raise ValidationError(errors)
    if foreign_national:
        found = found.filter(serves_foreign_nationals=True)
    return found


def providers_for_encounter(
    user, *, encounter: Encounter, service: str | None = None
) -> QuerySet[ProviderProfile]:
    """Providers that meet the needs of a person a steward may refer, read from the person's
    record (age group, gender identity, language, citizenship); none for anyone else."""
    if not permissions.may_refer(user, encounter):
        return ProviderProfile.objects.none()
    return find_providers(
        service=service,
        language=encounter.primary_language,
        age_group=encounter.age_group,
        gender_identity=encounter.gender_identity,
        foreign_national=encounter.is_foreign_national or None,
    )


def provider_profile(provider: Agency) -> ProviderProfile | None:
    return directory().filter(provider=provider).first()


# --- People identified outside any operation ---------------------------------------------------


def identified_by_organisation(user) -> QuerySet[Encounter]:
    """The people the user's organisation identified outside any operation, newest first, with
    their current role and the number of open alerts; none for a role that records no one."""
    if not access.may_record_identifications(user):
        return Encounter.objects.none()
    return with_current_role(
        access.encounters_for(user)
        .filter(operation__isnull=True, identified_by_id=user.organisation_id)
        .select_related("referring_organisation")
        .annotate(open_alerts=Count("alerts", filter=~Q(alerts__status="cleared")))
        .order_by("-encountered_on", "code")
    )


# --- Referrals ----------------------------------------------------------------------------------


def referrals_for(user, *, status: str | None = None) -> QuerySet[Referral]:
    """The referrals a user may read, newest first: a caseworker's are those to their own
    organisation; a steward's those of the people their agency's operations encountered; an
    analyst's all of them. ``status`` narrows to one code of the referral_status vocabulary."""
    referrals = (
        permissions.visible_referrals(user)
        .select_related(
            "encounter__operation",
            "provider",
            "referring_agency",
            "consent_organisation",
            "consent_override",
        )
        .prefetch_related("offers")
        .order_by("-sent_on", "-created_at")
    )
    return referrals.filter(status=status) if status else referrals


def referral_record(user, code: str) -> Referral | None:
    """One referral with everything recorded under it, if the user may read it."""
    return (
        referrals_for(user)
        .prefetch_related("deliveries", "follow_ups", "unmet_needs")
        .filter(code=code)
        .first()
    )


def referrals_of_encounter(user, encounter: Encounter) -> QuerySet[Referral]:
    return referrals_for(user).filter(encounter=encounter)


@dataclass(frozen=True)
class SharedFact:
    scope: str
    label: str
    value: str


def _label(vocabulary_name: str, code: str) -> str:
    return vocabulary(vocabulary_name).label(code)


def _referral_details(referral: Referral) -> list[tuple[str, str]]:
    services = ", ".join(_label("service_type", code) for code in referral.services)
    return [
        ("Services asked for", services),
        ("Referred by", referral.referring_agency.name),
        ("Sent on", referral.sent_on.isoformat()),
    ]


def _age_gender_language(referral: Referral) -> list[tuple[str, str]]:
    encounter = referral.encounter
    return [
        ("Age group", _label("age_group", encounter.age_group)),
        ("Gender identity", _label("gender_identity", encounter.gender_identity)),
        ("Primary language", _label("language", encounter.primary_language)),
        ("Interpreter", _label("interpreter", encounter.interpreter)),
    ]


def _immigration_status(referral: Referral) -> list[tuple[str, str]]:
    status = _label("citizenship_status", referral.encounter.citizenship_status)
    return [("Citizenship or immigration status", status)]


def _role_assessment(referral: Referral) -> list[tuple[str, str]]:
    assessment = referral.encounter.current_role_assessment
    if assessment is None:
        return []
    basis = f"{assessment.get_basis_display()}, {assessment.assessed_on}"
    return [("Assessed role", f"{assessment.get_role_display()} ({basis})")]


def _operation_record(referral: Referral) -> list[tuple[str, str]]:
    encounter = referral.encounter
    where = "In the operation" if encounter.operation_id else "Recorded"
    events = [
        (where, f"{event.get_kind_display()} on {event.occurred_on}")
        for event in encounter.treatment_events.order_by("occurred_on", "pk")
    ]
    charges = [
        ("Charge", f"{charge.statute} on {charge.charged_on} ({charge.get_disposition_display()})")
        for charge in encounter.charges.select_related("statute")
    ]
    return events + charges


# What each code of the consent_scope vocabulary lets the provider be told.
_FACTS_IN_SCOPE = {
    "referral_details": _referral_details,
    "age_gender_language": _age_gender_language,
    "immigration_status": _immigration_status,
    "role_assessment": _role_assessment,
    "operation_record": _operation_record,
}


def shared_facts(user, referral: Referral) -> list[SharedFact] | None:
    """What the provider may be told about the referred person (``Referral.shared_scope``: the
    referral itself until the provider accepts it, then the consent's scope or what an override
    allows), in the order of the consent_scope vocabulary, for the pages that show a referral;
    ``None`` when the user may not read the referral."""
    if not permissions.visible_referrals(user).filter(pk=referral.pk).exists():
        return None
    return [
        SharedFact(scope, label, value)
        for scope in referral.shared_scope
        for label, value in _FACTS_IN_SCOPE[scope](referral)
    ]


def unmet_needs_for(user) -> QuerySet[UnmetNeed]:
    """The unmet-need log as far as the user may read the referrals it comes from."""
    return permissions.visible_unmet_needs(user).select_related(
        "provider", "operation", "referral__encounter"
    )


# --- Cooperation parity -------------------------------------------------------------------------

_PARITY_MEASURES = ("offered_services", "referred", "referral_accepted", "services_started")


@dataclass(frozen=True)
class ParityGroup:
    """Victims in one group, and how many of them reached each step of the services."""

    code: str
    label: str
    victims: int
    offered_services: int
    referred: int
    referral_accepted: int
    services_started: int

    def share(self, measure: str) -> float | None:
        """The share of the group's victims that reached ``measure``; None for an empty group."""
        return getattr(self, measure) / self.victims if self.victims else None


@dataclass(frozen=True)
class ParityReport:
    """Service rates of victims whose latest recorded cooperation status is 'cooperating'
    against all other victims, and the same broken down by latest status."""

    agency: Agency | None
    cooperated: ParityGroup
    did_not: ParityGroup
    by_status: tuple[ParityGroup, ...]

    def gap(self, measure: str) -> float | None:
        """How much higher the share is for people who cooperated (negative: lower)."""
        ours, theirs = self.cooperated.share(measure), self.did_not.share(measure)
        return None if ours is None or theirs is None else ours - theirs


def cooperation_parity(user, *, agency: Agency | None = None) -> ParityReport | None:
    """Compare how often victims (roles with ``is_victim``) who cooperated with law enforcement
    and those who did not were offered services, referred, accepted by a provider and started
    services. Groups follow each person's latest cooperation record; people with none count as
    'nothing recorded' among those who did not cooperate.

    Analysts read it for any agency or all; a steward for their own agency (the default for
    them). ``None`` for anyone else."""
    if access.role_of(user) == access.STEWARD and agency is None:
        agency = Agency.objects.get(pk=user.organisation_id)
    if not permissions.may_read_parity(user, agency):
        return None
    statuses = vocabulary("cooperation_status")
    # The one status that counts as having cooperated; ``label`` below fails loudly if the
    # vocabulary ever renames it.
    cooperating = "cooperating"
    victims = with_current_role(Encounter.objects.all()).filter(
        current_role_code__in=vocabulary("role").codes_where("is_victim", True)
    )
    if agency is not None:
        # The agency's operations, and the people it identified outside any operation.
        victims = victims.filter(
            Q(operation__participants__agency=agency) | Q(identified_by=agency)
        ).distinct()
    latest_status = CooperationRecord.objects.filter(encounter=OuterRef("pk")).order_by(
        "-recorded_on", "-created_at", "-pk"
    )
    referrals = Referral.objects.filter(encounter=OuterRef("pk"))
    rows = (
        Encounter.objects.filter(pk__in=victims.values("pk"))
        .annotate(
            latest_status=Subquery(latest_status.values("status")[:1]),
            offered_services=Exists(ServiceOffer.objects.filter(encounter=OuterRef("pk"))),
            referred=Exists(referrals),
            referral_accepted=Exists(referrals.filter(accepted_on__isnull=False)),
            services_started=Exists(referrals.filter(services_started_on__isnull=False)),
        )
        .values("latest_status")
        .annotate(
            victims=Count("pk"),
            **{name: Count("pk", filter=Q(**{name: True})) for name in _PARITY_MEASURES},
        )
        .order_by()
    )
    counted = {row["latest_status"] or "": row for row in rows}

    def group(code: str, label: str, codes: list[str]) -> ParityGroup:
        totals = {
            name: sum(counted.get(c, {}).get(name, 0) for c in codes)
            for name in ("victims", *_PARITY_MEASURES)
        }
        return ParityGroup(code=code, label=label, **totals)

    not_recorded = ("", "Nothing recorded")
    by_status = tuple(
        group(code, label, [code]) for code, label in [*statuses.choices, not_recorded]
    )
    others = [
        (code, label) for code, label in [*statuses.choices, not_recorded] if code != cooperating
    ]
    return ParityReport(
        agency=agency,
        cooperated=group(cooperating, statuses.label(cooperating), [cooperating]),
        did_not=group(
            "other",
            "All other victims: " + ", ".join(label.lower() for _, label in others),
            [code for code, _ in others],
        ),
        by_status=by_status,
    )
