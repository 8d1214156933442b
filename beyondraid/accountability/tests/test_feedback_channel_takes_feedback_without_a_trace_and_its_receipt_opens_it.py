"""Anyone who was encountered in an operation or received services can say how they were treated
at /report/feedback/ (issue 22, item 4), with the promises of the reporting channel: sealed to the
oversight key, no cookie, no address stored or logged, nothing finer than the day, forged posts
refused, the same daily limits (which never lock out the right receipt), a receipt shown once,
and the receipt opens the feedback's thread on the follow-up page."""

import datetime
import logging
import re
from typing import Any

import pytest
from django.apps import apps
from django.db import connection, models
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from beyondraid.accountability import protection, selectors, services, traceless
from beyondraid.accountability.models import Channel, DailyCount, Report
from beyondraid.accounts.models import AuditEntry
from beyondraid.accounts.testing import sign_in_verified

from .reporting import KEY_PASSPHRASE, open_channel, send_report

pytestmark = pytest.mark.django_db

SITE = "http://testserver"
ADDRESS = "203.0.113.61"
COMMENT = "The shelter locked the door at night and staff mocked my accent."
ORGANISATION = "The Harbor Road shelter"
FEEDBACK: dict[str, Any] = {
    "rights_explained": "no",
    "free_to_leave": "no",
    "without_judgement": "not_said",
    "organisation": ORGANISATION,
    "month": "3",
    "year": "2026",
    "comment": COMMENT,
    "receipt_kind": "passphrase",
}


def _receipt(response) -> str | None:
    found = re.search(r'id="receipt"[^>]*>([^<]+)<', response.content.decode())
    return found.group(1) if found else None


def send_feedback(client: Client | None = None, **data: Any):
    """POST the feedback form; return (response, receipt)."""
    response = (client or Client()).post("/report/feedback/", {**FEEDBACK, **data})
    return response, _receipt(response)


def _hidden(response, name: str) -> str:
    found = re.search(rf'name="{name}" value="([^"]+)"', response.content.decode())
    assert found, f"the form has no {name}"
    return found.group(1)


def _every_stored_value() -> bytes:
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


def _times_written_since(moment: datetime.datetime) -> list[str]:
    found = []
    for model in apps.get_models(include_auto_created=True):
        for field in model._meta.concrete_fields:
            if isinstance(field, models.DateTimeField) and model._base_manager.filter(
                **{f"{field.attname}__gte": moment}
            ):
                found.append(f"{model._meta.db_table}.{field.column}")
    return found


def test_a_feedback_is_sealed_with_its_answers_and_its_receipt_is_shown_once(world):
    open_channel(world)
    response, receipt = send_feedback()
    assert response.status_code == 200
    page = response.content.decode()
    assert "Your feedback was sent" in page
    assert "no-store" in response["Cache-Control"]
    assert len(receipt.split()) == 7

    feedback = Report.objects.get()
    assert (feedback.channel, feedback.state, feedback.language) == (
        Channel.FEEDBACK,
        "received",
        "en",
    )
    assert feedback.received_on == timezone.localdate()
    # Nothing readable is stored: not the words, not the organisation, not the receipt.
    stored = _every_stored_value()
    for secret in (COMMENT, ORGANISATION, receipt):
        assert secret.encode() not in stored, secret

    key = services.unlock_key(user=world.investigator, passphrase=KEY_PASSPHRASE)
    opened = selectors.opened_report(user=world.investigator, private_key=key, report=feedback)
    assert opened.account == COMMENT
    assert opened.organisation == ORGANISATION
    assert opened.when == "2026-03", "the month, never the day"
    assert opened.answers == (
        ("Were their rights explained to them in their language?", "No"),
        ("Did they feel free to leave?", "No"),
        ("Were they treated without judgement?", "Not said"),
        ("Was the help what they needed?", "Not answered"),
    )


def test_a_feedback_that_says_nothing_is_refused_with_a_plain_message(world):
    open_channel(world)
    for data in (
        {"comment": "", "rights_explained": "", "free_to_leave": "", "without_judgement": ""},
        {"comment": "", "rights_explained": "not_said", "free_to_leave": "not_said"},
    ):
        response, receipt = send_feedback(None, **data)
        assert response.status_code == 400
        assert receipt is None
        assert "answer at least one question with Yes or No, or write a comment" in (
            response.content.decode()
        )
    assert not Report.objects.exists()
    # One answer is enough; so is a comment alone.
    assert send_feedback(comment="", help_needed="yes", month="", year="")[0].status_code == 200
    only_words = {"rights_explained": "", "free_to_leave": "", "without_judgement": ""}
    assert send_feedback(None, **only_words)[0].status_code == 200
    assert Report.objects.filter(channel=Channel.FEEDBACK).count() == 2


