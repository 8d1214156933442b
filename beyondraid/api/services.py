"""What an agency's system may write through the API, and how: every record goes through the
standard's services (``standard.services``), and every file submission through the intake
importer, so the API applies exactly the rules, checks and alerts of the forms and of imports.

A token acts as one of its agency's data stewards (``standard.access``): it records operations
its agency takes part in, and what happened to the people they encountered. A record it may not
reach does not exist for it. Problems are raised as a ``ValidationError`` keyed by the path of
the field at fault in the request (``participants[1].agency``), for the problem document.
"""

import json
from collections import Counter
from pathlib import PurePath

from django.core.exceptions import NON_FIELD_ERRORS, ValidationError
from django.db import transaction

from beyondraid.intake.importing import SourceFile, import_files, queue_batch
from beyondraid.intake.models import ImportBatch
from beyondraid.intake.ndjson import SUFFIXES as NDJSON_SUFFIXES
from beyondraid.intake.problems import ProblemList
from beyondraid.intake.tasks import run_import
from beyondraid.standard import access, services
from beyondraid.standard.loading import LoadResult, Problem
from beyondraid.standard.models import Agency, Encounter, Operation, Statute

from .models import IntegrationToken
from .shapes import COLUMN_OF_FIELD, RECORD_TABLES, field_of


def _provenance(token: IntegrationToken) -> dict:
    return {"source": "api", "source_reference": f"API, token {token.prefix}"}


# Codes are used once across every agency's records, so a new record cannot take a code that is
# taken. The answer is the same whoever holds the code, the token's own agency or another (whose
# records do not exist for the token), and says nothing about the record that holds it.
CODE_TAKEN = (
    "This code cannot be used: each code is used once, across every agency's records. Give "
    "another, or leave it out to get a fresh one."
)


def _api_errors(error: ValidationError, record_type: str) -> ValidationError:
    """A model's validation error with its fields named as the API names them."""
    own_code = {"operations": "operation_code", "encounters": "encounter_code"}.get(record_type)
    renamed = {"code": own_code, "basis": "role_basis", **COLUMN_OF_FIELD}
    if not hasattr(error, "error_dict"):
        return ValidationError({NON_FIELD_ERRORS: error.messages})
    return ValidationError(
        {
            (renamed.get(name) or name) if name != NON_FIELD_ERRORS else NON_FIELD_ERRORS: [
                CODE_TAKEN if name == "code" and each.code == "unique" else message
                for each in errors
                for message in each.messages
            ]
            for name, errors in error.error_dict.items()
        }
    )


def _agency(name: str, path: str) -> Agency:
    agency = Agency.objects.filter(name=name).first()
    if agency is None:
        raise ValidationError(
            {path: f"There is no agency named {name!r}; use the name exactly as registered."}
        )
    return agency


def _statute(code: str, path: str) -> Statute:
    statute = Statute.objects.filter(code=code).first()
    if statute is None:
        raise ValidationError(
            {path: f"{code!r} is not in the statute catalogue; use a code from it."}
        )
    return statute


def _encounter(actor, code: str, *, charges: bool = False) -> Encounter:
    encounter = access.encounters_for(actor).filter(code=code).first()
    allowed = encounter is not None and (
        access.can_record_charges(actor, encounter)
        if charges
        else access.can_record_encounter_details(actor, encounter)
    )
    if not allowed:
        raise ValidationError(
            {"encounter_code": f"There is no person {code!r} in your agency's operations."}
        )
    return encounter


def _given(data: dict) -> dict:
    """The values the request gave; one left out or null takes the standard's default."""
    return {name: value for name, value in data.items() if value is not None}


def _write(record_type: str, write):
    try:
        return write()
    except ValidationError as error:
        raise _api_errors(error, record_type) from None


# A link is made under the key of the organisation that holds the person's number
# (docs/linkage.md): the lead agency of their operation, or the organisation that identified them.
LINKED_BY_LEAD_AGENCY = (
    "Only the organisation that holds the person's booking or case number links their record: "
    "the lead agency of their operation, or the organisation that identified them."
)


# Creating ---------------------------------------------------------------------------------------


def create_record(*, token: IntegrationToken, actor, record_type: str, data: dict):
    """Record a new operation, person, or record about a person, from a request's validated
    ``data`` (the exchange row, in JSON)."""
    creators = {
        "operations": _create_operation,
        "encounters": _create_encounter,
        "treatment_events": _create_treatment_event,
        "charges": _create_charge,
        "service_offers": _create_service_offer,
        "follow_ups": _create_follow_up,
    }
    data = _given(data)
    return _write(record_type, lambda: creators[record_type](token, actor, data))


