"""The data dictionary (``docs/standard.md``) and the exchange Table Schemas, generated.

Everything here is read from the standard itself: the models (docstrings, fields, help text,
database constraints), the vocabularies, the statute catalogue and the exchange tables. Nothing
is written by hand per model, so the dictionary cannot say something the code does not do.
Output is deterministic (stable order, no dates) so that ``beyondraid dictionary --check`` can
compare the committed files with what would be generated.
"""

import inspect
import json
import tomllib
from dataclasses import dataclass
from pathlib import Path

from django.apps import apps
from django.conf import settings
from django.db import models
from django.utils.text import capfirst

from . import table_schemas
from .catalogue import SHIPPED_STATUTES, read_statutes
from .exchange import TABLES, Table
from .models import Recorded
from .vocabulary import Vocabulary, all_vocabularies, vocabulary

DEFAULT_DOCS = settings.REPO_DIR / "docs" / "standard.md"

_INTRODUCTION = """\
The Beyond the Raid data standard is one way of recording anti-trafficking law-enforcement
operations and what happened to every person they encountered, so that operations can be
compared across agencies and years and judged by their outcomes for the people they claim to
protect; and the people identified outside any operation, by a provider, a clinic, a court or
the police, so that the standard shows where identifications come from. It is written for
victim-service caseworkers, oversight analysts and the data stewards of police, sheriff,
prosecutor and task-force offices.

**No identifying data about encountered people.** A person encountered in an operation, or
identified outside any, is a pseudonymous record: a random code and coded attributes such as an
age band. There is no field for a name, a date of birth, an address, a phone number, a
photograph or free text about a person. Identity stays in the caseworker's own case file,
outside this system.

**Roles are never conflated.** Each person has exactly one current role, taken from a closed
list. A role is a dated assessment with its basis, and a later assessment replaces it without
erasing it. A charge of pimping or pandering never makes someone a suspected trafficker, a
"rescue" never makes someone an identified victim, and a minor in commercial sex is a
trafficking victim in law (22 U.S.C. § 7102): a minor can never be recorded as an adult in
commercial sex. The roles are:

{roles}

**Services never depend on cooperation.** Offers of services are recorded in one place and
cooperation with law enforcement in another, with no link between them, so nothing in the
standard can make a service conditional on cooperation.

**Harms are recorded, not hidden.** An arrest, a citation, a charge or a referral to immigration
enforcement of a victim is recorded as it happened and raises a non-punishment alert.

### How to read this dictionary

- [Entities](#entities) are the kinds of record the system keeps. For each field, *Required*
  says whether a value must be given; "set by the system" means it is filled in automatically.
  Under each entity are the rules the database enforces, so that no form, import or API call
  can store a record that breaks them, and the further checks made whenever a record is entered.
- [Exchange tables](#exchange-tables) are the CSV files agencies send and receive. Their
  Frictionless Table Schemas, for checking files with any Frictionless tool, are in
  `beyondraid/standard/schemas/`.
- [Vocabularies](#vocabularies) are the closed lists of codes. Every coded field holds one code
  of its vocabulary; each code has a label, a definition and the source it is cited to.
- The [statute catalogue](#statute-catalogue) lists the statutes charges are recorded under.

Every record also has an internal number the database gives it; it is never exchanged or
published.
"""


@dataclass(frozen=True)
class GeneratedFile:
    path: Path
    content: str


def standard_models() -> list[type[models.Model]]:
    return list(apps.get_app_config("standard").get_models())


def documented_fields(model: type[models.Model]) -> list[models.Field]:
    """The model's fields in the model's order, without the internal id and reverse links."""
    return [field for field in model._meta.get_fields() if not field.auto_created]


def _recorded_field_names() -> list[str]:
    return [field.name for field in Recorded._meta.local_fields]


def _recorded_fields() -> list[models.Field]:
    # The abstract model's own relations are unresolved; a concrete heir's are the same fields.
    heir = next(model for model in standard_models() if issubclass(model, Recorded))
    return [heir._meta.get_field(name) for name in _recorded_field_names()]


def _vocabulary_by_choices() -> dict[tuple[str, ...], str]:
    return {vocab.codes: name for name, vocab in all_vocabularies().items()}


def field_vocabulary(field: models.Field) -> str | None:
    if getattr(field, "choices", None):
        return _vocabulary_by_choices().get(tuple(code for code, _ in field.choices))
    for table in TABLES:
        if table.model is field.model:
            for column in table.columns:
                if column.name == field.name and column.vocabulary:
                    return column.vocabulary
    return None


