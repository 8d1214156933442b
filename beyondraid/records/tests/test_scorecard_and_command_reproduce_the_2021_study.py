"""The demo loads the 16 requests of the 2021 study once, and the scorecard, in Python, as text
and as JSON, shows what Tables 1, E1 and E2 print: 5 released, 7 denied, 4 no response."""

import datetime
import json
from io import StringIO

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError

from beyondraid.records import selectors
from beyondraid.records.models import RecordsRequest

from .builders import sent, step

pytestmark = pytest.mark.django_db
AS_OF = "2021-11-15"


def _demo():
    out = StringIO()
    call_command("records", "demo", stdout=out)
    return out.getvalue()


def test_the_demo_is_loaded_once(world):
    assert _demo() == "2021 study: 16 public-records requests loaded.\n"
    assert _demo() == "2021 study: 16 public-records requests already loaded.\n"
    assert RecordsRequest.objects.count() == 16
    doj = RecordsRequest.objects.get(agency__name="U.S. Department of Justice")
    assert "prose and tables disagree" in doj.note
    assert doj.status == "no_response"


def test_the_scorecard_shows_five_released_seven_denied_four_unanswered(world):
    _demo()
    total = selectors.scorecard(today=datetime.date(2021, 11, 15)).total
    assert total.requests == 16
    counts = {key: total.figures[key].count for key in ("released", "denied", "unanswered")}
    assert counts == {"released": 5, "denied": 7, "unanswered": 4}
    # Every determination date of the study is an assumption: no timing figure is made of it.
    assert total.figures["determined_on_time"].of == 0
    assert total.figures["median_days_to_determination"].days is None
    assert str(total.figures["categories_received"]) == "6.2% (5 of 80)"


def test_the_command_prints_a_table_and_json(world):
    _demo()
    text = StringIO()
    call_command("records", "scorecard", "--as-of", AS_OF, stdout=text)
    lines = text.getvalue().splitlines()
    assert lines[0] == "Agency transparency scorecard as of 2021-11-15"
    total = next(line for line in lines if line.startswith("Total"))
    assert total.split() == [
        "Total",
        "ALL",
        "16",
        "-",
        "-",
        "-",
        "-",
        "5/16",
        "0/16",
        "0/16",
        "7/16",
        "4/16",
        "0/16",
        "5/80",
        # The demo stores no released document: nothing was audited, which is not 0 findings.
        "-",
        "-",
        "-",
        "-",
        "-",
    ]
    assert any(line.startswith("Det on time: Share of requests determined") for line in lines)

    out = StringIO()
    call_command("records", "scorecard", "--format", "json", "--as-of", AS_OF, stdout=out)
    data = json.loads(out.getvalue())
    assert data["total"]["figures"]["denied"] == {"count": 7, "of": 16, "percent": 43.8}
    assert len(data["rows"]) == 16
    assert {figure["key"] for figure in data["figures"]} >= {"acknowledged_on_time", "pending"}


def test_a_bad_date_is_refused_in_plain_words(world):
    with pytest.raises(CommandError, match="is not a date; write it as YYYY-MM-DD"):
        call_command("records", "scorecard", "--as-of", "15/11/2021")


def test_timing_figures_count_known_dates(world):
    on_time = sent(world, datetime.date(2025, 3, 3))  # CPRA, due 13 Mar
    step(world, on_time, "acknowledged", datetime.date(2025, 3, 4))
    step(world, on_time, "released", datetime.date(2025, 3, 11))
    step(world, on_time, "closed", datetime.date(2025, 3, 21))
    late = sent(world, datetime.date(2025, 3, 3))
    step(world, late, "denied", datetime.date(2025, 3, 20), reasons=["6255"])
    waiting = sent(world, datetime.date(2025, 3, 3))
    total = selectors.scorecard(today=datetime.date(2025, 4, 1)).total
    assert str(total.figures["acknowledged_on_time"]) == "33.3% (1 of 3)"
    assert str(total.figures["determined_on_time"]) == "33.3% (1 of 3)"
    assert str(total.figures["median_days_to_determination"]) == "12.5 days (over 2)"
    assert str(total.figures["median_days_to_completion"]) == "18 days (over 1)"
    assert total.figures["unanswered"].count == 1
    assert waiting.status == "submitted"
