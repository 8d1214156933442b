"""Every write to the data standard goes through these functions.

Forms, the admin and the API call them, so the same validation and the same alerts apply
whichever way a record arrives; an import of many rows applies the same checks in bulk
(``writing.insert_all``) and raises the same alerts (``alerts_from_history``).

Each takes keyword-only arguments, validates the whole record
(``writing.save_one``: field checks and rules first, constraints by the database), and runs in a
transaction so that nothing is half-written.
"""

import datetime
import re
from collections.abc import Iterable
from decimal import Decimal
from functools import cache

from django.core.exceptions import ValidationError
from django.db import transaction

from . import access, linkage
from .models import (
    THROUGH_OPERATION,
    Agency,
    AggregateFigure,
    Charge,
    CooperationRecord,
    Encounter,
    FollowUp,
    FundingAllocation,
    FundingSource,
    NonPunishmentAlert,
    Operation,
    OperationParticipant,
    OperationPlace,
    RoleAssessment,
    ServiceOffer,
    Statute,
    TreatmentEvent,
    printed_count,
)
from .vocabulary import vocabulary
from .writing import check_before_insert, insert_all, save_one


def _provenance(entered_by, source: str, source_reference: str) -> dict:
    return {"entered_by": entered_by, "source": source, "source_reference": source_reference}


def check_member_agencies(*, kind: str, member_agencies) -> None:
    """Only a task force has member agencies. A many-to-many value never reaches model clean(),
    so every path that sets members (this module, the admin form) asks here."""
    if member_agencies and kind != "task_force":
        raise ValidationError({"member_agencies": "Only a task force has member agencies."})


@transaction.atomic
def record_agency(
    *,
    name: str,
    kind: str,
    state: str = "",
    county: str = "",
    city: str = "",
    population_served: int | None = None,
    linkage_group: str = "",
    member_agencies: Iterable[Agency] = (),
    entered_by=None,
    source: str = "form",
    source_reference: str = "",
) -> Agency:
    members = list(member_agencies)
    check_member_agencies(kind=kind, member_agencies=members)
    agency = save_one(
        Agency(
            name=name,
            kind=kind,
            state=state,
            county=county,
            city=city,
            population_served=population_served,
            linkage_group=linkage_group,
            **_provenance(entered_by, source, source_reference),
        )
    )
    agency.member_agencies.set(members)
    return agency


@transaction.atomic
def record_operation(
    *,
    name: str,
    initiative: str,
    operation_type: str,
    start_date: datetime.date,
    end_date: datetime.date,
    stated_objective: str,
    trigger: str,
    lead_agency: Agency,
    participants: Iterable[tuple[Agency, str]] = (),
    places: Iterable[dict] = (),
    data_origin: str = "recorded",
    sector_focus: Iterable[str] = (),
    code: str = "",
    entered_by=None,
    source: str = "form",
    source_reference: str = "",
) -> Operation:
    """Record an operation with its lead agency, other participants and places.

    ``code`` is given only when an exchange file brings the operation's own code; otherwise a
    fresh random one is drawn.
    """
    provenance = _provenance(entered_by, source, source_reference)
    operation = save_one(
        Operation(
            code=code,
            name=name,
            initiative=initiative,
            operation_type=operation_type,
            start_date=start_date,
            end_date=end_date,
            stated_objective=stated_objective,
            trigger=trigger,
            data_origin=data_origin,
            sector_focus=list(sector_focus),
            **provenance,
        )
    )
    for agency, part in [(lead_agency, "lead"), *participants]:
        save_one(OperationParticipant(operation=operation, agency=agency, part=part, **provenance))
    for place in places:
        save_one(OperationPlace(operation=operation, **place, **provenance))
    return operation


