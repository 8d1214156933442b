"""The money beside the raids (issue 21 item 6, R-185 to R-190): per jurisdiction and year, the
dollars spent on law-enforcement operations against the dollars for victim services, outreach,
hotlines, community organisations and labour-law enforcement, the grants carrying each
restrictive condition, and the dollars per victim identified through operations and through
every other pathway.

**Where and when money is counted.**

- Money for operations is what the funding allocations gave the release's operations (as the
  table ``funding_by_category`` counts it), in the operation's state and the year it started.
- Every other grant (a ``FundingSource`` whose purpose is not law-enforcement operations) is
  counted in the state of its recipient (of its funder when no recipient is recorded) and the
  year of the first day of its funding period, when that day falls in the release's period; in
  an agency release, the grants the agency received.
- Grants with a condition are counted the same way, whatever their purpose: a grant, not a
  person, so not suppressed (as operations are counted by how they were planned).
- The jurisdiction is the state (one in a state release, each in a release of all states); in
  an agency release, the agency.

**Dollars per victim.** Dollars are not counts of people and are shown as they are; a figure per
victim reveals the count it divides by, so it is a ratio whose denominator is the victims count
of its row (``disclosure.Ratio`` with a ``numerator_amount``). Suppression hides the ratio
whenever that count is suppressed, as a primary small count or to protect another figure, and
the checker reads a shown ratio as the interval of victims it allows: a per-victim figure never
appears where its victims count is hidden. Money for operations is divided by the victims met
in the operations of the row; every other dollar by the victims identified outside operations
in the row's jurisdiction and year. The second is a juxtaposition, not a cost: services also
serve people met in operations.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Hashable
from decimal import Decimal

from django.db.models import F, Sum
from django.db.models.functions import Coalesce, ExtractYear

from beyondraid.core.disclosure import Count as CountFigure
from beyondraid.core.disclosure import Ratio, ratio_value
from beyondraid.standard.models import Agency, FundingAllocation, FundingSource
from beyondraid.standard.vocabulary import vocabulary

from .release_identifications import identified, wanted
from .release_tables import FUNDING_BY_PURPOSE, BuiltTable, Column, ReleaseData, _Builder

OPERATIONS_PURPOSE = "law_enforcement_operations"
# Conditions that restrict who is helped or how; 'none' says a grant has none.
NO_CONDITIONS = "none"


def _other_purposes() -> list[tuple[str, str]]:
    return [
        (c, label) for c, label in vocabulary("funding_purpose").choices if c != OPERATIONS_PURPOSE
    ]


def _conditions() -> list[tuple[str, str]]:
    return [
        (c, label) for c, label in vocabulary("funding_condition").choices if c != NO_CONDITIONS
    ]


def _per_victim(dollars: Decimal, victims: CountFigure) -> Ratio:
    amount = float(dollars) if dollars else None
    return Ratio(
        numerator=frozenset(),
        denominator=victims.atoms,
        scale=1,
        decimals=0,
        value=ratio_value(amount, victims.value or 0, 1, 0) if amount else None,
        numerator_amount=amount,
        parts=(amount, victims.value),
    )


class _Money:
    """The release's money and grants, by jurisdiction and year."""

    def __init__(self, data: ReleaseData):
        scope = data.scope
        self.agency = Agency.objects.get(pk=scope.agency_id) if scope.agency_id else None
        self.operations: dict[tuple, Decimal] = defaultdict(Decimal)
        allocated = (
            FundingAllocation.objects.filter(operation_id__in=list(data.operations))
            .order_by()
            .values("operation_id")
            .annotate(allocated=Sum("amount_allocated"))
        )
        for row in allocated:
            op = data.operations[row["operation_id"]]
            self.operations[self.key(op.state, op.start_date.year)] += row["allocated"]
        grants = FundingSource.objects.filter(
            period_start__gte=scope.period_start, period_start__lte=scope.period_end
        ).annotate(
            jurisdiction=Coalesce(F("recipient__state"), F("funder__state")),
            year=ExtractYear("period_start"),
        )
        if scope.agency_id:
            grants = grants.filter(recipient_id=scope.agency_id)
        if scope.state:
            grants = grants.filter(jurisdiction=scope.state)
        self.by_purpose: dict[tuple, dict[str, Decimal]] = defaultdict(lambda: defaultdict(Decimal))
        self.grants: dict[tuple, int] = defaultdict(int)
        self.conditions: dict[tuple, dict[str, int]] = defaultdict(lambda: defaultdict(int))
        for purpose, amount, conditions, state, year in grants.values_list(
            "purpose", "amount", "conditions", "jurisdiction", "year"
        ):
            key = self.key(state, year)
            if purpose != OPERATIONS_PURPOSE:
                self.by_purpose[key][purpose] += amount
            for condition in conditions or ():
                self.conditions[key][condition] += 1
            self.grants[key] += 1

    def key(self, state: str, year: int) -> tuple[str, int]:
        return (self.agency.name if self.agency else state or "Not recorded", year)

    def rows(self) -> list[tuple[str, int]]:
        return sorted({*self.operations, *self.grants})


