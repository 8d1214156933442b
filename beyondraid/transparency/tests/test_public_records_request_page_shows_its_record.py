"""One public request's page: agency, law, subject, the categories asked for and received, the
dated timeline with the law's reasons and the agency's words, the deadline, and the released
documents by name, size and SHA-256, each downloadable; and nothing about a person."""

import datetime
import hashlib
import html
import io
import re

import pytest
from django.core.files.base import ContentFile
from django.core.management import call_command
from django.urls import reverse

from beyondraid.records import services
from beyondraid.records.models import RecordsRequest

pytestmark = pytest.mark.django_db

ENCOUNTER_CODE = re.compile(r"\bE-[0-9A-Z]{4}-[0-9A-Z]{4}\b")
SENT = datetime.date(2024, 3, 4)  # a Monday
ROSTER = b"unit,officers\nvice,12\n"


def plain(markup: str) -> str:
    return " ".join(html.unescape(re.sub(r"<[^>]+>", " ", markup)).split())


def page_of(client, request: RecordsRequest) -> str:
    response = client.get(reverse("public:records_request", args=[request.code]))
    assert response.status_code == 200
    return response.content.decode()


@pytest.fixture
def released_in_time(world, settings, tmp_path):
    """A CPRA request to agency A with known dates: an extension claimed in time, then a partial
    release of one document covering one category; made public."""
    settings.DATA_DIR = tmp_path
    user = world.analyst
    request = services.create_request(
        user=user,
        requester=world.oversight,
        agency=world.agency_a,
        law="cpra",
        subject="Operation Reclaim and Rebuild staffing records",
        records_period="2019 to 2023",
        tracking_number="R-2024-0117",
    )
    services.record_step(user=user, request=request, kind="submitted", on=SENT)
    services.record_step(
        user=user,
        request=request,
        kind="extension_claimed",
        on=SENT + datetime.timedelta(days=7),
        reasons=["voluminous"],
    )
    services.record_step(
        user=user, request=request, kind="partially_released", on=SENT + datetime.timedelta(20)
    )
    services.store_released_documents(
        user=user, request=request, files=[ContentFile(ROSTER, name="staffing roster.csv")]
    )
    services.record_categories_received(
        user=user,
        request=request,
        received=request.categories.filter(code="execution_planning_staffing"),
    )
    return services.set_public(user=user, request=request, is_public=True)


def test_the_page_shows_the_request_its_steps_and_its_deadline(client, released_in_time):
    text = plain(page_of(client, released_in_time))

    assert f"Request {released_in_time.code} to Agency A Police Department" in text
    assert "Operation Reclaim and Rebuild staffing records" in text
    assert "Sent by Civilian Oversight Commission" in text
    assert "California Public Records Act" in text
    assert "Agency's tracking number R-2024-0117" in text
    assert "Submitted, 4 March 2024" in text
    assert "Extension claimed, 11 March 2024 Reasons cited: " in text
    assert "Partially released, 24 March 2024" in text
    assert "Records of execution, planning and staffing Yes" in text
    assert "Victim demographics No" in text
    # Due 14 March, extended by 14 days in time: met on 24 March, on time thanks to it.
    assert "Met on time (extended)." in text
    assert "on time thanks to the extension" in text
    assert "day assumed" not in text


def test_each_released_document_is_listed_with_size_and_checksum_and_downloads(
    client, released_in_time
):
    sha256 = hashlib.sha256(ROSTER).hexdigest()
    page = page_of(client, released_in_time)

    assert "staffing roster.csv" in page
    assert f"{len(ROSTER)} bytes" in plain(page)
    assert sha256 in page
    url = reverse("public:records_file", args=[released_in_time.code, sha256])
    assert url in page
    response = client.get(url)
    assert response.status_code == 200
    assert response["Content-Disposition"].startswith("attachment;")
    assert b"".join(response.streaming_content) == ROSTER


def test_a_document_whose_file_is_gone_is_not_found_not_an_error(client, released_in_time):
    document = released_in_time.released_documents.get()
    document.file.delete(save=False)

    url = reverse("public:records_file", args=[released_in_time.code, document.sha256])
    assert client.get(url).status_code == 404


def test_a_study_denial_shows_the_law_s_reasons_the_agency_s_words_and_assumed_days(client, world):
    call_command("records", "demo", stdout=io.StringIO())
    denied = RecordsRequest.objects.filter(status="denied").order_by("agency__name").first()
    denial = denied.events.get(kind="denied")
    law = denied.governing_law

    text = plain(page_of(client, denied))

    assert "Denied, 1 October 2021 (day assumed)" in text
    for code in denial.reasons:
        assert law.denial_reason(code).wording in text
    assert " ".join(denial.agency_words.split()) in text
    assert "whether the agency answered in time cannot be told" in text
    assert "No document released with this request is stored here." in text


def test_no_page_shows_anything_about_a_person_or_who_typed_it(client, world, released_in_time):
    call_command("records", "demo", stdout=io.StringIO())
    pages = [client.get(reverse("public:records_scorecard")).content.decode()]
    pages += [page_of(client, request) for request in RecordsRequest.objects.all()]

    for page in pages:
        assert not ENCOUNTER_CODE.search(page)
        for encounter in (world.encounter_a, world.referred_encounter, world.encounter_b):
            assert encounter.code not in page
        # Who recorded a step is staff bookkeeping, not part of the public record.
        assert not re.search(r"\banalyst\b", plain(page))
