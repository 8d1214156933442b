"""Imports queued from the upload page run here, in a task worker, so that a large file neither
holds a web request open nor loses its progress when the page is reloaded."""

from django_tasks import task

from .importing import run_queued_batch
from .models import ImportBatch
from .progress import publisher


@task()
def run_import(batch_id: int) -> str:
    batch = ImportBatch.objects.get(pk=batch_id)
    run_queued_batch(batch, progress=publisher(batch.pk))
    batch.refresh_from_db()
    return batch.status
