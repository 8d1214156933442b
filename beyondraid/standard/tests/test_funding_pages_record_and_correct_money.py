"""The funding pages (issue 21): a steward records the money their agency gives or receives and
corrects it, an administrator any; every refusal comes back on the page naming its field; each
write is in the audit log, a correction with the fields it changed; caseworkers are told their
role does not read funding."""

import datetime
from decimal import Decimal

import pytest
from django.test import Client

from beyondraid.accounts.models import AuditEntry
from beyondraid.accounts.testing import sign_in_verified
from beyondraid.standard import services
from beyondraid.standard.models import FundingSource
from beyondraid.standard.tests.builders import make_agency

pytestmark = pytest.mark.django_db


def _signed_in(user) -> Client:
    client = Client()
    sign_in_verified(client, user)
    return client


@pytest.fixture
def grants_office(db):
    return make_agency(name="State Office of Victim Grants", kind="other")


def _form(world, grants_office, **overrides) -> dict:
    return {
        "funder": grants_office.pk,
        "recipient": world.agency_a.pk,
        "purpose": "labour_law_enforcement",
        "conditions": ["none"],
        "programme": "Wage theft task grant",
        "amount": "125000.00",
        "period_start": "2022-01-01",
        "period_end": "2022-12-31",
        **overrides,
    }


def test_a_steward_records_their_agencys_grant_and_it_is_audited(world, grants_office):
    response = _signed_in(world.steward_a).post("/funding/new/", _form(world, grants_office))
    assert response.status_code == 302 and response["Location"] == "/funding/"
    grant = FundingSource.objects.get()
    assert (grant.funder, grant.recipient, grant.purpose) == (
        grants_office,
        world.agency_a,
        "labour_law_enforcement",
    )
    assert grant.conditions == ["none"] and grant.amount == Decimal("125000.00")
    assert (grant.entered_by, grant.source) == (world.steward_a, "form")
    created = AuditEntry.objects.get(object_type="standard.fundingsource", action="create")
    assert created.actor == world.steward_a


def test_a_correction_is_audited_with_the_fields_it_changed(world, grants_office):
    client = _signed_in(world.steward_a)
    client.post("/funding/new/", _form(world, grants_office))
    grant = FundingSource.objects.get()
    page = client.get(f"/funding/{grant.pk}/edit/")
    assert page.status_code == 200 and "Wage theft task grant" in page.content.decode()
    response = client.post(
        f"/funding/{grant.pk}/edit/",
        _form(world, grants_office, amount="150000.00", conditions=["outcome_targets"]),
    )
    assert response.status_code == 302
    grant.refresh_from_db()
    assert grant.amount == Decimal("150000.00") and grant.conditions == ["outcome_targets"]
    changed = AuditEntry.objects.get(object_type="standard.fundingsource", action="update")
    assert changed.actor == world.steward_a
    assert changed.changed_fields == ["amount", "conditions"]


@pytest.mark.parametrize(
    ("overrides", "message"),
    [
        ({"recipient": ""}, "Name the recipient, the organisation that received the money"),
        (
            {"conditions": ["none", "anti_prostitution_pledge"]},
            "Conditions attached</a>: &#x27;No conditions&#x27; cannot be combined",
        ),
        ({"amount": "-5"}, "Amount in dollars</a>: The amount cannot be negative."),
        ({"period_end": "2021-12-31"}, "A funding period cannot end before it starts."),
        ({"programme": ""}, "Enter the programme: the grant or budget line"),
        ({"purpose": "bribes"}, "Purpose</a>: Choose one of the options in the list."),
    ],
)
def test_bad_input_comes_back_naming_the_field(world, grants_office, overrides, message):
    response = _signed_in(world.steward_a).post(
        "/funding/new/", _form(world, grants_office, **overrides)
    )
    assert response.status_code == 400
    assert message in response.content.decode()
    assert not FundingSource.objects.exists()


def test_the_recipient_is_not_the_funder_on_the_page(world):
    response = _signed_in(world.administrator).post(
        "/funding/new/", _form(world, world.agency_a, recipient=world.agency_a.pk)
    )
    assert response.status_code == 400
    assert "The recipient must be another organisation than the funder" in (
        response.content.decode()
    )