def _create_operation(token, actor, data):
    participants = data.pop("participants")
    agencies = [
        (_agency(participant["agency"], f"participants[{index}].agency"), participant["part"])
        for index, participant in enumerate(participants)
    ]
    leads = [agency for agency, part in agencies if part == "lead"]
    if len(leads) != 1:
        raise ValidationError({"participants": "Name exactly one agency with part 'lead'."})
    if token.agency not in [agency for agency, _ in agencies]:
        raise ValidationError(
            {
                "participants": f"List {token.agency.name}: a token records only the operations "
                "its own agency takes part in."
            }
        )
    return services.record_operation(
        code=data.pop("operation_code", ""),
        lead_agency=leads[0],
        participants=[(agency, part) for agency, part in agencies if part != "lead"],
        places=[_given(place) for place in data.pop("places", [])],
        **data,
        **_provenance(token),
    )


def _create_encounter(token, actor, data):
    code = data.pop("operation_code", "")
    if not code:
        return _create_identification(token, data)
    operation = access.operations_for(actor).filter(code=code).first()
    if operation is None or not access.can_edit_operation(actor, operation):
        raise ValidationError({"operation_code": f"There is no operation {code!r} of your agency."})
    for name in ("identified_by", "referring_organisation"):
        if data.pop(name, None):
            raise ValidationError(
                {
                    name: "A person met in an operation was identified by its agencies: leave "
                    "this out, or leave out the operation_code of a person your agency "
                    "identified outside any operation."
                }
            )
    if data.get("person_link") and operation.lead_agency != token.agency:
        raise ValidationError({"person_link": LINKED_BY_LEAD_AGENCY})
    return services.record_encounter(
        operation=operation,
        code=data.pop("encounter_code", ""),
        **data,
        **_provenance(token),
    )


def _create_identification(token, data):
    """A person the token's agency identified outside any operation: a token records only its
    own agency's people, so ``identified_by`` is its agency, given or not."""
    named = data.pop("identified_by", "")
    if named and named != token.agency.name:
        raise ValidationError(
            {
                "identified_by": f"A token records only the people {token.agency.name} "
                "identified: give its name, or leave this out."
            }
        )
    referrer = data.pop("referring_organisation", "")
    return services.record_encounter(
        identified_by=token.agency,
        referring_organisation=_agency(referrer, "referring_organisation") if referrer else None,
        code=data.pop("encounter_code", ""),
        **data,
        **_provenance(token),
    )


def _create_treatment_event(token, actor, data):
    encounter = _encounter(actor, data.pop("encounter_code"))
    return services.record_treatment_event(encounter=encounter, **data, **_provenance(token))


def _create_charge(token, actor, data):
    encounter = _encounter(actor, data.pop("encounter_code"), charges=True)
    statute = _statute(data.pop("statute_code"), "statute_code")
    return services.record_charge(
        encounter=encounter, statute=statute, **data, **_provenance(token)
    )


def _create_service_offer(token, actor, data):
    encounter = _encounter(actor, data.pop("encounter_code"))
    data["offered_by"] = _agency(data["offered_by"], "offered_by")
    if "provider" in data:
        data["provider"] = _agency(data["provider"], "provider") if data["provider"] else None
    return services.offer_service(encounter=encounter, **data, **_provenance(token))


def _create_follow_up(token, actor, data):
    encounter = _encounter(actor, data.pop("encounter_code"))
    data["prosecuted_for"] = [
        _statute(code, f"prosecuted_for[{index}]")
        for index, code in enumerate(data.pop("prosecuted_for", []))
    ]
    return services.record_follow_up(encounter=encounter, **data, **_provenance(token))


# Correcting -------------------------------------------------------------------------------------


def may_correct(actor, record) -> bool:
    """A steward corrects what it may record: its operations, their people and their records."""
    if isinstance(record, Operation):
        return access.can_edit_operation(actor, record)
    encounter = record if isinstance(record, Encounter) else record.encounter
    if record._meta.model_name == "charge":
        return access.can_record_charges(actor, encounter)
    return access.can_record_encounter_details(actor, encounter)


def correct_record(*, actor, record_type: str, record, data: dict):
    """Correct a record's facts from a request's validated ``data``: only the fields given. A
    person's link is changed only by the organisation that links them."""
    table = RECORD_TABLES[record_type]
    if "person_link" in data and not access.may_link_person(actor, record):
        raise ValidationError({"person_link": LINKED_BY_LEAD_AGENCY})
    changes = {}
    for column in table.columns:
        if column.name not in data:
            continue
        value = data[column.name]
        field_name = field_of(table, column.name)
        if column.name == "statute_code":
            value = _statute(value, column.name)
        elif column.name == "prosecuted_for":
            value = [_statute(code, f"prosecuted_for[{i}]") for i, code in enumerate(value)]
        elif column.references == ("agencies", "name"):
            value = _agency(value, column.name) if value else None
        elif value is None:
            field = type(record)._meta.get_field(field_name)
            value = None if field.null else field.get_default()
        changes[field_name] = value
    return _write(record_type, lambda: services.correct_record(record=record, changes=changes))


# Submitting files -------------------------------------------------------------------------------


