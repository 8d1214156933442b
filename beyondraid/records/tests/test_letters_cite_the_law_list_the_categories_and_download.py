"""The request, follow-up and appeal letters are drafted from the project's templates: each
cites the governing law and lists the categories asked for; the follow-up gives the due date
that passed, the appeal the denial's reasons and why they should not apply. The edited text
downloads as text and as PDF, and is stored only when attached to a step."""

import datetime

import pytest
from django.urls import reverse

from beyondraid.core.pdf import PdfUnavailable, html_to_pdf
from beyondraid.records import letters, services
from beyondraid.records.models import Correspondence

from .builders import sent, step
from .pages import client_of

SENT = datetime.date(2025, 3, 3)


@pytest.fixture(autouse=True)
def records_dir(settings, tmp_path):
    settings.DATA_DIR = tmp_path


def _letter(client, request, kind):
    return client.get(reverse("records:letter", args=[request.code, kind]))


def test_the_three_letters_cite_the_law_and_list_the_categories(world):
    request = sent(world, SENT, tracking_number="CPRA-25-0042")
    client = client_of(world.analyst)
    for kind in ("request", "follow-up", "appeal"):
        text = _letter(client, request, kind).context["form"].initial["text"]
        assert "California Public Records Act (Cal. Gov. Code § 7920.000 et seq." in text, kind
        for category in (
            "Trainings and guidelines",
            "Funding and expenditures",
            "Records of execution, planning and staffing",
            "Victim demographics",
            "Arrests, charges and convictions",
        ):
            assert category in text, (kind, category)
        assert "Your reference: CPRA-25-0042" in text
        assert request.code in text


def test_the_follow_up_says_the_due_date_passed(world):
    request = sent(world, SENT)
    text = letters.draft(request, "follow-up", datetime.date(2025, 4, 1)).text
    # Ten calendar days after 3 March 2025 is Thursday 13 March.
    assert "The law required a determination by 13 March 2025" in text
    assert "That date passed 19 days ago" in text


def test_the_appeal_gives_the_denials_reasons_and_why_they_should_not_apply(world):
    request = sent(world, SENT)
    step(
        world,
        request,
        "denied",
        datetime.date(2025, 3, 12),
        reasons=["6254f", "too-broad"],
        agency_words="Exempt; and too broad.",
    )
    text = letters.draft(request, "appeal", datetime.date(2025, 4, 1)).text
    assert (
        'On 12 March 2025 the agency denied the request, writing: "Exempt; and too broad."' in text
    )
    assert "Records of investigations, intelligence and security of law enforcement agencies " in (
        text
    )
    assert "(Cal. Gov. Code § 6254(f) (now § 7923.600))" in text
    assert "Table E2" not in text
    assert "Exemptions are read narrowly" in text
    assert "we will narrow it together" in text
    assert "Cal. Gov. Code § 7922.525(b)" in text


def test_the_edited_letter_downloads_as_text_and_pdf(world):
    request = sent(world, SENT)
    url = reverse("records:letter", args=[request.code, "request"])
    client = client_of(world.analyst)
    edited = "Dear officer,\nPlease send the records.\n"
    as_text = client.post(url, {"text": edited, "action": "text"})
    assert as_text["Content-Type"] == "text/plain; charset=utf-8"
    assert as_text["Content-Disposition"] == f'attachment; filename="{request.code}-request.txt"'
    assert as_text.content.decode() == edited

    try:
        html_to_pdf("<p>probe</p>")
    except PdfUnavailable:
        pytest.skip("WeasyPrint's libraries are missing on this machine")
    as_pdf = client.post(url, {"text": edited, "action": "pdf"})
    assert as_pdf["Content-Type"] == "application/pdf"
    assert as_pdf["Content-Disposition"] == f'attachment; filename="{request.code}-request.pdf"'
    assert as_pdf.content.startswith(b"%PDF")
    assert not Correspondence.objects.exists()


def test_the_letter_is_stored_only_when_attached_to_a_step(world):
    request = sent(world, SENT)
    client = client_of(world.analyst)
    page = _letter(client, request, "request")
    submitted = request.events.get(kind="submitted")
    assert page.context["form"].initial["event"] == str(submitted.pk)
    response = client.post(
        reverse("records:letter", args=[request.code, "request"]),
        {"text": "The letter as sent.", "action": "attach", "event": submitted.pk},
        follow=True,
    )
    assert "The request letter is attached to “Submitted on 2025-03-03”." in (
        response.content.decode()
    )
    (stored,) = submitted.correspondence.all()
    assert stored.name == f"{request.code}-request.txt"
    assert stored.file.read() == b"The letter as sent."


def test_an_empty_letter_is_refused(world):
    request = sent(world, SENT)
    response = client_of(world.analyst).post(
        reverse("records:letter", args=[request.code, "appeal"]), {"text": "", "action": "text"}
    )
    assert response.status_code == 400
    assert response.context["form"].errors["text"] == [
        "The letter is empty: write it, or reload the draft."
    ]


def test_an_unknown_letter_is_not_found(world):
    request = services.create_request(
        user=world.analyst,
        requester=world.oversight,
        agency=world.agency_a,
        law="foia",
        subject="Records",
    )
    response = client_of(world.analyst).get(
        reverse("records:letter", args=[request.code, "thanks"])
    )
    assert response.status_code == 404
