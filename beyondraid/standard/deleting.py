"""Deleting records as sets: one statement per table, whatever the number of records.

``QuerySet.delete()`` hands the rows to Django's collector, which loads every record and every
record that depends on it into memory and deletes them with a signal per record: an import batch
of a million records would be a million model instances and a million audit entries. Here the
same rules are applied to sets instead, planned from the models' relations
(``_meta.get_fields(include_hidden=True)``, the hidden ones being the many-to-many link tables):

- a relation that CASCADEs deletes the referring rows too, and what refers to those in turn;
- one that is SET_NULL empties the column of the referring rows that are not deleted themselves;
- one that PROTECTs (or RESTRICTs) refuses the whole delete (``StillReferred``) when a row that is
  not deleted itself refers to a row that is, naming the kind of record and how many;
- one that does nothing leaves it to the database: the models that say so are the database views
  computed from these tables.

The plan runs as one ``DELETE FROM child WHERE fk IN (SELECT … FROM parent WHERE …)`` per table,
children first, and one ``UPDATE`` per emptied column; no record is loaded and no signal is sent.
The caller records what was deleted, from the counts returned (``Deleted``).

The rows given to delete are first copied, by primary key, to temporary tables: the queryset that
names them (an import batch's records, through the batch's link rows) may depend on rows the
delete itself removes, and would otherwise name fewer rows by the time their turn came.
"""

import operator
from collections import Counter, defaultdict
from collections.abc import Iterator
from dataclasses import dataclass, field
from functools import reduce
from typing import Any, cast

from django.db import connections, models, router, transaction
from django.db.models import Q
from django.db.models.expressions import RawSQL
from django.db.models.fields.related import ForeignObjectRel

Model = type[models.Model]


@dataclass(frozen=True)
class Referrer:
    """Records, not deleted themselves, that refer to records to delete through the link named
    ``link`` and protect them."""

    model: Model
    link: str
    count: int
    referred: Model

    def __str__(self) -> str:
        meta = self.model._meta
        name = meta.verbose_name if self.count == 1 else meta.verbose_name_plural
        verb = "refers" if self.count == 1 else "refer"
        said = f"{self.count:,} {name} {verb} to {self.referred._meta.verbose_name_plural}"
        # The link is named when its name says more than the kind of record it points at.
        if self.link == self.referred._meta.verbose_name:
            return said
        return f"{said} as {self.link}"


class StillReferred(ValueError):
    """Nothing was deleted: other records still refer to some of the records to delete."""

    def __init__(self, referrers: list[Referrer]):
        self.referrers = referrers
        super().__init__(", ".join(str(referrer) for referrer in referrers))


@dataclass
class Deleted:
    """Rows deleted per model, and rows whose column was emptied per (model, field name)."""

    deleted: Counter = field(default_factory=Counter)
    emptied: Counter = field(default_factory=Counter)

    def __iadd__(self, other: "Deleted") -> "Deleted":
        self.deleted.update(other.deleted)
        self.emptied.update(other.emptied)
        return self


@dataclass
class _Plan:
    """What deleting rows of ``roots`` reaches: every model whose rows would go, parents first,
    with the cascading relations that reach it, and the relations that protect or are emptied."""

    order: list[Model]
    cascades: dict[Model, list["_Link"]]
    protecting: list["_Link"]
    emptying: list["_Link"]


@dataclass(frozen=True)
class _Link:
    """A foreign key of ``referring`` to ``referred``: its ``column`` holds values of the
    ``target`` column of ``referred``."""

    referring: Model
    referred: Model
    name: str
    verbose_name: str
    column: str
    target: str
    on_delete: Any


def _relations_to(model: Model) -> Iterator[_Link]:
    """The foreign keys of stored tables that point at ``model``, link tables included."""
    for relation in model._meta.get_fields(include_hidden=True):
        if not isinstance(relation, ForeignObjectRel) or not (
            relation.one_to_one or relation.one_to_many
        ):
            continue
        referring = cast(Model, relation.related_model)
        if referring._meta.managed:
            yield _Link(
                referring=referring,
                referred=model,
                name=relation.field.name,
                verbose_name=str(relation.field.verbose_name),
                column=relation.field.attname,
                target=relation.field.target_field.attname,
                on_delete=relation.on_delete,
            )


def _plan(roots: list[Model]) -> _Plan:
    cascades: dict[Model, list[_Link]] = defaultdict(list)
    protecting: list[_Link] = []
    emptying: list[_Link] = []
    reached, queue = set(roots), list(roots)
    while queue:
        model = queue.pop()
        if model._meta.parents:
            # Deleting a child's rows would leave its parent's rows behind.
            raise TypeError(f"{model._meta.label} inherits from a table; delete it with .delete().")
        for relation in _relations_to(model):
            referring = relation.referring
            if relation.on_delete is models.CASCADE:
                cascades[referring].append(relation)
                if referring not in reached:
                    reached.add(referring)
                    queue.append(referring)
            elif relation.on_delete in (models.PROTECT, models.RESTRICT):
                protecting.append(relation)
            elif relation.on_delete is models.SET_NULL:
                emptying.append(relation)
            elif relation.on_delete is not models.DO_NOTHING:
                raise TypeError(
                    f"{referring._meta.label}.{relation.name}: on_delete "
                    f"{relation.on_delete.__name__} has no set-based equivalent here."
                )
    return _Plan(_parents_first(reached, cascades), cascades, protecting, emptying)