@pytest.mark.parametrize(
    ("month", "year", "message"),
    [
        ("4", "", "choose the year as well as the month"),
        ("13", "2026", "Select a valid choice"),
        ("", "1900", "Select a valid choice"),
    ],
)
def test_when_is_a_month_and_a_year_at_most_and_a_wrong_one_is_named(world, month, year, message):
    open_channel(world)
    response, _ = send_feedback(month=month, year=year)
    assert response.status_code == 400
    assert message in response.content.decode()
    assert COMMENT in response.content.decode(), "what was typed is still there"
    assert not Report.objects.exists()


def test_the_service_refuses_a_month_to_come_and_keeps_a_year_alone(world):
    open_channel(world)
    today = datetime.date(2026, 6, 15)
    with pytest.raises(services.ReportRefused, match="that month has not come yet"):
        services.submit_feedback(help_needed="no", month=7, year=2026, today=today)
    with pytest.raises(services.ReportRefused, match="choose a year from the list"):
        services.submit_feedback(help_needed="no", year=2027, today=today)
    with pytest.raises(services.ReportRefused, match="one of its choices"):
        services.submit_feedback(help_needed="maybe", today=today)
    kept = services.submit_feedback(help_needed="no", year=2025, today=today).report
    key = services.unlock_key(user=world.investigator, passphrase=KEY_PASSPHRASE)
    assert services.read_report(user=world.investigator, private_key=key, report=kept) == {
        "answers": {
            "rights_explained": "",
            "free_to_leave": "",
            "without_judgement": "",
            "help_needed": "no",
        },
        "organisation": "",
        "when": "2025",
        "account": "",
    }


def test_without_an_oversight_key_nothing_is_stored_and_the_person_is_told(world):
    response, receipt = send_feedback()
    assert response.status_code == 400
    assert receipt is None
    assert "The reporting channel is not open yet" in response.content.decode()
    assert COMMENT in response.content.decode()
    assert not Report.objects.exists()


def test_no_cookie_is_set_and_forged_posts_are_refused(world):
    open_channel(world)
    browser = Client(enforce_csrf_checks=True)
    form = browser.get("/report/feedback/")
    assert "Tell us how you were treated" in form.content.decode()
    data = {**FEEDBACK, "form_token": _hidden(form, "form_token"), "lang": "en"}

    from_elsewhere = browser.post(
        "/report/feedback/", data, headers={"Origin": "https://another-site.example"}
    )
    assert from_elsewhere.status_code == 403
    assert "This was not sent from a page of this site" in from_elsewhere.content.decode()
    assert COMMENT not in from_elsewhere.content.decode()

    # The report form's token does not open the feedback form.
    borrowed = {**data, "form_token": protection.FormToken("report").issue()}
    refused = browser.post("/report/feedback/", borrowed, headers={"Origin": SITE})
    assert refused.status_code == 403
    assert "could not be checked as coming from this page" in refused.content.decode()
    assert COMMENT in refused.content.decode(), "what was typed is still there"
    assert not Report.objects.exists()

    sent = browser.post(
        "/report/feedback/",
        {**data, "form_token": _hidden(refused, "form_token")},
        headers={"Origin": SITE},
    )
    assert sent.status_code == 200
    receipt = _receipt(sent)
    opened = browser.post(
        "/report/follow-up/",
        {"receipt": receipt, "form_token": protection.FormToken("follow-up").issue()},
        headers={"Origin": SITE},
    )
    assert opened.status_code == 200
    for response in (form, from_elsewhere, refused, sent, opened):
        assert not response.cookies
        assert not response.has_header("Set-Cookie")
    assert not browser.cookies


