"""Every write to the victim-service network goes through these functions: the pages, the API
and the command line call them, so the same rules apply whichever way a referral arrives.

Each takes keyword-only arguments, checks who is acting (``CareRefused`` in plain words when
they may not; who may do what is in ``permissions``), validates the whole record, and runs in
one transaction so that nothing is half-written. Bad input raises ``ValidationError`` keyed by
the argument at fault.

The referral workflow: a steward sends a referral with the person's consent (or, as their
agency's administrator, under a consent override with a written reason); a caseworker of the
provider accepts it or declines it with a reason (every decline goes to the unmet-need log);
then services start, deliveries and follow-ups are recorded, and the referral is closed.

A person's own follow-through (family reunification, court dates, record clearing) is recorded
and moved along by the stewards of their operation and the caseworkers who accepted them; each
write refreshes that person's alerts at once.

No function here takes, reads or stores anything about cooperation with law enforcement
(principle 3, docs/principles.md; R-079, R-080, R56, R58): a person is referred and served
whatever they said to the police.
"""

import datetime
from collections.abc import Iterable

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone

from beyondraid.accounts import audit
from beyondraid.standard import access, linkage
from beyondraid.standard import services as standard_services
from beyondraid.standard.models import Agency, Encounter, FollowUp, Statute
from beyondraid.standard.vocabulary import vocabulary
from beyondraid.standard.writing import check_before_insert, save_one

from . import permissions
from .alerts import refresh_alerts
from .models import (
    PROVIDER_KIND,
    Answer,
    ConsentOverride,
    CourtDate,
    DirectoryList,
    FamilyReunification,
    Harm,
    Placement,
    ProfileCode,
    ProviderProfile,
    RecordClearing,
    Referral,
    ReliefRequest,
    ServiceDelivery,
    UnmetNeed,
    WalkIn,
    checked_lists,
)


class CareRefused(ValidationError):
    """An action the workflow or the person's role does not allow, said in plain words."""


def _require(allowed: bool, message: str | dict[str, str]) -> None:
    if not allowed:
        raise CareRefused(message)


def _day(value: datetime.date | None) -> datetime.date:
    return value if value is not None else timezone.localdate()


# --- The provider directory ---------------------------------------------------------------------


def _write_lists(profile: ProviderProfile, lists: dict[str, list[str]]) -> None:
    """Store the lists given, touching only the codes that changed, so that the audit log shows
    what a provider added and removed."""
    for list_name, codes in lists.items():
        held = profile.codes.filter(list=list_name)
        held.exclude(code__in=codes).delete()
        kept = set(held.values_list("code", flat=True))
        for code in codes:
            if code not in kept:
                save_one(ProfileCode(profile=profile, list=list_name, code=code))


def _trimmed(value):
    return value.strip() if isinstance(value, str) else value


def _checked_entry(
    profile: ProviderProfile, given: dict[str, Iterable[str] | None]
) -> dict[str, list[str]]:
    """The lists given, checked, once the whole entry is: every problem is raised at once, each
    keyed by its field, so that the provider corrects them in one go (principle 8)."""
    errors: dict[str, list[str]] = {}
    try:
        lists = checked_lists(given)
    except ValidationError as error:
        errors.update(error.message_dict)
        lists = {}

    def held(list_name: str) -> list[str] | None:
        """The list as it will be; None when it was refused (its own message says why)."""
        if list_name in lists:
            return lists[list_name]
        if given.get(list_name) is None and profile.pk:
            return profile.codes_of(list_name)
        return None

    services, counties = held(DirectoryList.SERVICES), held(DirectoryList.COUNTIES)
    if (
        services is not None
        and profile.trafficking_shelter_places
        and ("trafficking_shelter" not in services)
    ):
        errors["trafficking_shelter_places"] = [
            "Places in a trafficking-specific shelter need 'Trafficking-specific shelter' among "
            "the services offered."
        ]
    if counties is not None and profile.listed_publicly and not counties:
        errors["counties"] = [
            "Counties served: choose at least one, so that people reading the public directory "
            "can tell whether you serve where they are."
        ]
    try:
        check_before_insert(profile)
    except ValidationError as error:
        for name, messages in error.message_dict.items():
            errors.setdefault(name, []).extend(messages)
    if errors:
        raise ValidationError(errors)
    return lists


def _directory_lists(services, languages, gender_identities, age_groups, counties):
    return {
        DirectoryList.SERVICES: services,
        DirectoryList.LANGUAGES: languages,
        DirectoryList.GENDER_IDENTITIES: gender_identities,
        DirectoryList.AGE_GROUPS: age_groups,
        DirectoryList.COUNTIES: counties,
    }


