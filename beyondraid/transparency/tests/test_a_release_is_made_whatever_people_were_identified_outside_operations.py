"""Issue 21: people identified outside any operation never break the making of a release, change
none of the figures of what operations did (``release_tables.Scope.encounters`` selects the
people of its operations), and are counted in the tables of where identifications come from
(``release_identifications``)."""

import datetime

import pytest

from beyondraid.care import services as care
from beyondraid.care.tests.builders import list_provider, second_provider
from beyondraid.transparency import releases
from beyondraid.transparency.release_funding import FUNDING_BY_PURPOSE
from beyondraid.transparency.release_identifications import (
    IDENTIFICATIONS_BY_PATHWAY,
    IDENTIFICATIONS_BY_SECTOR,
)

pytestmark = pytest.mark.django_db

FIRST, LAST = datetime.date(2000, 1, 1), datetime.date(2030, 12, 31)
DAY = datetime.date(2024, 5, 2)


# The tables that count people identified outside operations, or may.
BEYOND_OPERATIONS = {IDENTIFICATIONS_BY_PATHWAY, IDENTIFICATIONS_BY_SECTOR, FUNDING_BY_PURPOSE}


def _shown(release) -> dict:
    return {
        table.slug: (table.rows, table.cells)
        for table in release.tables.all()
        if table.slug not in BEYOND_OPERATIONS
    }


def _row(release, slug: str, key: str, value: str) -> dict:
    return next(row for row in release.tables.get(slug=slug).rows if row[key] == value)


def test_people_identified_outside_operations_change_nothing_of_operations_in_a_release(
    synthetic_records, world
):
    before = releases.create_release(name="all-years", period_start=FIRST, period_end=LAST)

    legal, legal_caseworker = second_provider()
    list_provider(legal, by=legal_caseworker)
    for sector in ("restaurants_and_food", "agriculture", "commercial_sex"):
        person = care.record_identification(
            user=world.caseworker,
            identified_on=DAY,
            identification_pathway="self_referral",
            work_sector=sector,
            trafficking_form="labour",
            role="suspected_victim",
            role_basis="self_identified",
        )
        referral = care.send_referral(
            user=world.caseworker,
            encounter=person,
            provider=legal,
            services=["trafficking_shelter"],
            sent_on=DAY,
            consent_given_on=DAY,
            consent_organisation=legal,
            consent_scope=["referral_details"],
        )
        care.decline_referral(
            user=legal_caseworker, referral=referral, decline_reason="no_capacity", declined_on=DAY
        )
    after = releases.create_release(name="all-years", period_start=FIRST, period_end=LAST)

    assert after.version == before.version + 1
    assert _shown(after) == _shown(before)
    assert releases.check_release(after).passed

    # Counted where identifications come from: three more self-referrals, and three more in the
    # restaurant, agriculture and commercial-sex rows of the sector table; the row of people met
    # in operations the same as before.
    def victims(release, slug, key, code):
        return _row(release, slug, key, code)["victims_identified" if "pathway" in key else "total"]

    assert victims(after, IDENTIFICATIONS_BY_PATHWAY, "pathway_key", "self_referral") == (
        victims(before, IDENTIFICATIONS_BY_PATHWAY, "pathway_key", "self_referral") + 3
    )
    assert victims(after, IDENTIFICATIONS_BY_SECTOR, "sector_key", "all") == (
        victims(before, IDENTIFICATIONS_BY_SECTOR, "sector_key", "all") + 3
    )
    operations = "law_enforcement_operation"
    assert victims(after, IDENTIFICATIONS_BY_PATHWAY, "pathway_key", operations) == victims(
        before, IDENTIFICATIONS_BY_PATHWAY, "pathway_key", operations
    )