@transaction.atomic
def record_encounter(
    *,
    operation: Operation | None = None,
    encountered_on: datetime.date,
    role: str = "unknown",
    role_basis: str = "other",
    age_group: str = "unknown",
    age_determination: str = "not_recorded",
    entered_as_minor: str = "unknown",
    gender_identity: str = "not_recorded",
    race_ethnicity: Iterable[str] = ("not_recorded",),
    citizenship_status: str = "unknown",
    primary_language: str = "unknown",
    interpreter: str = "unknown",
    identification_pathway: str | None = None,
    identified_by: Agency | None = None,
    referring_organisation: Agency | None = None,
    work_sector: str = "not_recorded",
    trafficking_form: str = "not_recorded",
    person_link: str = "",
    data_origin: str = "recorded",
    code: str = "",
    entered_by=None,
    source: str = "form",
    source_reference: str = "",
) -> Encounter:
    """Record a person, with the role assessed at the encounter: met in ``operation``, or
    identified outside any operation by the organisation ``identified_by``, through
    ``identification_pathway`` (which a person met in an operation need not give: it can only be
    the operation).

    ``code`` is given only when an exchange file brings its own pseudonymous code; otherwise a
    fresh random one is drawn. ``person_link`` is a link already computed (``linkage``), never
    an identifier.
    """
    provenance = _provenance(entered_by, source, source_reference)
    check_person_link(person_link)
    if identification_pathway is None:
        if operation is None:
            raise ValidationError(
                {
                    "identification_pathway": "Say how the person was identified or came "
                    "forward: a person identified outside an operation is counted by it."
                }
            )
        identification_pathway = THROUGH_OPERATION
    encounter = save_one(
        Encounter(
            code=code,
            operation=operation,
            identification_pathway=identification_pathway,
            identified_by=identified_by,
            referring_organisation=referring_organisation,
            work_sector=work_sector,
            trafficking_form=trafficking_form,
            person_link=person_link,
            data_origin=data_origin,
            encountered_on=encountered_on,
            age_group=age_group,
            age_determination=age_determination,
            entered_as_minor=entered_as_minor,
            gender_identity=gender_identity,
            race_ethnicity=list(race_ethnicity),
            citizenship_status=citizenship_status,
            primary_language=primary_language,
            interpreter=interpreter,
            **provenance,
        )
    )
    save_one(
        RoleAssessment(
            encounter=encounter,
            role=role,
            basis=role_basis,
            stage="at_encounter",
            assessed_on=encountered_on,
            **provenance,
        )
    )
    return encounter


PERSON_LINK_REFUSED = (
    "A person link is the keyed hash of a booking or case number: 64 digits 0-9 and letters "
    "a-f, as `beyondraid link hash` prints it. Never give the number itself (docs/linkage.md)."
)


LINK_REFUSED = (
    "Only a data steward or a caseworker of the organisation that identified the person, or of "
    "the lead agency of their operation, links their record: the number is that organisation's."
)


def check_person_link(person_link: str) -> None:
    """A link given ready-made (an import, the API) is a hash, or nothing; the refusal never
    repeats what was given, which may be the identifier itself."""
    if person_link and not re.fullmatch(linkage.LINK_PATTERN, person_link):
        raise ValidationError({"person_link": PERSON_LINK_REFUSED})


@transaction.atomic
def link_person(*, user, encounter: Encounter, identifier: str, field: str = "identifier"):
    """Link the person's record with a booking or case number the organisation holds, so that
    their other contacts linked with the same number are known to be theirs. Only the keyed
    hash is stored; the audit log records who changed the link, never its value. ``field``
    names the form field the identifier was typed in, for the refusal."""
    if not access.may_link_person(user, encounter):
        raise ValidationError(LINK_REFUSED)
    encounter = Encounter.objects.select_for_update().get(pk=encounter.pk)
    encounter.person_link = linkage.person_link(
        identifier, access.linking_organisation(encounter), field=field
    )
    return save_one(encounter)


@transaction.atomic
def assess_role(
    *,
    encounter: Encounter,
    role: str,
    basis: str,
    assessed_on: datetime.date,
    stage: str = "later",
    entered_by=None,
    source: str = "form",
    source_reference: str = "",
) -> RoleAssessment:
    """Record a new, dated role assessment; it becomes the current role."""
    assessment = save_one(
        RoleAssessment(
            encounter=encounter,
            role=role,
            basis=basis,
            stage=stage,
            assessed_on=assessed_on,
            **_provenance(entered_by, source, source_reference),
        )
    )
    refresh_non_punishment_alerts(encounter=encounter)
    return assessment


@transaction.atomic
def record_treatment_event(
    *,
    encounter: Encounter,
    kind: str,
    occurred_on: datetime.date,
    entered_by=None,
    source: str = "form",
    source_reference: str = "",
    **details: str,
) -> TreatmentEvent:
    """Record what was done to or for the person, as it happened.

    ``details`` are the kind-specific fields (screening, interview or arrest details).
    """
    event = save_one(
        TreatmentEvent(
            encounter=encounter,
            kind=kind,
            occurred_on=occurred_on,
            **details,
            **_provenance(entered_by, source, source_reference),
        )
    )
    refresh_non_punishment_alerts(encounter=encounter)
    return event