def test_no_address_and_no_time_finer_than_the_day_is_kept_or_logged(world, caplog):
    open_channel(world)
    started = timezone.now()
    person = Client(REMOTE_ADDR=ADDRESS)
    with caplog.at_level(logging.DEBUG):
        response, receipt = send_feedback(person)
        assert response.status_code == 200
        refused, _ = send_feedback(person, comment="", free_to_leave="", rights_explained="")
        assert refused.status_code == 400
        person.post("/report/follow-up/", {"receipt": receipt, "reply": "One more thing."})
        person.post("/report/follow-up/", {"receipt": "1234 5678 9012 3456"})

    assert ADDRESS not in caplog.text
    assert ADDRESS.encode() not in _every_stored_value()
    assert _times_written_since(started) == []
    entries = AuditEntry.objects.filter(
        object_type__in=["accountability.report", "accountability.message"]
    )
    start_of_today = timezone.make_aware(
        datetime.datetime.combine(timezone.localdate(), datetime.time())
    )
    assert {entry.at for entry in entries} == {start_of_today}
    assert {(entry.actor, entry.actor_label) for entry in entries} == {(None, "anonymous reporter")}
    assert set(DailyCount.objects.values_list("day", flat=True)) == {timezone.localdate()}
    # The page is a reporting page: Django logs none of its refusals, gunicorn none of its lines.
    assert reverse("report:feedback").startswith(traceless.reporting_pages())


def test_the_daily_limit_is_shared_with_reports_and_never_locks_out_the_right_receipt(
    world, settings
):
    settings.REPORT_SUBMISSIONS_PER_DAY = 2
    settings.REPORT_RECEIPT_ATTEMPTS_PER_DAY = 2
    open_channel(world)
    shelter = Client(REMOTE_ADDR=ADDRESS)
    _, receipt = send_feedback(shelter)
    assert send_report(shelter)[0].status_code == 200
    over, _ = send_feedback(shelter)
    assert over.status_code == 429
    assert "Please try again tomorrow" in over.content.decode()
    assert COMMENT in over.content.decode()
    assert Report.objects.count() == 2
    # Another connection is not held back.
    assert send_feedback(Client(REMOTE_ADDR="198.51.100.5"))[0].status_code == 200

    wrong = [
        shelter.post("/report/follow-up/", {"receipt": f"1111 2222 3333 {n:04d}"}).status_code
        for n in range(4)
    ]
    assert wrong == [400, 400, 429, 429]
    assert shelter.post("/report/follow-up/", {"receipt": receipt}).status_code == 200


def test_the_receipt_opens_the_feedback_thread_and_no_other(world):
    open_channel(world)
    _, mine = send_feedback()
    _, a_report = send_report()
    feedback = Report.objects.get(channel=Channel.FEEDBACK)
    services.acknowledge(user=world.investigator, report=feedback)
    services.send_message(
        user=world.investigator, report=feedback, text="Which month did you leave the shelter?"
    )

    page = Client().post("/report/follow-up/", {"receipt": mine}).content.decode()
    assert "<title>Your feedback — Beyond the Raid</title>" in page
    assert "<h1>Your feedback</h1>" in page
    assert "Which month did you leave the shelter?" in page
    answered = Client().post("/report/follow-up/", {"receipt": mine, "reply": "In April."})
    assert "Your message was sent." in answered.content.decode()
    assert "In April." in answered.content.decode()

    other = Client().post("/report/follow-up/", {"receipt": a_report}).content.decode()
    assert "<h1>Your report</h1>" in other
    assert "In April." not in other and "Which month" not in other


def test_the_investigators_see_the_channel_and_read_the_feedback_on_its_page(world, client):
    open_channel(world)
    send_feedback()
    feedback = Report.objects.get()
    sign_in_verified(client, world.investigator)
    listed = client.get(reverse("oversight:reports")).content.decode()
    (row,) = [row for row in listed.split("<tr>") if feedback.reference in row]
    assert re.search(r">\s*Feedback\s*<", row), "the list says which channel it came through"

    client.post(reverse("oversight:unlock"), {"passphrase": KEY_PASSPHRASE})
    page = client.get(reverse("oversight:report", args=[feedback.reference])).content.decode()
    assert COMMENT in page
    assert ORGANISATION in page
    assert (
        '<tr><th scope="row">Were their rights explained to them in their language?</th>'
        "<td>No</td></tr>"
    ) in page
    assert "Officers named" not in page


def test_the_footer_of_every_public_page_links_to_the_feedback_page():
    page = Client().get("/report/").content.decode()
    assert f'href="{reverse("report:feedback")}">Tell us how you were treated</a>' in page
