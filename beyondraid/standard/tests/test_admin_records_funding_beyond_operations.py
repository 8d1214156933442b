"""The records administration shows a funding source's recipient, purpose and conditions and
applies the same rules as the funding pages: a refusal is a message on the page, a steward
records only their agency's money, and only money for operations has allocations to enter."""

import pytest
from django.test import Client

from beyondraid.accounts.testing import sign_in_verified
from beyondraid.standard.models import FundingSource
from beyondraid.standard.tests.builders import make_agency

pytestmark = pytest.mark.django_db

ADD = "/admin/standard/fundingsource/add/"


@pytest.fixture
def steward(world) -> Client:
    client = Client()
    sign_in_verified(client, world.steward_a)
    return client


def _grant(world, funder, **overrides) -> dict:
    return {
        "funder": funder.pk,
        "recipient": world.agency_a.pk,
        "purpose": "outreach",
        "conditions": ["anti_prostitution_pledge"],
        "programme": "Outreach grant",
        "amount": "30000.00",
        "period_start": "2022-01-01",
        "period_end": "2022-12-31",
        **overrides,
    }


def test_the_new_fields_are_recorded_and_money_beyond_operations_has_no_allocations(world, steward):
    funder = make_agency(name="County Board", kind="other")
    page = steward.get(ADD).content.decode()
    assert 'name="recipient"' in page and 'name="purpose"' in page
    assert 'type="checkbox" name="conditions" value="anti_prostitution_pledge"' in page
    response = steward.post(ADD, _grant(world, funder))
    grant = FundingSource.objects.get()
    assert response.status_code == 302
    assert (grant.recipient, grant.purpose, grant.conditions) == (
        world.agency_a,
        "outreach",
        ["anti_prostitution_pledge"],
    )
    change = steward.get(f"/admin/standard/fundingsource/{grant.pk}/change/").content.decode()
    assert "allocations-TOTAL_FORMS" not in change


@pytest.mark.parametrize(
    ("overrides", "message"),
    [
        ({"recipient": ""}, "Name the recipient, the organisation that received the money"),
        ({"conditions": ["none", "other"]}, "&#x27;No conditions&#x27; cannot be combined"),
    ],
)
def test_the_admin_refuses_what_the_model_refuses(world, steward, overrides, message):
    funder = make_agency(name="County Board", kind="other")
    response = steward.post(ADD, _grant(world, funder, **overrides))
    assert response.status_code == 200
    assert message in response.content.decode()
    assert not FundingSource.objects.exists()


def test_a_steward_records_only_their_agencys_money_here_too(world, steward):
    funder = make_agency(name="County Board", kind="other")
    response = steward.post(ADD, _grant(world, funder, recipient=world.agency_b.pk))
    assert response.status_code == 200
    assert "name your agency as the funder or the recipient" in response.content.decode()
    assert not FundingSource.objects.exists()