def _cell(text: object) -> str:
    return " ".join(str(text).split()).replace("|", "\\|")


def _table(header: list[str], rows: list[list[object]]) -> list[str]:
    lines = ["| " + " | ".join(header) + " |", "|" + "---|" * len(header)]
    lines += ["| " + " | ".join(_cell(value) for value in row) + " |" for row in rows]
    return lines


def _docstring(text: str | None) -> str:
    return inspect.cleandoc(text).replace("``", "`") if text else ""


def _entity_anchor(model: type[models.Model]) -> str:
    return f"entity-{model._meta.model_name}"


def _entity_name(model: type[models.Model]) -> str:
    return capfirst(model._meta.verbose_name)


def _entity_link(model: type[models.Model]) -> str:
    return f"[{_entity_name(model)}](#{_entity_anchor(model)})"


def _vocabulary_link(name: str) -> str:
    return f"[{name}](#vocabulary-{name})"


def _table_link(name: str) -> str:
    return f"[{name}](#table-{name})"


def _purpose(model: type[models.Model]) -> str:
    own = model.__dict__.get("__doc__") or ""
    # Django gives a model without a docstring one listing its fields; that says nothing.
    if own and not own.startswith(f"{model.__name__}("):
        return _docstring(own)
    for table in TABLES:
        if table.model is model:
            return table.description
    return ""


def _field_type(field: models.Field, vocab: str | None) -> str:
    if isinstance(field, models.ManyToManyField):
        return f"links to any number of {field.related_model._meta.verbose_name_plural}"
    if isinstance(field, models.ForeignKey):
        return f"link to one {field.related_model._meta.verbose_name}"
    if isinstance(field, models.JSONField):
        return "list of codes" if vocab else "structured data"
    if vocab:
        return "code"
    if isinstance(field, models.SlugField):
        return f"code: letters, digits, hyphens (up to {field.max_length})"
    if isinstance(field, models.CharField):
        return f"text (up to {field.max_length} characters)"
    if isinstance(field, models.TextField):
        return "text"
    if isinstance(field, models.DateTimeField):
        return "date and time"
    if isinstance(field, models.DateField):
        return "date"
    if isinstance(field, models.PositiveIntegerField):
        return "whole number, 0 or more"
    if isinstance(field, models.IntegerField):
        return "whole number"
    if isinstance(field, models.DecimalField):
        return f"decimal number ({field.decimal_places} decimals)"
    if isinstance(field, models.BooleanField):
        return "yes or no"
    return field.get_internal_type()


def _required(field: models.Field) -> str:
    if not field.editable:
        return "set by the system"
    if field.many_to_many or field.null or field.blank:
        return "no"
    if field.has_default():
        return "no" if callable(field.default) else f"no (default `{field.default}`)"
    return "yes"


def _reference(field: models.Field, vocab: str | None) -> str:
    if vocab:
        return _vocabulary_link(vocab)
    if field.is_relation and field.related_model._meta.app_label == "standard":
        return _entity_link(field.related_model)
    if field.is_relation:
        return f"{field.related_model._meta.verbose_name} account"
    return ""


def _field_table(fields: list[models.Field]) -> list[str]:
    rows = []
    for field in fields:
        vocab = field_vocabulary(field)
        rows.append(
            [
                f"`{field.name}`",
                _field_type(field, vocab),
                _required(field),
                _reference(field, vocab),
                _docstring(str(field.help_text)) if field.help_text else "",
            ]
        )
    return _table(["Field", "Type", "Required", "Vocabulary or link", "Description"], rows)


def _database_rules(model: type[models.Model]) -> list[str]:
    plural = model._meta.verbose_name_plural
    rules = [
        f"No two {plural} have the same `{field.name}`."
        for field in documented_fields(model)
        if getattr(field, "unique", False) and not field.primary_key
    ]
    rules += [
        str(constraint.get_violation_error_message()) for constraint in model._meta.constraints
    ]
    return list(dict.fromkeys(rules))


def _entry_rules(model: type[models.Model]) -> list[str]:
    """Rules of ``clean()`` that a docstring states: the method's own, or an abstract parent's."""
    rules = []
    for cls in reversed(model.__mro__):
        clean = cls.__dict__.get("clean")
        if clean is None or cls.__module__ != model.__module__:
            continue
        if clean.__doc__:
            rules.append(_docstring(clean.__doc__))
        elif cls is not model and cls._meta.abstract and cls.__doc__:
            rules.append(_docstring(cls.__doc__))
    return list(dict.fromkeys(rules))


