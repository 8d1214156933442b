"""Published aggregate figures take part in the indicators with their provenance: the known ORR
2020 statewide answers, "not answerable from this source" for traffickers (counted with pimping,
pandering and supervising) and for sums over a year the source did not print, and tables that
overlap are shown side by side, never added."""

import pytest

from beyondraid.standard.published import ENVIRONMENT_VARIABLE, load_published
from beyondraid.transparency import indicators
from beyondraid.transparency.models import COMPUTED, PUBLISHED

pytestmark = pytest.mark.django_db

ORR_2020 = "Operation Reclaim and Rebuild 2020 — California statewide (published aggregate)"
TABLE_2 = "USC Gould IHRC, Over-Policing Sex Trafficking (2021), Table 2, lines 1152–1162"
TABLE_3 = "USC Gould IHRC, Over-Policing Sex Trafficking (2021), Table 3, lines 1164–1174"
TABLE_4 = "USC Gould IHRC, Over-Policing Sex Trafficking (2021), Table 4, lines 1176–1185"
ATTORNEY_GENERAL = "California Department of Justice (Attorney General)"
LARHTTF = "Los Angeles Regional Human Trafficking Task Force"


@pytest.fixture(autouse=True)
def published(monkeypatch):
    monkeypatch.delenv(ENVIRONMENT_VARIABLE, raising=False)
    load_published()


def rows_for(level: str, unit_label: str, code: str, **scope) -> list[indicators.IndicatorRow]:
    return [
        row
        for row in indicators.compute(level, **scope)
        if row.unit_label == unit_label and row.indicator.code == code
    ]


def published_row(level: str, unit_label: str, code: str, **scope) -> indicators.IndicatorRow:
    (row,) = [
        row for row in rows_for(level, unit_label, code, **scope) if row.provenance == PUBLISHED
    ]
    return row


@pytest.mark.parametrize(
    ("code", "value", "numerator", "denominator"),
    [
        ("arrests", 518, 518, None),
        ("share_arrests_selling_sex", 36.7, 190, 518),
        ("share_arrests_buying_sex", 51.4, 266, 518),
        ("arrests_pimping_pandering_supervising", 27, 27, None),
        ("victims_identified", 87, 87, None),
        ("victims_per_100_arrests", 16.8, 87, 518),
    ],
)
def test_orr_2020_statewide_gives_its_printed_figures(code, value, numerator, denominator):
    row = published_row("operation", ORR_2020, code)
    assert (row.value, row.numerator, row.denominator) == (value, numerator, denominator)
    assert (row.provenance, row.citation) == (PUBLISHED, TABLE_2)


@pytest.mark.parametrize("code", ["perpetrators_identified", "share_arrests_suspected_traffickers"])
def test_traffickers_are_not_answerable_from_the_published_tables(code):
    row = published_row("operation", ORR_2020, code)
    assert row.value is None
    assert row.note == (
        "not answerable from this source: traffickers are counted together with pimping, "
        "pandering and supervising"
    )


def test_a_published_only_operation_has_no_computed_value_and_says_so():
    (row,) = [
        row for row in rows_for("operation", ORR_2020, "arrests") if row.provenance == COMPUTED
    ]
    assert (row.value, row.note) == (None, indicators.NO_PERSON_LEVEL_RECORDS)


def test_indicators_the_tables_do_not_print_have_no_published_value():
    rows = rows_for("operation", ORR_2020, "victims_foreign_nationals")
    assert [row.provenance for row in rows] == [COMPUTED]


def test_one_tables_years_add_up_for_the_agency_that_released_them():
    arrests = published_row("agency", ATTORNEY_GENERAL, "arrests")
    assert (arrests.value, arrests.citation) == (236 + 493 + 339 + 518, TABLE_2)
    victims = published_row("agency", ATTORNEY_GENERAL, "victims_identified")
    assert victims.value == 27 + 55 + 48 + 87


def test_a_sum_over_a_year_printed_as_na_or_blank_is_not_answerable():
    # 2017 statewide prints 'N/A' for people selling sex; the 2018 task-force 'John' cell is blank.
    for agency, code in [
        (ATTORNEY_GENERAL, "share_arrests_selling_sex"),
        (LARHTTF, "share_arrests_buying_sex"),
    ]:
        row = published_row("agency", agency, code)
        assert (row.value, row.note) == (None, indicators.NOT_PRINTED_FOR_EVERY_OPERATION)


def test_overlapping_tables_are_shown_side_by_side_never_added():
    rows = [row for row in rows_for("year", "2020", "arrests") if row.provenance == PUBLISHED]
    assert [(row.citation, row.value) for row in rows] == [
        (TABLE_2, 518),
        (TABLE_3, 180),
        (TABLE_4, 161),
    ]


def test_published_figures_follow_the_scope_filters():
    years = {row.unit_label for row in indicators.compute("year", year=2018)}
    assert years == {"2018"}
    rows = [
        row
        for row in indicators.compute("operation", state="CA", year=2018)
        if row.indicator.code == "arrests" and row.provenance == PUBLISHED
    ]
    assert sorted(row.value for row in rows) == [208, 298, 493]
