"""The security promises of the reporting channel (issue 8, "Security tests"): the database holds
no report text, wrong receipts are counted without keeping addresses, receipts never travel in
URLs, and every reporting page refuses forged posts, is never cached and loads nothing from
elsewhere."""

import re

import pytest
from django.db import connection
from django.test import Client, override_settings

from beyondraid.accountability import services
from beyondraid.accountability.models import DailyCount, Report

from .reporting import ACCOUNT, open_channel, send_report

pytestmark = pytest.mark.django_db

REPLY = "The second officer had a tattoo of an anchor on his wrist."
QUESTION = "Which night exactly, and was anyone else there?"


def _every_stored_value() -> bytes:
    """Every value of every row of every table, as bytes."""
    dump = bytearray()
    with connection.cursor() as cursor:
        for table in connection.introspection.table_names():
            cursor.execute(f'SELECT * FROM "{table}"')  # noqa: S608 - table names from the schema
            for row in cursor.fetchall():
                for value in row:
                    if isinstance(value, memoryview | bytes):
                        dump += bytes(value)
                    elif value is not None:
                        dump += str(value).encode()
    return bytes(dump)


def test_no_table_holds_a_word_of_the_report_the_messages_or_the_receipt(world):
    open_channel(world)
    _, receipt = send_report()
    report = Report.objects.get()
    services.acknowledge(user=world.investigator, report=report)
    services.send_message(user=world.investigator, report=report, text=QUESTION)
    Client().post("/report/follow-up/", {"receipt": receipt, "reply": REPLY})

    stored = _every_stored_value()
    for secret in (ACCOUNT, REPLY, QUESTION, "Harbor Road", "K9-4471", receipt):
        assert secret.encode() not in stored, secret
    # The acknowledgement is the system's own text, but sealed all the same.
    assert b"received by the oversight body" not in stored


@override_settings(REPORT_RECEIPT_ATTEMPTS_PER_DAY=3)
def test_wrong_receipts_are_counted_and_the_counts_keep_no_address(world):
    open_channel(world)
    guesser = Client(REMOTE_ADDR="203.0.113.77")
    answers = [
        guesser.post("/report/follow-up/", {"receipt": f"1234 5678 9012 345{n}"}).status_code
        for n in range(4)
    ]
    assert answers == [400, 400, 400, 429]
    refused = guesser.post("/report/follow-up/", {"receipt": "1234 5678 9012 3459"})
    assert "counted as guessing" in refused.content.decode()
    # Another connection is not held back by this one.
    assert (
        Client(REMOTE_ADDR="198.51.100.5")
        .post("/report/follow-up/", {"receipt": "1234 5678 9012 3450"})
        .status_code
        == 400
    )

    names = " ".join(DailyCount.objects.values_list("name", flat=True))
    assert names, "the counts are kept"
    assert "203.0.113" not in names and "198.51.100" not in names


def test_the_receipt_is_never_in_a_url(world):
    open_channel(world)
    response, receipt = send_report()
    assert not response.has_header("Location")
    page = response.content.decode()
    urls = re.findall(r'(?:href|action|src)="([^"]*)"', page)
    assert all(receipt not in url and receipt.split()[0] not in url for url in urls)
    # A receipt put in the address is ignored: the page asks for it in the form.
    by_url = Client().get("/report/follow-up/", {"receipt": receipt})
    assert "Your report" in by_url.content.decode()
    assert "Messages" not in by_url.content.decode()


@pytest.mark.parametrize("path", ["/report/", "/report/follow-up/"])
def test_every_reporting_page_refuses_forged_posts_is_not_cached_and_loads_nothing_from_elsewhere(
    path,
):
    assert Client(enforce_csrf_checks=True).post(path, {}).status_code == 403
    page = Client().get(path)
    assert "no-store" in page["Cache-Control"]
    assert page["Referrer-Policy"] == "same-origin"
    policy = page["Content-Security-Policy"]
    assert "default-src 'self'" in policy and "script-src 'self'" in policy
    resources = re.findall(r'(?:src|href)="([^"]*)"', page.content.decode())
    assert all(url.startswith(("/", "#")) for url in resources), resources
    assert page.cookies.get("sessionid") is None, "reporting pages start no session"
