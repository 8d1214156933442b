"""``beyondraid demo_funding``: the demo's money, of every purpose, so that the indicators and the
demo release can set the money for operations beside the money for services, outreach, a
hotline, community organisations and labour-law enforcement (issue 21, R-185 to R-190).

Everything here is synthetic: every organisation's name begins with "Synthetic", every
programme's name ends with "(demo)", and every record says so in its source reference. The
grants to the demo's providers carry the conditions the 2009 report names (cooperation with law
enforcement, an anti-prostitution pledge, a police report, payment per person served); the money
for operations is allocated to the synthetic operations of the Bayview police in its period.

Run by ``beyondraid demo`` after the synthetic data and the directory, before the demo release
is published; idempotent: a programme already recorded is left alone.
"""

import datetime
from dataclasses import dataclass
from decimal import Decimal

from django.core.management.base import BaseCommand, CommandError
from django.db import transaction

from beyondraid.standard import services
from beyondraid.standard.models import Agency, FundingSource, Operation

SOURCE_REFERENCE = "beyondraid demo: synthetic funding"

# Funders that are not in the synthetic data, and one recipient: (name, kind).
FUNDERS = (
    ("Synthetic State Office of Victim Grants", "other"),
    ("Synthetic Federal Anti-Trafficking Grants Office", "other"),
    ("Synthetic Harbor County Board of Supervisors", "other"),
    ("Synthetic State Labor Standards Office", "other"),
)
# The directory's other two providers, listed by ``demo_network``; made here the same way when
# this command runs first.
PROVIDERS = (
    ("Synthetic Casa Segura Refuge", "victim_service_provider"),
    ("Synthetic Valley Workers' Legal Center", "victim_service_provider"),
)
BAYVIEW_POLICE = "Synthetic Bayview Police Department"


@dataclass(frozen=True)
class DemoFunding:
    programme: str
    funder: str
    recipient: str | None
    purpose: str
    conditions: tuple[str, ...]
    amount: int
    first: datetime.date
    last: datetime.date


FUNDING = (
    # Money for operations: a federal task-force grant to the Bayview police tied to arrests,
    # and the department's own vice budget, which has no recipient.
    DemoFunding(
        "Task-force grant for enforcement operations (demo)",
        "Synthetic Federal Anti-Trafficking Grants Office",
        BAYVIEW_POLICE,
        "law_enforcement_operations",
        ("outcome_targets",),
        900_000,
        datetime.date(2021, 1, 1),
        datetime.date(2022, 12, 31),
    ),
    DemoFunding(
        "Vice unit operations budget (demo)",
        BAYVIEW_POLICE,
        None,
        "law_enforcement_operations",
        ("none",),
        400_000,
        datetime.date(2023, 1, 1),
        datetime.date(2024, 12, 31),
    ),
    # Victim services, with the conditions that shut people out of help.
    DemoFunding(
        "Trafficking victim services grant (demo)",
        "Synthetic State Office of Victim Grants",
        "Synthetic Safe Passage Survivor Services",
        "victim_services",
        ("cooperation_with_law_enforcement", "police_report_required"),
        450_000,
        datetime.date(2021, 7, 1),
        datetime.date(2023, 6, 30),
    ),
    DemoFunding(
        "Survivor shelter grant (demo)",
        "Synthetic Federal Anti-Trafficking Grants Office",
        "Synthetic Casa Segura Refuge",
        "victim_services",
        ("anti_prostitution_pledge",),
        300_000,
        datetime.date(2022, 1, 1),
        datetime.date(2023, 12, 31),
    ),
    DemoFunding(
        "County survivor services fund (demo)",
        "Synthetic Harbor County Board of Supervisors",
        "Synthetic Safe Passage Survivor Services",
        "victim_services",
        ("none",),
        200_000,
        datetime.date(2023, 7, 1),
        datetime.date(2024, 6, 30),
    ),
    DemoFunding(
        "Harbor County help line (demo)",
        "Synthetic State Office of Victim Grants",
        "Synthetic Safe Passage Survivor Services",
        "hotline",
        ("per_person_served",),
        160_000,
        datetime.date(2021, 1, 1),
        datetime.date(2024, 6, 30),
    ),
    DemoFunding(
        "Worker outreach and public education (demo)",
        "Synthetic State Office of Victim Grants",
        "Synthetic Bayview Workers' Rights Center",
        "outreach",
        ("none",),
        120_000,
        datetime.date(2022, 1, 1),
        datetime.date(2022, 12, 31),
    ),
    DemoFunding(
        "Immigrant community organising fund (demo)",
        "Synthetic Harbor County Board of Supervisors",
        "Synthetic Harbor Interfaith Council",
        "community_organisations",
        ("none",),
        150_000,
        datetime.date(2022, 7, 1),
        datetime.date(2024, 6, 30),
    ),
    DemoFunding(
        "Wage theft and debt bondage enforcement (demo)",
        "Synthetic Harbor County Board of Supervisors",
        "Synthetic State Labor Standards Office",
        "labour_law_enforcement",
        (),
        350_000,
        datetime.date(2021, 1, 1),
        datetime.date(2023, 12, 31),
    ),
    DemoFunding(
        "Legal help for workers in labour cases (demo)",
        "Synthetic State Office of Victim Grants",
        "Synthetic Valley Workers' Legal Center",
        "labour_law_enforcement",
        ("none",),
        90_000,
        datetime.date(2024, 1, 1),
        datetime.date(2024, 6, 30),
    ),
)
# What each operation paid for took from its funding: (category, allocated, spent).
ALLOCATION = (
    ("overtime", Decimal("18000"), Decimal("17250")),
    ("equipment_purchases", Decimal("4000"), Decimal("3890")),
    ("training", Decimal("1500"), None),
)