def _entity_section(model: type[models.Model]) -> list[str]:
    opts = model._meta
    heading = _entity_name(model)
    if heading != model.__name__:
        heading += f" (`{model.__name__}`)"
    lines = [f'<a id="{_entity_anchor(model)}"></a>', "", f"### {heading}", ""]
    purpose = _purpose(model)
    if purpose:
        lines += [purpose, ""]
    exchanged = [table.name for table in TABLES if table.model is model]
    if exchanged:
        lines += [f"Exchanged in: {', '.join(_table_link(name) for name in exchanged)}.", ""]
    recorded = _recorded_field_names() if issubclass(model, Recorded) else []
    fields = [field for field in documented_fields(model) if field.name not in recorded]
    lines += _field_table(fields)
    lines.append("")
    if recorded:
        names = ", ".join(f"`{name}`" for name in recorded)
        lines += [f"Also carries the [record-keeping fields](#record-keeping-fields): {names}.", ""]
    database = _database_rules(model)
    if database:
        lines += [f"Rules the database enforces for {opts.verbose_name_plural}:", ""]
        lines += [f"- {rule}" for rule in database] + [""]
    entry = _entry_rules(model)
    if entry:
        lines += ["Also checked whenever a record is entered (forms, imports, the API):", ""]
        lines += [f"- {rule}" for rule in entry] + [""]
    return lines


def _recorded_section() -> list[str]:
    lines = [
        '<a id="record-keeping-fields"></a>',
        "",
        "### Record-keeping fields",
        "",
        _docstring(Recorded.__doc__),
        "",
    ]
    return lines + _field_table(_recorded_fields()) + [""]


_COLUMN_TYPES = {
    "string": "text",
    "date": "date (YYYY-MM-DD)",
    "integer": "whole number",
    "number": "number",
}


def _exchange_section(table: Table) -> list[str]:
    lines = [
        f'<a id="table-{table.name}"></a>',
        "",
        f"### {table.name}: {table.title}",
        "",
        table.description,
        "",
        f"File `{table_schemas.file_name(table)}`; each row is a record of "
        f"{_entity_link(table.model)}. Table Schema: "
        f"`beyondraid/standard/schemas/{table.name}.json`.",
        "",
    ]
    if table.primary_key:
        key = ", ".join(f"`{name}`" for name in table.primary_key)
        lines += [f"No two rows have the same {key}.", ""]
    rows = []
    for column in table.columns:
        kind = "codes separated by semicolons" if column.list_of_codes else None
        allowed = []
        if column.vocabulary:
            allowed.append(_vocabulary_link(column.vocabulary))
        if column.pattern:
            allowed.append(f"matches `{column.pattern}`")
        references = ""
        if column.references:
            target, target_column = column.references
            references = f"{_table_link(target)} `{target_column}`"
        rows.append(
            [
                f"`{column.name}`",
                kind or _COLUMN_TYPES.get(column.type, column.type),
                "yes" if column.required else "no",
                "; ".join(allowed),
                references,
                column.description,
            ]
        )
    lines += _table(
        ["Column", "Type", "Required", "Allowed values", "Refers to", "Description"], rows
    )
    return lines + [""]


def _fields_using(name: str) -> list[str]:
    return [
        f"`{model.__name__}.{field.name}`"
        for model in standard_models()
        for field in documented_fields(model)
        if field_vocabulary(field) == name
    ]


def _attribute_text(value: object) -> str:
    if value is True:
        return "yes"
    if value is False:
        return "no"
    if isinstance(value, list):
        return ", ".join(f"`{item}`" for item in value)
    return "" if value is None else str(value)


def _vocabulary_section(vocab: Vocabulary) -> list[str]:
    lines = [
        f'<a id="vocabulary-{vocab.name}"></a>',
        "",
        f"### {vocab.title} (`{vocab.name}`)",
        "",
        f"Version {vocab.version}.",
        "",
    ]
    if vocab.description:
        lines += [vocab.description, ""]
    used_by = _fields_using(vocab.name)
    if used_by:
        lines += [f"Used by: {', '.join(used_by)}.", ""]
    attributes = list(dict.fromkeys(key for term in vocab.terms for key in term.attributes))
    header = ["Code", "Label", "Definition", "Source", *attributes]
    rows = [
        [
            f"`{term.code}`",
            term.label,
            term.definition,
            term.source,
            *(_attribute_text(term.attributes.get(key)) for key in attributes),
        ]
        for term in vocab.terms
    ]
    return lines + _table(header, rows) + [""]


