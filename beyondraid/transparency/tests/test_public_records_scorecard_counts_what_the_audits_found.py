"""The public scorecard of records requests shows, beside the outcomes, what the audits of the
released tables found — documents audited, totals that do not add up, conflated categories,
missing breakdowns, other findings — each with what it was counted in and what it measures; an
agency whose releases nobody audited reads "No document audited", never 0. The CSV holds the
same counts, an empty cell where there is none."""

import csv
import html
import io
import re

import pytest
from django.urls import reverse

from beyondraid.records import selectors
from beyondraid.records.tests import audited_study
from beyondraid.standard.published import LAPD

pytestmark = pytest.mark.django_db


@pytest.fixture
def study(world, settings, tmp_path):
    settings.DATA_DIR = tmp_path
    return audited_study.load(world)


def plain(markup: str) -> str:
    return " ".join(html.unescape(re.sub(r"<[^>]+>", " ", markup)).split())


def row_of(page: str, agency: str) -> str:
    row = re.search(
        rf'<tr>\s*<th scope="row">{re.escape(html.escape(agency))}</th>(.*?)</tr>', page, re.S
    )
    return plain(row.group(1))


def test_each_agency_shows_what_the_audits_found(client, study):
    page = client.get(reverse("public:records_scorecard")).content.decode()

    assert row_of(page, LAPD).endswith(
        "1 of 2 released documents stored 1 in 1 document audited 1 in 1 document audited "
        "4 in 1 document audited 0 in 1 document audited"
    )
    assert row_of(page, audited_study.OAKLAND).endswith(
        "0 of 1 released document stored" + " No document audited" * 4
    )
    assert row_of(page, "Riverside Police Department").endswith(
        "No released document stored" + " No document audited" * 4
    )
    total = plain(re.search(r"<tfoot>(.*)</tfoot>", page, re.S).group(1))
    assert total.endswith(
        "2 of 4 released documents stored 2 in 2 documents audited 1 in 2 documents audited "
        "8 in 2 documents audited 3 in 2 documents audited"
    )
    text = plain(page)
    for figure in selectors.FIGURES[-5:]:
        assert f"{figure.label} {figure.measures}" in text
    assert "which is not zero findings" in text


def test_the_csv_holds_the_counts_and_leaves_no_count_empty(client, study):
    response = client.get(reverse("public:records_scorecard_csv"))
    rows = {row["agency"]: row for row in csv.DictReader(io.StringIO(response.content.decode()))}

    total = rows["Total"]
    assert (total["documents_audited"], total["documents_audited_of_documents_stored"]) == (
        "2",
        "4",
    )
    assert (
        total["missing_breakdowns"],
        total["missing_breakdowns_in_documents_audited"],
    ) == ("8", "2")
    oakland = rows[audited_study.OAKLAND]
    assert (
        oakland["conflated_categories"],
        oakland["conflated_categories_in_documents_audited"],
    ) == (
        "",
        "0",
    )
