"""A referral is sent by a data steward of an agency that took part in the operation that
encountered the person; a steward of another agency, and anyone who is not a steward, is refused
with the field named, and nothing is written."""

import pytest

from beyondraid.care.models import Referral
from beyondraid.care.services import CareRefused
from beyondraid.standard.models import ServiceOffer

from .builders import refer

pytestmark = pytest.mark.django_db
REFUSAL = (
    "Only a data steward of an agency that took part in the operation that encountered this "
    "person, or someone of the organisation that identified them, can refer them."
)


@pytest.mark.parametrize(
    "persona", ["steward_b", "prosecutor", "caseworker", "analyst", "investigator", "administrator"]
)
def test_only_a_steward_of_the_operation_refers(world, persona):
    offers = ServiceOffer.objects.count()

    with pytest.raises(CareRefused) as refused:
        refer(world, by=getattr(world, persona))

    assert refused.value.message_dict == {"encounter": [REFUSAL]}
    assert not Referral.objects.exists()
    assert ServiceOffer.objects.count() == offers


def test_a_steward_refers_only_people_their_agency_encountered(world):
    with pytest.raises(CareRefused):
        refer(world, by=world.steward_a, encounter=world.encounter_b)

    referral = refer(world, by=world.steward_b, encounter=world.encounter_b)
    assert referral.referring_agency == world.agency_b