@transaction.atomic
def create_provider_profile(
    *,
    user,
    provider: Agency,
    services: Iterable[str],
    languages: Iterable[str],
    gender_identities: Iterable[str],
    age_groups: Iterable[str],
    serves_foreign_nationals: bool = False,
    answers_any_hour: bool = False,
    trafficking_shelter_places: int = 0,
    capacity: str = "open",
    counties: Iterable[str] = (),
    listed_publicly: bool = False,
    requires_id: bool | None = None,
    requires_police_report: bool | None = None,
    contact_phone: str = "",
    contact_texts: bool = False,
    contact_hours: str = "",
    walk_in: str = WalkIn.NONE,
    walk_in_address: str = "",
) -> ProviderProfile:
    """List a victim-service provider in the directory; on the public directory too when
    ``listed_publicly``, which then needs the counties served, whether it asks for an ID or a
    police report, and how and when to reach it (``ProviderProfile.clean``)."""
    if provider.kind != PROVIDER_KIND:
        raise ValidationError({"provider": f"{provider} is not a victim-service provider."})
    _require(
        permissions.may_create_profile(user, provider),
        f"Only an administrator or a caseworker of {provider} can list it in the directory.",
    )
    _require(
        not ProviderProfile.objects.filter(provider=provider).exists(),
        {"provider": f"{provider} is already in the directory; update its entry instead."},
    )
    profile = ProviderProfile(
        provider=provider,
        serves_foreign_nationals=serves_foreign_nationals,
        answers_any_hour=answers_any_hour,
        trafficking_shelter_places=trafficking_shelter_places,
        capacity=capacity,
        listed_publicly=listed_publicly,
        requires_id=requires_id,
        requires_police_report=requires_police_report,
        contact_phone=_trimmed(contact_phone),
        contact_texts=contact_texts,
        contact_hours=_trimmed(contact_hours),
        walk_in=walk_in,
        walk_in_address=_trimmed(walk_in_address),
        updated_by=user,
    )
    lists = _checked_entry(
        profile, _directory_lists(services, languages, gender_identities, age_groups, counties)
    )
    save_one(profile)
    _write_lists(profile, lists)
    return profile


@transaction.atomic
def update_provider_profile(
    *,
    user,
    profile: ProviderProfile,
    services: Iterable[str] | None = None,
    languages: Iterable[str] | None = None,
    gender_identities: Iterable[str] | None = None,
    age_groups: Iterable[str] | None = None,
    serves_foreign_nationals: bool | None = None,
    answers_any_hour: bool | None = None,
    trafficking_shelter_places: int | None = None,
    capacity: str | None = None,
    counties: Iterable[str] | None = None,
    listed_publicly: bool | None = None,
    requires_id: bool | None = None,
    requires_police_report: bool | None = None,
    contact_phone: str | None = None,
    contact_texts: bool | None = None,
    contact_hours: str | None = None,
    walk_in: str | None = None,
    walk_in_address: str | None = None,
) -> ProviderProfile:
    """Change a provider's directory entry; an argument left as ``None`` stays as it is (so an
    answer about an ID or a police report, once given, is changed but never unsaid)."""
    profile = ProviderProfile.objects.select_for_update().get(pk=profile.pk)
    _require(
        permissions.may_edit_profile(user, profile),
        f"Only a caseworker of {profile.provider} or an administrator can change its "
        "directory entry.",
    )
    for name, value in (
        ("serves_foreign_nationals", serves_foreign_nationals),
        ("answers_any_hour", answers_any_hour),
        ("trafficking_shelter_places", trafficking_shelter_places),
        ("capacity", capacity),
        ("listed_publicly", listed_publicly),
        ("requires_id", requires_id),
        ("requires_police_report", requires_police_report),
        ("contact_phone", contact_phone),
        ("contact_texts", contact_texts),
        ("contact_hours", contact_hours),
        ("walk_in", walk_in),
        ("walk_in_address", walk_in_address),
    ):
        if value is not None:
            setattr(profile, name, _trimmed(value))
    profile.updated_by = user
    lists = _checked_entry(
        profile, _directory_lists(services, languages, gender_identities, age_groups, counties)
    )
    save_one(profile)
    _write_lists(profile, lists)
    return profile


# --- Referrals ----------------------------------------------------------------------------------


def _checked_services(services: Iterable[str]) -> list[str]:
    codes = [services] if isinstance(services, str) else list(services)
    catalogue = vocabulary("service_type")
    unknown = [code for code in codes if code not in catalogue.codes]
    if not codes:
        raise ValidationError({"services": "Choose at least one service to refer the person for."})
    if unknown:
        raise ValidationError(
            {
                "services": f"Unknown service code(s) {', '.join(map(str, unknown))}; "
                f"use: {', '.join(catalogue.codes)}."
            }
        )
    if len(set(codes)) != len(codes):
        raise ValidationError({"services": "A service is listed twice."})
    return codes


def _checked_override_reason(reason: str) -> str:
    reason = " ".join(reason.split())
    if len(reason.split()) < permissions.OVERRIDE_REASON_MIN_WORDS:
        raise ValidationError(
            {
                "override_reason": f"Explain in at least {permissions.OVERRIDE_REASON_MIN_WORDS} "
                "words why the referral cannot wait for the person's consent. Write about the "
                "decision, not about the person."
            }
        )
    return reason


