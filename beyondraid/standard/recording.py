"""Recording an operation and its people on the site's own pages, as a data steward does it
(issue 23): an operation with its agencies and places in one save, and a person with their role,
what was done to or for them, their charges and the services offered in one save; later, what
happened to the person since, and corrections of an operation's agencies and places.

Each function wraps the services of ``services`` in one transaction, so that the same rules and
alerts apply as on every other path and nothing is half-written: when any part is refused, none
is kept. Corrections say why; the reason, chosen from a closed list, goes into the audit log's
entry of the change (``correction_reason``), so that the log never holds free text that could
describe a person.
"""

import contextvars
import datetime
from collections.abc import Iterable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone

from . import access, services
from .models import Agency, Encounter, Operation, OperationParticipant, OperationPlace
from .writing import save_one

NOT_A_STEWARD = "Only a data steward records operations and the people they met."
NOT_THEIR_OPERATION = (
    "Only a data steward of an agency taking part in this operation records and corrects it."
)
OWN_AGENCY_STAYS = (
    "Your agency must stay in the operation: it is how you reach it and its people. Keep it as "
    "the lead agency or among the other agencies."
)
NOT_OF_THIS_OPERATION = "Choose among the agencies and places of this operation."
OWN_AGENCY_TAKES_PART = (
    "Your agency must take part in the operation you record: make it the lead agency, or add it "
    "under Other agencies."
)
NOTHING_CHANGED = "Nothing was changed: change what is wrong, or leave the page without saving."

# Why a record is corrected. A closed list, not free text: the audit log is read by
# administrators, who may not read person-level records, and a reason typed freely could say who
# the person is or what happened to them.
CORRECTION_REASONS = {
    "entry_mistake": "A mistake made when the record was entered",
    "source_checked": "Checked again against the agency's own records",
    "later_information": "Information that came later shows the record was wrong",
    "person_asked": "The person asked for their record to be corrected",
    "review_asked": "A supervisor, a prosecutor or an oversight review asked for it",
}

_correction_reason: contextvars.ContextVar[str] = contextvars.ContextVar(
    "correction_reason", default=""
)


def correction_reason() -> str:
    """The reason of the correction being written now, for the audit log to keep with each
    change it records; empty outside a correction."""
    return _correction_reason.get()


@contextmanager
def _correcting(reason: str) -> Iterator[None]:
    if reason not in CORRECTION_REASONS:
        raise ValidationError({"reason": "Choose why the record is corrected."})
    token = _correction_reason.set(CORRECTION_REASONS[reason])
    try:
        yield
    finally:
        _correction_reason.reset(token)


@dataclass
class Refused(Exception):
    """What the rules refused in a record made of several parts: for each problem the part
    (``"person"`` or ``"operation"`` for the record as a whole, else the name of a repeated part:
    ``"events"``, ``"charges"``, ``"offers"``, ``"cooperation"``, ``"follow_ups"``,
    ``"participants"``, ``"places"``), the row of a repeated part (None for the whole) and the
    rule's error."""

    problems: list[tuple[str, int | None, ValidationError]]


@transaction.atomic
def record_operation(
    *,
    user,
    lead_agency: Agency,
    participants: Iterable[tuple[Agency, str]] = (),
    places: Iterable[dict] = (),
    **facts,
) -> Operation:
    """A steward records an operation their own agency takes part in: otherwise they could
    never see it again, nor record its people."""
    if access.role_of(user) != access.STEWARD:
        raise ValidationError(NOT_A_STEWARD)
    participants = list(participants)
    agencies = {lead_agency.pk, *(agency.pk for agency, _part in participants)}
    if user.organisation_id not in agencies:
        raise ValidationError({"lead_agency": OWN_AGENCY_TAKES_PART})
    return services.record_operation(
        lead_agency=lead_agency,
        participants=participants,
        places=places,
        entered_by=user,
        **facts,
    )


def _check_operation(user, operation: Operation) -> None:
    if not access.can_edit_operation(user, operation):
        raise ValidationError(NOT_THEIR_OPERATION)


def _collect(problems: list, part: str, row: int | None, write) -> None:
    """Write one row, noting its refusal instead of stopping: every refused row is shown at
    once, and the transaction around is rolled back if any was."""
    try:
        write()
    except ValidationError as error:
        problems.append((part, row, error))


