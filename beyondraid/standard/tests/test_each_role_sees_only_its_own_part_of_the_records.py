"""Each persona sees exactly its own part of the records (docs/principles.md, Who uses it)."""

import pytest
from django.contrib.auth.models import AnonymousUser

from beyondraid.standard import access

pytestmark = pytest.mark.django_db


def _codes(queryset):
    return {record.code for record in queryset}


def test_a_steward_sees_the_operations_of_their_agency_and_nothing_of_another(world):
    assert _codes(access.operations_for(world.steward_a)) == {world.operation_a.code}
    assert _codes(access.operations_for(world.steward_b)) == {world.operation_b.code}
    assert world.encounter_b.code not in _codes(access.encounters_for(world.steward_a))


def test_a_steward_sees_joint_operations_their_agency_takes_part_in(world):
    world.operation_b.participants.create(agency=world.agency_a, part="participant")
    assert _codes(access.operations_for(world.steward_a)) == {
        world.operation_a.code,
        world.operation_b.code,
    }
    assert access.can_edit_operation(world.steward_a, world.operation_b)


def test_a_prosecutor_sees_the_operations_their_office_takes_part_in_and_records_charges(world):
    assert _codes(access.operations_for(world.prosecutor)) == {world.operation_a.code}
    assert access.can_record_charges(world.prosecutor, world.encounter_a)
    assert not access.can_record_charges(world.prosecutor, world.encounter_b)
    assert not access.can_edit_operation(world.prosecutor, world.operation_a)


def test_a_caseworker_sees_no_operation_and_no_one_without_an_accepted_referral(world):
    # The world records an offer naming the provider, but no referral accepted with consent; the
    # people a referral does reach are tested with the care app, which keeps referrals
    # (care/tests/test_a_caseworker_reads_a_person_only_within_an_accepted_consent.py).
    assert not access.encounters_for(world.caseworker).exists()
    assert not access.operations_for(world.caseworker).exists()


def test_an_analyst_reads_everything_pseudonymously_but_edits_nothing(world):
    assert access.encounters_for(world.analyst).count() == 3
    assert not access.can_edit_operation(world.analyst, world.operation_a)
    assert not access.can_record_charges(world.analyst, world.encounter_a)


@pytest.mark.parametrize("persona", ["investigator", "administrator"])
def test_investigators_and_administrators_see_no_operations_or_people(world, persona):
    user = world.personas[persona]
    assert not access.operations_for(user).exists()
    assert not access.encounters_for(user).exists()


def test_the_anonymous_public_and_deactivated_users_see_nothing(world):
    assert not access.encounters_for(AnonymousUser()).exists()
    world.steward_a.is_active = False
    assert not access.operations_for(world.steward_a).exists()