@transaction.atomic
def send_referral(
    *,
    user,
    encounter: Encounter,
    provider: Agency,
    services: Iterable[str],
    sent_on: datetime.date | None = None,
    consent_given_on: datetime.date | None = None,
    consent_organisation: Agency | None = None,
    consent_scope: Iterable[str] = (),
    override_reason: str = "",
) -> Referral:
    """Refer a person to a provider for one or more services.

    With consent (``consent_given_on``, ``consent_organisation`` — the provider —, and
    ``consent_scope``), each service is recorded as an offer the person accepted, which lets the
    provider's caseworkers see the person within the consent once they accept the referral.
    Without consent, ``override_reason`` sends it under a consent override, which only an agency
    administrator may do; its offers stay unanswered, because the person has not accepted
    anything.
    """
    _require(
        permissions.may_refer(user, encounter),
        {
            "encounter": "Only a data steward of an agency that took part in the operation "
            "that encountered this person, or someone of the organisation that identified them, "
            "can refer them."
        },
    )
    services = _checked_services(services)
    consent_scope = list(consent_scope)
    overriding = bool(override_reason.strip())
    if overriding:
        _require(
            consent_given_on is None and consent_organisation is None and not consent_scope,
            {
                "override_reason": "The person's consent is recorded: send the referral with it "
                "and leave the override empty."
            },
        )
        _require(
            permissions.may_override_consent(user, encounter),
            {
                "override_reason": "Only your agency's administrator can send a referral without "
                "the person's consent. Record the person's consent, or ask your administrator."
            },
        )
        override_reason = _checked_override_reason(override_reason)
    referring_agency = Agency.objects.get(pk=user.organisation_id)
    referral = save_one(
        Referral(
            encounter=encounter,
            provider=provider,
            referring_agency=referring_agency,
            sent_on=_day(sent_on),
            sent_by=user,
            consent_given_on=consent_given_on,
            consent_organisation=consent_organisation,
            consent_scope=consent_scope,
            consent_overridden=overriding,
        )
    )
    if overriding:
        # The log must name who overrode consent even when no request is running (a command,
        # the API worker), so the entry is written as this user whatever the context.
        with audit.acting_as(user):
            save_one(ConsentOverride(referral=referral, overridden_by=user, reason=override_reason))
    referral.offers.set(
        standard_services.offer_service(
            encounter=encounter,
            service_type=service,
            offered_on=referral.sent_on,
            offered_by=referring_agency,
            # Consenting to the referral is the person accepting the offer; under an override
            # the person has not answered.
            response="no_answer_yet" if overriding else "accepted",
            provider=provider,
            entered_by=user,
        )
        for service in services
    )
    return referral


def _referral_for_provider(user, referral: Referral) -> Referral:
    """The referral, locked, if the user may act on it as its provider's caseworker.

    A caseworker of another provider is told the referral is not theirs to see, in the words a
    missing referral gets, so that nothing reveals where another provider's referrals are."""
    visible = permissions.visible_referrals(user).filter(pk=referral.pk).exists()
    _require(
        visible,
        {"referral": f"There is no referral {referral.code} among those you can see."},
    )
    referral = Referral.objects.select_for_update().get(pk=referral.pk)
    _require(
        permissions.may_answer(user, referral),
        f"Only a caseworker of {referral.provider} can answer this referral and record its "
        "services.",
    )
    return referral


def _status_label(referral: Referral) -> str:
    return vocabulary("referral_status").label(referral.status).lower()


@transaction.atomic
def accept_referral(
    *, user, referral: Referral, accepted_on: datetime.date | None = None
) -> Referral:
    referral = _referral_for_provider(user, referral)
    _require(
        referral.status == "sent",
        f"Only a referral waiting for an answer can be accepted; this one is "
        f"{_status_label(referral)}.",
    )
    referral.status = "accepted"
    referral.accepted_on = _day(accepted_on)
    referral.answered_by = user
    return save_one(referral)


@transaction.atomic
def decline_referral(
    *,
    user,
    referral: Referral,
    decline_reason: str,
    decline_explanation: str = "",
    declined_on: datetime.date | None = None,
) -> Referral:
    """Decline with a reason; every service of the referral goes to the unmet-need log."""
    referral = _referral_for_provider(user, referral)
    _require(
        referral.status == "sent",
        f"Only a referral waiting for an answer can be declined; this one is "
        f"{_status_label(referral)}.",
    )
    if not decline_reason:
        raise ValidationError({"decline_reason": "Say why the referral is declined."})
    referral.status = "declined"
    referral.declined_on = _day(declined_on)
    referral.decline_reason = decline_reason
    referral.decline_explanation = decline_explanation.strip()
    referral.answered_by = user
    save_one(referral)
    for service in referral.services:
        save_one(
            UnmetNeed(
                referral=referral,
                operation_id=referral.encounter.operation_id,
                provider=referral.provider,
                service_type=service,
                reason=decline_reason,
                declined_on=referral.declined_on,
            )
        )
    return referral


@transaction.atomic
def start_services(
    *, user, referral: Referral, services_started_on: datetime.date | None = None
) -> Referral:
    referral = _referral_for_provider(user, referral)
    _require(
        referral.status == "accepted",
        f"Services start once the referral is accepted, and only once; this one is "
        f"{_status_label(referral)}.",
    )
    referral.status = "services_started"
    referral.services_started_on = _day(services_started_on)
    return save_one(referral)


