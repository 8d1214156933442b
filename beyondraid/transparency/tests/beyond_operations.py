"""Records for the tests of the release tables of issue 21: an operation with its victims, people
identified outside operations by providers in two states, and money of every kind.

- Agency A's operation (California, October 2020): 12 more suspected victims, 13 with the
  world's own, and agency B's one: 14 victims met in operations in all.
- The world's provider (California): 12 self-referred people who worked in restaurants, alleging
  labour trafficking (the first recorded by its caseworker through the caseworker's form), and 3
  identified through a hotline, in agriculture; one more self-referral in 2019, outside the
  release's period.
- A Nevada provider: 2 self-referred people in domestic work.
- Money: 150,000 dollars allocated to agency A's operation; a 60,000-dollar victim-services grant
  to the California provider that requires cooperation with law enforcement, a 12,000-dollar
  hotline grant with no conditions; a 20,000-dollar outreach grant to the Nevada provider.
"""

import datetime
from dataclasses import dataclass
from decimal import Decimal

from beyondraid.care import services as care
from beyondraid.standard import services
from beyondraid.standard.models import Agency, Encounter, FundingSource
from beyondraid.standard.tests.builders import make_agency, make_encounter

PERIOD = (datetime.date(2020, 1, 1), datetime.date(2020, 12, 31))
IDENTIFIED_ON = datetime.date(2020, 11, 2)
OPERATION_VICTIMS = 14
OPERATION_DOLLARS = Decimal("150000")
SERVICES_DOLLARS = Decimal("72000")  # victim services and hotline, California


@dataclass
class BeyondOperations:
    restaurant_worker: Encounter
    nevada_provider: Agency


def identify(provider, *, count: int, on=IDENTIFIED_ON, **facts) -> list[Encounter]:
    return [
        services.record_encounter(
            operation=None,
            encountered_on=on,
            identified_by=provider,
            role="suspected_victim",
            role_basis="self_identified",
            **facts,
        )
        for _ in range(count)
    ]


def grant(*, funder, recipient, purpose, amount, conditions, year=2020) -> FundingSource:
    source = FundingSource(
        funder=funder,
        recipient=recipient,
        purpose=purpose,
        conditions=conditions,
        programme=f"{purpose} {year}",
        amount=Decimal(amount),
        period_start=datetime.date(year, 1, 1),
        period_end=datetime.date(year, 12, 31),
    )
    source.full_clean()
    source.save()
    return source


def beyond_operations(world) -> BeyondOperations:
    for _ in range(12):
        make_encounter(
            operation=world.operation_a, role="suspected_victim", role_basis="self_identified"
        )
    restaurant_worker = care.record_identification(
        user=world.caseworker,
        identified_on=IDENTIFIED_ON,
        identification_pathway="self_referral",
        work_sector="restaurants_and_food",
        trafficking_form="labour",
        role="suspected_victim",
        role_basis="self_identified",
    )
    restaurant = {"work_sector": "restaurants_and_food", "trafficking_form": "labour"}
    identify(world.provider, count=11, identification_pathway="self_referral", **restaurant)
    identify(world.provider, count=3, identification_pathway="hotline", work_sector="agriculture")
    identify(
        world.provider,
        count=1,
        on=datetime.date(2019, 6, 1),
        identification_pathway="self_referral",
        **restaurant,
    )
    nevada = make_agency(
        name="Silver State Survivor Network", kind="victim_service_provider", state="NV"
    )
    identify(nevada, count=2, identification_pathway="self_referral", work_sector="domestic_work")

    funder = make_agency(name="State Office of Emergency Services", kind="other")
    operations = services.record_funding_source(
        funder=funder,
        programme="Task force grant",
        amount=OPERATION_DOLLARS,
        period_start=PERIOD[0],
        period_end=PERIOD[1],
    )
    services.allocate_funding(
        funding_source=operations,
        operation=world.operation_a,
        category="overtime",
        amount_allocated=OPERATION_DOLLARS,
    )
    grant(
        funder=funder,
        recipient=world.provider,
        purpose="victim_services",
        amount="60000",
        conditions=["cooperation_with_law_enforcement"],
    )
    grant(
        funder=funder,
        recipient=world.provider,
        purpose="hotline",
        amount="12000",
        conditions=["none"],
    )
    grant(funder=funder, recipient=nevada, purpose="outreach", amount="20000", conditions=[])
    return BeyondOperations(restaurant_worker=restaurant_worker, nevada_provider=nevada)
