"""What the API's records look like: each is a row of its exchange table (``standard.exchange``),
in JSON.

The serializers are built from the exchange tables' column descriptions, so the API, the CSV
exchange files, the Table Schemas and the data dictionary name and describe every field the same
way and cannot drift apart. Records refer to each other by code (``operation_code``,
``encounter_code``), to agencies by name and to statutes by code, never by database id; a record
that has no code of its own (a charge, a service offer…) has a read-only ``id`` to correct it by.
"""

from collections.abc import Mapping

from django.db import models
from drf_spectacular.extensions import OpenApiSerializerExtension
from rest_framework import serializers

from beyondraid.standard.exchange import (
    CODE_HINT,
    TABLES_BY_NAME,
    Column,
    Table,
    vocabulary_for,
)
from beyondraid.standard.models import Encounter, Operation
from beyondraid.standard.services import correctable_fields

from .models import RECORD_TYPES

# The API's record types are the exchange tables of the same name.
RECORD_TABLES: dict[str, Table] = {name: TABLES_BY_NAME[name] for name, _ in RECORD_TYPES}

# Model fields named otherwise in the exchange tables.
COLUMN_OF_FIELD = {
    "operation": "operation_code",
    "encounter": "encounter_code",
    "statute": "statute_code",
}
_FIELD_OF_COLUMN = {column: field for field, column in COLUMN_OF_FIELD.items()}


def field_of(table: Table, column: str) -> str:
    """The model field an exchange column holds: the record's own code, a reference by code, or
    the field of the same name."""
    if table.primary_key and column == table.primary_key[0]:
        return "code"
    return _FIELD_OF_COLUMN.get(column, column)


def _choice_errors(vocabulary) -> dict:
    return {
        "invalid_choice": (
            f"'{{input}}' is not in the list '{vocabulary.title}'; use one of: "
            f"{', '.join(vocabulary.codes)}."
        )
    }


def _field(column: Column, *, required: bool) -> serializers.Field:
    """The serializer field for one exchange column. (``required`` is given here, never set on
    the field afterwards: DRF rebuilds each field from its arguments for every serializer.)"""
    options = {"help_text": column.description, "required": required}
    vocabulary = vocabulary_for(column)
    if column.list_of_codes:
        child = (
            serializers.ChoiceField(
                choices=vocabulary.codes, error_messages=_choice_errors(vocabulary)
            )
            if vocabulary
            else serializers.CharField(max_length=40)
        )
        return serializers.ListField(child=child, **options)
    if not column.required:
        options["allow_null"] = True
        if column.type == "string":
            options["allow_blank"] = True
    if vocabulary:
        return serializers.ChoiceField(
            choices=vocabulary.codes, error_messages=_choice_errors(vocabulary), **options
        )
    if column.type == "date":
        return serializers.DateField(
            error_messages={"invalid": "Write dates as YYYY-MM-DD, e.g. 2020-10-12."}, **options
        )
    if column.type == "integer":
        return serializers.IntegerField(min_value=0, max_value=2**31 - 1, **options)
    if column.pattern:
        # Neither message repeats what was sent: a person link sent by mistake as the booking
        # number itself must not come back in the answer.
        invalid = (
            f"Not a person link: {column.hint}." if column.secret else f"Not a code; {CODE_HINT}."
        )
        return serializers.RegexField(
            column.pattern, error_messages={"invalid": invalid}, **options
        )
    return serializers.CharField(max_length=_max_length(column), **options)


def _max_length(column: Column) -> int:
    return 200 if column.references else 1000


def column_value(record: models.Model, column: Column):
    """The value of one exchange column of ``record``, as JSON."""
    name = column.name
    if name in ("operation_code", "encounter_code") and isinstance(record, Operation | Encounter):
        # The record's own code, or the code of the operation an encounter belongs to.
        if isinstance(record, Encounter) and name == "operation_code":
            # A person identified outside any operation has none.
            return record.operation.code if record.operation_id else None
        return record.code
    if name == "operation_code":
        return record.operation.code
    if name == "encounter_code":
        return record.encounter.code
    if name == "statute_code":
        return record.statute.code
    if name == "prosecuted_for":
        return sorted(statute.code for statute in record.prosecuted_for.all())
    value = getattr(record, name)
    if column.references == ("agencies", "name"):
        return value.name if value is not None else None
    if hasattr(value, "isoformat"):
        return value.isoformat()
    return value