@transaction.atomic
def close_referral(*, user, referral: Referral, closed_on: datetime.date | None = None) -> Referral:
    referral = _referral_for_provider(user, referral)
    _require(
        referral.status in ("accepted", "services_started"),
        f"Only an accepted referral can be closed; this one is {_status_label(referral)}.",
    )
    closed_on = _day(closed_on)
    last = referral.deliveries.order_by("-delivered_on").values_list("delivered_on", flat=True)
    if last and last[0] > closed_on:
        raise ValidationError(
            {
                "closed_on": f"A service was delivered under this referral on {last[0]}; it "
                "cannot close before that."
            }
        )
    referral.status = "closed"
    referral.closed_on = closed_on
    return save_one(referral)


@transaction.atomic
def record_delivery(
    *, user, referral: Referral, service_type: str, delivered_on: datetime.date | None = None
) -> ServiceDelivery:
    """Record a service delivered. The first delivery on an accepted referral is the start of
    services, on the same day."""
    referral = _referral_for_provider(user, referral)
    _require(
        referral.status in ("accepted", "services_started"),
        f"Services are recorded on an accepted referral that is still open; this one is "
        f"{_status_label(referral)}.",
    )
    delivery = save_one(
        ServiceDelivery(
            referral=referral,
            service_type=service_type,
            delivered_on=_day(delivered_on),
            recorded_by=user,
        )
    )
    if referral.status == "accepted":
        referral.status = "services_started"
        referral.services_started_on = delivery.delivered_on
        save_one(referral)
    return delivery


@transaction.atomic
def record_follow_up(
    *,
    user,
    referral: Referral,
    due_on: datetime.date,
    done_on: datetime.date | None = None,
    reached: str = "",
    still_receiving_services: str = "unknown",
    re_trafficking: str = "unknown",
    deported: str = "unknown",
    prosecuted: str = "unknown",
    prosecuted_for: Iterable[Statute] = (),
) -> FollowUp:
    """Record a follow-up with the person, through the standard's own service, under a referral
    the provider accepted (closed ones included: the six-month follow-up often comes later)."""
    referral = _referral_for_provider(user, referral)
    _require(
        referral.accepted_on is not None,
        f"Follow-ups are recorded on a referral your organisation accepted; this one is "
        f"{_status_label(referral)}.",
    )
    follow_up = standard_services.record_follow_up(
        encounter=referral.encounter,
        due_on=due_on,
        done_on=done_on,
        reached=reached,
        still_receiving_services=still_receiving_services,
        re_trafficking=re_trafficking,
        deported=deported,
        prosecuted=prosecuted,
        prosecuted_for=prosecuted_for,
        entered_by=user,
    )
    referral.follow_ups.add(follow_up)
    return follow_up


# --- People identified outside any operation ---------------------------------------------------

# The roles a person identified outside an operation is recorded with: a person found in the
# trafficking they came forward about, or not assessed yet, or an adult in commercial sex who came
# for services with no indicator of trafficking. A buyer or a suspected trafficker is not someone
# an organisation identifies to serve.
IDENTIFIED_ROLES = ("suspected_victim", "confirmed_victim", "adult_in_commercial_sex", "unknown")


@transaction.atomic
def record_identification(
    *,
    user,
    identified_on: datetime.date,
    identification_pathway: str,
    role: str,
    role_basis: str,
    referring_organisation: Agency | None = None,
    work_sector: str = "not_recorded",
    trafficking_form: str = "not_recorded",
    link_identifier: str = "",
    **facts,
) -> Encounter:
    """Record a person the user's organisation identified, or who came to it, outside any
    operation: a random code and coded facts, never a name (principle 1). The person is then the
    organisation's to refer, follow and be alerted about, exactly as a person met in an operation
    is the operation's agencies' (issue 21).

    ``facts`` are the person's coded attributes as ``standard.services.record_encounter`` takes
    them (age group, gender identity, race and ethnicity, language...). ``link_identifier``, a
    booking or case number the organisation holds, links the person's other contacts: only its
    keyed hash is kept (docs/linkage.md)."""
    _require(
        access.may_record_identifications(user),
        "Only a data steward or a caseworker records a person their organisation identified.",
    )
    if role not in IDENTIFIED_ROLES:
        labels = vocabulary("role")
        raise ValidationError(
            {
                "role": "A person identified outside an operation is recorded as "
                + ", ".join(f"'{labels.label(code).lower()}'" for code in IDENTIFIED_ROLES)
                + ": an organisation records the people it identified to serve."
            }
        )
    organisation = Agency.objects.get(pk=user.organisation_id)
    link = (
        linkage.person_link(link_identifier, organisation, field="link_identifier")
        if link_identifier
        else ""
    )
    try:
        encounter = standard_services.record_encounter(
            encountered_on=_past_or_today(identified_on, "identified_on"),
            identification_pathway=identification_pathway,
            identified_by=organisation,
            person_link=link,
            referring_organisation=referring_organisation,
            work_sector=work_sector,
            trafficking_form=trafficking_form,
            role=role,
            role_basis=role_basis,
            entered_by=user,
            **facts,
        )
    except ValidationError as error:
        # Named as the person typed them: the day of identification, the basis of the role.
        if not hasattr(error, "error_dict"):
            raise
        renamed = {"encountered_on": "identified_on", "basis": "role_basis"}
        raise ValidationError(
            {renamed.get(name, name): messages for name, messages in error.message_dict.items()}
        ) from None
    _refresh_alerts_of(encounter)
    return encounter