@transaction.atomic
def record_charge(
    *,
    encounter: Encounter,
    statute: Statute,
    charged_on: datetime.date,
    disposition: str = "pending",
    disposition_on: datetime.date | None = None,
    entered_by=None,
    source: str = "form",
    source_reference: str = "",
) -> Charge:
    charge = save_one(
        Charge(
            encounter=encounter,
            statute=statute,
            charged_on=charged_on,
            disposition=disposition,
            disposition_on=disposition_on,
            **_provenance(entered_by, source, source_reference),
        )
    )
    refresh_non_punishment_alerts(encounter=encounter)
    return charge


@transaction.atomic
def offer_service(
    *,
    encounter: Encounter,
    service_type: str,
    offered_on: datetime.date,
    offered_by: Agency,
    response: str = "no_answer_yet",
    provider: Agency | None = None,
    entered_by=None,
    source: str = "form",
    source_reference: str = "",
) -> ServiceOffer:
    """Offer a service. The signature has no cooperation argument, by design (principle 3,
    docs/principles.md)."""
    return save_one(
        ServiceOffer(
            encounter=encounter,
            service_type=service_type,
            offered_on=offered_on,
            offered_by=offered_by,
            response=response,
            provider=provider,
            **_provenance(entered_by, source, source_reference),
        )
    )


@transaction.atomic
def record_cooperation(
    *,
    encounter: Encounter,
    status: str,
    recorded_on: datetime.date,
    entered_by=None,
    source: str = "form",
    source_reference: str = "",
) -> CooperationRecord:
    """Record cooperation with law enforcement. It is stored as it happened; a minor asked to
    cooperate raises an alert (R-106)."""
    record = save_one(
        CooperationRecord(
            encounter=encounter,
            status=status,
            recorded_on=recorded_on,
            **_provenance(entered_by, source, source_reference),
        )
    )
    refresh_non_punishment_alerts(encounter=encounter)
    return record


@transaction.atomic
def record_follow_up(
    *,
    encounter: Encounter,
    due_on: datetime.date,
    done_on: datetime.date | None = None,
    reached: str = "",
    still_receiving_services: str = "unknown",
    re_trafficking: str = "unknown",
    deported: str = "unknown",
    prosecuted: str = "unknown",
    prosecuted_for: Iterable[Statute] = (),
    entered_by=None,
    source: str = "form",
    source_reference: str = "",
) -> FollowUp:
    follow_up = save_one(
        FollowUp(
            encounter=encounter,
            due_on=due_on,
            done_on=done_on,
            reached=reached,
            still_receiving_services=still_receiving_services,
            re_trafficking=re_trafficking,
            deported=deported,
            prosecuted=prosecuted,
            **_provenance(entered_by, source, source_reference),
        )
    )
    follow_up.prosecuted_for.set(list(prosecuted_for))
    return follow_up


def schedule_follow_ups(
    due: Iterable[tuple[Encounter, datetime.date]], *, source_reference: str
) -> list[FollowUp]:
    """Write many follow-ups still to be done at once (the scheduling of every identified
    victim's 6- and 12-month follow-ups), each checked like one written alone and listed in the
    audit log; a follow-up the database refuses raises its rule."""

    def refused(error: ValidationError):
        raise error

    pending = []
    for encounter, due_on in due:
        follow_up = FollowUp(
            encounter=encounter, due_on=due_on, **_provenance(None, "form", source_reference)
        )
        check_before_insert(follow_up)
        pending.append((follow_up, refused))
    return insert_all(pending) if pending else []


@transaction.atomic
def record_funding_source(
    *,
    funder: Agency,
    programme: str,
    amount: Decimal,
    period_start: datetime.date,
    period_end: datetime.date,
    purpose: str = "law_enforcement_operations",
    recipient: Agency | None = None,
    conditions: Iterable[str] = (),
    entered_by=None,
    source: str = "form",
    source_reference: str = "",
) -> FundingSource:
    return save_one(
        FundingSource(
            funder=funder,
            recipient=recipient,
            purpose=purpose,
            conditions=list(conditions),
            programme=programme,
            amount=amount,
            period_start=period_start,
            period_end=period_end,
            **_provenance(entered_by, source, source_reference),
        )
    )


# What a person records of a funding source on its page (``record_funding``, ``correct_funding``).
FUNDING_FIELDS = (
    "funder",
    "recipient",
    "purpose",
    "conditions",
    "programme",
    "amount",
    "period_start",
    "period_end",
)
NOT_THEIR_MONEY = (
    "A data steward records the money their own agency gives or receives: name your agency as "
    "the funder or the recipient, or ask an administrator to record it."
)