def funding_table(data: ReleaseData, builder: _Builder) -> BuiltTable:
    money = _Money(data)
    table = BuiltTable(
        FUNDING_BY_PURPOSE,
        "Money for operations and money for services",
        "Per jurisdiction and year: dollars spent on law-enforcement operations against dollars "
        "for victim services, outreach, hotlines, community organisations and labour-law "
        "enforcement; the grants carrying each condition; and the dollars per victim identified "
        "through operations and through every other pathway (R-185 to R-190).",
        [
            Column("jurisdiction", "Jurisdiction", "label", "The state, or the agency."),
            Column("year", "Year", "label"),
            Column(
                "operations",
                "Law-enforcement operations",
                "amount",
                "Dollars allocated to the operations that started in the jurisdiction that year.",
                "$",
            ),
            *(
                Column(
                    code,
                    label,
                    "amount",
                    f"Dollars of grants for {label.lower()} received in the jurisdiction, by the "
                    "first year of their funding period.",
                    "$",
                )
                for code, label in _other_purposes()
            ),
            Column(
                "beyond_operations",
                "All money beyond operations",
                "amount",
                "Dollars of every grant for another purpose than law-enforcement operations.",
                "$",
            ),
            Column("grants", "Grants", "grants", "Grants recorded, whatever their purpose."),
            *(
                Column(
                    f"condition_{code}",
                    f"Grants with the condition: {label.lower()}",
                    "grants",
                    "Grants the funder attached this condition to (R-185).",
                )
                for code, label in _conditions()
            ),
            Column(
                "victims_through_operations",
                "Victims identified through operations",
                "count",
                "Victims identified in the operations that started in the jurisdiction that year.",
            ),
            Column(
                "dollars_per_victim_operations",
                "Operations dollars per victim identified through operations",
                "ratio",
                "Dollars for operations ÷ victims identified through operations.",
                "$ per victim",
            ),
            Column(
                "victims_other_pathways",
                "Victims identified through every other pathway",
                "count",
                "Victims identified outside any operation in the jurisdiction that year.",
            ),
            Column(
                "dollars_per_victim_other_pathways",
                "Other dollars per victim identified through other pathways",
                "ratio",
                "All money beyond operations ÷ victims identified through every other pathway; "
                "a comparison, not a cost: services also serve people met in operations.",
                "$ per victim",
            ),
        ],
    )
    operations = data.operations_by(lambda op: money.key(op.state, op.start_date.year))
    identified_units: dict[Hashable, list[int]] = data.identified.units_by(money.key)
    for key in money.rows():
        jurisdiction, year = key
        beyond = sum(money.by_purpose[key].values(), Decimal(0))
        through_operations = builder.victims(operations.get(key, []))
        other_pathways = identified(data, identified_units.get(key, []))
        conditions = money.conditions[key]
        table.add_row(
            {
                "jurisdiction": jurisdiction,
                "year": str(year),
                "operations": float(money.operations[key]),
                **{code: float(money.by_purpose[key][code]) for code, _ in _other_purposes()},
                "beyond_operations": float(beyond),
                "grants": money.grants[key],
                **{f"condition_{code}": conditions[code] for code, _ in _conditions()},
            },
            {
                "victims_through_operations": through_operations,
                "dollars_per_victim_operations": _per_victim(
                    money.operations[key], through_operations
                ),
                "victims_other_pathways": other_pathways,
                "dollars_per_victim_other_pathways": _per_victim(beyond, other_pathways),
            },
        )
    return table


def build(data: ReleaseData, builder: _Builder) -> list[BuiltTable]:
    if not wanted(data):
        return []
    return [funding_table(data, builder)]