class _RecordSerializer(serializers.Serializer):
    """A record as its exchange row; subclasses are made by ``serializer_for``."""

    table: Table

    def to_representation(self, record):
        row = {} if self.table.primary_key else {"id": record.pk}
        for column in self.table.columns:
            row[column.name] = column_value(record, column)
        row.update(self.extra_representation(record))
        return row

    def extra_representation(self, record) -> dict:
        return {}


def _column(table: str, name: str) -> Column:
    return next(column for column in TABLES_BY_NAME[table].columns if column.name == name)


class ParticipantSerializer(serializers.Serializer):
    agency = _field(_column("operation_agencies", "agency"), required=True)
    part = _field(_column("operation_agencies", "part"), required=True)


class PlaceSerializer(serializers.Serializer):
    state = _field(_column("operation_places", "state"), required=True)
    county = _field(_column("operation_places", "county"), required=False)
    city = _field(_column("operation_places", "city"), required=False)
    venue_type = _field(_column("operation_places", "venue_type"), required=True)


class _OperationExtras:
    def extra_representation(self, operation) -> dict:
        return {
            "participants": [
                {"agency": participant.agency.name, "part": participant.part}
                for participant in operation.participants.all()
            ],
            "places": [
                {
                    "state": place.state,
                    "county": place.county,
                    "city": place.city,
                    "venue_type": place.venue_type,
                }
                for place in operation.places.all()
            ],
        }


class _EncounterExtras:
    def extra_representation(self, encounter) -> dict:
        # The current role is the latest assessment; lists prefetch them, one query a page.
        latest = max(
            encounter.role_assessments.all(),
            key=lambda assessment: (assessment.assessed_on, assessment.created_at, assessment.pk),
            default=None,
        )
        return {
            "role": latest.role if latest else None,
            "role_basis": latest.basis if latest else None,
        }


def _extras(table_name: str) -> tuple[tuple, dict]:
    """Fields beyond the exchange row: an operation's agencies and places, and the role a person
    was assessed in at the encounter (the exchange files give both in tables of their own)."""
    role_column = _column("role_assessments", "role")
    basis_column = _column("role_assessments", "basis")
    if table_name == "operations":
        return (_OperationExtras,), {
            "participants": ParticipantSerializer(
                many=True,
                help_text="Every agency taking part, the token's own among them; one 'lead'.",
            ),
            "places": PlaceSerializer(many=True, required=False, help_text="Where it took place."),
        }
    if table_name == "encounters":
        return (_EncounterExtras,), {
            "role": serializers.ChoiceField(
                choices=vocabulary_for(role_column).codes,
                error_messages=_choice_errors(vocabulary_for(role_column)),
                help_text="The role assessed at the encounter (a code of the role vocabulary); "
                "a later assessment changes the current role, which reads show.",
            ),
            "role_basis": serializers.ChoiceField(
                choices=vocabulary_for(basis_column).codes,
                error_messages=_choice_errors(vocabulary_for(basis_column)),
                help_text="What the role assessment rests on (role_basis vocabulary).",
            ),
        }
    return (), {}


# Why a correction cannot give a field that a record shows, and what to do instead. Which
# exchange columns are fixed is the standard's rule (``standard.services.correctable_fields``).
_OWN_CODE = (
    "A record's code never changes: other records and systems refer to the record by it. Leave "
    "it out; the address says which record is corrected."
)
_BELONGS_TO = (
    "Which {parent} a record belongs to never changes, so that each {parent}'s history stays as "
    "it was recorded. If this record was made for the wrong {parent}, record it again for the "
    "right one and tell your agency's data steward about this one."
)
_PARENTS = {"operation": "operation", "encounter": "person"}
_ID = (
    "The id is given by the system and never changes. Leave it out; the address says which "
    "record is corrected."
)
_ROLE = (
    "A person's role is not corrected but assessed again: each assessment is kept, dated, as it "
    "was made. Record the new assessment on the person's page on the site; reads then show it "
    "as the current role."
)
_PARTS = (
    "The agencies taking part in an operation and its places are corrected on the operation's "
    "page on the site, not through the API."
)
_IDENTIFIED_BY = (
    "The organisation that identified a person outside any operation never changes: the person "
    "is its to follow. If the person was recorded by the wrong organisation, the right one "
    "records them again."
)
_SHOWN_NOT_CORRECTED = {
    "operations": {"participants": _PARTS, "places": _PARTS},
    "encounters": {"role": _ROLE, "role_basis": _ROLE, "identified_by": _IDENTIFIED_BY},
}