# --- Immigration relief paperwork ---------------------------------------------------------------


@transaction.atomic
def record_relief_request(
    *,
    user,
    encounter: Encounter,
    kind: str,
    requested_on: datetime.date | None = None,
    in_removal_proceedings: bool = False,
    renews: ReliefRequest | None = None,
) -> ReliefRequest:
    """A request the user's agency received to ask for Continued Presence or to sign a T or U
    visa declaration; its clock starts on the day it was received. A renewal of Continued
    Presence names the grant it renews (``renews``): from then on the grant's renewal reminder
    is answered, and the renewal waits for its own decision."""
    _require(
        permissions.may_record_relief(user, encounter),
        "Only a data steward of an agency in the person's operation records relief requests.",
    )
    _require(
        renews is None or kind == ReliefRequest.Kind.CONTINUED_PRESENCE,
        {"kind": "Only Continued Presence is renewed; ask for a declaration as a new request."},
    )
    request = _saved_relief(
        ReliefRequest(
            encounter=encounter,
            agency_id=user.organisation_id,
            kind=kind,
            requested_on=_past_or_today(requested_on, "requested_on"),
            in_removal_proceedings=in_removal_proceedings,
            renews=renews,
            recorded_by=user,
        )
    )
    _refresh_alerts_of(encounter)
    return request


@transaction.atomic
def decide_relief_request(
    *,
    user,
    request: ReliefRequest,
    status: str,
    decided_on: datetime.date | None = None,
    decline_reason: str = "",
) -> ReliefRequest:
    """Record the agency's decision: Continued Presence granted, a declaration signed, or either
    declined with the agency's reason."""
    request = ReliefRequest.objects.select_for_update().get(pk=request.pk)
    _require(
        permissions.may_decide_relief(user, request),
        "Only a data steward of the agency asked can record its decision.",
    )
    _require(
        request.status == ReliefRequest.Status.PENDING,
        f"{request.code} was already decided on {request.decided_on}.",
    )
    request.status = status
    request.decided_on = _past_or_today(decided_on, "decided_on")
    request.decline_reason = decline_reason.strip()
    _saved_relief(request)
    _refresh_alerts_of(request.encounter)
    return request


@transaction.atomic
def record_document_handed_over(
    *, user, request: ReliefRequest, document_given_on: datetime.date
) -> ReliefRequest:
    """The day the agency that obtained Continued Presence handed its document to the person:
    approval alone gives the person nothing to show (R-103: "her CP was approved six months
    before they gave it to her"). A day recorded wrongly is corrected the same way."""
    request = ReliefRequest.objects.select_for_update().get(pk=request.pk)
    _require(
        permissions.may_decide_relief(user, request),
        "Only a data steward of the agency asked can record the hand-over of the document.",
    )
    _require(
        request.kind == ReliefRequest.Kind.CONTINUED_PRESENCE
        and request.status == ReliefRequest.Status.GRANTED,
        f"{request.code} is not a granted Continued Presence: there is no document to hand over.",
    )
    request.document_given_on = _past_or_today(document_given_on, "document_given_on")
    _saved_relief(request)
    return request


def _saved_relief(request: ReliefRequest) -> ReliefRequest:
    """Save a relief request, with each impossible date named by its field. The model's checks
    run in ``save_one`` (``full_clean``); the order of a decision and of a hand-over is a database
    constraint, whose message Django gives for the whole record, so it is checked here first."""
    errors = {}
    if request.decided_on and request.decided_on < request.requested_on:
        errors["decided_on"] = (
            f"A request cannot be decided before it was received ({request.requested_on})."
        )
    if (
        request.document_given_on
        and request.decided_on
        and request.document_given_on < request.decided_on
    ):
        errors["document_given_on"] = (
            f"The document cannot be handed over before the grant ({request.decided_on})."
        )
    if errors:
        raise ValidationError(errors)
    return save_one(request)


def _past_or_today(day: datetime.date | None, field: str) -> datetime.date:
    day = _day(day)
    if day > timezone.localdate():
        raise ValidationError({field: "This date is in the future; record what has happened."})
    return day


def _refresh_alerts_of(encounter: Encounter) -> None:
    """The person's alerts follow at once what was just recorded, not only at the nightly run."""
    refresh_alerts(encounters=Encounter.objects.filter(pk=encounter.pk))


# --- Family reunification, court dates and record clearing --------------------------------------

_SUPPORT_REFUSAL = (
    "Only a data steward of an agency in the person's operation, someone of the organisation "
    "that identified them outside any operation, or a caseworker of a provider that accepted a "
    "referral of the person, records their family reunification, court dates and record "
    "clearing."
)


def _may_record_support(user, encounter: Encounter) -> None:
    _require(permissions.may_record_support(user, encounter), _SUPPORT_REFUSAL)


def _one_of(value: str, choices, field: str, what: str) -> str:
    if value not in choices.values:
        raise CareRefused({field: f"Choose {what}: {', '.join(choices.values)}."})
    return value


