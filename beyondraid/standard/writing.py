"""How records of the standard reach the database, one at a time or many at once.

Validation is split by cost. The field checks and each model's ``clean()`` rules run in Python
before the INSERT (``check_before_insert``). The check and unique constraints are enforced by the
database on the INSERT itself; only when the database refuses a record does Django's complete
validation run, to turn the refusal into the ``ValidationError``, with the rule's own message,
that checking first would have raised. Checking every constraint first costs one query per
constraint per record, which made a large import crawl (docs/benchmarks.md).

``insert_all`` writes many records of one model with one COPY (PostgreSQL) or one multi-row
INSERT per chunk (``write_many``). When the database refuses a chunk, its halves are written again,
and theirs, down to single records, so that each refused record is named with the rule it breaks.
"""

import datetime
import operator
from collections.abc import Callable, Sequence
from functools import cache

from django.core.exceptions import ValidationError
from django.core.validators import MaxLengthValidator
from django.db import IntegrityError, connections, models, router, transaction
from django.dispatch import Signal

# Records written with one COPY or INSERT; a refused chunk is halved until the refused records
# are found (``_insert_or_halve``), so that a large chunk costs little when one record is refused.
CHUNK = 10_000

# A bulk INSERT sends no post_save, so records written by ``insert_all`` are announced here
# (sender: the model; instances: the records), for the audit log to list each of them.
records_created = Signal()


def check_before_insert(instance: models.Model) -> None:
    """Raise ``ValidationError`` for a broken field check or ``clean()`` rule.

    Django's check of a field is left out where it could only pass: a related record given as an
    object exists already (validating the link would only query for it again), and a value that
    ``_passes_as_is`` its field's check. In a large import, checking every code and date again
    through Django took a sixth of the time; every other field check and every rule still runs.
    """
    model = type(instance)
    passing = [
        field.name for field in _relations(model) if getattr(instance, field.name, None) is not None
    ]
    passing += [
        field.name
        for field, passes in _shortcuts(model)
        if passes(getattr(instance, field.attname))
    ]
    instance.full_clean(exclude=passing, validate_unique=False, validate_constraints=False)


@cache
def _relations(model: type[models.Model]) -> tuple[models.Field, ...]:
    return tuple(field for field in model._meta.concrete_fields if field.is_relation)


@cache
def _shortcuts(model: type[models.Model]) -> tuple[tuple[models.Field, Callable], ...]:
    """The fields of ``model`` with a test that is true only of values their ``clean()`` accepts
    and returns unchanged."""
    found = []
    for field in model._meta.concrete_fields:
        passes = _passes_as_is(field)
        if passes is not None:
            found.append((field, passes))
    return tuple(found)


def _passes_as_is(field: models.Field) -> Callable[[object], bool] | None:
    """A cheap test that is true only of values ``field.clean()`` accepts and returns unchanged:
    a code among a text field's choices, a non-empty text within its length, a date of a date
    field. None for any other field, or one with validators of its own: Django checks those.

    It follows what ``clean()`` does for these exact field classes: ``to_python`` returns a
    ``str`` or a ``date`` as it is, ``validate`` accepts a non-empty value among the choices (or
    any, without choices), and the only validator is the maximum length."""
    if type(field) in (models.CharField, models.TextField):
        limit = field.max_length
        if not all(
            isinstance(validator, MaxLengthValidator) and validator.limit_value == limit
            for validator in field.validators
        ):
            return None
        if field.choices is not None:
            codes = frozenset(
                key
                for key, _ in field.flatchoices
                if isinstance(key, str) and key and (limit is None or len(key) <= limit)
            )
            return lambda value: type(value) is str and value in codes
        return lambda value: (
            type(value) is str and value != "" and (limit is None or len(value) <= limit)
        )
    if type(field) is models.DateField and field.choices is None and not field.validators:
        return lambda value: type(value) is datetime.date
    return None


def explain_refusal(instance: models.Model, error: IntegrityError) -> ValidationError:
    """The rules a record the database refused breaks, as Django's validation words them."""
    try:
        instance.full_clean()
    except ValidationError as validation:
        return validation
    first_line = str(error).strip().splitlines()[0] if str(error).strip() else "no reason given"
    return ValidationError(f"The database refused this record ({first_line}).")


def save_one(instance: models.Model) -> models.Model:
    check_before_insert(instance)
    try:
        with transaction.atomic():
            instance.save()
    except IntegrityError as error:
        raise explain_refusal(instance, error) from None
    return instance


