"""Issue 21 item 6 (R-185 to R-190): a release's table of money per jurisdiction and year:
dollars for operations against dollars for services and outreach, grants with each condition,
and dollars per victim identified through each pathway, shown only where the victims count it
divides by is shown."""

import pytest

from beyondraid.core import disclosure
from beyondraid.transparency import releases
from beyondraid.transparency.datapackage import descriptor
from beyondraid.transparency.release_tables import FUNDING_BY_PURPOSE

from .beyond_operations import (
    OPERATION_DOLLARS,
    OPERATION_VICTIMS,
    PERIOD,
    SERVICES_DOLLARS,
    beyond_operations,
    identify,
)

pytestmark = pytest.mark.django_db

PER_VICTIM = {
    "dollars_per_victim_operations": "victims_through_operations",
    "dollars_per_victim_other_pathways": "victims_other_pathways",
}


def _rows(release) -> dict:
    table = release.tables.get(slug=FUNDING_BY_PURPOSE)
    return {
        (row["jurisdiction"], row["year"]): (row, cells)
        for row, cells in zip(table.rows, table.cells, strict=True)
    }


def _create(name="all-2020", rules=None, **scope):
    return releases.create_release(
        name=name, period_start=PERIOD[0], period_end=PERIOD[1], rules=rules, **scope
    )


def test_money_is_counted_per_jurisdiction_and_year_beside_the_victims(world):
    beyond_operations(world)
    # Rules that hide only a count of 1, so that every figure can be read.
    release = _create(rules=releases.parameters(threshold=1, protection_width=1))

    california, cells = _rows(release)[("CA", "2020")]
    assert california["operations"] == float(OPERATION_DOLLARS)
    assert california["victim_services"] == 60000.0
    assert california["hotline"] == 12000.0
    assert california["outreach"] == 0.0
    assert california["beyond_operations"] == float(SERVICES_DOLLARS)
    # The task-force grant is a grant too; only the victim-services grant has a condition.
    assert california["grants"] == 3
    assert california["condition_cooperation_with_law_enforcement"] == 1
    assert california["condition_anti_prostitution_pledge"] == 0
    # 14 victims met in operations, 15 identified otherwise: both shown, and each per victim.
    assert california["victims_through_operations"] == OPERATION_VICTIMS
    assert california["dollars_per_victim_operations"] == round(150000 / OPERATION_VICTIMS)
    assert california["victims_other_pathways"] == 15
    assert california["dollars_per_victim_other_pathways"] == round(72000 / 15)
    nevada, cells = _rows(release)[("NV", "2020")]
    assert nevada["outreach"] == 20000.0
    assert nevada["operations"] == 0.0
    assert nevada["dollars_per_victim_operations"] is None
    assert cells["dollars_per_victim_operations"]["suppressed"] == ""
    assert releases.check_release(release).passed


def test_a_per_victim_figure_never_shows_where_its_victims_count_is_suppressed(world):
    found = beyond_operations(world)
    release = _create()
    rows = _rows(release)

    # Nevada's two people: suppressed, and the dollars per victim with them; California's 15,
    # hidden so that Nevada's cannot be worked out from all 17 identified outside operations.
    california, cells = rows[("CA", "2020")]
    assert cells["victims_other_pathways"]["suppressed"] == "complementary"
    assert california["dollars_per_victim_other_pathways"] is None
    nevada, cells = rows[("NV", "2020")]
    assert nevada["victims_other_pathways"] is None
    assert cells["victims_other_pathways"]["suppressed"] == "primary"
    assert nevada["dollars_per_victim_other_pathways"] is None
    assert cells["dollars_per_victim_other_pathways"]["suppressed"]
    # Whatever the reason a victims count is hidden, its per-victim figure is hidden too.
    identify(found.nevada_provider, count=9, identification_pathway="hotline")
    for made in (release, _create("all-2020-again")):
        for row, cells in _rows(made).values():
            for ratio, victims in PER_VICTIM.items():
                if cells[victims]["suppressed"]:
                    assert row[ratio] is None and cells[ratio]["suppressed"]


def test_the_checker_reads_a_shown_per_victim_figure_as_its_victims_count(world):
    """A per-victim figure left shown beside a suppressed count tells the count: the checker
    fails the release."""
    beyond_operations(world)
    release = _create()
    grids = releases.stored_grids(release)
    funding = next(grid for grid in grids if grid.name == FUNDING_BY_PURPOSE)
    # Nevada's row: 2 victims, suppressed, and 20,000 dollars beyond operations.
    row = list(_rows(release)).index(("NV", "2020"))
    assert funding.figures[(row, "victims_other_pathways")].suppressed
    ratio = funding.figures[(row, "dollars_per_victim_other_pathways")]
    ratio.suppressed, ratio.value = "", round(20000 / 2)

    assert not disclosure.check(grids).passed


def test_the_api_and_the_data_package_carry_the_new_tables(world, client):
    beyond_operations(world)
    release = releases.publish_release(_create())

    for slug in (FUNDING_BY_PURPOSE, "identifications_by_pathway", "identifications_by_sector"):
        stored = release.tables.get(slug=slug)
        answer = client.get(f"/api/v1/public/releases/all-2020/1/tables/{slug}/")
        assert answer.status_code == 200
        assert answer.json()["rows"] == stored.rows
    resources = {r["name"]: r for r in descriptor(release)["resources"]}
    fields = {f["name"]: f for f in resources["funding-by-purpose"]["schema"]["fields"]}
    assert fields["dollars_per_victim_operations"]["unit"] == "$ per victim"
    assert (
        "victims identified through operations"
        in (fields["dollars_per_victim_operations"]["description"])
    )
    assert fields["grants"]["type"] == "integer"
    assert "identifications-by-pathway" in resources
