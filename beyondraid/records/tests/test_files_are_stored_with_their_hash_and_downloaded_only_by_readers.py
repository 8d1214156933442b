"""Letters and released documents sent through the request's page are stored with their SHA-256
and size, listed with them, and downloaded as attachments with their content type, only by
those who may read the request; the same document is not stored twice, and the categories the
documents cover are marked received."""

import datetime
import hashlib

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from beyondraid.records import services
from beyondraid.records.models import ReleasedDocument

from .pages import client_of, sent_with_letter

PDF = b"%PDF-1.4 funding agreement"


@pytest.fixture(autouse=True)
def records_dir(settings, tmp_path):
    settings.DATA_DIR = tmp_path


def _released(world):
    request = sent_with_letter(world)
    services.record_step(
        user=world.analyst, request=request, kind="released", on=datetime.date(2025, 3, 10)
    )
    request.refresh_from_db()
    return request


def test_released_documents_are_stored_hashed_listed_and_downloadable(world):
    request = _released(world)
    client = client_of(world.analyst)
    response = client.post(
        reverse("records:release", args=[request.code]),
        {"release-files": [SimpleUploadedFile("funding.pdf", PDF)]},
        follow=True,
    )
    assert "stored with their SHA-256" in response.content.decode()
    document = ReleasedDocument.objects.get()
    digest = hashlib.sha256(PDF).hexdigest()
    assert (document.name, document.sha256, document.size) == ("funding.pdf", digest, len(PDF))
    assert digest in response.content.decode()

    url = reverse("records:file", args=[request.code, "released", document.pk])
    download = client.get(url)
    assert download["Content-Type"] == "application/pdf"
    assert download["Content-Disposition"] == 'attachment; filename="funding.pdf"'
    assert b"".join(download.streaming_content) == PDF

    again = client.post(
        reverse("records:release", args=[request.code]),
        {"release-files": [SimpleUploadedFile("copy.pdf", PDF)]},
    )
    assert again.status_code == 400
    assert "copy.pdf is already stored with request" in again.content.decode()


def test_files_are_downloaded_only_by_those_who_read_the_request(world):
    request = sent_with_letter(world)
    letter = request.events.get().correspondence.get()
    url = reverse("records:file", args=[request.code, "correspondence", letter.pk])
    assert client_of(world.administrator).get(url).status_code == 200
    assert client_of(world.steward_a).get(url).status_code == 403
    other = services.create_request(
        user=world.analyst,
        requester=world.agency_b,
        agency=world.agency_a,
        law="foia",
        subject="Another organisation's request",
        sent_on=datetime.date(2025, 3, 3),
    )
    investigator = client_of(world.investigator)
    assert investigator.get(url).status_code == 200
    # A file is reached only through its own request.
    wrong = reverse("records:file", args=[other.code, "correspondence", letter.pk])
    assert client_of(world.analyst).get(wrong).status_code == 404
    assert investigator.get(wrong).status_code == 404


def test_letters_are_attached_to_a_step_and_categories_marked_received(world):
    request = _released(world)
    client = client_of(world.analyst)
    release = request.events.get(kind="released")
    client.post(
        reverse("records:attach", args=[request.code]),
        {"attach-event": release.pk, "attach-files": [SimpleUploadedFile("answer.txt", b"Yes")]},
    )
    (answer,) = release.correspondence.all()
    assert answer.sha256 == hashlib.sha256(b"Yes").hexdigest()
    download = client.get(reverse("records:file", args=[request.code, "correspondence", answer.pk]))
    assert download["Content-Type"] == "text/plain"

    funding = request.categories.get(code="funding_expenditures")
    client.post(
        reverse("records:categories", args=[request.code]), {"categories-received": [funding.pk]}
    )
    assert list(request.categories.filter(received=True)) == [funding]


def test_documents_cannot_be_stored_before_a_release(world):
    request = sent_with_letter(world)
    response = client_of(world.analyst).post(
        reverse("records:release", args=[request.code]),
        {"release-files": [SimpleUploadedFile("early.pdf", PDF)]},
    )
    # The form is offered only after a release; a post made anyway is refused in plain words.
    assert response.status_code == 400
    assert "has no release yet: record the release first" in response.content.decode()
