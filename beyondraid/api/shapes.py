"""What the API's records look like: each is a row of its exchange table (``standard.exchange``),
in JSON.

The serializers are built from the exchange tables' column descriptions, so the API, the CSV
exchange files, the Table Schemas and the data dictionary name and describe every field the same
way and cannot drift apart. Records refer to each other by code (``operation_code``,
``encounter_code``), to agencies by name and to statutes by code, never by database id; a record
that has no code of its own (a charge, a service offer…) has a read-only ``id`` to correct it by.
"""

from django.db import models
from rest_framework import serializers

from beyondraid.standard.exchange import TABLES_BY_NAME, Column, Table, vocabulary_for
from beyondraid.standard.models import Encounter, Operation

from .models import RECORD_TYPES

# The API's record types are the exchange tables of the same name.
RECORD_TABLES: dict[str, Table] = {name: TABLES_BY_NAME[name] for name, _ in RECORD_TYPES}

# Model fields named otherwise in the exchange tables.
COLUMN_OF_FIELD = {
    "operation": "operation_code",
    "encounter": "encounter_code",
    "statute": "statute_code",
}


def _choice_errors(vocabulary) -> dict:
    return {
        "invalid_choice": (
            f"'{{input}}' is not in the list '{vocabulary.title}'; use one of: "
            f"{', '.join(vocabulary.codes)}."
        )
    }


def _field(column: Column, *, read_only: bool = False, required: bool) -> serializers.Field:
    """The serializer field for one exchange column. (``required`` is given here, never set on
    the field afterwards: DRF rebuilds each field from its arguments for every serializer.)"""
    options = {"help_text": column.description}
    if read_only:
        options["read_only"] = True
    else:
        options["required"] = required
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
    if not column.required and not read_only:
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
        return serializers.RegexField(
            column.pattern,
            error_messages={
                "invalid": "Not a code; codes look like OP-7K3M-9QX2 or E-7K3M-9QX2 (one to "
                "three capital letters, then two groups of four letters or digits, without I, "
                "L, O or U)."
            },
            **options,
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
            return record.operation.code
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


def _extras(table_name: str, *, for_update: bool) -> tuple[tuple, dict]:
    """Fields beyond the exchange row: an operation's agencies and places, and the role a person
    was assessed in at the encounter (the exchange files give both in tables of their own)."""
    role_column = _column("role_assessments", "role")
    basis_column = _column("role_assessments", "basis")
    if table_name == "operations":
        if for_update:
            return (_OperationExtras,), {}
        return (_OperationExtras,), {
            "participants": ParticipantSerializer(
                many=True,
                help_text="Every agency taking part, the token's own among them; one 'lead'.",
            ),
            "places": PlaceSerializer(many=True, required=False, help_text="Where it took place."),
        }
    if table_name == "encounters":
        if for_update:
            return (_EncounterExtras,), {}
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


# Columns a correction never changes: what a record belongs to and its own code.
FIXED_COLUMNS = {"operation_code", "encounter_code"}


def serializer_for(table_name: str, *, for_update: bool = False) -> type[serializers.Serializer]:
    """The serializer of one record type: for reading and creating, or (``for_update``) for
    correcting, where every field is optional and the codes cannot change."""
    table = RECORD_TABLES[table_name]
    mixins, extra_fields = _extras(table_name, for_update=for_update)
    fields = {}
    if not table.primary_key:
        fields["id"] = serializers.IntegerField(read_only=True)
    for column in table.columns:
        fixed = for_update and column.name in FIXED_COLUMNS
        # A new operation or person gets a fresh random code unless the agency's system brings
        # its own; a correction gives only the fields it changes.
        own_code = bool(table.primary_key) and column.name == table.primary_key[0]
        required = column.required and not for_update and not own_code
        fields[column.name] = _field(column, read_only=fixed, required=required)
    if not for_update and table_name == "encounters":
        fields["role"] = extra_fields.pop("role")
        fields["role_basis"] = extra_fields.pop("role_basis")
    fields.update(extra_fields)
    # Named for one record (``operations`` → ``Operation``): the schema's component names.
    name = "".join(part.capitalize() for part in table_name.split("_"))[:-1]
    suffix = "Correction" if for_update else ""
    return type(
        f"{name}{suffix}",
        (*mixins, _RecordSerializer),
        {**fields, "table": table, "__doc__": table.description},
    )
