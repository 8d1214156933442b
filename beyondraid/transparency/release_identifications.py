"""Where a release's identifications come from (issue 21 item 4, R-165): victims identified by
pathway and by sector of work, disclosure-checked like every other count.

**Whom a release counts.** People met in operations are counted as every other table counts
them: in the release's operations, under the operation's state and lead agency. A person
identified outside any operation is counted by facts of their own record: in the period when
the day they were identified (``encountered_on``) falls in it, in a state release when the
organisation that identified them is in that state, in an agency release when that
organisation is the agency (``identified_by``). A *victim identified* means what it means in
the headline: a current role of suspected or confirmed victim (``facts.identification_facts``).

**Atoms.** People met in operations add the atoms they already add: the pathway table's row of
operations is the headline's victims identified, the very same atoms, so the checker sees that
it is one figure. A person identified outside any operation adds one atom of the kind
``identified|<pathway>|<sector>|<form>`` at a unit of their own (``atoms.person_unit``): they
have no operation, and a unit per person is fine enough for every scope and period and the same
in every release. Blocks group those units as they group operations, so a release stores one
block per kind and set of figures, not one per person.

**Sector of the people met in operations.** Releases do not split them by sector. Every count of
victims of operations (the headline, each agency, state and year) would have to be split by
sector too, or the checker would not see that the sectors add up to the headline, and could
pass a suppressed sector a reader works out by subtraction; that split would also change the
atoms of every earlier published release's victims, which the checker relates to this one's.
The sector table therefore counts the people identified outside operations, whose atoms carry
their sector; the analysts' indicators split everyone by sector.

**Differential privacy.** A release protected by noise states a contribution bound for every
measure it counts, and its cells cover operations only; these tables are left out of such
releases (``wanted``).
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Hashable

from django.db.models import Q, QuerySet

from beyondraid.core.disclosure import Count as CountFigure
from beyondraid.standard.models import THROUGH_OPERATION, Encounter
from beyondraid.standard.vocabulary import vocabulary

from . import facts
from .atoms import person_unit
from .release_tables import (
    ALL,
    IDENTIFICATIONS_BY_PATHWAY,
    IDENTIFICATIONS_BY_SECTOR,
    BuiltTable,
    Column,
    ReleaseData,
    Scope,
    _Atoms,
    _Builder,
    _ratio,
)

# The kind of the atoms of people identified outside operations: identified|pathway|sector|form.
MEASURE = "identified"
ALL_PATHWAYS = "All pathways"
ALL_SECTORS = "All sectors"


def people_outside_operations(scope: Scope) -> QuerySet[Encounter]:
    """The people a release counts who were identified outside any operation, with their facts."""
    people = Encounter.objects.filter(
        operation__isnull=True,
        encountered_on__gte=scope.period_start,
        encountered_on__lte=scope.period_end,
    )
    if scope.agency_id:
        people = people.filter(identified_by_id=scope.agency_id)
    if scope.state:
        people = people.filter(identified_by__state=scope.state)
    return facts.identification_facts(people)


class IdentifiedOutsideOperations:
    """The victims a release counts who were identified outside operations: their atoms, added
    to the release's, and where each is counted (state and year), for the tables by place."""

    def __init__(self, scope: Scope, atoms: _Atoms):
        breakdowns = ("identification_pathway", "work_sector", "trafficking_form")
        rows = (
            people_outside_operations(scope)
            .filter(Q(is_victim=True))
            .order_by("pk")
            .values("pk", "state", "year", *breakdowns)
        )
        self.where: dict[int, tuple[str, int]] = {}
        units, parts = [], []
        for row in rows:
            unit = person_unit(row["pk"])
            self.where[unit] = (row["state"], row["year"])
            units.append(unit)
            parts.append(tuple(row[name] for name in breakdowns))
        atoms.add(MEASURE, units, [1] * len(units), parts)

    def units_by(self, key) -> dict[Hashable, list[int]]:
        grouped: dict[Hashable, list[int]] = defaultdict(list)
        for unit, (state, year) in self.where.items():
            grouped[key(state, year)].append(unit)
        return dict(grouped)


def wanted(data: ReleaseData) -> bool:
    """Whether the release counts identifications outside operations: every release protected
    by suppression; not one protected by noise (``dp_release``), whose cells cover operations
    only and state no contribution bound for these people."""
    return data.beyond_operations


