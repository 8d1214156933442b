"""Many people of one operation recorded at once, as a steward enters them in the people grid.

Each row is one person: the encounter with the role assessed at it, and what was done at the
encounter (an arrest with its basis, one other event, a service offered with the person's
answer), written by ``recording.record_person`` as one person recorded alone is, so that the
same rules and alerts apply. All rows are written in one transaction: if any row is refused,
nothing is written, and every refusal comes back on the row and the column it concerns, so the
steward corrects them all in one go.
"""

import datetime
from collections.abc import Iterable
from dataclasses import dataclass

from django.core.exceptions import ValidationError
from django.db import transaction

from . import access, recording
from .models import Encounter, Operation
from .vocabulary import vocabulary

# Events that need details the grid has no column for (who screened and with which tool, where an
# interview took place...) are recorded on the person's own form; an arrest has its own column.
_EVENTS_WITH_DETAILS = {"screened", "interviewed", "arrested"}

NOT_YOURS = "Only a data steward of an agency that takes part in this operation records its people."


def grid_events() -> list[tuple[str, str]]:
    """The events the grid's "Also done" column offers: every kind without details of its own."""
    return [
        (code, label)
        for code, label in vocabulary("treatment_kind").choices
        if code not in _EVENTS_WITH_DETAILS
    ]


@dataclass(frozen=True)
class PersonRow:
    """One row of the grid, numbered from 1 as the page shows it. A blank ``arrest_basis``,
    ``event`` or ``service_type`` means that nothing of the kind was done."""

    number: int
    encountered_on: datetime.date
    role: str
    role_basis: str
    age_group: str = "unknown"
    gender_identity: str = "not_recorded"
    arrest_basis: str = ""
    event: str = ""
    service_type: str = ""
    response: str = "no_answer_yet"


# A refusal's problems: the row's column (a field of ``PersonRow``, or None for the row as a
# whole) with what is wrong there.
Problems = dict[str | None, list[str]]


class RowsRefused(Exception):
    """Rows the rules refuse: each row number with its problems. Nothing was written."""

    def __init__(self, problems: dict[int, Problems]):
        super().__init__(f"{len(problems)} row(s) refused.")
        self.problems = problems


_COLUMNS = {field for field in PersonRow.__dataclass_fields__ if field != "number"}


def _collect(problems: Problems, error: ValidationError, columns: dict[str, str]) -> None:
    """Put each message of ``error`` on the column of the row it concerns: ``columns`` renames
    the record's fields that the grid calls otherwise; any other field is the row's own."""
    if not hasattr(error, "error_dict"):
        problems.setdefault(None, []).extend(error.messages)
        return
    for name, messages in error.message_dict.items():
        column = columns.get(name, name if name in _COLUMNS else None)
        problems.setdefault(column, []).extend(messages)


# Each part of ``recording.record_person`` with the grid's names of its record's fields: the
# columns the grid shows them in (``_collect``).
_PERSON_COLUMNS = {"basis": "role_basis", "assessed_on": "encountered_on"}
_ARREST_COLUMNS = {"kind": "arrest_basis", "occurred_on": "encountered_on"}
_EVENT_COLUMNS = {"kind": "event", "occurred_on": "encountered_on"}
_OFFER_COLUMNS = {"offered_on": "encountered_on"}


def _record_row(user, operation: Operation, row: PersonRow) -> tuple[Encounter | None, Problems]:
    """Write one person and what was done, as ``recording.record_person`` writes a person
    recorded alone; the problems of every step that was refused, on the grid's columns."""
    problems: Problems = {}
    events = []
    if row.arrest_basis:
        events.append(({"kind": "arrested", "arrest_basis": row.arrest_basis}, _ARREST_COLUMNS))
    if row.event:
        events.append(({"kind": row.event}, _EVENT_COLUMNS))
    offers = [{"service_type": row.service_type, "response": row.response}]
    if not row.service_type:
        offers = []
        if row.response != "no_answer_yet":
            problems.setdefault("service_type", []).append(
                "Choose the service offered, or leave the answer to the offer blank."
            )
    try:
        encounter = recording.record_person(
            user=user,
            operation=operation,
            encountered_on=row.encountered_on,
            role=row.role,
            role_basis=row.role_basis,
            age_group=row.age_group,
            gender_identity=row.gender_identity,
            events=[event for event, _columns in events],
            offers=offers,
        )
    except recording.Refused as refused:
        for part, index, error in refused.problems:
            if part == "events" and index is not None:
                columns = events[index][1]
            else:
                columns = _OFFER_COLUMNS if part == "offers" else _PERSON_COLUMNS
            _collect(problems, error, columns)
        return None, problems
    return encounter, problems


def record_people(*, user, operation: Operation, rows: Iterable[PersonRow]) -> list[Encounter]:
    """Record every row's person in ``operation``, all or none: raises ``RowsRefused`` naming
    every refused row and column, after undoing the rows written before. The steward must be
    one who edits the operation (``access.can_edit_operation``); the service offers are made by
    their agency."""
    if not access.can_edit_operation(user, operation):
        raise ValidationError(NOT_YOURS)
    refused: dict[int, Problems] = {}
    with transaction.atomic():
        recorded = []
        for row in rows:
            encounter, problems = _record_row(user, operation, row)
            if problems:
                refused[row.number] = problems
            elif encounter is not None:
                recorded.append(encounter)
        # Raised inside the transaction, so that the rows written before a refused one are undone.
        if refused:
            raise RowsRefused(refused)
    return recorded