def _ticked(codes: Iterable[str], choices, field: str, prefix: str) -> dict[str, bool]:
    """A list of ticked codes as the model's yes/no fields (``prefix`` + code), each known."""
    codes = [codes] if isinstance(codes, str) else list(codes)
    unknown = [code for code in codes if code not in choices.values]
    if unknown:
        raise CareRefused(
            {
                field: f"Unknown choice(s) {', '.join(map(str, unknown))}; use: "
                f"{', '.join(choices.values)}."
            }
        )
    return {f"{prefix}{code}": code in codes for code in choices.values}


def _saved_as(record, renamed: dict[str, str]):
    """Save the record; a date the model refuses is named after the service's argument that set
    it, so that the form shows the message on the field the person typed in."""
    try:
        return save_one(record)
    except ValidationError as error:
        if not hasattr(error, "error_dict"):
            raise
        raise ValidationError(
            {renamed.get(name, name): messages for name, messages in error.message_dict.items()}
        ) from None


@transaction.atomic
def record_family_reunification(
    *,
    user,
    encounter: Encounter,
    members_count: int,
    relationships: Iterable[str],
    whereabouts: str = FamilyReunification.Whereabouts.UNKNOWN,
    safety_concern: str = FamilyReunification.Safety.UNKNOWN,
    concerns: Iterable[str] = (),
    safety_plan: bool = False,
    requested_on: datetime.date | None = None,
) -> FamilyReunification:
    """A person asks to be reunited with family members; the request's clock starts that day
    (``family-reunification-answer``)."""
    _may_record_support(user, encounter)
    reunification = save_one(
        FamilyReunification(
            encounter=encounter,
            requested_on=_past_or_today(requested_on, "requested_on"),
            members_count=members_count,
            whereabouts=_one_of(
                whereabouts, FamilyReunification.Whereabouts, "whereabouts", "where they are"
            ),
            safety_concern=_one_of(
                safety_concern, FamilyReunification.Safety, "safety_concern", "the safety concern"
            ),
            safety_plan=safety_plan,
            recorded_by=user,
            **_ticked(
                relationships, FamilyReunification.Relationship, "relationships", "includes_"
            ),
            **_ticked(concerns, FamilyReunification.Concern, "concerns", "concern_"),
        )
    )
    _refresh_alerts_of(encounter)
    return reunification


@transaction.atomic
def update_family_safety(
    *,
    user,
    reunification: FamilyReunification,
    safety_concern: str,
    concerns: Iterable[str] = (),
    safety_plan: bool = False,
) -> FamilyReunification:
    """What is known of the family members' safety changes at any time, before and after the
    request is closed: the danger to a family does not end with the paperwork."""
    reunification = FamilyReunification.objects.select_for_update().get(pk=reunification.pk)
    _may_record_support(user, reunification.encounter)
    reunification.safety_concern = _one_of(
        safety_concern, FamilyReunification.Safety, "safety_concern", "the safety concern"
    )
    for name, ticked in _ticked(
        concerns, FamilyReunification.Concern, "concerns", "concern_"
    ).items():
        setattr(reunification, name, ticked)
    reunification.safety_plan = safety_plan
    return save_one(reunification)


_FAMILY_NEXT = {
    FamilyReunification.Status.REQUESTED: (
        FamilyReunification.Status.IN_PROGRESS,
        FamilyReunification.Status.REUNITED,
        FamilyReunification.Status.NOT_POSSIBLE,
        FamilyReunification.Status.WITHDRAWN,
    ),
    FamilyReunification.Status.IN_PROGRESS: (
        FamilyReunification.Status.REUNITED,
        FamilyReunification.Status.NOT_POSSIBLE,
        FamilyReunification.Status.WITHDRAWN,
    ),
}


def family_next_steps(reunification: FamilyReunification) -> tuple[str, ...]:
    """Where a request can go from where it stands; nowhere once it is closed."""
    return _FAMILY_NEXT.get(reunification.status, ())


@transaction.atomic
def update_family_reunification(
    *,
    user,
    reunification: FamilyReunification,
    status: str,
    changed_on: datetime.date | None = None,
    not_possible_reason: str = "",
) -> FamilyReunification:
    """Move a request along: work started, then reunited, found not possible (with the reason)
    or withdrawn by the person. A closed request stays closed; a new wish is a new request."""
    reunification = FamilyReunification.objects.select_for_update().get(pk=reunification.pk)
    _may_record_support(user, reunification.encounter)
    allowed = family_next_steps(reunification)
    _require(
        bool(allowed),
        {
            "status": f"{reunification.code} was closed on {reunification.closed_on} "
            f"({reunification.get_status_display().lower()}); if the person asks again, record a "
            "new request."
        },
    )
    _require(
        status in allowed,
        {
            "status": f"A request that is {reunification.get_status_display().lower()} can "
            "become: "
            + ", ".join(FamilyReunification.Status(step).label.lower() for step in allowed)
            + "."
        },
    )
    day = _past_or_today(changed_on, "changed_on")
    reunification.status = status
    if status == FamilyReunification.Status.IN_PROGRESS:
        reunification.started_on = day
    else:
        reunification.closed_on = day
    reunification.not_possible_reason = (
        not_possible_reason if status == FamilyReunification.Status.NOT_POSSIBLE else ""
    )
    saved = _saved_as(reunification, {"started_on": "changed_on", "closed_on": "changed_on"})
    _refresh_alerts_of(reunification.encounter)
    return saved