def codes(name: str) -> list[str]:
    return [code for code, _ in vocabulary(name).choices]


def identified(data: ReleaseData, units, pathways=None, sectors=None, forms=None) -> CountFigure:
    """Victims identified outside operations among ``units`` (None: all of them)."""
    return data.atoms.count(
        MEASURE,
        units,
        pathways or [code for code in codes("identification_pathway") if code != THROUGH_OPERATION],
        sectors or codes("work_sector"),
        forms or codes("trafficking_form"),
    )


def union(*figures: CountFigure) -> CountFigure:
    """A count of disjoint groups of people taken together: the union of their atoms."""
    return CountFigure(
        frozenset().union(*(f.atoms for f in figures)), sum(f.value or 0 for f in figures)
    )


def pathway_table(data: ReleaseData, builder: _Builder) -> BuiltTable:
    table = BuiltTable(
        IDENTIFICATIONS_BY_PATHWAY,
        "Where identifications come from",
        "Victims identified, by the pathway through which each was identified: met in a "
        "law-enforcement operation, or identified outside any by another law-enforcement "
        "contact, the person coming forward, a community or faith organisation, another "
        "survivor, a hotline, a hospital or clinic, a court, a labour inspection or advocate, "
        "immigration proceedings, a school or another way; and each pathway's share of all "
        "victims identified.",
        [
            Column("pathway", "Pathway", "label"),
            Column("pathway_key", "Pathway key", "label", "A stable key for links."),
            Column(
                "victims_identified",
                "Victims identified",
                "count",
                "People whose current role is suspected or confirmed victim of trafficking: met "
                "in the release's operations, or identified outside any operation in its period "
                "and scope.",
            ),
            Column(
                "share_of_victims",
                "Share of all victims identified",
                "ratio",
                "Victims identified through the pathway ÷ victims identified through all of them.",
                "%",
            ),
        ],
    )
    through_operations = builder.victims(None)
    rows = [
        (code, label, through_operations if code == THROUGH_OPERATION else None)
        for code, label in vocabulary("identification_pathway").choices
    ]
    figures = {
        code: figure if figure is not None else identified(data, None, [code])
        for code, _, figure in rows
    }
    total = union(*figures.values())
    for code, label, _ in rows:
        table.add_row(
            {"pathway": label, "pathway_key": code},
            {
                "victims_identified": figures[code],
                "share_of_victims": _ratio(data, figures[code], total, 100),
            },
        )
    table.add_row(
        {"pathway": ALL_PATHWAYS, "pathway_key": ALL},
        {"victims_identified": total, "share_of_victims": _ratio(data, total, total, 100)},
    )
    return table


def sector_table(data: ReleaseData) -> BuiltTable:
    forms = vocabulary("trafficking_form").choices
    table = BuiltTable(
        IDENTIFICATIONS_BY_SECTOR,
        "Victims identified outside operations, by sector of work",
        "Victims identified outside any law-enforcement operation in the release's period and "
        "scope, by the sector of the work they were in and the form of trafficking alleged (an "
        "allegation, never a finding). People met in operations are counted in the table of "
        "pathways, not here: splitting every count of them by sector would weaken the "
        "protection of the release's other figures.",
        [
            Column("sector", "Sector of work", "label"),
            Column("sector_key", "Sector key", "label", "A stable key for links."),
            Column(
                "total",
                "Victims identified outside operations",
                "count",
                "Victims identified outside any operation who worked in the sector.",
            ),
            *(
                Column(
                    f"form_{code}",
                    f"Form alleged: {label.lower()}",
                    "count",
                    f"Of them, those for whom the form of trafficking alleged is: {label.lower()}.",
                )
                for code, label in forms
            ),
        ],
    )
    for code, label in [*vocabulary("work_sector").choices, (ALL, ALL_SECTORS)]:
        sectors = None if code == ALL else [code]
        table.add_row(
            {"sector": label, "sector_key": code},
            {
                "total": identified(data, None, sectors=sectors),
                **{
                    f"form_{form}": identified(data, None, sectors=sectors, forms=[form])
                    for form, _ in forms
                },
            },
        )
    return table


def build(data: ReleaseData, builder: _Builder) -> list[BuiltTable]:
    if not wanted(data):
        return []
    return [pathway_table(data, builder), sector_table(data)]