def insert_all(
    entries: Sequence[tuple[models.Model, Callable[[ValidationError], None]]],
) -> list[models.Model]:
    """Insert records of one model that passed ``check_before_insert``; each comes with what to
    do with the ``ValidationError`` if the database refuses it. Returns the records inserted."""
    inserted: list[models.Model] = []
    for start in range(0, len(entries), CHUNK):
        inserted += _insert_or_halve(entries[start : start + CHUNK])
    if inserted:
        records_created.send(sender=type(inserted[0]), instances=inserted)
    return inserted


def _insert_or_halve(
    entries: Sequence[tuple[models.Model, Callable[[ValidationError], None]]],
) -> list[models.Model]:
    """Insert ``entries`` at once; when the database refuses them, insert each half the same way,
    down to the refused records themselves, each explained. A few refused records among many
    cost a few attempts each, rather than one attempt per record of their chunk."""
    instances = [instance for instance, _ in entries]
    try:
        with transaction.atomic():
            write_many(type(instances[0]), instances)
        return instances
    except IntegrityError as error:
        # Keys taken for a refused COPY are left unused; the record is not in the database.
        for instance in instances:
            instance.pk = None
        if len(entries) == 1:
            instance, refused = entries[0]
            refused(explain_refusal(instance, error))
            return []
    middle = len(entries) // 2
    return _insert_or_halve(entries[:middle]) + _insert_or_halve(entries[middle:])


def write_many(model: type[models.Model], instances: list[models.Model]) -> None:
    """Insert new records of one model at once: COPY on PostgreSQL, a multi-row INSERT elsewhere.

    Django's bulk INSERT compiles one statement with a placeholder per value; with the audit
    entries, that came to nearly half the time of a large import. COPY streams the rows instead.
    The records take their primary keys from the table's sequence first, so that their children
    can point at them; a refused COPY raises Django's ``IntegrityError`` like an INSERT.
    """
    connection = connections[router.db_for_write(model)]
    if connection.vendor != "postgresql" or not instances:
        model.objects.bulk_create(instances)
        return
    read_as_is, prepared = _copy_columns(model)
    fields = [*read_as_is, *prepared]
    table = model._meta.db_table
    with connection.cursor() as cursor, connection.wrap_database_errors:
        cursor.execute(
            "SELECT nextval(pg_get_serial_sequence(%s, %s)) FROM generate_series(1, %s)",
            [table, model._meta.pk.column, len(instances)],
        )
        for instance, (pk,) in zip(instances, cursor.fetchall(), strict=True):
            instance.pk = pk
        columns = ", ".join(connection.ops.quote_name(field.column) for field in fields)
        with cursor.copy(f"COPY {connection.ops.quote_name(table)} ({columns}) FROM STDIN") as copy:
            # The primary key is always among them, so that the getter gives a tuple.
            values_as_is = operator.attrgetter(
                model._meta.pk.attname, *(field.attname for field in read_as_is)
            )
            for instance in instances:
                copy.write_row(
                    [
                        *values_as_is(instance)[1:],
                        *(
                            field.get_db_prep_save(field.pre_save(instance, True), connection)
                            for field in prepared
                        ),
                    ]
                )
    for instance in instances:
        instance._state.adding = False
        instance._state.db = connection.alias


# Field classes whose value, once checked, COPY writes as Django would prepare it for PostgreSQL:
# Django passes texts and dates on unchanged and integers wrapped in psycopg's integer types,
# which COPY writes as the same digits.
_WRITTEN_AS_IS = (
    models.CharField,
    models.TextField,
    models.DateField,
    models.IntegerField,
    models.PositiveIntegerField,
    models.BigIntegerField,
    models.AutoField,
    models.BigAutoField,
    models.BooleanField,
)


@cache
def _copy_columns(model: type[models.Model]) -> tuple[list[models.Field], list[models.Field]]:
    """The columns of ``model`` whose value COPY takes from the record as it is, and those that
    need Django's preparation (a JSON value, a timestamp set on saving): preparing every value
    through Django took most of the time of writing a large import."""
    read_as_is, prepared = [], []
    for field in model._meta.concrete_fields:
        target = field.target_field if field.is_relation else field
        as_is = (
            type(target) in _WRITTEN_AS_IS
            and _saves_its_attribute(field)
            and (not field.is_relation or type(field) is models.ForeignKey)
        )
        (read_as_is if as_is else prepared).append(field)
    return read_as_is, prepared


def _saves_its_attribute(field: models.Field) -> bool:
    """Whether saving writes the record's attribute as it is: not a date set on saving."""
    if isinstance(field, models.DateField):
        return not (field.auto_now or field.auto_now_add)
    return type(field).pre_save is models.Field.pre_save