def check_funding_is_theirs(user, funding: FundingSource) -> None:
    """Refuse money that is not the user's to record (``access.funding_is_theirs``)."""
    if not access.funding_is_theirs(user, funding):
        raise ValidationError(NOT_THEIR_MONEY)


@transaction.atomic
def record_funding(*, user, **fields) -> FundingSource:
    """A funding source recorded on the funding pages by a steward (their agency's money) or an
    administrator (any), with every rule of the model."""
    if not access.may_record_funding(user):
        raise ValidationError("Your role does not record funding.")
    funding = FundingSource(
        **{name: fields[name] for name in FUNDING_FIELDS},
        **_provenance(user, "form", ""),
    )
    # What is wrong with the record first, then whether it is the user's to record.
    check_before_insert(funding)
    check_funding_is_theirs(user, funding)
    return save_one(funding)


@transaction.atomic
def correct_funding(*, user, funding: FundingSource, **fields) -> FundingSource:
    """Correct a funding source the user may change; it must still be theirs once corrected. The
    audit log lists the fields that changed."""
    funding = FundingSource.objects.select_for_update().get(pk=funding.pk)
    check_funding_is_theirs(user, funding)
    for name in FUNDING_FIELDS:
        setattr(funding, name, fields[name])
    check_before_insert(funding)
    check_funding_is_theirs(user, funding)
    return save_one(funding)


@transaction.atomic
def allocate_funding(
    *,
    funding_source: FundingSource,
    operation: Operation,
    category: str,
    amount_allocated: Decimal,
    amount_spent: Decimal | None = None,
    entered_by=None,
    source: str = "form",
    source_reference: str = "",
) -> FundingAllocation:
    # Lock the source so two allocations written at once cannot both pass the total check.
    FundingSource.objects.select_for_update().filter(pk=funding_source.pk).first()
    return save_one(
        FundingAllocation(
            funding_source=funding_source,
            operation=operation,
            category=category,
            amount_allocated=amount_allocated,
            amount_spent=amount_spent,
            **_provenance(entered_by, source, source_reference),
        )
    )


@transaction.atomic
def record_aggregate_figure(
    *,
    operation: Operation,
    measure: str,
    printed_label: str,
    printed_value: str,
    citation: str,
    entered_by=None,
    source: str = "import",
    source_reference: str = "",
) -> AggregateFigure:
    return save_one(
        AggregateFigure(
            operation=operation,
            measure=measure,
            printed_label=printed_label,
            printed_value=printed_value,
            value=printed_count(printed_value),
            citation=citation,
            **_provenance(entered_by, source, source_reference),
        )
    )


# What a correction may change: a record's own facts, never what it belongs to (its operation or
# person, or the organisation that identified a person outside any operation, whose people they
# are), its code, or its provenance. A person's role is never overwritten either: a new, dated
# assessment is recorded instead (``assess_role``), so that the history stays as it happened.
_NOT_CORRECTED = {
    "id",
    "code",
    "operation",
    "identified_by",
    "encounter",
    "entered_by",
    "source",
    "source_reference",
    "created_at",
    "updated_at",
}
CORRECTABLE = (Operation, Encounter, TreatmentEvent, Charge, ServiceOffer, FollowUp)


def correctable_fields(model) -> tuple[str, ...]:
    return tuple(
        field.name
        for field in model._meta.get_fields()
        if (field.concrete or field.many_to_many) and field.name not in _NOT_CORRECTED
    )


@transaction.atomic
def correct_record(*, record, changes: dict) -> object:
    """Correct the facts of an operation, a person encountered or a record about them.

    Records of operations and of what happened to people are corrected, never removed; the
    audit log keeps which fields changed. The same rules apply as when the record was made, and
    a correction that makes a protected person's arrest or charge visible raises its alert.
    """
    if type(record) not in CORRECTABLE:
        raise ValidationError(f"A {record._meta.verbose_name} is not corrected this way.")
    allowed = correctable_fields(type(record))
    refused = sorted(name for name in changes if name not in allowed)
    if refused:
        raise ValidationError(
            dict.fromkeys(refused, "This is not corrected: it says what the record belongs to.")
        )
    many = {}
    for name, value in changes.items():
        if record._meta.get_field(name).many_to_many:
            many[name] = list(value)
        else:
            setattr(record, name, value)
    save_one(record)
    for name, values in many.items():
        getattr(record, name).set(values)
    encounter = record if isinstance(record, Encounter) else getattr(record, "encounter", None)
    if encounter is not None:
        refresh_non_punishment_alerts(encounter=encounter)
    return record


