"""The reporting pages leave nothing in the reporter's browser (issue 19, item 5): no CSRF cookie,
no session, no language cookie, on any page, in English or Spanish. Forged posts are refused all
the same, by what the browser says about where the form came from and by a signed, short-lived
token in the form, each refusal with a plain message."""

import re
import time
from unittest import mock

import pytest
from django.core import signing
from django.test import Client

from beyondraid.accountability import protection
from beyondraid.accountability.models import Report

from .reporting import ACCOUNT, open_channel

pytestmark = pytest.mark.django_db

SITE = "http://testserver"
REPORT = {
    "conduct": ["threats"],
    "account": ACCOUNT,
    "officer_1_badge": "K9-4471",
    "receipt_kind": "number",
}


def _hidden(response, name: str) -> str:
    found = re.search(rf'name="{name}" value="([^"]+)"', response.content.decode())
    assert found, f"the page has a hidden {name}"
    return found.group(1)


def _token(response) -> str:
    return _hidden(response, "form_token")


class Browser:
    """A reporter's browser, with Django's checks on, posting forms of the pages it shows."""

    def __init__(self, **headers):
        self.client = Client(enforce_csrf_checks=True, **headers)
        self.responses = []

    def get(self, path: str):
        response = self.client.get(path)
        self.responses.append(response)
        return response

    def post(self, path: str, data: dict):
        """Open the page, then send its form with its hidden fields."""
        page = self.get(path)
        hidden = {name: _hidden(page, name) for name in ("form_token", "lang")}
        response = self.client.post(
            path.split("?")[0], {**hidden, **data}, headers={"Origin": SITE}
        )
        self.responses.append(response)
        return response

    def forge(self, path: str, data: dict):
        """Send a form this browser was never shown, from nowhere it names."""
        response = self.client.post(path, data)
        self.responses.append(response)
        return response


def _receipt(response) -> str:
    found = re.search(r'id="receipt"[^>]*>([^<]+)<', response.content.decode())
    assert found, "the page shows a receipt"
    return found.group(1)


@pytest.mark.parametrize(
    ("headers", "query", "titles"),
    [
        ({}, "", ("Report abuse by an officer", "Your report")),
        ({"HTTP_ACCEPT_LANGUAGE": "es"}, "", ("Denunciar abusos de un agente", "Su denuncia")),
        ({}, "?lang=es", ("Denunciar abusos de un agente", "Su denuncia")),
    ],
    ids=["english", "spanish-browser", "spanish-chosen-on-the-page"],
)
def test_no_reporting_page_sets_a_cookie(world, headers, query, titles):
    open_channel(world)
    browser = Browser(**headers)

    assert titles[0] in browser.get(f"/report/{query}").content.decode()
    assert browser.post("/report/", {"receipt_kind": "number"}).status_code == 400
    sent = browser.post(f"/report/{query}", REPORT)
    assert sent.status_code == 200
    receipt = _receipt(sent)
    follow_up = f"/report/follow-up/{query}"
    assert titles[1] in browser.get(follow_up).content.decode()
    assert browser.post(follow_up, {"receipt": receipt}).status_code == 200
    replied = browser.post(follow_up, {"receipt": receipt, "reply": "One more."})
    assert replied.status_code == 200
    assert browser.post(follow_up, {"receipt": "1234"}).status_code == 400
    assert browser.post(follow_up, {"receipt": "1234 5678 9012 3456"}).status_code == 400
    assert browser.forge("/report/", REPORT).status_code == 403
    assert browser.forge(follow_up, {"receipt": receipt}).status_code == 403

    for response in browser.responses:
        assert not response.cookies, (response.request["PATH_INFO"], response.cookies)
        assert not response.has_header("Set-Cookie")
    assert not browser.client.cookies


def test_the_language_chosen_on_the_page_lasts_through_the_forms_without_a_cookie(world):
    open_channel(world)
    browser = Browser()
    page = browser.get("/report/?lang=es").content.decode()
    assert '<input type="hidden" name="lang" value="es">' in page
    sent = browser.post("/report/?lang=es", REPORT)
    assert "Su denuncia fue enviada" in sent.content.decode()
    assert sent["Content-Language"] == "es"
    assert Report.objects.get().language == "es"
    assert "?lang=es" in sent.content.decode(), "the link to the follow-up page keeps Spanish"
    assert not browser.client.cookies


@pytest.mark.parametrize("path", ["/report/", "/report/follow-up/"])
@pytest.mark.parametrize(
    "headers",
    [
        {"Origin": "https://another-site.example"},
        {"Origin": "null"},
        {"Referer": "https://another-site.example/page"},
        {},
    ],
    ids=["another-origin", "hidden-origin", "another-referrer", "neither"],
)
def test_a_post_not_from_this_site_is_refused_with_a_plain_message(world, path, headers):
    open_channel(world)
    client = Client(enforce_csrf_checks=True)
    token = _token(client.get(path))
    data = {**REPORT, "receipt": "1234 5678 9012 3456", "form_token": token}
    refused = client.post(path, data, headers=headers)
    assert refused.status_code == 403
    page = refused.content.decode()
    assert "This was not sent from a page of this site" in page
    assert ACCOUNT not in page, "nothing from the forged post is shown back"
    assert not Report.objects.exists()


def test_a_browser_that_sends_only_a_referrer_of_this_site_is_let_through(world):
    open_channel(world)
    client = Client(enforce_csrf_checks=True)
    token = _token(client.get("/report/"))
    sent = client.post(
        "/report/", {**REPORT, "form_token": token}, headers={"Referer": f"{SITE}/report/"}
    )
    assert sent.status_code == 200
    assert Report.objects.count() == 1


def _expired_token() -> str:
    long_ago = time.time() - protection.FORM_TOKEN_MAX_AGE - 60
    with mock.patch("django.core.signing.time.time", return_value=long_ago):
        return protection.FormToken("report").issue()


@pytest.mark.parametrize(
    ("token", "message"),
    [
        (None, "could not be checked as coming from this page"),
        ("report:1abcde:forged-signature", "could not be checked as coming from this page"),
        (protection.FormToken("follow-up").issue, "could not be checked as coming from this page"),
        (
            signing.TimestampSigner(salt="another purpose").sign("report"),
            "could not be checked as coming from this page",
        ),
        (_expired_token, "This page was open for more than 6 hours"),
    ],
    ids=["missing", "forged", "the-other-form's", "signed-for-something-else", "expired"],
)
def test_a_post_without_a_fresh_token_of_its_form_is_refused_and_keeps_what_was_typed(
    world, token, message
):
    open_channel(world)
    client = Client(enforce_csrf_checks=True)
    data = dict(REPORT)
    if token is not None:
        data["form_token"] = token() if callable(token) else token
    refused = client.post("/report/", data, headers={"Origin": SITE})
    assert refused.status_code == 403
    page = refused.content.decode()
    assert message in page
    assert ACCOUNT in page, "what was typed is still there"
    assert not Report.objects.exists()
    # The page that came back carries a fresh token: sending it again works.
    again = client.post(
        "/report/", {**REPORT, "form_token": _token(refused)}, headers={"Origin": SITE}
    )
    assert again.status_code == 200
    assert Report.objects.count() == 1
