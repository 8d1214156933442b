"""The cooperation parity page shows, for victims who cooperated with law enforcement and those
who did not, how many and what share were offered services, referred, accepted by a provider and
started services, with the gap between the groups; it says that cooperation never gates any of
these. Analysts choose an agency or all; a steward reads their own agency's; it counts people
and never lists them."""

import pytest
from django.urls import reverse

from beyondraid.accounts.testing import sign_in_verified
from beyondraid.care import services
from beyondraid.standard import services as standard
from beyondraid.standard.tests.builders import make_encounter

from .builders import ANSWERED, STARTED, refer

pytestmark = pytest.mark.django_db
URL = reverse("care:cooperation_parity")


@pytest.fixture
def dataset(world):
    """Agency A: one victim who cooperates, referred, accepted and served; one who declined to
    cooperate, referred and waiting; the world's referred person (nothing recorded, offered a
    shelter). Agency B: one victim, nothing recorded."""
    served = make_encounter(operation=world.operation_a, role="suspected_victim")
    standard.record_cooperation(
        encounter=served, status="cooperating", recorded_on=served.encountered_on
    )
    referral = refer(world, encounter=served)
    services.accept_referral(user=world.caseworker, referral=referral, accepted_on=ANSWERED)
    services.start_services(user=world.caseworker, referral=referral, services_started_on=STARTED)
    declined = make_encounter(operation=world.operation_a, role="suspected_victim")
    standard.record_cooperation(
        encounter=declined, status="declined", recorded_on=declined.encountered_on
    )
    refer(world, encounter=declined)
    world.people = [served, declined, world.referred_encounter, world.encounter_b]
    return world


def _rows(response) -> dict[str, tuple]:
    return {
        row["label"]: (
            row["cooperated"],
            row["cooperated_share"],
            row["did_not"],
            row["did_not_share"],
            row["gap"],
        )
        for row in response.context["rows"]
    }


def _higher(points: int) -> str:
    return f"{points} percentage points higher for those who cooperated"


def test_an_analyst_sees_both_groups_and_the_gap_across_all_agencies(client, dataset):
    sign_in_verified(client, dataset.analyst)

    response = client.get(URL)

    assert response.status_code == 200
    # Three victims did not cooperate: two in A (one offered a shelter, one referred) and B's.
    assert _rows(response) == {
        "Offered services": (1, "100%", 2, "67%", _higher(33)),
        "Referred to a provider": (1, "100%", 1, "33%", _higher(67)),
        "Referral accepted by the provider": (1, "100%", 0, "0%", _higher(100)),
        "Services started": (1, "100%", 0, "0%", _higher(100)),
    }
    page = response.content.decode()
    assert "Cooperation with law enforcement never gates an offer of services" in page
    assert "so that a gap between victims who cooperated and victims who" in page
    # Counts only: no person's code appears on the page.
    for person in dataset.people:
        assert person.code not in page


def test_an_analyst_narrows_to_one_agency(client, dataset):
    sign_in_verified(client, dataset.analyst)

    response = client.get(URL, {"agency": dataset.agency_b.pk})

    assert response.context["report"].agency == dataset.agency_b
    assert response.context["report"].did_not.victims == 1
    assert _rows(response)["Offered services"] == (
        0,
        "—",
        0,
        "0%",
        "Not measurable: a group has no victims",
    )
    bad = client.get(URL, {"agency": "999999"})
    assert bad.status_code == 400
    assert "Agency</a>: Choose an agency from the list." in bad.content.decode()


def test_a_steward_reads_their_own_agency_only(client, dataset):
    sign_in_verified(client, dataset.steward_b)

    response = client.get(URL, {"agency": dataset.agency_a.pk})

    assert response.context["form"] is None
    assert response.context["report"].agency == dataset.agency_b
    assert response.context["report"].did_not.victims == 1


@pytest.mark.parametrize("persona", ["caseworker", "prosecutor", "investigator", "administrator"])
def test_nobody_else_reads_it(client, dataset, persona):
    sign_in_verified(client, getattr(dataset, persona))

    assert client.get(URL).status_code == 403