@transaction.atomic
def record_court_date(
    *,
    user,
    encounter: Encounter,
    hearing_on: datetime.date,
    capacity: str,
    hearing_kind: str,
    support: Iterable[str] = (),
    support_declined: bool = False,
) -> CourtDate:
    """A day the person must be in court; without support arranged or declined, it is on the
    alerts from 14 days before."""
    _may_record_support(user, encounter)
    if hearing_on is None:
        raise CareRefused({"hearing_on": "Enter the day of the hearing."})
    court_date = save_one(
        CourtDate(
            encounter=encounter,
            hearing_on=hearing_on,
            capacity=_one_of(
                capacity, CourtDate.Capacity, "capacity", "why the person is in court"
            ),
            hearing_kind=_one_of(
                hearing_kind, CourtDate.Hearing, "hearing_kind", "the kind of hearing"
            ),
            support_declined=support_declined,
            recorded_by=user,
            **_ticked(support, CourtDate.Support, "support", "support_"),
        )
    )
    _refresh_alerts_of(encounter)
    return court_date


@transaction.atomic
def update_court_support(
    *, user, court_date: CourtDate, support: Iterable[str] = (), support_declined: bool = False
) -> CourtDate:
    """The support arranged for a court date, or the person's refusal of it, until the outcome is
    recorded: afterwards it is what happened, and stays."""
    court_date = CourtDate.objects.select_for_update().get(pk=court_date.pk)
    _may_record_support(user, court_date.encounter)
    _require(
        not court_date.outcome,
        {
            "support": f"The outcome of {court_date.code} is recorded "
            f"({court_date.get_outcome_display().lower()}); the support arranged for it can no "
            "longer change."
        },
    )
    for name, ticked in _ticked(support, CourtDate.Support, "support", "support_").items():
        setattr(court_date, name, ticked)
    court_date.support_declined = support_declined
    saved = save_one(court_date)
    _refresh_alerts_of(court_date.encounter)
    return saved


@transaction.atomic
def record_court_outcome(*, user, court_date: CourtDate, outcome: str) -> CourtDate:
    """What became of a court date: attended or not (from the day itself), postponed or
    cancelled. A postponed hearing's new day is a court date of its own."""
    court_date = CourtDate.objects.select_for_update().get(pk=court_date.pk)
    _may_record_support(user, court_date.encounter)
    _require(
        not court_date.outcome,
        {
            "outcome": f"The outcome of {court_date.code} is already recorded "
            f"({court_date.get_outcome_display().lower()})."
        },
    )
    court_date.outcome = _one_of(outcome, CourtDate.Outcome, "outcome", "what happened")
    saved = save_one(court_date)
    _refresh_alerts_of(court_date.encounter)
    return saved


@transaction.atomic
def refer_for_record_clearing(
    *,
    user,
    encounter: Encounter,
    remedy: str,
    referred_on: datetime.date | None = None,
    referred_to: Agency | None = None,
) -> RecordClearing:
    """Refer a person for vacatur, expungement or sealing of their record; a referral clears the
    ``record-clearing-referral`` alert of every arrest, citation or charge before it."""
    _may_record_support(user, encounter)
    clearing = save_one(
        RecordClearing(
            encounter=encounter,
            remedy=_one_of(remedy, RecordClearing.Remedy, "remedy", "the remedy"),
            referred_on=_past_or_today(referred_on, "referred_on"),
            referred_to=referred_to,
            recorded_by=user,
        )
    )
    _refresh_alerts_of(encounter)
    return clearing


_CLEARING_NEXT = {
    RecordClearing.Status.REFERRED: (RecordClearing.Status.FILED, RecordClearing.Status.WITHDRAWN),
    RecordClearing.Status.FILED: (
        RecordClearing.Status.GRANTED,
        RecordClearing.Status.DENIED,
        RecordClearing.Status.WITHDRAWN,
    ),
}


def clearing_next_steps(clearing: RecordClearing) -> tuple[str, ...]:
    """Where a record clearing can go from where it stands; nowhere once it is decided."""
    return _CLEARING_NEXT.get(clearing.status, ())


@transaction.atomic
def update_record_clearing(
    *,
    user,
    clearing: RecordClearing,
    status: str,
    changed_on: datetime.date | None = None,
    denial_reason: str = "",
) -> RecordClearing:
    """Move a record clearing along: petition filed, then granted or denied (with the ground),
    or withdrawn at any point before a decision."""
    clearing = RecordClearing.objects.select_for_update().get(pk=clearing.pk)
    _may_record_support(user, clearing.encounter)
    allowed = clearing_next_steps(clearing)
    _require(
        bool(allowed),
        {
            "status": f"{clearing.code} was {clearing.get_status_display().lower()} on "
            f"{clearing.closed_on}; a new petition is a new referral."
        },
    )
    _require(
        status in allowed,
        {
            "status": f"A record clearing that is {clearing.get_status_display().lower()} can "
            "become: "
            + ", ".join(RecordClearing.Status(step).label.lower() for step in allowed)
            + "."
        },
    )
    day = _past_or_today(changed_on, "changed_on")
    clearing.status = status
    if status == RecordClearing.Status.FILED:
        clearing.filed_on = day
    else:
        clearing.closed_on = day
    clearing.denial_reason = denial_reason if status == RecordClearing.Status.DENIED else ""
    saved = _saved_as(clearing, {"filed_on": "changed_on", "closed_on": "changed_on"})
    _refresh_alerts_of(clearing.encounter)
    return saved


