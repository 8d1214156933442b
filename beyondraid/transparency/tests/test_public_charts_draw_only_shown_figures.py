"""Charts are SVG drawn on the server, inline: each draws only the figures that are shown, says in
one sentence what it shows and which figures were suppressed, and comes with a data table."""

import re

import pytest
from django.urls import reverse

from beyondraid.transparency import charts, selectors

from .test_public_sample_release import NAME, make_release

pytestmark = pytest.mark.django_db


@pytest.fixture
def contents():
    return selectors.release_contents(make_release())


def drawn_texts(chart: charts.Chart) -> list[str]:
    return re.findall(r"<text[^>]*>([^<]*)</text>", chart.svg)


def test_a_year_whose_figure_is_suppressed_keeps_its_place_without_a_bar(contents):
    chart = charts.victims_per_100_arrests_by_year(contents.years)

    assert [point.label for point in chart.points] == ["2018", "2019", "2020"]
    texts = drawn_texts(chart)
    assert "14.3" in texts
    assert texts.count("Suppressed") == 2
    assert chart.summary == (
        "Victims identified per 100 arrests: 2020, 14.3. Not drawn because suppressed: 2018, 2019."
    )
    # One bar: the only year with a figure.
    assert len(re.findall(r'<path[^>]*fill="#005ea2"', chart.svg)) == 1


def test_the_arrests_by_role_chart_names_the_largest_and_smallest(contents):
    chart = charts.arrests_by_role(contents.total_arrests_by_role)

    assert chart.summary == (
        "Highest: People buying sex (221); lowest: Suspected traffickers (19)."
    )
    assert {"170", "221", "19", "45"} <= set(drawn_texts(chart))


def test_a_chart_whose_figures_are_all_suppressed_draws_nothing_and_says_so(contents):
    state = selectors.state_profile(contents, "NV")

    chart = charts.state_charts(state)[0]

    assert chart.svg == ""
    assert chart.summary.startswith("Every figure of this chart is suppressed")
    assert "Not drawn because suppressed: Desert Springs Police Department." in chart.summary


def test_the_svg_is_one_image_named_by_its_summary_and_fetches_nothing(contents):
    chart = charts.arrests_by_role(contents.total_arrests_by_role)

    assert chart.svg.startswith(
        '<svg role="img" aria-labelledby="arrests-by-role-summary" focusable="false" '
    )
    assert "<script" not in chart.svg
    assert "href=" not in chart.svg
    assert "style=" not in chart.svg  # the pages' Content Security Policy allows no inline style


def test_the_release_page_carries_each_chart_with_its_summary_and_data_table(client):
    make_release()

    html = client.get(reverse("public:release", args=[NAME, 1])).content.decode()

    assert html.count('<svg role="img"') == 2
    assert '<p class="br-chart__summary" id="arrests-by-role-summary">' in html
    assert (
        "<caption>Figures of the chart: arrests by the role of the person arrested</caption>"
        in html
    )
    assert '<th scope="col">Role</th>' in html
    assert '<th scope="row">People buying sex</th>' in html