def test_a_steward_records_only_their_own_agencys_money(world, grants_office):
    response = _signed_in(world.steward_b).post("/funding/new/", _form(world, grants_office))
    assert response.status_code == 400
    assert "A data steward records the money their own agency gives or receives" in (
        response.content.decode()
    )
    assert not FundingSource.objects.exists()


def _agency_a_grant(grants_office) -> FundingSource:
    return services.record_funding_source(
        funder=grants_office,
        recipient=None,
        purpose="law_enforcement_operations",
        programme="Task force grant",
        amount=Decimal("80000"),
        period_start=datetime.date(2021, 1, 1),
        period_end=datetime.date(2021, 12, 31),
    )


def test_another_agencys_steward_cannot_correct_the_money_nor_take_it(world, grants_office):
    grant = services.record_funding_source(
        funder=grants_office,
        recipient=world.agency_a,
        purpose="victim_services",
        programme="Agency A's grant",
        amount=Decimal("1000"),
        period_start=datetime.date(2021, 1, 1),
        period_end=datetime.date(2021, 12, 31),
    )
    steward_b = _signed_in(world.steward_b)
    page = steward_b.get(f"/funding/{grant.pk}/edit/")
    assert page.status_code == 403
    assert "You may not correct this funding record" in page.content.decode()
    steward_b.post(f"/funding/{grant.pk}/edit/", _form(world, grants_office))
    grant.refresh_from_db()
    assert grant.programme == "Agency A's grant"
    # A's steward may not hand it to someone else either: it would no longer be theirs.
    response = _signed_in(world.steward_a).post(
        f"/funding/{grant.pk}/edit/",
        _form(world, grants_office, recipient=world.agency_b.pk, purpose="victim_services"),
    )
    assert response.status_code == 400
    assert "name your agency as the funder or the recipient" in response.content.decode()


def test_an_administrator_corrects_any_funding(world, grants_office):
    grant = _agency_a_grant(grants_office)
    response = _signed_in(world.administrator).post(
        f"/funding/{grant.pk}/edit/",
        _form(
            world,
            grants_office,
            recipient="",
            purpose="law_enforcement_operations",
            programme="Task force grant, corrected",
        ),
    )
    assert response.status_code == 302
    grant.refresh_from_db()
    assert grant.programme == "Task force grant, corrected"


def test_the_list_filters_by_purpose_and_year(world, grants_office):
    _agency_a_grant(grants_office)
    services.record_funding_source(
        funder=grants_office,
        recipient=world.provider,
        purpose="hotline",
        conditions=["per_person_served"],
        programme="Help line",
        amount=Decimal("20000"),
        period_start=datetime.date(2022, 7, 1),
        period_end=datetime.date(2023, 6, 30),
    )
    analyst = _signed_in(world.analyst)
    everything = analyst.get("/funding/").content.decode()
    assert "Task force grant" in everything and "Help line" in everything
    assert "Paid per person served" in everything
    # The analyst reads; the page offers no recording to them.
    assert "Record funding" not in everything
    hotlines = analyst.get("/funding/", {"purpose": "hotline"}).content.decode()
    assert "Help line" in hotlines and "Task force grant" not in hotlines
    of_2023 = analyst.get("/funding/", {"year": "2023"}).content.decode()
    assert "Help line" in of_2023 and "Task force grant" not in of_2023
    bad = analyst.get("/funding/", {"year": "twenty"})
    assert bad.status_code == 400
    assert "Enter the year as four digits" in bad.content.decode()


def test_caseworkers_are_told_their_role_does_not_read_funding(world):
    response = _signed_in(world.caseworker).get("/funding/")
    assert response.status_code == 403
    assert "Your role does not read funding records" in response.content.decode()


def test_readers_who_do_not_record_are_told_so(world):
    response = _signed_in(world.investigator).get("/funding/new/")
    assert response.status_code == 403
    assert "Your role does not record funding" in response.content.decode()


def test_the_home_page_and_the_operations_list_lead_to_the_funding_records(world):
    assert "/funding/" in _signed_in(world.administrator).get("/").content.decode()
    assert "/funding/" in _signed_in(world.steward_a).get("/operations/").content.decode()
    assert "/funding/" not in _signed_in(world.caseworker).get("/").content.decode()