@cache
def _codes_where(name: str, attribute: str) -> frozenset[str]:
    """The codes of a vocabulary whose attribute is true, read once: an import replays every
    person's history through ``_trigger``, and vocabularies do not change while it runs."""
    return frozenset(vocabulary(name).codes_where(attribute, True))


def _is_protected_by_non_punishment(encounter: Encounter, role: str) -> bool:
    """A suspected or confirmed victim, or any minor: the people the principle protects."""
    return role in _codes_where("role", "is_victim") or encounter.is_minor


def _is_harm(record) -> bool:
    """An arrest, citation, charge or immigration referral: what the principle forbids."""
    return isinstance(record, Charge) or (
        isinstance(record, TreatmentEvent)
        and record.kind in _codes_where("treatment_kind", "punitive")
    )


def _trigger(encounter: Encounter, record, role: str) -> str | None:
    """The alert ``record`` raises for this person while their role is ``role``, or None.

    - An arrest, citation, charge or immigration referral of a victim or a minor.
    - A charge against a person who entered commercial sex as a minor, whatever their role: a
      de facto trafficking victim charged as an adult (R36). Their arrest is not alerted on this
      ground alone; R36 asks for their charges to be flagged.
    - A minor asked to cooperate with law enforcement, which a minor is not required to do
      (R-106): any cooperation record but 'not asked'.
    """
    if isinstance(record, CooperationRecord):
        asked = record.status in _codes_where("cooperation_status", "asked")
        return "minor_asked_to_cooperate" if asked and encounter.is_minor else None
    if not _is_harm(record):
        return None
    if _is_protected_by_non_punishment(encounter, role):
        return "charged" if isinstance(record, Charge) else record.kind
    if isinstance(record, Charge) and encounter.entered_as_minor == "yes":
        return "charged_entered_as_minor"
    return None


def _alert(encounter: Encounter, record, trigger: str, role: str) -> NonPunishmentAlert:
    """An unsaved alert pointing at the record that raised it."""
    return NonPunishmentAlert(
        encounter=encounter,
        trigger=trigger,
        treatment_event=record if isinstance(record, TreatmentEvent) else None,
        charge=record if isinstance(record, Charge) else None,
        cooperation_record=record if isinstance(record, CooperationRecord) else None,
        role_when_raised=role,
    )


@transaction.atomic
def refresh_non_punishment_alerts(*, encounter: Encounter) -> list[NonPunishmentAlert]:
    """Raise an alert for every record of this person that calls for one and has none yet (see
    ``_trigger``). Returns the alerts raised now.

    Called after every write that can change the facts: a new event, charge or cooperation
    record, a new role, a correction. A person first arrested and later identified as a victim is
    alerted on that later assessment.
    """
    role = encounter.current_role
    waiting = [
        *encounter.treatment_events.filter(alert__isnull=True),
        *encounter.charges.filter(alert__isnull=True),
        *encounter.cooperation_records.filter(alert__isnull=True),
    ]
    raised = []
    for record in waiting:
        trigger = _trigger(encounter, record, role)
        if trigger:
            alert = _alert(encounter, record, trigger, role)
            alert.save()
            raised.append(alert)
    return raised


def alerts_from_history(encounter: Encounter, history: Iterable) -> list[NonPunishmentAlert]:
    """The alerts, unsaved, that writing ``history`` one record at a time through the services
    would raise: ``history`` is one person's role assessments, treatment events, charges and
    cooperation records in the order they happened. Each record is alerted as soon as it calls
    for an alert, with the role the person had then, as ``refresh_non_punishment_alerts`` does
    after each write."""
    role, waiting, alerts = "unknown", [], []
    for record in history:
        if isinstance(record, RoleAssessment):
            role = record.role
        elif isinstance(record, CooperationRecord) or _is_harm(record):
            waiting.append(record)
        still_waiting = []
        for waiting_record in waiting:
            trigger = _trigger(encounter, waiting_record, role)
            if trigger:
                alerts.append(_alert(encounter, waiting_record, trigger, role))
            # A harm not alerted yet may be once the person is found to be a victim; whether a
            # cooperation record is alerted does not depend on the role.
            elif _is_harm(waiting_record):
                still_waiting.append(waiting_record)
        waiting = still_waiting
    return alerts