class Command(BaseCommand):
    help = "Record the demo's synthetic funding of every purpose (run by `beyondraid demo`)."

    @transaction.atomic
    def handle(self, *args, **options):
        if not Agency.objects.filter(name=BAYVIEW_POLICE).exists():
            raise CommandError("The synthetic demo data is missing: run `beyondraid demo`.")
        recorded = 0
        for funding in FUNDING:
            if FundingSource.objects.filter(programme=funding.programme).exists():
                continue
            source = services.record_funding_source(
                funder=self._organisation(funding.funder),
                recipient=self._organisation(funding.recipient) if funding.recipient else None,
                purpose=funding.purpose,
                conditions=funding.conditions,
                programme=funding.programme,
                amount=Decimal(funding.amount),
                period_start=funding.first,
                period_end=funding.last,
                source="import",
                source_reference=SOURCE_REFERENCE,
            )
            if source.for_operations:
                self._allocate(source)
            recorded += 1
        if recorded:
            self.stdout.write(f"Synthetic demo funding recorded: {recorded} funding records.")
        else:
            self.stdout.write("Synthetic demo funding already recorded.")

    def _organisation(self, name: str) -> Agency:
        agency = Agency.objects.filter(name=name).first()
        if agency is not None:
            return agency
        kind = dict([*FUNDERS, *PROVIDERS]).get(name)
        if kind is None:
            raise CommandError(f"The synthetic organisation {name!r} is missing: run the demo.")
        return services.record_agency(
            name=name, kind=kind, state="CA", source="import", source_reference="beyondraid demo"
        )

    def _allocate(self, source: FundingSource) -> None:
        """Allocate to the Bayview police's synthetic operations of the period, in date order,
        as many as the money covers."""
        per_operation = sum(allocated for _, allocated, _ in ALLOCATION)
        operations = Operation.objects.filter(
            data_origin="synthetic",
            participants__agency__name=BAYVIEW_POLICE,
            participants__part="lead",
            start_date__range=(source.period_start, source.period_end),
        ).order_by("start_date", "code")
        covered = int(source.amount // per_operation)
        for operation in operations[:covered]:
            for category, allocated, spent in ALLOCATION:
                services.allocate_funding(
                    funding_source=source,
                    operation=operation,
                    category=category,
                    amount_allocated=allocated,
                    amount_spent=spent,
                    source="import",
                    source_reference=SOURCE_REFERENCE,
                )
