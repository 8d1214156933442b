"""The exchange format: the CSV tables agencies send and the synthetic generator writes.

Each table is described once, here, from the models: the Frictionless Table Schemas under
``schemas/``, the data dictionary, the synthetic writer and the loader all read these
descriptions, so they cannot drift apart. References between tables use codes and names, never
database ids: an encounter points at its operation by ``operation_code``, a charge at its statute
by ``statute_code``.
"""

from dataclasses import dataclass

from django.db import models

from . import models as standard
from .vocabulary import all_vocabularies, vocabulary

# Provenance is set by whoever loads a file, never taken from it.
_NOT_EXCHANGED = {"id", "created_at", "updated_at", "entered_by", "source", "source_reference"}


@dataclass(frozen=True)
class Column:
    name: str
    type: str  # Frictionless type: string, integer, number, date
    description: str
    required: bool
    vocabulary: str | None = None
    pattern: str | None = None
    list_of_codes: bool = False  # semicolon-separated codes, e.g. several race categories
    references: tuple[str, str] | None = None  # (table, column)
    hint: str = ""  # what a value matching the pattern looks like, said when one does not
    # Never repeated in a message: a cell that may hold, by mistake, what must not be kept.
    secret: bool = False


@dataclass(frozen=True)
class Table:
    name: str
    model: type[models.Model]
    title: str
    description: str
    columns: tuple[Column, ...]
    primary_key: tuple[str, ...]

    @property
    def column_names(self) -> list[str]:
        return [column.name for column in self.columns]


_REFERENCE_COLUMNS = {
    standard.Operation: ("operation_code", "operations", "operation_code"),
    standard.Encounter: ("encounter_code", "encounters", "encounter_code"),
    standard.Agency: (None, "agencies", "name"),
    standard.Statute: ("statute_code", None, None),
}


def _vocabulary_of(field: models.Field) -> str | None:
    """Find which vocabulary a coded field uses by matching its choices."""
    if not field.choices:
        return None
    codes = tuple(code for code, _ in field.choices)
    for name, vocab in all_vocabularies().items():
        if vocab.codes == codes:
            return name
    raise LookupError(f"{field.model.__name__}.{field.name} has choices of no known vocabulary.")


def _column_for(field: models.Field, description: str | None = None) -> Column:
    text = description or str(field.help_text or field.verbose_name.capitalize()).rstrip(".") + "."
    required = not (field.blank or field.null or field.has_default())
    if isinstance(field, models.ForeignKey):
        column_name, table, key = _REFERENCE_COLUMNS[field.related_model]
        name = column_name or field.name
        references = (table, key) if table else None
        return Column(name, "string", text, not field.null, references=references)
    if isinstance(field, models.DateField):
        return Column(field.name, "date", text, required)
    if isinstance(field, models.IntegerField):
        return Column(field.name, "integer", text, required)
    if isinstance(field, models.DecimalField):
        return Column(field.name, "number", text, required)
    vocab_name = _vocabulary_of(field)
    return Column(field.name, "string", text, required, vocabulary=vocab_name)


def _columns(
    model, *, first: tuple[Column, ...] = (), skip=(), descriptions=None, replacing=None
) -> tuple:
    """The exchanged fields of ``model`` in their order, after ``first``; ``replacing`` gives
    the column of a field described by hand."""
    descriptions = descriptions or {}
    replacing = replacing or {}
    columns = list(first)
    for field in model._meta.get_fields():
        if (
            not field.concrete
            or field.many_to_many
            or field.name in _NOT_EXCHANGED
            or field.name in skip
        ):
            continue
        if field.name in replacing:
            columns.append(replacing[field.name])
        else:
            columns.append(_column_for(field, descriptions.get(field.name)))
    return tuple(columns)


_ENCOUNTER_REF = Column(
    "encounter_code",
    "string",
    "Code of the encounter this record is about.",
    True,
    references=("encounters", "encounter_code"),
)
_OPERATION_REF = Column(
    "operation_code",
    "string",
    "Code of the operation.",
    True,
    references=("operations", "operation_code"),
)
_CODE_PATTERN = r"^[A-Z]{1,3}-[0-9A-HJKMNP-TV-Z]{4}-[0-9A-HJKMNP-TV-Z]{4}$"
CODE_HINT = (
    "codes look like OP-7K3M-9QX2 or E-7K3M-9QX2 (one to three capital letters, then two groups "
    "of four letters or digits, without I, L, O or U)"
)
# A link, never the number it was made from (docs/linkage.md): a file is prepared with
# `beyondraid link hash`, so that booking and case numbers never enter the system.
_PERSON_LINK = Column(
    "person_link",
    "string",
    "A keyed hash (HMAC) of a booking or case number the organisation that recorded the person "
    "holds, linking this person's records across contacts: 64 digits 0-9 and letters a-f, as "
    "`beyondraid link hash --organisation NAME` prints it; never the number itself "
    "(docs/linkage.md). Empty when not linked.",
    False,
    pattern=r"^[0-9a-f]{64}$",
    hint="64 digits 0-9 and letters a-f, as `beyondraid link hash` prints it; never the booking "
    "or case number itself (docs/linkage.md)",
    secret=True,
)

