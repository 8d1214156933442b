"""Writing the audit log.

Writes to the standard's records are captured when they reach the database, whichever path they
took (a form, the admin, an import, the shell), so none can be forgotten; the person acting is
known from the request (``AuditActorMiddleware``) or named by a command (``acting_as``). Reads of
person-level pages are recorded from the marks views leave on the request
(``PersonLevelReadsMiddleware``, ``beyondraid.standard.person_level``). An entry names a record
about a person by its kind alone (``person_records``), never by what would identify the person.

Each create is one entry, except inside ``counting_creates``: an import counts what it creates, one
entry per model with the number, and keeps each record traceable to its batch by its own tables.
"""

import contextvars
import datetime
from collections import Counter
from collections.abc import Iterator
from contextlib import contextmanager

from django.apps import apps
from django.db import models, transaction
from django.db.models.signals import post_delete, post_save, pre_save
from django.utils import timezone
from django.utils.cache import patch_cache_control

from beyondraid.standard.person_level import records_shown
from beyondraid.standard.recording import correction_reason
from beyondraid.standard.writing import records_created, write_many

from . import person_records
from .models import AuditEntry

_actor: contextvars.ContextVar = contextvars.ContextVar("audit_actor", default=None)
_label: contextvars.ContextVar = contextvars.ContextVar("audit_label", default="system")
# Inside ``counting_creates``: how many records were created, by model, actor, actor's label and
# correction reason, the things an entry says besides the count.
_counted_creates: contextvars.ContextVar[Counter | None] = contextvars.ContextVar(
    "audit_counted_creates", default=None
)

# Bookkeeping columns that change on every save and say nothing about the record.
_IGNORED_FIELDS = {"updated_at", "created_at", "last_login"}


@contextmanager
def acting_as(user=None, *, label: str | None = None) -> Iterator[None]:
    """Attribute everything logged inside the block to ``user`` (or to ``label`` when no one is
    signed in, e.g. ``"command: load_exchange"``)."""
    actor = user if user is not None and user.is_authenticated else None
    actor_token = _actor.set(actor)
    label_token = _label.set(label or (actor.get_username() if actor else "system"))
    try:
        yield
    finally:
        _actor.reset(actor_token)
        _label.reset(label_token)


@contextmanager
def counting_creates(label: str) -> Iterator[None]:
    """Log the records created inside the block as one entry per model that says how many
    ("import 12: 5,000 created"), rather than one entry per record; changes and deletions are
    still logged one by one. ``label`` names what created them, for an entry to point at it.

    For loads of thousands of records whose every record stays traceable to the load by other
    means (an import batch, docs/principles.md). The block is atomic: its records and the entries
    counting them are kept together or not at all, so no record is kept uncounted and no entry
    counts a record that was not kept. Blocks nest, each counting what was created inside it
    and not in an inner block; a count belongs to the context (thread, task) that opened it."""
    counts: Counter = Counter()
    with transaction.atomic():
        token = _counted_creates.set(counts)
        try:
            yield
        finally:
            _counted_creates.reset(token)
        write_many(
            AuditEntry,
            [
                AuditEntry(
                    at=_audit_time(model),
                    actor=actor,
                    actor_label=actor_label,
                    action=AuditEntry.Action.CREATE,
                    object_type=model._meta.label_lower,
                    object_label=_with_reason(f"{label[:150]}: {count:,} created", reason),
                )
                for (model, actor, actor_label, reason), count in counts.items()
            ],
        )


def _counted(model: type[models.Model], number: int, reason: str) -> bool:
    """Count ``number`` records of ``model`` just created, inside ``counting_creates``; say
    whether they were counted (False outside the block: they are to be logged one by one)."""
    counts = _counted_creates.get()
    if counts is None:
        return False
    actor = _actor.get()
    counts[(model, actor, actor.get_username() if actor else _label.get(), reason)] += number
    return True


def _with_reason(object_label: str, reason: str) -> str:
    if not reason:
        return object_label
    # A reason of the standard's closed list: it says nothing about a person.
    return f"{object_label}; corrected: {reason}"[:200]


def _object_label(instance: models.Model) -> str:
    # The log is read by administrators, who may not read person-level records: such a record is
    # named by its kind only, never by the person's code or by what str() says of the person
    # ("Victim arrested — E-…"). The entry's type and id still point at it.
    model = instance._meta.model  # not type(): request.user is a lazy object
    if person_records.is_person_level(model):
        return person_records.kind_label(model)
    code = getattr(instance, "code", "")
    return str(code or instance)[:200]


def _audit_time(model: type[models.Model] | None) -> datetime.datetime:
    """When an entry about a record of ``model`` happened: now, or the start of today for a model
    that sets ``audit_day_precision = True`` (the anonymous reports of abuse: the moment a report
    was made, lined up with a network log, would identify who made it)."""
    if getattr(model, "audit_day_precision", False):
        return timezone.make_aware(datetime.datetime.combine(timezone.localdate(), datetime.time()))
    return timezone.now()