def submit_files(*, token: IntegrationToken, actor, files: list[SourceFile]):
    """Import a submission of exchange files (CSV, or NDJSON lines) through the intake importer:
    all of it, atomically, with the importer's checks and messages, or nothing. The same files
    sent again are recognised and change nothing."""
    return import_files(
        files,
        agency=token.agency,
        submitted_by=actor.get_username(),
        channel=ImportBatch.Channel.API,
    )


# A submission larger than this is imported by a task worker, not within its request. 4 MB is
# about 10,000 encounters with their operations and role assessments as NDJSON (409 bytes each,
# as bench/api_bench.py writes them), which the API imported at about 1,350 a second
# (docs/benchmarks.md): seconds, well within a web worker's timeout (GUNICORN_TIMEOUT), whereas
# a million would hold a request open for far longer than any timeout allows.
QUEUED_ABOVE_BYTES = 4 * 2**20


def is_queued(files: list[SourceFile], *, asked: bool) -> bool:
    """Whether a submission is imported by a task worker: when its client asked for an answer
    before the import (``Prefer: respond-async``), or when it is too large to import at once."""
    return asked or sum(len(source.content) for source in files) > QUEUED_ABOVE_BYTES


def queue_submission(*, token: IntegrationToken, actor, files: list[SourceFile]) -> ImportBatch:
    """Keep a submission with a new batch and queue it for a task worker, which imports it as the
    upload page's imports are (``intake.tasks.run_import``): all of it or nothing. The batch and
    its task are written together, so a worker never finds one without the other. Raises
    ``ImportRefused`` for what is wrong before any row is read (no file, a file too large)."""
    with transaction.atomic():
        batch = queue_batch(
            files,
            mapping=None,
            user=None,
            agency=token.agency,
            submitted_by=actor.get_username(),
            channel=ImportBatch.Channel.API,
        )
        run_import.enqueue(batch.pk)
    return batch


def submissions_of(token: IntegrationToken):
    """The submissions a token may follow: its own agency's, whichever of its tokens sent them.
    Another agency's do not exist for it."""
    return ImportBatch.objects.filter(agency=token.agency, channel=ImportBatch.Channel.API)


def submitted_file_names(batch: ImportBatch) -> list[str]:
    return list(batch.files.filter(is_mapping=False).values_list("name", flat=True))


def submission_summary(batch: ImportBatch, *, done: int, total: int) -> str:
    """Where a submission is, in words."""
    status = ImportBatch.Status
    if batch.status == status.QUEUED:
        return "Waiting for a task worker to start the import."
    if batch.status == status.RUNNING:
        if not total:
            return "Importing: reading the files."
        return f"Importing: {done:,} of {total:,} rows written; nothing is kept until all are."
    if batch.status == status.COMPLETED:
        result = LoadResult(created=Counter(batch.created), unchanged=Counter(batch.unchanged))
        return f"Created {result.summary()}."
    if batch.status == status.UNCHANGED:
        return "These exact files were imported before; nothing changed."
    if batch.status == status.REJECTED:
        return "Nothing was imported; the problems to fix are listed in refusal."
    if batch.status == status.INTERRUPTED:
        # The reason: the worker stopped, the connection was lost, the disk was full.
        return " ".join(batch.problems) or str(batch.get_status_display())
    if batch.status == status.UNDONE:
        return "Imported, then undone on the site: its records were removed."
    return str(batch.get_status_display())


def refusal_of(batch: ImportBatch) -> ProblemList[Problem]:
    """The problems a refused submission's batch lists, each at its file, row and columns again,
    as the answer to a submission refused at once points at them. A batch refused before it kept
    the places (the worker stopped on an unexpected error) lists problems of the submission as a
    whole."""
    kept = batch.problem_list
    if len(batch.problem_places) == len(kept.listed):
        problems = [
            Problem(file, row, tuple(columns), message)
            for file, row, columns, message in batch.problem_places
        ]
    else:
        problems = [Problem("", None, (), line) for line in kept.listed]
    return ProblemList(problems, kept.more, kept.count)


def record_types_of_submission(files: list[SourceFile]) -> set[str]:
    """The token scopes a submission needs: the record types its tables write. Agencies,
    participants and places come with operations; role assessments and cooperation records with
    encounters. A CSV file is named after its table; an NDJSON line names its own."""
    tables = set()
    for source in files:
        if PurePath(source.name).suffix.lower() in NDJSON_SUFFIXES:
            for line in source.content.splitlines():
                try:
                    record = json.loads(line)
                except ValueError:
                    continue  # the importer reports the line
                if isinstance(record, dict) and isinstance(record.get("table"), str):
                    tables.add(record["table"])
        else:
            tables.add(PurePath(source.name).stem)
    belongs = {
        "agencies": "operations",
        "operation_agencies": "operations",
        "operation_places": "operations",
        "role_assessments": "encounters",
        "cooperation_records": "encounters",
    }
    known = set(RECORD_TABLES) | set(belongs)
    return {belongs.get(table, table) for table in tables if table in known}