def _refusals(table: Table) -> dict[str, str]:
    """For each field a record shows that a correction cannot change, why and what instead."""
    correctable = correctable_fields(table.model)
    refusals = {} if table.primary_key else {"id": _ID}
    own = _SHOWN_NOT_CORRECTED.get(table.name, {})
    for column in table.columns:
        field = field_of(table, column.name)
        if column.name in own:
            continue
        if field == "code":
            refusals[column.name] = _OWN_CODE
        elif field not in correctable:
            refusals[column.name] = _BELONGS_TO.format(parent=_PARENTS[field])
    return {**refusals, **own}


class _Correction(serializers.Serializer):
    """A correction: the fields that change, and only fields that may. Any other field the
    request gives is refused with the reason, never ignored: a system answered 200 would believe
    it had changed it."""

    table: Table
    refusals: dict[str, str]

    def to_internal_value(self, data):
        refused = {}
        if isinstance(data, Mapping):
            refused = {name: [self._refusal(name)] for name in data if name not in self.fields}
        try:
            values = super().to_internal_value(data)
        except serializers.ValidationError as error:
            if refused and isinstance(error.detail, dict):
                raise serializers.ValidationError({**error.detail, **refused}) from None
            raise
        if refused:
            raise serializers.ValidationError(refused)
        return values

    def _refusal(self, name: str) -> str:
        return self.refusals.get(name) or (
            f"{name!r} is not a field of {self.table.title.lower()}; a correction gives only the "
            f"fields that change, among: {', '.join(self.fields)}."
        )


class CorrectionSchema(OpenApiSerializerExtension):
    """The schema says that a correction refuses any field it does not list."""

    target_class = _Correction
    match_subclasses = True

    def map_serializer(self, auto_schema, direction):
        schema = auto_schema._map_serializer(self.target, direction, bypass_extensions=True)
        return {**schema, "additionalProperties": False}


def _record_name(table_name: str) -> str:
    """One record of a table (``treatment_events`` → ``TreatmentEvent``): the schema's component
    names."""
    return "".join(part.capitalize() for part in table_name.split("_"))[:-1]


def serializer_for(table_name: str, *, for_update: bool = False) -> type[serializers.Serializer]:
    """The serializer of one record type: for reading and creating, or (``for_update``) for
    correcting, where every field is optional and only the fields that may change are taken."""
    table = RECORD_TABLES[table_name]
    if for_update:
        return _correction_for(table)
    mixins, extra_fields = _extras(table_name)
    fields = {}
    if not table.primary_key:
        fields["id"] = serializers.IntegerField(read_only=True)
    for column in table.columns:
        # A new operation or person gets a fresh random code unless the agency's system brings
        # its own.
        own_code = bool(table.primary_key) and column.name == table.primary_key[0]
        fields[column.name] = _field(column, required=column.required and not own_code)
    if table_name == "encounters":
        fields["role"] = extra_fields.pop("role")
        fields["role_basis"] = extra_fields.pop("role_basis")
    fields.update(extra_fields)
    return type(
        _record_name(table_name),
        (*mixins, _RecordSerializer),
        {**fields, "table": table, "__doc__": table.description},
    )


def _correction_for(table: Table) -> type[_Correction]:
    refusals = _refusals(table)
    fields = {
        column.name: _field(column, required=False)
        for column in table.columns
        if column.name not in refusals
    }
    return type(
        f"{_record_name(table.name)}Correction",
        (_Correction,),
        {**fields, "table": table, "refusals": refusals, "__doc__": table.description},
    )
