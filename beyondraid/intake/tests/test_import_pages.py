"""The upload page: a steward imports files, follows the import, reads its problems, undoes it."""

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from beyondraid.accounts.models import AuditEntry
from beyondraid.accounts.testing import sign_in_verified
from beyondraid.intake.models import ImportBatch
from beyondraid.standard.models import Encounter

from .conftest import MINIMAL

pytestmark = pytest.mark.django_db


def _uploads(**replaced):
    return [
        SimpleUploadedFile(
            path.name, replaced.get(path.stem, path.read_text(encoding="utf-8")).encode()
        )
        for path in sorted(MINIMAL.glob("*.csv"))
    ]


def test_a_steward_uploads_files_and_reads_what_was_created(client, harbor_steward):
    sign_in_verified(client, harbor_steward)

    response = client.post(reverse("intake:import_list"), {"files": _uploads()}, follow=True)

    batch = ImportBatch.objects.get()
    assert response.redirect_chain[-1][0] == reverse("intake:import_detail", args=[batch.pk])
    assert batch.status == ImportBatch.Status.COMPLETED
    assert batch.channel == ImportBatch.Channel.UPLOAD_PAGE
    page = response.content.decode()
    assert "Import 1: imported" in page or f"Import {batch.pk}: imported" in page
    assert "Encounters: 2" in page
    assert Encounter.objects.filter(code="E-1111-2222").exists()
    # The uploaded content is not kept once the rows are in the standard.
    assert all(bytes(f.content) == b"" for f in batch.files.all())
    assert AuditEntry.objects.filter(action="import", actor=harbor_steward).exists()


def test_problems_are_listed_on_the_import_page_and_nothing_is_kept(client, harbor_steward):
    sign_in_verified(client, harbor_steward)
    encounters = (MINIMAL / "encounters.csv").read_text(encoding="utf-8").replace("15_17", "teen")

    response = client.post(
        reverse("intake:import_list"), {"files": _uploads(encounters=encounters)}, follow=True
    )

    page = response.content.decode()
    assert "Nothing was imported: 1 problem to fix" in page
    assert "encounters.csv row 2, column age_group: &#x27;teen&#x27; is not in" in page
    assert not Encounter.objects.filter(code__in=["E-1111-2222", "E-3333-4444"]).exists()


def test_a_steward_undoes_an_import_from_its_page(client, harbor_steward):
    sign_in_verified(client, harbor_steward)
    client.post(reverse("intake:import_list"), {"files": _uploads()})
    batch = ImportBatch.objects.get()

    unconfirmed = client.post(reverse("intake:import_undo", args=[batch.pk]), follow=True)
    assert "Tick the box to confirm" in unconfirmed.content.decode()
    assert Encounter.objects.exists()

    response = client.post(
        reverse("intake:import_undo", args=[batch.pk]), {"confirm": "on"}, follow=True
    )

    assert f"Import {batch.pk} was undone" in response.content.decode()
    assert not Encounter.objects.filter(code__in=["E-1111-2222", "E-3333-4444"]).exists()


def test_another_agencys_import_does_not_exist_for_a_steward(client, world, harbor_steward):
    sign_in_verified(client, harbor_steward)
    client.post(reverse("intake:import_list"), {"files": _uploads()})
    batch = ImportBatch.objects.get()
    client.logout()
    sign_in_verified(client, world.steward_a)

    assert client.get(reverse("intake:import_detail", args=[batch.pk])).status_code == 404
    assert (
        client.post(reverse("intake:import_undo", args=[batch.pk]), {"confirm": "on"}).status_code
        == 404
    )
    assert Encounter.objects.filter(code="E-1111-2222").exists()


def test_an_administrator_reviews_imports_but_cannot_upload(client, world, harbor_steward):
    sign_in_verified(client, harbor_steward)
    client.post(reverse("intake:import_list"), {"files": _uploads()})
    client.logout()
    sign_in_verified(client, world.administrator)

    page = client.get(reverse("intake:import_list")).content.decode()

    assert "steward.harbor" in page
    assert 'type="file"' not in page
    assert client.post(reverse("intake:import_list"), {"files": _uploads()}).status_code == 403


def test_a_running_import_shows_its_progress_and_refreshes(client, harbor_steward):
    from beyondraid.intake.progress import publisher

    batch = ImportBatch.objects.create(
        created_by=harbor_steward,
        agency=harbor_steward.organisation,
        channel=ImportBatch.Channel.UPLOAD_PAGE,
        status=ImportBatch.Status.RUNNING,
    )
    publisher(batch.pk)(250, 1000)
    sign_in_verified(client, harbor_steward)

    page = client.get(reverse("intake:import_detail", args=[batch.pk])).content.decode()

    assert "Rows written: 250 of 1000" in page
    assert 'value="25"' in page
    assert '<meta http-equiv="refresh" content="2">' in page


def test_checking_without_importing_says_what_would_be_created_and_keeps_nothing(
    client, harbor_steward
):
    sign_in_verified(client, harbor_steward)

    response = client.post(
        reverse("intake:import_list"), {"files": _uploads(), "check": ""}, follow=True
    )

    batch = ImportBatch.objects.get()
    assert batch.status == ImportBatch.Status.CHECKED
    page = response.content.decode()
    assert f"Import {batch.pk}: checked; nothing kept" in page
    assert "Would create" in page and "Encounters: 2" in page
    assert "Undo import" not in page
    assert not Encounter.objects.filter(code__in=["E-1111-2222", "E-3333-4444"]).exists()
    assert not batch.operations.exists()

    client.post(reverse("intake:import_list"), {"files": _uploads()})

    assert Encounter.objects.filter(code="E-1111-2222").exists()


def test_an_import_that_crashes_ends_saying_nothing_was_kept(client, harbor_steward, monkeypatch):
    from beyondraid.intake import importing

    def crash(*args, **kwargs):
        raise RuntimeError("disk full")

    monkeypatch.setattr(importing, "_load", crash)
    sign_in_verified(client, harbor_steward)

    # The task backend, like the worker, keeps the error to itself; the page must still end.
    client.post(reverse("intake:import_list"), {"files": _uploads()})

    batch = ImportBatch.objects.get()
    assert batch.status == ImportBatch.Status.REJECTED
    assert batch.problems == [importing.UNEXPECTED_STOP]
    assert all(bytes(f.content) == b"" for f in batch.files.all())
    page = client.get(reverse("intake:import_detail", args=[batch.pk])).content.decode()
    assert "stopped on an unexpected error" in page


def test_an_uploaded_ndjson_line_nested_too_deep_is_a_problem_of_its_line(client, harbor_steward):
    """Issue 19: the worker must not crash on a line its JSON decoder cannot follow down."""
    sign_in_verified(client, harbor_steward)
    deep = b"[" * 1000 + b"]" * 1000
    upload = SimpleUploadedFile(
        "cases.ndjson", b'{"table": "agencies", "name": "X", "kind": "other"}\n' + deep + b"\n"
    )

    response = client.post(reverse("intake:import_list"), {"files": [upload]}, follow=True)

    batch = ImportBatch.objects.get()
    assert batch.status == ImportBatch.Status.REJECTED
    assert batch.problems == [
        "cases.ndjson row 2: nests lists and objects more than 30 levels deep; a record of the "
        "standard needs three at most."
    ]
    assert "Nothing was imported: 1 problem to fix" in response.content.decode()
