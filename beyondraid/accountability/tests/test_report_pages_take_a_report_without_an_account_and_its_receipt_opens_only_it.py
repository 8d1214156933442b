"""Anyone may report at /report/ without an account; the receipt is shown once, opens that report
and no other, and the reporter reads and answers the investigators there (issue 8)."""

import pytest
from django.test import Client

from beyondraid.accountability import services
from beyondraid.accountability.models import Report

from .reporting import ACCOUNT, open_channel, send_report

pytestmark = pytest.mark.django_db


def test_a_report_is_received_and_the_receipt_is_shown_once(world):
    open_channel(world)
    response, receipt = send_report()
    assert response.status_code == 200
    assert len(receipt.split()) == 7
    report = Report.objects.get()
    assert (report.state, report.language) == ("received", "en")
    # The receipt is nowhere in what the server stored.
    assert receipt.encode() not in bytes(report.lookup) + bytes(report.sealed)
    # Shown once: the receipt page is never cached, and no URL carries the receipt.
    assert "no-store" in response["Cache-Control"]
    assert receipt.replace(" ", "+") not in response.content.decode().split('id="receipt"')[0]


def test_a_number_receipt_is_sixteen_digits(world):
    open_channel(world)
    _, receipt = send_report(kind="number")
    assert receipt.replace(" ", "").isdigit() and len(receipt.replace(" ", "")) == 16


def test_the_receipt_opens_its_own_report_and_the_reporter_answers(world):
    open_channel(world)
    _, mine = send_report()
    _, theirs = send_report(account="Another person's report about something else entirely.")
    services.acknowledge(user=world.investigator, report=Report.objects.order_by("pk").first())

    page = Client().post("/report/follow-up/", {"receipt": mine})
    text = page.content.decode()
    assert page.status_code == 200
    assert "Acknowledged" in text
    assert "Your report has been received by the oversight body" in text

    answered = Client().post(
        "/report/follow-up/", {"receipt": mine.upper(), "reply": "It was badge 4471, I am sure."}
    )
    assert answered.status_code == 200
    assert "It was badge 4471, I am sure." in answered.content.decode()
    assert "Your message was sent." in answered.content.decode()

    other = Client().post("/report/follow-up/", {"receipt": theirs}).content.decode()
    assert "It was badge 4471" not in other
    assert "Your report has been received" not in other  # theirs is not acknowledged yet


def test_a_wrong_or_malformed_receipt_gets_a_plain_answer_and_reveals_nothing(world):
    open_channel(world)
    send_report()
    wrong = Client().post("/report/follow-up/", {"receipt": "1234 5678 9012 3456"})
    assert wrong.status_code == 400
    assert "No report matches this receipt" in wrong.content.decode()
    malformed = Client().post("/report/follow-up/", {"receipt": "12345"})
    assert malformed.status_code == 400
    assert "16 digits; this one has 5" in malformed.content.decode()
    assert ACCOUNT not in wrong.content.decode() + malformed.content.decode()


def test_an_empty_or_oversized_report_is_refused_and_what_was_typed_is_kept(world):
    open_channel(world)
    empty = Client().post("/report/", {"receipt_kind": "passphrase"})
    assert empty.status_code == 400
    assert "choose at least one item from the list or describe it" in empty.content.decode()

    too_long = "x" * 20_001
    oversized = Client().post(
        "/report/",
        {"account": too_long, "where": "Harbor Road", "receipt_kind": "passphrase"},
    )
    assert oversized.status_code == 400
    assert "Harbor Road" in oversized.content.decode()
    assert Report.objects.count() == 0


def test_a_closed_report_takes_no_more_messages_and_keeps_the_typed_text(world):
    open_channel(world)
    _, receipt = send_report()
    Report.objects.update(
        state="closed",
        finding="unfounded",
        adjudicated_on="2026-01-02",
        action="none",
        action_on="2026-01-03",
        closed_on="2026-01-04",
        keep_until="2029-01-04",
    )
    page = Client().post("/report/follow-up/", {"receipt": receipt, "reply": "One more thing."})
    assert page.status_code == 400
    assert "This report is closed" in page.content.decode()
    assert "One more thing." in page.content.decode()


def test_without_an_oversight_key_nothing_is_stored_and_the_reporter_is_told(world):
    response, receipt = send_report()
    assert response.status_code == 400
    assert receipt is None
    assert "The reporting channel is not open yet" in response.content.decode()
    assert ACCOUNT in response.content.decode()
    assert Report.objects.count() == 0