def _parents_first(reached: set[Model], cascades: dict[Model, list[_Link]]) -> list[Model]:
    """The models in an order where each comes after every model it cascades from; a table that
    cascades from itself, or a cycle, cannot be deleted one statement per table."""
    waiting = {model: {relation.referred for relation in cascades[model]} for model in reached}
    order: list[Model] = []
    while waiting:
        ready = sorted(
            (model for model, parents in waiting.items() if not parents),
            key=lambda model: model._meta.label,
        )
        if not ready:
            cycle = ", ".join(sorted(model._meta.label for model in waiting))
            raise TypeError(f"Cascades go round in a cycle through {cycle}; use .delete().")
        for model in ready:
            order.append(model)
            del waiting[model]
        for parents in waiting.values():
            parents.difference_update(ready)
    return order


def _rows(plan: _Plan, roots: dict[Model, Any], using: str) -> dict[Model, models.QuerySet]:
    """Each model's rows to delete, as a queryset that names only its parents' rows (and, for
    a model given, the primary keys ``roots`` names: a subquery)."""
    rows: dict[Model, models.QuerySet] = {}
    for model in plan.order:
        conditions = [Q(pk__in=roots[model])] if model in roots else []
        for relation in plan.cascades.get(model, []):
            parents = rows[relation.referred].values(relation.target)
            conditions.append(Q(**{f"{relation.column}__in": parents}))
        rows[model] = model._base_manager.db_manager(using).filter(reduce(operator.or_, conditions))
    return rows


def _referring(relation: _Link, rows: dict[Model, models.QuerySet]) -> models.QuerySet:
    """Rows that refer, through ``relation``, to rows to delete and are not deleted themselves."""
    referred = rows[relation.referred]
    referring = relation.referring._base_manager.db_manager(referred.db).filter(
        **{f"{relation.column}__in": referred.values(relation.target)}
    )
    if relation.referring in rows:
        referring = referring.exclude(pk__in=rows[relation.referring].values("pk"))
    return referring


def delete_with_dependents(*querysets: models.QuerySet) -> Deleted:
    """Delete the rows of ``querysets`` (one per model) and everything that depends on them, as
    their relations' ``on_delete`` say, in one transaction; raise ``StillReferred``, having
    deleted nothing, when a protecting relation forbids it."""
    using = router.db_for_write(querysets[0].model)
    connection = connections[using]
    plan = _plan([queryset.model for queryset in querysets])
    with transaction.atomic(using=using), connection.cursor() as cursor:
        set_aside = {}
        for queryset in querysets:
            table = connection.ops.quote_name(f"deleting_{queryset.model._meta.db_table}")
            set_aside[queryset.model] = table
            pk_type = queryset.model._meta.pk.rel_db_type(connection)
            cursor.execute(f"CREATE TEMPORARY TABLE {table} (pk {pk_type} PRIMARY KEY)")
            select, params = (
                queryset.using(using).order_by().values("pk").distinct().query.sql_with_params()
            )
            cursor.execute(f"INSERT INTO {table} (pk) {select}", params)
            if connection.vendor == "postgresql":
                # Autovacuum never analyses a temporary table: without statistics the planner
                # would guess its size, and may join a million rows as if they were a few.
                cursor.execute(f"ANALYZE {table}")
        # The names are the models' own tables', quoted; no value is written into the SQL.
        roots = {
            model: RawSQL(f"SELECT pk FROM {table}", ())  # noqa: S608, S611
            for model, table in set_aside.items()
        }
        rows = _rows(plan, roots, using)
        referrers = [
            Referrer(relation.referring, relation.verbose_name, count, relation.referred)
            for relation in plan.protecting
            if (count := _referring(relation, rows).count())
        ]
        if referrers:
            raise StillReferred(referrers)
        done = Deleted()
        for relation in plan.emptying:
            emptied = _referring(relation, rows).update(**{relation.column: None})
            if emptied:
                done.emptied[relation.referring, relation.name] += emptied
        for model in reversed(plan.order):
            deleted = rows[model]._raw_delete(using)
            if deleted:
                done.deleted[model] += deleted
        for table in set_aside.values():
            cursor.execute(f"DROP TABLE {table}")
    return done


def not_referred_to(queryset: models.QuerySet) -> models.QuerySet:
    """The rows of ``queryset`` that ``delete_with_dependents`` may delete: those that no record
    refers to through a protecting relation, other than the records they would take with them."""
    using = queryset.db
    plan = _plan([queryset.model])
    rows = _rows(plan, {queryset.model: queryset.order_by().values("pk")}, using)
    free = queryset
    for relation in plan.protecting:
        referred = _referring(relation, rows).values(relation.column)
        for column, keys in _up_to_the_root(
            plan, relation.referred, relation.target, referred, queryset.model
        ):
            free = free.exclude(**{f"{column}__in": keys})
    return free


def _up_to_the_root(
    plan: _Plan, model: Model, column: str, keys: models.QuerySet, root: Model
) -> Iterator[tuple[str, models.QuerySet]]:
    """The rows of ``root`` whose cascade reaches the rows of ``model`` whose ``column`` is in
    ``keys``, as (column of ``root``, keys) pairs: one per way down from the root."""
    if model is root:
        yield column, keys
        return
    for relation in plan.cascades[model]:
        reached = model._base_manager.db_manager(keys.db).filter(**{f"{column}__in": keys})
        yield from _up_to_the_root(
            plan, relation.referred, relation.target, reached.values(relation.column), root
        )
