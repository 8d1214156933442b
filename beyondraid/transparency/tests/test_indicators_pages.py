"""The analysts' indicator pages: who may open them, what a bad query gets (a plain message on
the page, never a traceback), and what they show: values with their provenance, definitions,
and the completeness label."""

import pytest
from django.urls import reverse

from beyondraid.accounts.testing import sign_in_verified
from beyondraid.standard.published import ENVIRONMENT_VARIABLE, load_published
from beyondraid.transparency import indicators

pytestmark = pytest.mark.django_db

PAGES = [
    reverse("indicators:index"),
    reverse("indicators:definitions"),
    reverse("indicators:definition", args=["victims_per_100_arrests"]),
    reverse("indicators:completeness"),
]


@pytest.fixture
def analyst_client(client, world):
    sign_in_verified(client, world.analyst)
    return client


@pytest.mark.parametrize("persona", ["analyst", "administrator"])
@pytest.mark.parametrize("url", PAGES)
def test_analysts_and_administrators_read_every_page(client, world, persona, url):
    sign_in_verified(client, world.personas[persona])
    response = client.get(url)
    assert response.status_code == 200
    assert "no-store" in response["Cache-Control"]


@pytest.mark.parametrize("persona", ["steward_a", "prosecutor", "caseworker", "investigator"])
@pytest.mark.parametrize("url", PAGES)
def test_other_staff_are_told_the_pages_are_not_for_them(client, world, persona, url):
    sign_in_verified(client, world.personas[persona])
    response = client.get(url)
    assert response.status_code == 403
    assert "for oversight analysts and administrators" in response.content.decode()


@pytest.mark.parametrize("url", PAGES)
def test_signed_out_visitors_are_sent_to_sign_in(client, url):
    response = client.get(url)
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("accounts:sign_in"))


def test_the_default_page_shows_every_group_for_all_operations(analyst_client):
    page = analyst_client.get(reverse("indicators:index")).content.decode()
    measured_groups = {i.group for i in indicators.INDICATORS if i.is_measured}
    for group in measured_groups:
        assert f"<caption>{group}, by all operations</caption>" in page
    assert '<th scope="col">Indicator</th>' in page
    assert "Computed from person-level records" in page


@pytest.mark.parametrize(
    ("query", "message"),
    [
        ({"level": "galaxy"}, "There is no level “galaxy”. Choose one of the levels in the list."),
        ({"year": "twenty"}, "Give the year as a number of four digits, for example 2020."),
        ({"year": "20200"}, "Give a year from 1900 to 2100."),
        ({"state": "California"}, "Give the state as its two-letter code, for example CA."),
    ],
)
def test_a_bad_query_gets_a_plain_message_on_the_page(analyst_client, query, message):
    response = analyst_client.get(reverse("indicators:index"), query)
    assert response.status_code == 400
    page = response.content.decode()
    assert "The indicators could not be shown" in page
    assert message in page
    assert "Traceback" not in page


def test_published_figures_show_with_their_citation_and_what_they_cannot_answer(
    analyst_client, monkeypatch
):
    monkeypatch.delenv(ENVIRONMENT_VARIABLE, raising=False)
    load_published()
    response = analyst_client.get(
        reverse("indicators:index"), {"level": "operation", "year": "2020", "state": "ca"}
    )
    page = response.content.decode()
    assert response.status_code == 200
    assert "Operation Reclaim and Rebuild 2020 — California statewide" in page
    assert "Published: USC Gould IHRC, Over-Policing Sex Trafficking (2021), Table 2" in page
    assert "16.8 per 100" in page
    assert "87 / 518" in page
    assert "not answerable from this source: traffickers are counted together" in page
    assert "Operation Reclaim and Rebuild 2019" not in page


def test_a_scope_with_no_operations_says_so(analyst_client):
    response = analyst_client.get(reverse("indicators:index"), {"year": "1999"})
    assert "No operations in this scope." in response.content.decode()


def test_the_definitions_list_every_indicator(analyst_client):
    page = analyst_client.get(reverse("indicators:definitions")).content.decode()
    for indicator in indicators.INDICATORS:
        assert reverse("indicators:definition", args=[indicator.code]) in page


def test_a_definition_page_gives_numerator_denominator_and_source(analyst_client):
    page = analyst_client.get(
        reverse("indicators:definition", args=["victims_per_100_arrests"])
    ).content.decode()
    indicator = indicators.find_indicator("victims_per_100_arrests")
    for text in (indicator.title, indicator.numerator, indicator.denominator, indicator.source):
        assert text.replace("'", "&#x27;") in page


def test_an_unknown_indicator_is_not_found(analyst_client):
    response = analyst_client.get(reverse("indicators:definition", args=["nothing-here"]))
    assert response.status_code == 404


def test_the_completeness_page_labels_agencies_with_fields_not_covered(analyst_client, world):
    page = analyst_client.get(reverse("indicators:completeness")).content.decode()
    # The shared world records roles but leaves every other core field unknown.
    assert world.agency_a.name in page
    assert "Not covered" in page
    assert "Incomplete data" in page
