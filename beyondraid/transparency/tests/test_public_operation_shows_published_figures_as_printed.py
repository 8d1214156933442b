"""An operation known only from a public document shows its figures as printed, with the
citation and the source's own words: the statewide 2020 Operation Reclaim and Rebuild."""

import pytest
from django.urls import reverse

from .test_public_sample_release import NAME, ORR_2020, make_release

pytestmark = pytest.mark.django_db


def figure_row(html: str, measure: str) -> str:
    return html.split(f'<th scope="row">{measure}</th>')[1].split("</tr>")[0]


def test_the_statewide_2020_page_shows_the_printed_figures_and_their_source(client):
    make_release()

    html = client.get(reverse("public:operation", args=[NAME, 1, ORR_2020])).content.decode()

    assert "Operation Reclaim and Rebuild 2020 — California statewide" in html
    assert "Figures as printed in a public document" in html
    assert "Over-Policing Sex Trafficking (2021), Table 2" in html
    expected = {
        "Arrests, all": "518",
        "Arrests of people selling sex": "190",
        "Arrests of people buying sex": "266",
        "Arrests for pimping, pandering or supervising": "27",
        "Identified victims, all": "87",
        "Victims identified per 100 arrests": "16.8",
    }
    for measure, figure in expected.items():
        assert f'<td class="br-number">{figure}' in figure_row(html, measure), measure
    assert "traffickers are counted together with pimping, pandering and supervising" in html
    assert "“Total Rescues” = 87" in html


def test_a_figure_the_source_left_blank_reads_not_in_the_source(client):
    make_release()

    html = client.get(reverse("public:operation", args=[NAME, 1, "OP-4CAS-2017"])).content.decode()

    assert "Not in the source" in figure_row(html, "Arrests of people selling sex")
    assert "Suppressed" not in html
    assert "“Commercial Sex Worker” = N/A" in html


def test_published_operations_are_listed_apart_with_their_source(client):
    make_release()

    html = client.get(reverse("public:operations", args=[NAME, 1])).content.decode()

    computed = html.index("Computed from records")
    printed = html.index("Figures published by agencies and reports")
    assert computed < html.index("Operation Safe Harbor") < printed
    assert printed < html.index("Operation Reclaim and Rebuild 2020")
    assert reverse("public:operation", args=[NAME, 1, ORR_2020]) in html
