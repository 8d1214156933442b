"""Alerts follow a person's records as they are written, wherever they are written.

A steward who records an interview, an arrest or an offer on the standard's pages should see that
person's alerts change at once, not the next morning: after every save of a record about an
encounter, once the transaction commits, that person's alerts are recomputed. Bulk loads (imports,
the synthetic data) insert without signals, and records are only deleted with their import batch;
the nightly refresh picks both up. (A delete receiver would also cost every batch undo Django's
fast delete.)
"""

from functools import partial

from django.apps import apps
from django.db import transaction
from django.db.models.signals import post_save

from beyondraid.standard.models import Encounter, EncounterRecord, NonPunishmentAlert

from .alerts import refresh_alerts


def records_about_people() -> list[type]:
    """Every kind of record the standard keeps about one encounter, and its non-punishment
    alerts: whatever the alerts are computed from."""
    standard = apps.get_app_config("standard").get_models()
    return [m for m in standard if issubclass(m, EncounterRecord)] + [NonPunishmentAlert]


def _refresh_after_commit(sender, instance, **kwargs) -> None:
    transaction.on_commit(partial(_refresh, instance.encounter_id))


def _refresh(encounter_id: int) -> None:
    refresh_alerts(encounters=Encounter.objects.filter(pk=encounter_id))


def connect() -> None:
    for model in records_about_people():
        uid = f"care-alerts-{model._meta.label_lower}"
        post_save.connect(_refresh_after_commit, sender=model, dispatch_uid=uid)
