"""How records of the standard reach the database, one at a time or many at once.

Validation is split by cost. The field checks and each model's ``clean()`` rules run in Python
before the INSERT (``check_before_insert``). The check and unique constraints are enforced by the
database on the INSERT itself; only when the database refuses a record does Django's complete
validation run, to turn the refusal into the ``ValidationError``, with the rule's own message,
that checking first would have raised. Checking every constraint first costs one query per
constraint per record, which made a large import crawl (docs/benchmarks.md).

``insert_all`` writes many records of one model with one COPY (PostgreSQL) or one multi-row
INSERT per chunk (``write_many``). When the database refuses a chunk, the chunk is written again
record by record, so that each refused record is named with the rule it breaks.
"""

from collections.abc import Callable, Sequence

from django.core.exceptions import ValidationError
from django.db import IntegrityError, connections, models, router, transaction
from django.dispatch import Signal

CHUNK = 1000

# A bulk INSERT sends no post_save, so records written by ``insert_all`` are announced here
# (sender: the model; instances: the records), for the audit log to list each of them.
records_created = Signal()


def check_before_insert(instance: models.Model) -> None:
    """Raise ``ValidationError`` for a broken field check or ``clean()`` rule."""
    # A related record given as an object exists already; validating the link would only query
    # for it again.
    related = [
        field.name
        for field in instance._meta.concrete_fields
        if field.is_relation and getattr(instance, field.name, None) is not None
    ]
    instance.full_clean(exclude=related, validate_unique=False, validate_constraints=False)


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
        chunk = entries[start : start + CHUNK]
        model = type(chunk[0][0])
        try:
            with transaction.atomic():
                write_many(model, [instance for instance, _ in chunk])
            inserted += [instance for instance, _ in chunk]
            continue
        except IntegrityError:
            pass
        for instance, refused in chunk:
            instance.pk = None
            try:
                with transaction.atomic():
                    model.objects.bulk_create([instance])
                inserted.append(instance)
            except IntegrityError as error:
                instance.pk = None
                refused(explain_refusal(instance, error))
    if inserted:
        records_created.send(sender=type(inserted[0]), instances=inserted)
    return inserted


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
    fields = model._meta.concrete_fields
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
            for instance in instances:
                copy.write_row(
                    [
                        field.get_db_prep_save(field.pre_save(instance, True), connection)
                        for field in fields
                    ]
                )
    for instance in instances:
        instance._state.adding = False
        instance._state.db = connection.alias
