"""How a page says that it shows person-level records.

A view calls ``mark_shown(request, record, ...)`` for each person-level record it renders. The
accounts app reads the mark after the response is built: it writes one audit entry per record and
forbids every cache from keeping the page (``Cache-Control: no-store``). Views of the standard
never import the audit log, so the standard stays independent of the accounts app.
"""

from django.db import models

ATTRIBUTE = "person_level_records"


def mark_shown(request, *records: models.Model) -> None:
    shown = getattr(request, ATTRIBUTE, None)
    if shown is None:
        shown = []
        setattr(request, ATTRIBUTE, shown)
    shown.extend(records)


def records_shown(request) -> list[models.Model]:
    return list(getattr(request, ATTRIBUTE, ()))
