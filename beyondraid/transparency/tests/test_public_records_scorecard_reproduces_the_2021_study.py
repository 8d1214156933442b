"""The public scorecard of records requests, with the 2021 study's 16 requests made public: 5
released, 7 denied, 4 unanswered in total; every figure says what it measures, "no data" is never
shown as 0, and the CSV holds the same table."""

import csv
import html
import io
import re

import pytest
from django.core.management import call_command
from django.urls import reverse

from beyondraid.records import selectors
from beyondraid.records.models import RecordsRequest

from .test_public_sample_release import NAME, make_release

pytestmark = pytest.mark.django_db


@pytest.fixture
def study(world):
    """The demo's 16 requests, filed by the world's oversight analyst (the demo's ``analyst``)."""
    call_command("records", "demo", stdout=io.StringIO())
    assert RecordsRequest.objects.filter(is_public=True).count() == 16
    return world


def page_text(client, name: str) -> str:
    response = client.get(reverse(f"public:{name}"))
    assert response.status_code == 200
    return response.content.decode()


def plain(markup: str) -> str:
    return " ".join(html.unescape(re.sub(r"<[^>]+>", " ", markup)).split())


def test_the_page_shows_five_released_seven_denied_four_unanswered(client, study):
    page = page_text(client, "records_scorecard")

    assert "16 public requests" in plain(page)
    summary = dict(re.findall(r"<dt>([^<]+)</dt><dd>(\d+)</dd>", page))
    assert summary == {
        "Released": "5",
        "Partially released": "0",
        "No responsive records": "0",
        "Denied": "7",
        "Unanswered": "4",
        "Pending": "0",
    }
    assert "updated as requesters publish their requests" in plain(page)


def test_every_agency_has_a_row_and_every_request_a_link(client, study):
    page = page_text(client, "records_scorecard")

    for request in RecordsRequest.objects.select_related("agency"):
        assert f'<th scope="row">{html.escape(request.agency.name)}</th>' in page
        assert reverse("public:records_request", args=[request.code]) in page


def test_every_figure_says_what_it_measures(client, study):
    text = plain(page_text(client, "records_scorecard"))

    for figure in selectors.FIGURES:
        assert f"{figure.label} {figure.measures}" in text


def test_figures_nobody_could_count_read_no_data_not_zero(client, study):
    page = page_text(client, "records_scorecard")
    total = plain(re.search(r"<tfoot>(.*)</tfoot>", page, re.S).group(1))

    # Every day of the study's answers is an assumption, so no timing figure exists.
    assert total.startswith("Total All laws 16 No data No data No data No data 31.2% 5 of 16")
    assert "43.8% 7 of 16 25% 4 of 16" in total
    # The demo stores no released document, so the audit's figures have nothing to count.
    assert total.endswith("6.2% 5 of 80 No released document stored" + " No document audited" * 4)


def test_the_csv_holds_the_same_table(client, study):
    response = client.get(reverse("public:records_scorecard_csv"))

    assert response.status_code == 200
    assert response["Content-Type"] == "text/csv; charset=utf-8"
    assert response["Content-Disposition"].startswith(
        'attachment; filename="records-requests-scorecard-'
    )
    rows = list(csv.DictReader(io.StringIO(response.content.decode())))
    assert len(rows) == 17
    total = rows[-1]
    assert (total["agency"], total["law"], total["requests"]) == ("Total", "all", "16")
    assert {key: total[f"{key}_count"] for key in ("released", "denied", "unanswered")} == {
        "released": "5",
        "denied": "7",
        "unanswered": "4",
    }
    assert total["denied_percent"] == "43.8"
    # No data is an empty cell beside its true count and denominator, never a 0 percent.
    assert (total["determined_on_time_percent"], total["determined_on_time_of"]) == ("", "0")
    assert (total["median_days_to_determination"], total["median_days_to_determination_over"]) == (
        "",
        "0",
    )
    page = page_text(client, "records_scorecard")
    for row in rows[:-1]:
        assert f'<th scope="row">{html.escape(row["agency"])}</th>' in page


def test_the_pages_are_linked_from_the_overview_and_the_agencies_scorecards_and_back(client, study):
    make_release()
    url = reverse("public:records_scorecard")

    assert url in page_text(client, "overview")
    agencies = client.get(reverse("public:scorecards", args=[NAME, 1])).content.decode()
    assert url in agencies
    assert reverse("public:overview") in page_text(client, "records_scorecard")
