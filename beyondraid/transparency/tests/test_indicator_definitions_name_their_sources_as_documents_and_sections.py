"""/indicators/definitions/ and an indicator's own page name each source as a document and its
section a person can look up, with the requirement ids in the tooltip."""

import html

import pytest
from django.urls import reverse

from beyondraid.accounts.testing import sign_in_verified
from beyondraid.transparency import indicators

pytestmark = pytest.mark.django_db

RECOMMENDATION_3_2 = (
    '<span class="usa-tooltip" data-position="top" title="Cited as Rec 3.2; R83">'
    "Over-Policing Sex Trafficking (2021), Recommendation 3.2</span>"
)


def _page(client, world, url: str) -> str:
    sign_in_verified(client, world.analyst)
    return html.unescape(client.get(url).content.decode())


def test_the_definitions_page_names_documents_and_sections(client, world):
    page = _page(client, world, reverse("indicators:definitions"))

    assert RECOMMENDATION_3_2 in page
    assert (
        '<span class="usa-tooltip" data-position="top" title="Cited as R-165 (000:521-523); '
        'R-117">Kicking Down the Door (2009), Executive Summary: A Better Model</span>'
    ) in page
    assert "2021 report Rec 3.2 (R83)" not in page
    for indicator in indicators.INDICATORS:
        for source in indicator.sources:
            assert source.title in page


def test_an_indicator_page_names_its_documents_and_sections(client, world):
    page = _page(client, world, reverse("indicators:definition", args=["victims_identified"]))

    assert RECOMMENDATION_3_2 in page
    assert (
        '<span class="usa-tooltip" data-position="top" title="Cited as R90">'
        "Over-Policing Sex Trafficking (2021), Section V.A: Operation Reclaim and Rebuild "
        "(2017-2020)</span>"
    ) in page


def test_an_indicator_gives_its_source_readably_beside_the_compact_citation():
    indicator = indicators.INDICATORS_BY_CODE["victims_referred"]

    assert indicator.source == "2009 report R-117-R-118 (referral channels); 2021 report R56"
    assert indicator.source_title == (
        "Kicking Down the Door (2009), Executive Summary: A Better Model; "
        "Kicking Down the Door (2009), A Better Model; "
        "Over-Policing Sex Trafficking (2021), Recommendation 5.2"
    )
