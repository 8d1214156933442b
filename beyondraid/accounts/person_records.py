"""Which records are about a person, and the encounter each one is about.

A record is person-level when it is an encounter or points at one through its foreign keys: role
assessments, treatment events, charges, service offers, cooperation and follow-up records,
non-punishment alerts, and the care app's referrals, relief requests, court dates and the rest.
The models are walked rather than listed, so that a model added later is covered without anyone
remembering to add it. Only those who may read the encounter (``standard.access``) may read them.
"""

from collections import deque
from functools import cache

from django.apps import apps
from django.db import models
from django.utils.text import capfirst

ENCOUNTER = "standard.encounter"


@cache
def path_to_encounter(model: type[models.Model]) -> str | None:
    """The lookup from ``model`` to the encounter its records are about ("" for the encounter
    itself), or None when its records are about no person."""
    start = model._meta.concrete_model or model
    queue: deque[tuple[type[models.Model], str]] = deque([(start, "")])
    seen = {start}
    while queue:
        current, path = queue.popleft()
        if current._meta.label_lower == ENCOUNTER:
            return path
        for field in current._meta.concrete_fields:
            target = field.related_model
            if not isinstance(target, type) or target in seen:
                continue
            seen.add(target)
            queue.append((target, f"{path}__{field.name}" if path else field.name))
    return None


def is_person_level(model: type[models.Model]) -> bool:
    return path_to_encounter(model) is not None


def person_level_models() -> list[type[models.Model]]:
    """The person-level models whose records are stored; a database view computed from them
    (unmanaged) is never written, so nothing is logged about its rows."""
    return [model for model in apps.get_models() if model._meta.managed and is_person_level(model)]


def kind_label(model: type[models.Model]) -> str:
    """What the audit log calls a person-level record: its kind only, e.g. "Treatment event".
    A code or a description would copy into the log what the record says about the person."""
    return capfirst(str(model._meta.verbose_name))