def _write_rows(
    problems: list,
    *,
    user,
    encounter: Encounter,
    events: Iterable[dict] = (),
    charges: Iterable[dict] = (),
    offers: Iterable[dict] = (),
    cooperation: Iterable[dict] = (),
    follow_ups: Iterable[dict] = (),
) -> None:
    """Write the rows of what happened to a person, noting each refusal in ``problems``. A row
    without its own date happened on the day of the encounter; a service offer without the
    agency that made it was made by the steward's own agency.

    Cooperation rows are written through their own service, after the offers and apart from
    them: an offer never reads, and is never written from, anything said about cooperation
    (principle 3, docs/principles.md)."""
    day = encounter.encountered_on

    def event(row: dict):
        details = {name: value for name, value in row.items() if value}
        details["occurred_on"] = row.get("occurred_on") or day
        return services.record_treatment_event(encounter=encounter, entered_by=user, **details)

    def charge(row: dict):
        return services.record_charge(
            encounter=encounter,
            statute=row["statute"],
            charged_on=row.get("charged_on") or day,
            disposition=row.get("disposition") or "pending",
            disposition_on=row.get("disposition_on"),
            entered_by=user,
        )

    def offer(row: dict):
        return services.offer_service(
            encounter=encounter,
            service_type=row["service_type"],
            offered_on=row.get("offered_on") or day,
            offered_by=row.get("offered_by") or user.organisation,
            provider=row.get("provider"),
            response=row.get("response") or "no_answer_yet",
            entered_by=user,
        )

    def cooperation_record(row: dict):
        return services.record_cooperation(
            encounter=encounter,
            status=row["status"],
            recorded_on=row.get("recorded_on") or day,
            entered_by=user,
        )

    def follow_up(row: dict):
        return services.record_follow_up(encounter=encounter, entered_by=user, **row)

    # In this order: cooperation after the offers, through its own service.
    for part, rows, write in (
        ("events", events, event),
        ("charges", charges, charge),
        ("offers", offers, offer),
        ("cooperation", cooperation, cooperation_record),
        ("follow_ups", follow_ups, follow_up),
    ):
        for index, row in enumerate(rows):
            _collect(problems, part, index, lambda write=write, row=row: write(row))


@transaction.atomic
def record_person(
    *,
    user,
    operation: Operation,
    role: str,
    role_basis: str,
    events: Iterable[dict] = (),
    charges: Iterable[dict] = (),
    offers: Iterable[dict] = (),
    **facts,
) -> Encounter:
    """A person met in the operation, with their role and its basis, what was done to or for
    them, their charges and the services offered to them, all at once (see ``_write_rows``).
    Raises ``Refused`` with every refused part; nothing is then written.
    """
    _check_operation(user, operation)
    try:
        encounter = services.record_encounter(
            operation=operation, role=role, role_basis=role_basis, entered_by=user, **facts
        )
    except ValidationError as error:
        raise Refused([("person", None, error)]) from None
    problems: list[tuple[str, int | None, ValidationError]] = []
    _write_rows(
        problems, user=user, encounter=encounter, events=events, charges=charges, offers=offers
    )
    if problems:
        raise Refused(problems)
    return encounter


NOTHING_ENTERED = "Nothing was entered: fill in at least one row, or leave the page."


@transaction.atomic
def record_what_happened(*, user, encounter: Encounter, **rows: Iterable[dict]) -> None:
    """What happened to a person after they were recorded, added in one save: treatment events,
    charges, service offers, cooperation records and follow-ups (``rows``, by the names of
    ``_write_rows``). Raises ``Refused`` with every refused row; nothing is then written."""
    if not access.can_record_encounter_details(user, encounter):
        raise Refused([("person", None, ValidationError(NOT_THEIR_OPERATION))])
    rows = {part: list(written) for part, written in rows.items()}
    if not any(rows.values()):
        raise Refused([("person", None, ValidationError(NOTHING_ENTERED))])
    problems: list[tuple[str, int | None, ValidationError]] = []
    _write_rows(problems, user=user, encounter=encounter, **rows)
    if problems:
        raise Refused(problems)


def _changes(record, facts: dict) -> dict:
    """The facts that differ from what the record says."""
    return {
        name: value
        for name, value in facts.items()
        if (list(getattr(record, name).all()) if _many(record, name) else getattr(record, name))
        != value
    }


def _many(record, name: str) -> bool:
    return record._meta.get_field(name).many_to_many