# --- Harms after an operation and placements ---------------------------------------------------
# Recorded by the same people as the person's family reunification, court dates and record
# clearing (``permissions.may_record_support``), on the same page.

_HARM_REFUSAL = (
    "Only a data steward of an agency in the person's operation, someone of the organisation "
    "that identified them outside any operation, or a caseworker of a provider that accepted a "
    "referral of the person, records the harms that followed an operation and the person's "
    "placements."
)


def _may_record_harms_and_placements(user, encounter: Encounter) -> None:
    _require(permissions.may_record_support(user, encounter), _HARM_REFUSAL)


@transaction.atomic
def record_harm(
    *, user, encounter: Encounter, kind: str, occurred_on: datetime.date | None = None
) -> Harm:
    """A harm that followed the operation: immigration proceedings (R-162), a family separated
    (R-207), a risk of violence at home (R-206). It is only ever added: a harm that happened
    stays recorded (principle 4), with its alert."""
    _may_record_harms_and_placements(user, encounter)
    kind = _one_of(kind, Harm.Kind, "kind", "what happened")
    day = _past_or_today(occurred_on, "occurred_on")
    # Said here on the fields, rather than by the database's rule, which names no field.
    _require(
        not encounter.harms.filter(kind=kind, occurred_on=day).exists(),
        {
            "occurred_on": f"“{Harm.Kind(kind).label}” is already recorded for {day}; a harm is "
            "recorded once for a day."
        },
    )
    harm = save_one(Harm(encounter=encounter, kind=kind, occurred_on=day, recorded_by=user))
    _refresh_alerts_of(encounter)
    return harm


_CONDITIONS = {
    "free_to_leave": "whether the person was free to leave",
    "phone_access": "whether the person had a phone",
    "staff_speak_language": "whether staff spoke the person's language",
    "locked": "whether the placement was locked",
}


def _conditions(answers: dict[str, str], time_limit_days: int | None) -> dict:
    """A placement's conditions, each answer known and the time limit at least a day (the
    database's own rule would name no field)."""
    checked = {
        name: _one_of(answers[name], Answer, name, what) for name, what in _CONDITIONS.items()
    }
    if time_limit_days is not None and time_limit_days < 1:
        raise CareRefused(
            {
                "time_limit_days": "A time limit is at least one day; leave it empty if there "
                "is none."
            }
        )
    return {**checked, "time_limit_days": time_limit_days}


@transaction.atomic
def record_placement(
    *,
    user,
    encounter: Encounter,
    setting: str,
    free_to_leave: str,
    phone_access: str,
    staff_speak_language: str,
    locked: str,
    placed_on: datetime.date | None = None,
    ended_on: datetime.date | None = None,
    provider: Agency | None = None,
    time_limit_days: int | None = None,
) -> Placement:
    """Where the person was placed and on which conditions (R-029, R-086); one they may not
    leave is detention, whatever it is called, and is on the alerts."""
    _may_record_harms_and_placements(user, encounter)
    placement = save_one(
        Placement(
            encounter=encounter,
            setting=_one_of(setting, Placement.Setting, "setting", "the kind of placement"),
            provider=provider,
            placed_on=_past_or_today(placed_on, "placed_on"),
            ended_on=ended_on,
            recorded_by=user,
            **_conditions(
                {
                    "free_to_leave": free_to_leave,
                    "phone_access": phone_access,
                    "staff_speak_language": staff_speak_language,
                    "locked": locked,
                },
                time_limit_days,
            ),
        )
    )
    _refresh_alerts_of(encounter)
    return placement


@transaction.atomic
def update_placement(
    *,
    user,
    placement: Placement,
    free_to_leave: str,
    phone_access: str,
    staff_speak_language: str,
    locked: str,
    time_limit_days: int | None = None,
) -> Placement:
    """Correct a placement's conditions as they are learned, before or after it ended; the audit
    log keeps which conditions changed, who changed them and when."""
    placement = Placement.objects.select_for_update().get(pk=placement.pk)
    _may_record_harms_and_placements(user, placement.encounter)
    for name, value in _conditions(
        {
            "free_to_leave": free_to_leave,
            "phone_access": phone_access,
            "staff_speak_language": staff_speak_language,
            "locked": locked,
        },
        time_limit_days,
    ).items():
        setattr(placement, name, value)
    saved = save_one(placement)
    _refresh_alerts_of(placement.encounter)
    return saved


@transaction.atomic
def end_placement(
    *, user, placement: Placement, ended_on: datetime.date | None = None
) -> Placement:
    """The day the person left the placement; once ended, it stays ended, and a new placement
    is a record of its own."""
    placement = Placement.objects.select_for_update().get(pk=placement.pk)
    _may_record_harms_and_placements(user, placement.encounter)
    _require(
        placement.ended_on is None,
        {"ended_on": f"{placement.code} already ended on {placement.ended_on}."},
    )
    placement.ended_on = _past_or_today(ended_on, "ended_on")
    saved = save_one(placement)
    _refresh_alerts_of(placement.encounter)
    return saved
