"""A release counts the outcomes of each peer group's agencies taken together (issue 20, item 3):
one row per group present and one for all agencies, built from the same atoms as the agency rows
so that the disclosure checker sees each group as the sum of its agencies, and protected and
checked like every other table."""

import datetime

import pytest

from beyondraid.core import disclosure
from beyondraid.standard.models import Agency
from beyondraid.transparency import releases
from beyondraid.transparency.release_tables import FULL_OUTCOME_COLUMNS, PEER_GROUPS

pytestmark = pytest.mark.django_db

COUNTS = [c.name for c in FULL_OUTCOME_COLUMNS if c.kind == "count"]


@pytest.fixture
def release(synthetic_records):
    """The synthetic agencies: two serving 100,000–999,999 people, one serving more."""
    assert Agency.objects.filter(population_served__gte=1_000_000, kind="sheriff").count() == 1
    return releases.create_release(
        name="every-year",
        period_start=datetime.date(2000, 1, 1),
        period_end=datetime.date(2030, 12, 31),
    )


def test_each_group_is_the_sum_of_its_agencies_and_is_protected(release):
    tables = {table.slug: table for table in release.tables.all()}
    bands, by_agency = tables["outcomes_by_peer_group"], tables["outcomes_by_agency"]
    agencies = [row for row in by_agency.rows if row["agency_key"] != "all"]

    assert bands.provenance == "computed"
    order = [label for _, label in PEER_GROUPS]
    groups = [row["peer_group"] for row in bands.rows]
    assert groups[-1] == "All agencies"
    assert groups[:-1] == sorted({row["peer_group"] for row in agencies}, key=order.index)
    assert [row["agencies"] for row in bands.rows] == [1, 2, 3]
    for index, band in enumerate(bands.rows[:-1]):
        members = [
            i
            for i, row in enumerate(by_agency.rows)
            if row in agencies and row["peer_group"] == band["peer_group"]
        ]
        assert band["agencies"] == len(members)
        for name in COUNTS:
            # The checker relates the group to its agencies through their atoms.
            parts = set().union(*(by_agency.proof[i][name]["atoms"] for i in members))
            assert set(bands.proof[index][name]["atoms"]) == parts, (band["peer_group"], name)
            if len(members) == 1:
                # A group of one is that agency's figure, shown or suppressed alike.
                assert band[name] == by_agency.rows[members[0]][name]
    # All agencies together is the same figure in both tables.
    for name in COUNTS:
        assert bands.proof[-1][name] == by_agency.proof[-1][name]
        assert bands.rows[-1][name] == by_agency.rows[-1][name]

    for row, cells in zip(bands.rows, bands.cells, strict=True):
        for name in COUNTS:
            value = row[name]
            assert value is None or not 1 <= value <= 10, (row["peer_group"], name)
            assert (value is None) == bool(cells[name]["suppressed"])


def test_the_checker_proves_the_group_table_with_the_rest(release):
    grids = releases.stored_grids(release)
    assert "outcomes_by_peer_group" in [grid.name for grid in grids]
    hidden = [
        figure
        for grid in grids
        if grid.name == "outcomes_by_peer_group"
        for figure in grid.figures.values()
        if figure.suppressed
    ]
    assert hidden, "some group figure is suppressed, so the checker has something to prove"

    report = disclosure.check(grids)

    assert report.passed
    assert any(i.table == "outcomes_by_peer_group" for i in report.intervals)
    assert releases.check_release(release).passed