TABLES: tuple[Table, ...] = (
    Table(
        "agencies",
        standard.Agency,
        "Agencies",
        "Every organisation named in the other tables: police, prosecutors, task forces, "
        "victim-service providers, funders.",
        _columns(standard.Agency),
        ("name",),
    ),
    Table(
        "operations",
        standard.Operation,
        "Operations",
        "One row per operation. Its lead and other agencies are in operation_agencies.",
        (
            *_columns(
                standard.Operation,
                first=(
                    Column(
                        "operation_code",
                        "string",
                        "The operation's code, unique in the dataset.",
                        True,
                        pattern=_CODE_PATTERN,
                    ),
                ),
                skip={"code", "sector_focus"},
            ),
            Column(
                "sector_focus",
                "string",
                "The sectors of work the operation targets: codes separated by semicolons; "
                "empty when not stated, 'not_recorded' alone.",
                False,
                vocabulary="work_sector",
                list_of_codes=True,
            ),
        ),
        ("operation_code",),
    ),
    Table(
        "operation_agencies",
        standard.OperationParticipant,
        "Agencies in operations",
        "Which agency took which part in each operation; exactly one lead per operation.",
        _columns(standard.OperationParticipant, first=(_OPERATION_REF,), skip={"operation"}),
        ("operation_code", "agency", "part"),
    ),
    Table(
        "operation_places",
        standard.OperationPlace,
        "Places of operations",
        "Where each operation took place.",
        _columns(standard.OperationPlace, first=(_OPERATION_REF,), skip={"operation"}),
        (),
    ),
    Table(
        "encounters",
        standard.Encounter,
        "Encounters",
        "One row per person encountered in an operation or identified outside any, "
        "pseudonymous: a random code and coded attributes, never a name, date of birth, "
        "address, phone number or description. A person identified outside any operation has "
        "no operation_code and names the organisation that identified them (identified_by).",
        (
            Column(
                "encounter_code",
                "string",
                "A random code for the person; carries no information.",
                True,
                pattern=_CODE_PATTERN,
            ),
            Column(
                "operation_code",
                "string",
                "Code of the operation the person was met in; empty for a person identified "
                "outside any operation.",
                False,
                references=("operations", "operation_code"),
            ),
            *_columns(
                standard.Encounter,
                skip={"code", "operation", "race_ethnicity"},
                replacing={"person_link": _PERSON_LINK},
            ),
            Column(
                "race_ethnicity",
                "string",
                "Codes separated by semicolons; 'not_recorded' alone.",
                False,
                vocabulary="race_ethnicity",
                list_of_codes=True,
            ),
        ),
        ("encounter_code",),
    ),
    Table(
        "role_assessments",
        standard.RoleAssessment,
        "Role assessments",
        "Dated role assessments; the latest is the person's current role. Every encounter has "
        "at least the one made at the encounter.",
        _columns(standard.RoleAssessment, first=(_ENCOUNTER_REF,), skip={"encounter"}),
        (),
    ),
    Table(
        "treatment_events",
        standard.TreatmentEvent,
        "Treatment events",
        "What was done to or for each person, dated; details only for their own kind of event.",
        _columns(standard.TreatmentEvent, first=(_ENCOUNTER_REF,), skip={"encounter"}),
        (),
    ),
    Table(
        "charges",
        standard.Charge,
        "Charges",
        "Charges against encountered people, by statute code from the statute catalogue.",
        _columns(standard.Charge, first=(_ENCOUNTER_REF,), skip={"encounter"}),
        (),
    ),
    Table(
        "service_offers",
        standard.ServiceOffer,
        "Service offers",
        "Services offered, whatever the person's cooperation; cooperation is a separate table.",
        _columns(standard.ServiceOffer, first=(_ENCOUNTER_REF,), skip={"encounter"}),
        (),
    ),
    Table(
        "cooperation_records",
        standard.CooperationRecord,
        "Cooperation records",
        "Dated records of cooperation with law enforcement, apart from services.",
        _columns(standard.CooperationRecord, first=(_ENCOUNTER_REF,), skip={"encounter"}),
        (),
    ),
    Table(
        "follow_ups",
        standard.FollowUp,
        "Follow-ups",
        "Follow-ups due and done, with the outcomes the Rec 3.2 indicators need.",
        (
            *_columns(standard.FollowUp, first=(_ENCOUNTER_REF,), skip={"encounter"}),
            Column(
                "prosecuted_for",
                "string",
                "Statute codes separated by semicolons, when prosecuted.",
                False,
                list_of_codes=True,
            ),
        ),
        (),
    ),
)

TABLES_BY_NAME = {table.name: table for table in TABLES}


def vocabulary_for(column: Column):
    return vocabulary(column.vocabulary) if column.vocabulary else None
