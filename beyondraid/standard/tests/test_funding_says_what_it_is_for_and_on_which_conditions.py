"""Funding beyond operations (issue 21, R-185 to R-190): conditions are codes of their
vocabulary with 'no conditions' alone; money for anything but operations names its recipient,
which is not the funder; only money for operations is allocated to operations. Each refusal names
its field in plain words, on the model and in the database."""

import datetime
from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction

from beyondraid.standard import services
from beyondraid.standard.models import FundingSource
from beyondraid.standard.tests.builders import make_agency, make_operation

pytestmark = pytest.mark.django_db


def _grant(**overrides) -> FundingSource:
    values = {
        "funder": make_agency(name="State Office of Victim Grants", kind="other"),
        "recipient": make_agency(name="Safe Harbor Services", kind="victim_service_provider"),
        "purpose": "victim_services",
        "conditions": ["none"],
        "programme": "Victim services grant",
        "amount": Decimal("50000"),
        "period_start": datetime.date(2022, 1, 1),
        "period_end": datetime.date(2022, 12, 31),
        **overrides,
    }
    return services.record_funding_source(**values)


def _refusal(**overrides) -> dict[str, list[str]]:
    with pytest.raises(ValidationError) as refused:
        _grant(**overrides)
    return refused.value.message_dict


def test_a_grant_with_its_conditions_is_recorded():
    grant = _grant(conditions=["cooperation_with_law_enforcement", "anti_prostitution_pledge"])
    assert grant.conditions == ["cooperation_with_law_enforcement", "anti_prostitution_pledge"]
    assert grant.recipient is not None and grant.recipient.name == "Safe Harbor Services"


@pytest.mark.parametrize(
    ("conditions", "message"),
    [
        (["anti_prostitution_pledge", "none"], "'No conditions' cannot be combined"),
        (["loyalty_oath"], "Unknown condition code(s) loyalty_oath"),
        (["other", "other"], "A condition code is listed twice"),
    ],
)
def test_conditions_are_codes_of_their_vocabulary_with_no_conditions_alone(conditions, message):
    errors = _refusal(conditions=conditions)
    assert message in " ".join(errors["conditions"])
    assert not FundingSource.objects.exists()


def test_conditions_are_a_list():
    grant = _grant()
    grant.conditions = "anti_prostitution_pledge"
    with pytest.raises(ValidationError) as refused:
        grant.full_clean()
    assert refused.value.message_dict["conditions"] == ["Give a list of condition codes."]


def test_money_beyond_operations_names_its_recipient():
    errors = _refusal(recipient=None, purpose="hotline")
    assert "Name the recipient" in errors["recipient"][0]


def test_money_for_operations_may_leave_the_recipient_to_its_allocations():
    police = make_agency(name="Bayview Police")
    budget = _grant(funder=police, recipient=None, purpose="law_enforcement_operations")
    assert budget.recipient is None and budget.for_operations


def test_the_recipient_is_not_the_funder():
    office = make_agency(name="Labour Standards Office", kind="other")
    errors = _refusal(funder=office, recipient=office, purpose="labour_law_enforcement")
    assert "recipient must be another organisation than the funder" in errors["recipient"][0]


@pytest.mark.parametrize(
    ("change", "constraint"),
    [
        ({"recipient": None}, "standard_funding_beyond_operations_names_recipient"),
        ({"recipient_id": "funder"}, "standard_funding_recipient_is_not_funder"),
    ],
)
def test_the_database_refuses_what_the_model_refuses(change, constraint):
    grant = _grant()
    values = {
        name: grant.funder_id if value == "funder" else value for name, value in change.items()
    }
    with pytest.raises(IntegrityError, match=constraint), transaction.atomic():
        FundingSource.objects.filter(pk=grant.pk).update(**values)


def test_only_money_for_operations_is_allocated_to_operations():
    grant = _grant()
    with pytest.raises(ValidationError) as refused:
        services.allocate_funding(
            funding_source=grant,
            operation=make_operation(),
            category="victim_services",
            amount_allocated=Decimal("1000"),
        )
    message = refused.value.message_dict["funding_source"][0]
    assert "“Victim services grant” is money for victim services" in message
    assert not grant.allocations.exists()


def test_money_allocated_to_operations_keeps_its_purpose():
    grant = _grant(purpose="law_enforcement_operations", conditions=["outcome_targets"])
    services.allocate_funding(
        funding_source=grant,
        operation=make_operation(),
        category="overtime",
        amount_allocated=Decimal("1000"),
    )
    grant.purpose = "outreach"
    with pytest.raises(ValidationError) as refused:
        grant.full_clean()
    assert (
        "The purpose stays law-enforcement operations" in refused.value.message_dict["purpose"][0]
    )