def record(
    action: str,
    *,
    instance: models.Model | None = None,
    object_type: str = "",
    object_id: str = "",
    object_label: str = "",
    changed_fields=(),
    user=None,
    reason: str = "",
) -> AuditEntry:
    actor = user if user is not None and user.is_authenticated else _actor.get()
    if instance is not None:
        object_type = instance._meta.label_lower
        object_id = str(instance.pk)
        object_label = object_label or _object_label(instance)
    object_label = _with_reason(object_label, reason)
    return AuditEntry.objects.create(
        at=_audit_time(instance._meta.model if instance is not None else None),
        actor=actor,
        actor_label=actor.get_username() if actor else _label.get(),
        action=action,
        object_type=object_type,
        object_id=object_id,
        object_label=object_label,
        changed_fields=sorted(changed_fields),
    )


def record_view(user, instance: models.Model) -> AuditEntry:
    return record(AuditEntry.Action.VIEW, instance=instance, user=user)


def record_views(instances, *, user=None) -> None:
    """One "viewed" entry per record, written in bulk, for ``user`` or else the actor of the
    moment: how a page or the API logs each person-level record it showed."""
    actor = user if user is not None and user.is_authenticated else _actor.get()
    label = actor.get_username() if actor else _label.get()
    write_many(
        AuditEntry,
        [
            AuditEntry(
                at=_audit_time(instance._meta.model),
                actor=actor,
                actor_label=label,
                action=AuditEntry.Action.VIEW,
                object_type=instance._meta.label_lower,
                object_id=str(instance.pk),
                object_label=_object_label(instance),
            )
            for instance in instances
        ],
    )


def record_export(user, *, what: str, count: int) -> AuditEntry:
    return record(
        AuditEntry.Action.EXPORT,
        object_type=what,
        object_label=f"{count} rows",
        user=user,
    )


def _changed_fields(instance: models.Model) -> list[str]:
    before = getattr(instance, "_audit_before", None)
    if before is None:
        return []
    return [
        name
        for name, value in before.items()
        if getattr(instance, name, None) != value and name not in _IGNORED_FIELDS
    ]


def _remember_before(sender, instance, raw=False, **kwargs):
    if raw or instance.pk is None:
        return
    names = [f.attname for f in sender._meta.concrete_fields]
    instance._audit_before = sender.objects.filter(pk=instance.pk).values(*names).first()


def _on_save(sender, instance, created, raw=False, **kwargs):
    if raw:
        return
    if created:
        # A record added by a correction (an agency found to have taken part) says why, too.
        reason = correction_reason()
        if not _counted(instance._meta.model, 1, reason):
            record(AuditEntry.Action.CREATE, instance=instance, reason=reason)
        return
    changed = _changed_fields(instance)
    if changed:
        record(
            AuditEntry.Action.UPDATE,
            instance=instance,
            changed_fields=changed,
            reason=correction_reason(),
        )


def _on_delete(sender, instance, **kwargs):
    record(AuditEntry.Action.DELETE, instance=instance, reason=correction_reason())


def _on_bulk_create(sender, instances, **kwargs):
    """One entry per record inserted in bulk, written in bulk too; or, inside
    ``counting_creates``, the records counted."""
    if _counted(sender, len(instances), correction_reason()):
        return
    actor = _actor.get()
    label = actor.get_username() if actor else _label.get()
    object_type = sender._meta.label_lower
    write_many(
        AuditEntry,
        [
            AuditEntry(
                at=_audit_time(sender),
                actor=actor,
                actor_label=label,
                action=AuditEntry.Action.CREATE,
                object_type=object_type,
                object_id=str(instance.pk),
                object_label=_object_label(instance),
            )
            for instance in instances
        ],
    )


def connect_write_capture() -> None:
    """Log every create, change and delete of the standard's records and of user accounts."""
    capture_writes(
        [*apps.get_app_config("standard").get_models(), apps.get_model("accounts", "User")]
    )
    records_created.connect(_on_bulk_create, dispatch_uid="audit-bulk-create")


def capture_writes(audited) -> None:
    """Log every create, change and delete of these models; apps to the right of accounts call
    this for their own accountability records."""
    for model in audited:
        uid = f"audit-{model._meta.label_lower}"
        pre_save.connect(_remember_before, sender=model, dispatch_uid=f"{uid}-before")
        post_save.connect(_on_save, sender=model, dispatch_uid=f"{uid}-save")
        post_delete.connect(_on_delete, sender=model, dispatch_uid=f"{uid}-delete")


class AuditActorMiddleware:
    """Attribute the writes of a request to the user who made it."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        with acting_as(getattr(request, "user", None)):
            return self.get_response(request)


class PersonLevelReadsMiddleware:
    """Log every person-level record a page showed, and keep such pages out of every cache."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        response = self.get_response(request)
        shown = records_shown(request)
        if shown:
            patch_cache_control(response, no_store=True, no_cache=True, private=True)
            if 200 <= response.status_code < 300:
                # In bulk: an operation page lists every person of the operation.
                record_views(shown, user=request.user)
        return response
