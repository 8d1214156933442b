"""Issue 21 item 4 (R-165): a release counts victims identified by pathway and by sector of
work, with the people identified outside operations at units of their own, and protects those
counts as it protects every other: small counts suppressed, the checker proving that none can be
worked out, with earlier published releases too."""

import pytest

from beyondraid.core import disclosure
from beyondraid.transparency import releases
from beyondraid.transparency.release_tables import (
    IDENTIFICATIONS_BY_PATHWAY,
    IDENTIFICATIONS_BY_SECTOR,
    ReleaseData,
    Scope,
    build_computed_tables,
)

from .beyond_operations import OPERATION_VICTIMS, PERIOD, beyond_operations

pytestmark = pytest.mark.django_db


def _table(release, slug):
    table = release.tables.get(slug=slug)
    return table, {
        row.get("pathway_key") or row.get("sector_key"): index
        for index, row in enumerate(table.rows)
    }


def _figure(release, slug, key, column):
    table, index = _table(release, slug)
    return table.rows[index[key]][column], table.cells[index[key]][column]["suppressed"]


def _create(name="all-2020", rules=None, **scope):
    return releases.create_release(
        name=name, period_start=PERIOD[0], period_end=PERIOD[1], rules=rules, **scope
    )


# Rules that suppress nothing but a count of 1, so that what a release counts can be read.
COUNTING = releases.parameters(threshold=1, protection_width=1)


def test_a_self_referred_restaurant_worker_is_counted_by_pathway_and_sector(world):
    beyond_operations(world)
    release = _create(rules=COUNTING)

    def shown(slug, key, column):
        value, suppressed = _figure(release, slug, key, column)
        assert not suppressed
        return value

    pathway, sector = IDENTIFICATIONS_BY_PATHWAY, IDENTIFICATIONS_BY_SECTOR
    # 12 self-referrals in California and 2 in Nevada in 2020 (the one of 2019 is outside the
    # period), 3 through a hotline, and the victims met in operations.
    assert shown(pathway, "law_enforcement_operation", "victims_identified") == OPERATION_VICTIMS
    assert shown(pathway, "self_referral", "victims_identified") == 14
    assert shown(pathway, "hotline", "victims_identified") == 3
    assert shown(pathway, "court_based", "victims_identified") == 0
    assert shown(pathway, "all", "victims_identified") == OPERATION_VICTIMS + 17
    assert shown(pathway, "law_enforcement_operation", "share_of_victims") == 45.2
    assert shown(sector, "restaurants_and_food", "total") == 12
    assert shown(sector, "restaurants_and_food", "form_labour") == 12
    assert shown(sector, "restaurants_and_food", "form_sex") == 0
    assert shown(sector, "agriculture", "total") == 3
    assert shown(sector, "domestic_work", "total") == 2
    assert shown(sector, "commercial_sex", "total") == 0
    assert shown(sector, "all", "total") == 17


def test_small_counts_of_identifications_are_suppressed_and_proved(world):
    beyond_operations(world)
    release = _create()

    pathway, sector = IDENTIFICATIONS_BY_PATHWAY, IDENTIFICATIONS_BY_SECTOR
    headline = next(
        row
        for row in release.tables.get(slug="outcomes_by_agency").rows
        if row["agency_key"] == "all"
    )
    # The row of operations is the headline's figure, shown as the headline is.
    assert headline["victims_identified"] == OPERATION_VICTIMS
    assert _figure(release, pathway, "law_enforcement_operation", "victims_identified") == (
        OPERATION_VICTIMS,
        "",
    )
    assert _figure(release, pathway, "hotline", "victims_identified") == (None, "primary")
    assert _figure(release, pathway, "hotline", "share_of_victims") == (None, "primary")
    # The hotline's 3 would be the total less the rows shown: another figure is hidden with it.
    hidden = [
        key
        for key, index in _table(release, pathway)[1].items()
        if _table(release, pathway)[0].cells[index]["victims_identified"]["suppressed"]
        == "complementary"
    ]
    assert hidden
    assert _figure(release, sector, "agriculture", "total") == (None, "primary")
    assert _figure(release, sector, "domestic_work", "total") == (None, "primary")
    assert releases.check_release(release).passed


def test_the_scope_decides_by_the_identifying_organisation(world):
    beyond_operations(world)

    nevada = _create("nevada-2020", scope="state", state="NV")
    agency_a = _create("agency-a-2020", COUNTING, scope="agency", agency=world.agency_a)
    provider = _create("provider-2020", COUNTING, scope="agency", agency=world.provider)

    # Nevada: its provider's two self-referrals (suppressed), no operation, nothing of California.
    assert _figure(nevada, IDENTIFICATIONS_BY_PATHWAY, "self_referral", "victims_identified") == (
        None,
        "primary",
    )
    assert _figure(nevada, IDENTIFICATIONS_BY_PATHWAY, "hotline", "victims_identified") == (0, "")
    # Agency A identified nobody outside its operations; the provider led no operation.
    assert _figure(agency_a, IDENTIFICATIONS_BY_PATHWAY, "self_referral", "victims_identified") == (
        0,
        "",
    )
    assert _figure(provider, IDENTIFICATIONS_BY_PATHWAY, "self_referral", "victims_identified") == (
        12,
        "",
    )
    assert _figure(provider, IDENTIFICATIONS_BY_PATHWAY, "hotline", "victims_identified") == (3, "")
    assert _figure(
        provider, IDENTIFICATIONS_BY_PATHWAY, "law_enforcement_operation", "victims_identified"
    ) == (0, "")


def test_without_complementary_suppression_the_checker_finds_the_small_pathway(world):
    """The hotline's 3 people are the total of pathways less the others: the checker sees the
    relation (the row of operations is the headline's figure, the total their union), so only
    primary suppression fails it."""
    beyond_operations(world)
    data = ReleaseData(Scope(*PERIOD))
    tables = build_computed_tables(data)
    grids = [table.grid for table in tables if table.grid is not None]
    data.atoms.blocks(grids)
    disclosure.mark_primary(grids, threshold=10, unstable_below=20)
    pathways = next(g for g in grids if g.name == IDENTIFICATIONS_BY_PATHWAY)
    for figure in pathways.figures.values():
        if figure.suppressed:
            figure.value = None

    failures = disclosure.check(grids).failures

    assert any(f.table == IDENTIFICATIONS_BY_PATHWAY for f in failures)


def test_a_release_after_published_ones_still_checks(world):
    found = beyond_operations(world)
    first = releases.publish_release(_create())
    assert first.is_published
    # More people identified since, and narrower releases over the same people.
    from .beyond_operations import identify

    identify(found.nevada_provider, count=9, identification_pathway="hotline")
    second = _create()
    california = _create("california-2020", scope="state", state="CA")

    assert releases.check_release(second).passed
    assert releases.check_release(california).passed
    assert releases.publish_release(california).is_published
    assert releases.check_release(second).passed