def _statute_section(path: Path) -> list[str]:
    version = tomllib.loads(path.read_text(encoding="utf-8")).get("version", "")
    categories = vocabulary("statute_category")
    levels = vocabulary("statute_level")
    lines = [
        '<a id="statute-catalogue"></a>',
        "",
        "## Statute catalogue",
        "",
        f"Version {version}. Charges name a statute by its code. The category tells what kind of "
        "offence it is, so that pimping and pandering are never counted as trafficking; "
        "a deployment adds its own state's statutes in the same form.",
        "",
    ]
    rows = [
        [
            f"`{entry['code']}`",
            entry["citation"],
            entry["title"],
            entry["jurisdiction"],
            f"{categories.label(entry['category'])} (`{entry['category']}`)",
            f"{levels.label(entry['level'])} (`{entry['level']}`)",
            entry["source"],
        ]
        for entry in read_statutes(path)
    ]
    header = ["Code", "Citation", "Title", "Jurisdiction", "Category", "Level", "Source"]
    return lines + _table(header, rows) + [""]


def render_dictionary() -> str:
    roles = "\n".join(f"- {term.label} (`{term.code}`)" for term in vocabulary("role").terms)
    lines = [
        "# The Beyond the Raid data standard",
        "",
        "<!-- Generated by `beyondraid dictionary` from the models, vocabularies, statute "
        "catalogue and exchange tables. Do not edit by hand: change the source and run the "
        "command again. -->",
        "",
        "## Introduction",
        "",
        _INTRODUCTION.format(roles=roles),
        '<a id="entities"></a>',
        "",
        "## Entities",
        "",
    ]
    models_ = standard_models()
    lines += [f"- {_entity_link(model)}" for model in models_] + [""]
    lines += _recorded_section()
    for model in models_:
        lines += _entity_section(model)
    lines += ['<a id="exchange-tables"></a>', "", "## Exchange tables", ""]
    lines += [
        "Each table is one CSV file, UTF-8, with a header row naming its columns in any order. "
        "Every column must be present; an empty cell means no value. Rows refer to one another "
        "by codes and names, never by database numbers.",
        "",
    ]
    lines += [f"- {_table_link(table.name)}: {table.title}" for table in TABLES] + [""]
    for table in TABLES:
        lines += _exchange_section(table)
    lines += ['<a id="vocabularies"></a>', "", "## Vocabularies", ""]
    vocabularies = all_vocabularies()
    lines += [f"- {_vocabulary_link(name)}: {vocabularies[name].title}" for name in vocabularies]
    lines.append("")
    for name in vocabularies:
        lines += _vocabulary_section(vocabularies[name])
    lines += _statute_section(SHIPPED_STATUTES)
    return "\n".join(lines).rstrip("\n") + "\n"


def _json(data: dict) -> str:
    return json.dumps(data, indent=2, ensure_ascii=False) + "\n"


def generated_files(
    *, docs: Path = DEFAULT_DOCS, schemas: Path = table_schemas.SCHEMA_DIR
) -> list[GeneratedFile]:
    files = [GeneratedFile(docs, render_dictionary())]
    files += [
        GeneratedFile(schemas / f"{table.name}.json", _json(table_schemas.table_schema(table)))
        for table in TABLES
    ]
    files.append(
        GeneratedFile(schemas / table_schemas.PACKAGE_FILE, _json(table_schemas.data_package()))
    )
    return files


def _current(path: Path) -> str | None:
    try:
        return path.read_text(encoding="utf-8")
    except FileNotFoundError:
        return None


def stale_files(
    *, docs: Path = DEFAULT_DOCS, schemas: Path = table_schemas.SCHEMA_DIR
) -> list[Path]:
    """Generated files that are missing or differ from what would be generated now."""
    return [
        file.path
        for file in generated_files(docs=docs, schemas=schemas)
        if _current(file.path) != file.content
    ]


def orphaned_schemas(*, schemas: Path = table_schemas.SCHEMA_DIR) -> list[Path]:
    """Schema files no exchange table produces any more (a table was renamed or removed)."""
    expected = {f"{table.name}.json" for table in TABLES} | {table_schemas.PACKAGE_FILE}
    return sorted(path for path in schemas.glob("*.json") if path.name not in expected)


def write_files(
    *, docs: Path = DEFAULT_DOCS, schemas: Path = table_schemas.SCHEMA_DIR
) -> list[Path]:
    """Write the files whose content changed; returns their paths."""
    written = []
    for file in generated_files(docs=docs, schemas=schemas):
        if _current(file.path) == file.content:
            continue
        file.path.parent.mkdir(parents=True, exist_ok=True)
        file.path.write_text(file.content, encoding="utf-8", newline="\n")
        written.append(file.path)
    return written