@transaction.atomic
def correct_operation(*, user, operation: Operation, reason: str, **facts) -> Operation:
    """Correct an operation's own facts, saying why; the audit log keeps the fields changed and
    the reason."""
    _check_operation(user, operation)
    operation = Operation.objects.select_for_update().get(pk=operation.pk)
    changes = _changes(operation, facts)
    if not changes:
        raise ValidationError(NOTHING_CHANGED)
    with _correcting(reason):
        services.correct_record(record=operation, changes=changes)
    return operation


@transaction.atomic
def correct_operation_agencies(
    *,
    user,
    operation: Operation,
    reason: str,
    lead_agency: Agency,
    removed_participants: Iterable[OperationParticipant] = (),
    removed_places: Iterable[OperationPlace] = (),
    participants: Iterable[tuple[Agency, str]] = (),
    places: Iterable[dict] = (),
) -> Operation:
    """Correct which agencies took part in an operation and where it took place, saying why: the
    lead agency changed, other agencies and places removed or added. The audit log keeps each
    change with the reason. The steward's own agency must still take part afterwards, or they
    could no longer reach the operation they corrected. Raises ``Refused`` naming every refused
    row; nothing is then written."""
    _check_operation(user, operation)
    operation = Operation.objects.select_for_update().get(pk=operation.pk)
    removed_participants, removed_places = list(removed_participants), list(removed_places)
    participants, places = list(participants), list(places)
    lead = operation.participants.filter(part="lead").first()
    others = {participant.pk for participant in operation.participants.exclude(part="lead")}
    if any(participant.pk not in others for participant in removed_participants) or any(
        place.operation_id != operation.pk for place in removed_places
    ):
        raise Refused([("operation", None, ValidationError(NOT_OF_THIS_OPERATION))])
    lead_changes = lead is None or lead.agency_id != lead_agency.pk
    if not (lead_changes or removed_participants or removed_places or participants or places):
        raise Refused([("operation", None, ValidationError(NOTHING_CHANGED))])
    provenance = {"entered_by": user, "source": "form", "source_reference": ""}
    problems: list[tuple[str, int | None, ValidationError]] = []
    with _correcting(reason):
        # Removals first, so that an agency removed in one part may be added back in another.
        for record in [*removed_participants, *removed_places]:
            record.delete()
        if lead_changes:
            lead = lead or OperationParticipant(operation=operation, part="lead", **provenance)
            lead.agency = lead_agency
            _collect(problems, "operation", None, lambda: save_one(lead))
        for row, (agency, part) in enumerate(participants):
            _collect(
                problems,
                "participants",
                row,
                lambda agency=agency, part=part: save_one(
                    OperationParticipant(
                        operation=operation, agency=agency, part=part, **provenance
                    )
                ),
            )
        for row, place in enumerate(places):
            _collect(
                problems,
                "places",
                row,
                lambda place=place: save_one(
                    OperationPlace(operation=operation, **place, **provenance)
                ),
            )
    if problems:
        raise Refused(problems)
    if not operation.participants.filter(agency_id=user.organisation_id).exists():
        raise Refused([("operation", None, ValidationError(OWN_AGENCY_STAYS))])
    return operation


@transaction.atomic
def correct_person(
    *,
    user,
    encounter: Encounter,
    reason: str,
    role: str,
    role_basis: str,
    assessed_on: datetime.date | None = None,
    **facts,
) -> Encounter:
    """Correct the facts of a person's record, saying why. A role is never overwritten: a role
    or basis other than the current one is a new assessment, dated ``assessed_on`` (by default
    today), recorded before the facts are corrected so that a person corrected to a minor is
    first no longer an adult in commercial sex."""
    if not access.can_record_encounter_details(user, encounter):
        raise ValidationError(NOT_THEIR_OPERATION)
    encounter = Encounter.objects.select_for_update().get(pk=encounter.pk)
    current = encounter.current_role_assessment
    reassessed = current is None or (current.role, current.basis) != (role, role_basis)
    changes = _changes(encounter, facts)
    if not changes and not reassessed:
        raise ValidationError(NOTHING_CHANGED)
    with _correcting(reason):
        if reassessed:
            services.assess_role(
                encounter=encounter,
                role=role,
                basis=role_basis,
                assessed_on=assessed_on or timezone.localdate(),
                entered_by=user,
            )
        if changes:
            services.correct_record(record=encounter, changes=changes)
    return encounter
