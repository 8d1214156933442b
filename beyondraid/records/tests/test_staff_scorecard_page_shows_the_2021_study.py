"""The staff scorecard page, after ``beyondraid records demo``: the 2021 study's 16 requests as
5 released, 7 denied and 4 unanswered, each figure with what it measures beside it, and the
same figures as a JSON download. A reader sees the figures of the requests they may read."""

import datetime
import json
from io import StringIO

from django.core.management import call_command
from django.urls import reverse
from django.utils.html import escape

from beyondraid.records import selectors, services

from .pages import client_of


def _demo():
    # The world's analyst is the demo's account "analyst", an oversight analyst.
    call_command("records", "demo", stdout=StringIO())


def test_the_page_shows_five_released_seven_denied_four_unanswered(world):
    _demo()
    response = client_of(world.analyst).get(reverse("records:scorecard"))
    assert response.status_code == 200
    total = dict(response.context["card"].total.in_order())
    assert response.context["card"].total.requests == 16
    figures = {figure.key: value for figure, value in total.items()}
    assert (figures["released"].count, figures["denied"].count, figures["unanswered"].count) == (
        5,
        7,
        4,
    )
    page = response.content.decode()
    assert "31.2% (5 of 16)" in page
    assert "43.8% (7 of 16)" in page
    assert "25% (4 of 16)" in page
    for figure in selectors.FIGURES:
        assert escape(figure.measures) in page
    assert "Riverside County District Attorney&#x27;s Office" in page


def test_the_json_download_has_the_same_figures_and_their_definitions(world):
    _demo()
    response = client_of(world.administrator).get(reverse("records:scorecard_json"))
    assert response["Content-Type"] == "application/json; charset=utf-8"
    assert response["Content-Disposition"].startswith('attachment; filename="records-scorecard-')
    data = json.loads(response.content)
    total = data["total"]["figures"]
    assert (total["released"]["count"], total["denied"]["count"]) == (5, 7)
    assert total["unanswered"] == {"count": 4, "of": 16, "percent": 25.0}
    assert {figure["key"] for figure in data["figures"]} >= {"determined_on_time", "pending"}


def test_oversight_staff_score_their_own_and_the_public_requests(world):
    _demo()
    services.create_request(
        user=world.analyst,
        requester=world.agency_b,
        agency=world.agency_a,
        law="foia",
        subject="A private request of another organisation",
        sent_on=datetime.date(2025, 3, 3),
    )
    analyst = client_of(world.analyst).get(reverse("records:scorecard")).context["card"]
    investigator = client_of(world.investigator).get(reverse("records:scorecard")).context["card"]
    assert (analyst.total.requests, investigator.total.requests) == (17, 16)
