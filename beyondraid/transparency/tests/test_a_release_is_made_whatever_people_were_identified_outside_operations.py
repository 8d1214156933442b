"""Issue 21: people identified outside any operation never break the making of a release, and
change none of its figures. A release counts what operations did, operation by operation
(``release_tables.Scope.encounters`` selects the people of its operations); where identifications
come from is an indicator for analysts until the release tables count it."""

import datetime

import pytest

from beyondraid.care import services as care
from beyondraid.care.tests.builders import list_provider, second_provider
from beyondraid.transparency import releases

pytestmark = pytest.mark.django_db

FIRST, LAST = datetime.date(2000, 1, 1), datetime.date(2030, 12, 31)
DAY = datetime.date(2024, 5, 2)


def _shown(release) -> dict:
    return {table.slug: (table.rows, table.cells) for table in release.tables.all()}


def test_people_identified_outside_operations_change_nothing_in_a_release(synthetic_records, world):
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
