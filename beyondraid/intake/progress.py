"""An import's progress, passed from the worker to the pages through the shared cache.

The import itself runs in one database transaction, which nobody else can see into until it
commits, so the rows written so far travel outside the database.
"""

import datetime

from django.core.cache import cache
from django.utils import timezone

from .models import ImportBatch

_KEY = "intake:progress:{batch}"
# When the worker last published, for telling a silent worker from a busy one where the database
# cannot (``interruptions.settle_if_abandoned`` on SQLite).
_WORD_KEY = "intake:word:{batch}"
_KEEP_SECONDS = 24 * 60 * 60
# Publishing on every row would cost more than the row; a step of the bar is enough.
_STEPS = 200


def publisher(batch_id: int):
    """A progress callback that publishes about every half per cent."""
    last = {"step": -1}

    def publish(done: int, total: int) -> None:
        step = done * _STEPS // total if total else 0
        if step != last["step"] or done == total:
            last["step"] = step
            cache.set_many(
                {
                    _KEY.format(batch=batch_id): (done, total),
                    _WORD_KEY.format(batch=batch_id): timezone.now(),
                },
                _KEEP_SECONDS,
            )

    return publish


def last_word(batch_id: int) -> datetime.datetime | None:
    """When the worker running the batch last published its progress, if it has."""
    return cache.get(_WORD_KEY.format(batch=batch_id))


def progress_of(batch: ImportBatch) -> tuple[int, int]:
    """Rows written and rows to write: the worker's latest word while it runs, else the batch's."""
    if batch.is_finished:
        return batch.rows_done, batch.rows_total
    return cache.get(_KEY.format(batch=batch.pk), (0, 0))
