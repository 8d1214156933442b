"""The tables of a release, computed from live records before disclosure control.

Counts come from a handful of grouped queries over ``facts.encounter_facts()`` at the level of
*atoms* — one operation, one category; one person identified outside any operation
(``release_identifications``) — so that every released figure is a known sum of atoms and
the checker sees every relation between figures, across tables and across releases; once every
figure is built, the atoms are grouped into the blocks the release stores (atoms.py). Totals are
sums of the database's counts, never recounted in Python from people.

Figures already public (``AggregateFigure`` rows of published-aggregate operations) go into a
separate table with provenance "published", as printed, with their citation; they are not
person-level and do not pass through suppression.
"""

from __future__ import annotations

import datetime
from collections import defaultdict
from collections.abc import Callable, Collection, Hashable, Iterable, Sequence
from dataclasses import dataclass, field
from decimal import Decimal
from itertools import product

import numpy as np
from django.db import connections
from django.db.models import Count, Exists, F, OuterRef, Q, QuerySet, Sum
from django.utils.text import slugify

from beyondraid.accountability.models import Channel, Report
from beyondraid.core.disclosure import Count as CountFigure
from beyondraid.core.disclosure import Grid, Ratio, figure_flags, figure_proof, ratio_value
from beyondraid.planning.selectors import REVIEWS, operation_reviews
from beyondraid.standard.models import (
    Agency,
    Encounter,
    FundingAllocation,
    Operation,
    ServiceOffer,
)
from beyondraid.standard.vocabulary import vocabulary

from . import facts, indicators
from .atoms import AtomTable, atom_sets, rewrite_atoms
from .models import COMPUTED, PUBLISHED

ALL = "all"
ALL_AGENCIES = "All agencies"
ALL_YEARS = "All years"
# Population bands for peer comparison, as Police Scorecard compares agencies of similar size.
PEER_GROUPS = (
    (1_000_000, "Serves 1,000,000 people or more"),
    (100_000, "Serves 100,000–999,999 people"),
    (0, "Serves fewer than 100,000 people"),
)
NO_POPULATION = "Population served not recorded"
SCORE_MEASURES = (
    "victims_per_100_arrests",
    "share_victims_offered_services",
    "share_screened",
)
MINIMUM_PEERS = 3
# How dear a figure is to hide, for least-cost suppression (core.suppression): the measures the
# public site leads with, and totals, are hidden last; fine breakdowns first.
HEADLINE_MEASURES = frozenset(
    {
        "encounters",
        "arrests",
        "victims_identified",
        "victims_per_100_arrests",
        "victims_offered_services",
        "share_victims_offered_services",
    }
)
HEADLINE_WEIGHT = 4.0
TOTAL_LABELS = frozenset({ALL, ALL_AGENCIES, ALL_YEARS})
TOTAL_COLUMNS = frozenset({"total", "offers_total", "reports"})
TOTAL_WEIGHT = 4.0
# Past this many operations a release lists no operation one by one (see _operations_table).
MAX_OPERATION_ROWS = 300
# The tables of where identifications come from and of the money beside operations (issue 21:
# release_identifications, release_funding). They are protected after every other table, with
# its shown figures taken as known (releases.create_release), so that counting the people
# identified outside operations never hides a figure of what operations did.
IDENTIFICATIONS_BY_PATHWAY = "identifications_by_pathway"
IDENTIFICATIONS_BY_SECTOR = "identifications_by_sector"
FUNDING_BY_PURPOSE = "funding_by_purpose"
# The tables of abuse by officers by agency and type, and of what the people served say (issue
# 22, release_accountability): protected after the tables of operations for the same reason.
MISCONDUCT_BY_AGENCY_AND_TYPE = "misconduct_by_agency_and_type"
FEEDBACK_BY_ORGANISATION = "feedback_by_organisation"
PROTECTED_AFTER = frozenset(
    {
        IDENTIFICATIONS_BY_PATHWAY,
        IDENTIFICATIONS_BY_SECTOR,
        FUNDING_BY_PURPOSE,
        MISCONDUCT_BY_AGENCY_AND_TYPE,
        FEEDBACK_BY_ORGANISATION,
    }
)


@dataclass(frozen=True)
class Scope:
    period_start: datetime.date
    period_end: datetime.date
    state: str = ""
    agency_id: int | None = None

    def operations(self) -> QuerySet[Operation]:
        operations = Operation.objects.filter(
            start_date__gte=self.period_start, start_date__lte=self.period_end
        )
        if self.agency_id:
            operations = operations.filter(
                participants__part="lead", participants__agency_id=self.agency_id
            )
        return operations

    def encounters(self) -> QuerySet[Encounter]:
        facts_rows = facts.encounter_facts(
            Encounter.objects.filter(operation__in=self.operations())
        )
        return facts_rows.filter(state=self.state) if self.state else facts_rows


@dataclass
class Column:
    name: str
    title: str
    kind: str  # label, text, count, ratio, amount, operations, agencies, grants
    description: str = ""
    unit: str = ""

    @property
    def type(self) -> str:
        return {
            "count": "integer",
            "ratio": "number",
            "amount": "number",
            "operations": "integer",
            "agencies": "integer",
            "grants": "integer",
        }.get(self.kind, "string")

    def as_json(self) -> dict:
        described = {
            "name": self.name,
            "title": self.title,
            "type": self.type,
            "kind": self.kind,
            "description": self.description,
        }
        if self.unit:
            described["unit"] = self.unit
        return described


@dataclass
class BuiltTable:
    slug: str
    title: str
    description: str
    columns: list[Column]
    rows: list[dict] = field(default_factory=list)
    provenance: str = COMPUTED
    citation: str = ""
    notes: list[str] = field(default_factory=list)
    grid: Grid | None = None

    def __post_init__(self):
        if self.provenance == COMPUTED:
            self.grid = Grid(self.slug)

    def add_row(self, labels: dict, figures: dict) -> None:
        """A row: its labels as they are, its figures into the grid for disclosure control,
        weighted by how dear they are to hide."""
        index = len(self.rows)
        row = dict(labels)
        total_row = any(value in TOTAL_LABELS for value in labels.values())
        for name, figure in figures.items():
            figure.weight = (HEADLINE_WEIGHT if name in HEADLINE_MEASURES else 1.0) * (
                TOTAL_WEIGHT if total_row or name in TOTAL_COLUMNS else 1.0
            )
            self.grid.figures[(index, name)] = figure
            row[name] = figure.value
        self.rows.append(row)

    def released_rows(self) -> list[dict]:
        """Rows as released: each figure's value after suppression (None when suppressed)."""
        if self.grid is None:
            return self.rows
        return [
            {**row, **{name: f.value for (i, name), f in self.grid.figures.items() if i == index}}
            for index, row in enumerate(self.rows)
        ]

    def cells(self) -> list[dict]:
        """Per row, each figure's flags: suppressed (and why), unstable."""
        return self._per_figure(figure_flags)

    def proof(self) -> list[dict]:
        """Per row, what the checker needs of each figure (its atoms)."""
        return self._per_figure(figure_proof)

    def _per_figure(self, describe) -> list[dict]:
        if self.grid is None:
            return []
        described: list[dict] = [{} for _ in self.rows]
        for (index, name), figure in self.grid.figures.items():
            described[index][name] = describe(figure)
        return described


class _Atoms:
    """Counts by atom, and the figure any set of them adds up to.

    An atom is one measure and combination of codes (its *kind*) in one operation: the same in
    every release, so that the checker relates releases to one another (atoms.py). The counts
    are one array per kind over the release's operations, so that a figure is summed without
    listing its atoms. Until ``blocks`` groups the atoms, a figure's atoms are the numbers of
    the *selections* it adds up — some kinds over some operations — because how atoms can be
    grouped depends on every figure of the release.
    """

    def __init__(self):
        self._kinds: dict[tuple[str, tuple[str, ...]], int] = {}
        self._added: list[tuple[np.ndarray, np.ndarray, np.ndarray]] = []
        self.operations = np.zeros(0, dtype=np.int64)  # primary keys, ascending
        self._values = np.zeros((0, 0), dtype=np.int64)  # kind × operation
        self._totals = np.zeros(0, dtype=np.int64)  # kind, over every operation
        self._column_of: dict[int, int] = {}  # operation → its column
        # The sets of operations figures are taken over (None: all), numbered, and their columns.
        self._operation_sets: dict[tuple[int, ...] | None, int] = {}
        self._operation_keys: list[tuple[int, ...] | None] = []
        self._columns_of_set: dict[int, np.ndarray] = {}
        self._selections: dict[tuple[tuple[int, ...], int], int] = {}

    def add(
        self,
        measure: str,
        operations: Sequence[int],
        values: Sequence[int],
        parts: tuple[str, ...] | Sequence[tuple[str, ...]] = (),
    ) -> None:
        """``values[i]`` counted by ``measure`` in ``operations[i]``, with the codes ``parts``
        (one tuple for all, or one per value)."""
        counted = np.flatnonzero(np.asarray(values, dtype=np.int64))
        if not len(counted):
            return
        if isinstance(parts, tuple):
            kind = self._kinds.setdefault((measure, parts), len(self._kinds))
            kinds = np.full(len(counted), kind, dtype=np.int64)
        else:
            kinds = np.array(
                [
                    self._kinds.setdefault((measure, parts[i]), len(self._kinds))
                    for i in counted.tolist()
                ],
                dtype=np.int64,
            )
        self._added.append(
            (
                kinds,
                np.asarray(operations, dtype=np.int64)[counted],
                np.asarray(values, dtype=np.int64)[counted],
            )
        )

    def freeze(self) -> None:
        """Once every count is added: the counts by kind and operation."""
        if self._added:
            kinds, operations, values = (np.concatenate(c) for c in zip(*self._added, strict=True))
        else:
            kinds = operations = values = np.zeros(0, dtype=np.int64)
        self.operations, column = np.unique(operations, return_inverse=True)
        self._values = np.zeros((len(self._kinds), len(self.operations)), dtype=np.int64)
        np.add.at(self._values, (kinds, column), values)
        self._totals = self._values.sum(axis=1)
        self._column_of = {op: column for column, op in enumerate(self.operations.tolist())}
        self._added = []

    def count(
        self, measure: str, operations: Collection[int] | None, *choices: Iterable[str]
    ) -> CountFigure:
        """The figure of ``measure`` over ``operations`` (None: every operation of the
        release) and every combination of the parts in ``choices``."""
        kinds = tuple(
            kind
            for parts in product(*choices)
            if (kind := self._kinds.get((measure, parts))) is not None
        )
        if not kinds:
            return CountFigure(frozenset(), 0)
        key = None if operations is None else tuple(operations)
        if key not in self._operation_sets:
            self._operation_sets[key] = len(self._operation_keys)
            self._operation_keys.append(key)
        operation_set = self._operation_sets[key]
        if key is None:
            value = int(self._totals[list(kinds)].sum())
        elif len(key) == 1:
            # One operation (a row of the operations table; every atom of a DP release): looked
            # up rather than gathered.
            column = self._column_of.get(key[0])
            value = 0 if column is None else int(sum(self._values[kind, column] for kind in kinds))
        else:
            value = int(self._values[np.ix_(kinds, self._columns(operation_set))].sum())
        if not value:
            return CountFigure(frozenset(), 0)
        selection = self._selections.setdefault((kinds, operation_set), len(self._selections))
        return CountFigure(frozenset({selection}), value)

    def _columns(self, operation_set: int) -> np.ndarray:
        """The columns of a set of operations, leaving out any with nothing counted."""
        if operation_set not in self._columns_of_set:
            key = self._operation_keys[operation_set]
            if key is None:
                columns = np.arange(len(self.operations))
            else:
                found = [column for op in key if (column := self._column_of.get(op)) is not None]
                columns = np.unique(np.array(found, dtype=np.int64))
            self._columns_of_set[operation_set] = columns
        return self._columns_of_set[operation_set]

    def blocks(self, grids: Sequence[Grid]) -> AtomTable:
        """Group the atoms the figures of ``grids`` add up into blocks, and make each figure
        count blocks instead of selections (atoms.py says why the blocks are sound).

        The operations of a kind are split by every set of operations some figure takes that
        kind over (an agency's, a year's, one operation alone...): the operations in exactly the
        same of those sets form one class, and the kind's atoms in one class one block. A figure
        takes a kind over one of those sets, which is a union of whole classes: its atoms are
        whole blocks.
        """
        selections = list(self._selections)
        used = {s for figure_atoms in atom_sets(grids) for s in figure_atoms}
        sets_of_kind: dict[int, set[int]] = defaultdict(set)
        for selection in used:
            kinds, operation_set = selections[selection]
            for kind in kinds:
                sets_of_kind[kind].add(operation_set)
        kinds_of_sets: dict[frozenset[int], list[int]] = defaultdict(list)
        for kind, operation_sets in sorted(sets_of_kind.items()):
            kinds_of_sets[frozenset(operation_sets)].append(kind)

        names = {kind: "|".join((m, *parts)) for (m, parts), kind in self._kinds.items()}
        stored_kinds: dict[int, int] = {}
        block_kind: list[int] = []
        sizes: list[np.ndarray] = []
        operations: list[np.ndarray] = []
        blocks_of: dict[tuple[int, int], np.ndarray] = {}
        for operation_sets, kinds in kinds_of_sets.items():
            classes, inside = self._classes(operation_sets)
            for kind in kinds:
                columns = np.flatnonzero((self._values[kind] > 0) & inside)
                # By class, and by operation within a class (stable: columns ascend).
                columns = columns[np.argsort(classes[columns], kind="stable")]
                distinct, size = np.unique(classes[columns], return_counts=True)
                block_of_class = np.full(int(classes.max()) + 1, -1, dtype=np.int64)
                block_of_class[distinct] = len(block_kind) + np.arange(len(distinct))
                block_kind.extend(
                    [stored_kinds.setdefault(kind, len(stored_kinds))] * len(distinct)
                )
                sizes.append(size)
                operations.append(self.operations[columns])
                for operation_set in operation_sets:
                    within = block_of_class[classes[self._columns(operation_set)]]
                    blocks_of[(kind, operation_set)] = np.unique(within[within >= 0])

        def as_blocks(figure_selections: frozenset) -> frozenset:
            parts = [
                blocks_of[(kind, selections[s][1])]
                for s in figure_selections
                for kind in selections[s][0]
            ]
            return frozenset(np.concatenate(parts).tolist())

        rewrite_atoms(grids, as_blocks)
        return AtomTable(
            [names[kind] for kind in stored_kinds],
            np.array(block_kind, dtype=np.int64),
            np.concatenate(sizes) if sizes else np.zeros(0, dtype=np.int64),
            np.concatenate(operations) if operations else np.zeros(0, dtype=np.int64),
        )

    def _classes(self, operation_sets: Iterable[int]) -> tuple[np.ndarray, np.ndarray]:
        """Each operation's class — operations in exactly the same of ``operation_sets`` share
        one — and whether it is in any of them."""
        classes = np.zeros(len(self.operations), dtype=np.int64)
        inside = np.zeros(len(self.operations), dtype=bool)
        for operation_set in sorted(operation_sets):
            member = np.zeros(len(self.operations), dtype=bool)
            member[self._columns(operation_set)] = True
            inside |= member
            classes = classes * 2 + member
            if classes.max(initial=0) >= 1 << 40:  # renumber before the doubling overflows
                classes = np.unique(classes, return_inverse=True)[1]
        return np.unique(classes, return_inverse=True)[1].astype(np.int64), inside


@dataclass
class _Operation:
    pk: int
    code: str
    name: str
    start_date: datetime.date
    agency_id: int | None
    state: str
    # How its plan review counts it (planning.selectors): justified, deficient, sweep or not
    # reviewed, and how many blocking findings its plan had waived.
    review: str
    waivers: int


# Counted per operation (and, for arrests and victims, per category and gender): the measure
# name in the atom key, and the fact it counts.
_PER_OPERATION = {
    "encounters": Q(),
    "victims_offered_services": Q(is_victim=True, offered_services=True),
    "victims_punished": Q(punished_victim=True),
    "minors_arrested": Q(is_minor=True, arrested=True),
    "immigration_referrals": Q(immigration_referral=True),
    "screened": Q(screened=True),
}


def _operations_counted(scope: Scope) -> QuerySet[Operation]:
    """The operations of the scope with someone counted, found without the facts of each
    encounter: where an operation is counted (its state) depends on the operation only."""
    operations = scope.operations().filter(
        Exists(Encounter.objects.filter(operation=OuterRef("pk")))
    )
    return operations.filter(fact__state=scope.state) if scope.state else operations


def _columns(grouped: QuerySet, *names: str) -> dict[str, tuple]:
    """A grouped query's rows, column by column. Read with a plain cursor: its values are counts,
    keys and codes, which need none of the conversions the ORM would make value by value (a
    statewide release reads millions)."""
    sql, params = grouped.query.sql_with_params()
    with connections[grouped.db].cursor() as cursor:
        cursor.execute(sql, params)
        selected = [column[0] for column in cursor.description]  # DB-API: name first
        rows = cursor.fetchall()
    columns = list(zip(*rows, strict=True)) or [()] * len(selected)
    by_name = dict(zip(selected, columns, strict=True))
    return {name: by_name[name] for name in names}


class ReleaseData:
    """Everything the computed tables need, read once with grouped queries."""

    def __init__(self, scope: Scope):
        self.scope = scope
        self.atoms = _Atoms()
        encounters = scope.encounters()
        self.genders = [code for code, _ in vocabulary("gender_identity").choices]
        self.races = [code for code, _ in vocabulary("race_ethnicity").choices]
        fields = indicators.core_fields()
        categories = [code for code, _ in facts.ARREST_CATEGORIES]
        contains = {race: Q(race_text__contains=f'"{race}"') for race in self.races}
        # Every count of people an atom needs, by operation, in one pass over the facts (the
        # costly part): a column per combination of codes keeps it to one row per operation.
        # Only the codes of the vocabularies are counted, as only they are ever released.
        counts = {
            **{
                f"arrests_{category}_{gender}": Count(
                    "pk", filter=Q(arrest_category=category, gender_identity=gender)
                )
                for category in categories
                for gender in self.genders
            },
            **{
                f"victims_{gender}": Count("pk", filter=Q(is_victim=True, gender_identity=gender))
                for gender in self.genders
            },
            **{name: Count("pk", filter=q) for name, q in _PER_OPERATION.items()},
            **{
                f"selling_{race}": Count(
                    "pk", filter=Q(arrest_category=facts.SELLING_SEX) & contains[race]
                )
                for race in self.races
            },
            **{
                f"victim_{race}": Count("pk", filter=Q(is_victim=True) & contains[race])
                for race in self.races
            },
            # For the agencies' data completeness, summed by agency below.
            **{f"recorded_{f.name}": Count("pk", filter=f.recorded) for f in fields},
        }
        grouped = (
            encounters.order_by()
            # The lead agency and state depend on the operation only: they do not split groups,
            # and they come from the facts view, where their rule is written once.
            .values("operation_id", "agency_id", "state")
            .annotate(**counts)
        )
        group = _columns(grouped, "operation_id", "agency_id", "state", *counts)
        ops = group["operation_id"]
        where = dict(zip(ops, zip(group["agency_id"], group["state"], strict=True), strict=True))
        for category in categories:
            for gender in self.genders:
                counted = group[f"arrests_{category}_{gender}"]
                self.atoms.add("arrests", ops, counted, (category, gender))
        for gender in self.genders:
            self.atoms.add("victims", ops, group[f"victims_{gender}"], (gender,))
        for name in _PER_OPERATION:
            self.atoms.add(name, ops, group[name])
        for race in self.races:
            self.atoms.add("race_arrests", ops, group[f"selling_{race}"], (race,))
            self.atoms.add("race_victims", ops, group[f"victim_{race}"], (race,))
        self.coverage = self._coverage(group, fields)
        counted = _operations_counted(scope)
        offers = (
            ServiceOffer.objects.filter(encounter__operation__in=counted)
            .order_by()
            .values("encounter__operation_id", "service_type")
            .annotate(
                accepted=Count("pk", filter=Q(response="accepted")),
                not_accepted=Count("pk", filter=~Q(response="accepted")),
            )
        )
        group = _columns(
            offers, "encounter__operation_id", "service_type", "accepted", "not_accepted"
        )
        for answer in ("accepted", "not_accepted"):
            services = [(service, answer) for service in group["service_type"]]
            self.atoms.add("offers", group["encounter__operation_id"], group[answer], services)
        self.operations = self._operations(where, counted)
        # Reports of abuse by officers the investigators linked to an operation: counted, like
        # people, by atoms, so that a small number is suppressed like every public figure. A
        # feedback linked to an operation is not a report of abuse (issue 22).
        reports = (
            Report.objects.filter(operation_id__in=counted, channel=Channel.MISCONDUCT)
            .order_by()
            .values("operation_id")
            .annotate(
                sustained=Count("pk", filter=Q(finding__in=Report.SUSTAINED_FINDINGS)),
                other=Count("pk", filter=~Q(finding__in=Report.SUSTAINED_FINDINGS)),
            )
        )
        group = _columns(reports, "operation_id", "sustained", "other")
        for finding in ("sustained", "other"):
            ops = group["operation_id"]
            self.atoms.add("misconduct_reports", ops, group[finding], (finding,))
        # People identified outside any operation (issue 21), at units of their own. Imported
        # here: that module builds its tables on this one's.
        from .release_identifications import IdentifiedOutsideOperations

        self.identified = IdentifiedOutsideOperations(scope, self.atoms)
        # Triaged reports of abuse by officers and feedback (issue 22), at units of one report
        # each, for the tables by agency and type and by organisation (release_accountability).
        from .release_accountability import TriagedReports

        self.reports = TriagedReports(scope, counted, self.atoms)
        # Whether the tables of people identified outside operations, of the money beside them
        # and of triaged reports are built: a release protected by noise leaves them out
        # (dp_release).
        self.beyond_operations = True
        self.atoms.freeze()
        self.agencies = {
            agency.pk: agency
            for agency in Agency.objects.filter(
                pk__in={o.agency_id for o in self.operations.values() if o.agency_id}
            )
        }
        self.funding = list(
            FundingAllocation.objects.filter(operation_id__in=counted)
            .filter(operation__participants__part="lead")
            .order_by()
            .values("category", agency_id=F("operation__participants__agency_id"))
            .annotate(allocated=Sum("amount_allocated"), spent=Sum("amount_spent"))
        )

    @staticmethod
    def _operations(
        where: dict[int, tuple[int | None, str]], counted: QuerySet[Operation]
    ) -> dict[int, _Operation]:
        """The operations with people counted, in the order they started, each with its lead
        agency and state as the facts give them."""
        rows = (
            Operation.objects.filter(pk__in=counted)
            .order_by("start_date", "code")
            .values_list("pk", "code", "name", "start_date")
        )
        reviews = operation_reviews(list(where))
        return {
            pk: _Operation(
                pk,
                code,
                name,
                start_date,
                *where[pk],
                reviews[pk].classification,
                reviews[pk].waivers,
            )
            for pk, code, name, start_date in rows
        }

    @staticmethod
    def _coverage(group: dict[str, tuple], fields) -> dict[int | None, dict[str, float]]:
        """Per lead agency, the share of encounters with each core field recorded, from the
        grouped counts."""
        agencies = list(dict.fromkeys(group["agency_id"]))
        index = {agency: number for number, agency in enumerate(agencies)}
        of_agency = np.array([index[agency] for agency in group["agency_id"]], dtype=np.int64)

        def by_agency(column: str) -> list[int]:
            values = np.array(group[column], dtype=np.int64)
            return np.bincount(of_agency, values, minlength=len(agencies)).astype(int).tolist()

        total = by_agency("encounters")
        recorded = {f.name: by_agency(f"recorded_{f.name}") for f in fields}
        return {
            agency: {f.name: 100 * recorded[f.name][n] / total[n] for f in fields if total[n]}
            for n, agency in enumerate(agencies)
        }

    def operations_where(self, keep: Callable[[_Operation], bool]) -> list[int]:
        return [pk for pk, op in self.operations.items() if keep(op)]

    def operations_by(self, key: Callable[[_Operation], Hashable]) -> dict[Hashable, list[int]]:
        """The operations grouped by ``key``, in the order they started: one pass over them,
        where ``operations_where`` takes one per group (a statewide release has many)."""
        groups: dict[Hashable, list[int]] = defaultdict(list)
        for pk, op in self.operations.items():
            groups[key(op)].append(pk)
        return dict(groups)


def peer_group(agency: Agency | None) -> str:
    if agency is None or agency.population_served is None:
        return NO_POPULATION
    return next(label for floor, label in PEER_GROUPS if agency.population_served >= floor)


def _ratio(data: ReleaseData, numerator: CountFigure, denominator: CountFigure, scale: int):
    return Ratio(
        numerator=numerator.atoms,
        denominator=denominator.atoms,
        scale=scale,
        decimals=1,
        value=ratio_value(numerator.value, denominator.value, scale, 1),
        parts=(numerator.value, denominator.value),
    )


class _Builder:
    def __init__(self, data: ReleaseData):
        self.data = data
        self.categories = [code for code, _ in facts.ARREST_CATEGORIES]

    def arrests(self, ops, categories=None, genders=None) -> CountFigure:
        return self.data.atoms.count(
            "arrests", ops, categories or self.categories, genders or self.data.genders
        )

    def victims(self, ops, genders=None) -> CountFigure:
        return self.data.atoms.count("victims", ops, genders or self.data.genders)

    def measure(self, name: str, ops) -> CountFigure:
        return self.data.atoms.count(name, ops)

    def outcome_figures(self, ops, *, full: bool) -> dict:
        arrests, victims = self.arrests(ops), self.victims(ops)
        offered = self.measure("victims_offered_services", ops)
        figures = {
            "encounters": self.measure("encounters", ops),
            "arrests": arrests,
            "victims_identified": victims,
            "victims_per_100_arrests": _ratio(self.data, victims, arrests, 100),
            "victims_offered_services": offered,
            "share_victims_offered_services": _ratio(self.data, offered, victims, 100),
            "victims_punished": self.measure("victims_punished", ops),
            "minors_arrested": self.measure("minors_arrested", ops),
        }
        if full:
            encounters = figures["encounters"]
            screened = self.measure("screened", ops)
            figures |= {
                "immigration_referrals": self.measure("immigration_referrals", ops),
                "screened": screened,
                "share_screened": _ratio(self.data, screened, encounters, 100),
            }
        return figures


OUTCOME_COLUMNS = [
    Column("encounters", "People encountered", "count", "Everyone the operations encountered."),
    Column("arrests", "Arrests", "count", "People arrested (at least one arrest event)."),
    Column(
        "victims_identified",
        "Victims identified",
        "count",
        "People whose current role is suspected or confirmed victim of trafficking.",
    ),
    Column(
        "victims_per_100_arrests",
        "Victims identified per 100 arrests",
        "ratio",
        "100 × victims identified ÷ arrests.",
        "per 100 arrests",
    ),
    Column(
        "victims_offered_services",
        "Victims offered services",
        "count",
        "Victims with at least one service offer recorded.",
    ),
    Column(
        "share_victims_offered_services",
        "Share of victims offered services",
        "ratio",
        "Victims offered services ÷ victims identified; the goal is 100 %.",
        "%",
    ),
    Column(
        "victims_punished",
        "Victims or minors arrested, cited or charged",
        "count",
        "People with a non-punishment alert for an arrest, a citation or a charge.",
    ),
    Column("minors_arrested", "Minors arrested", "count", "People under 18 who were arrested."),
]
FULL_OUTCOME_COLUMNS = [
    *OUTCOME_COLUMNS,
    Column(
        "immigration_referrals",
        "Referred to immigration enforcement",
        "count",
        "People referred to immigration enforcement.",
    ),
    Column("screened", "Screened for trafficking", "count", "People screened for trafficking."),
    Column(
        "share_screened",
        "Share screened for trafficking",
        "ratio",
        "People screened ÷ people encountered.",
        "%",
    ),
]


def _agency_label(agency: Agency | None) -> dict:
    if agency is None:
        return {"agency": "Lead agency not recorded", "agency_key": "no-lead-agency"}
    return {"agency": agency.name, "agency_key": slugify(agency.name)[:60]}


def _withheld_split(total: CountFigure, threshold: int) -> bool:
    """Whether a total is too small to split by a trait of the people it counts. Hiding the
    groups' small counts is not enough: a total of a few people whose groups all show 0 but one
    says that every one of them has that group's trait (everyone arrested was a woman), which
    no count reveals and so no checker of counts can see. A total of 0 splits into zeros and
    says nothing more than itself."""
    return total.value is not None and 1 <= total.value <= threshold


def build_computed_tables(data: ReleaseData, *, withhold_splits_up_to: int = 0) -> list[BuiltTable]:
    """The computed tables, before disclosure control. Their figures count *selections* of atoms
    until ``data.atoms.blocks`` groups the atoms into blocks: two selections share no number even
    where they share people, so no figure may be protected or checked before (as
    ``releases.create_release`` does it).

    ``withhold_splits_up_to`` is the release's suppression threshold: a total of 1 to that many
    people is not split by gender or by race (``_withheld_split``). A release protected by noise
    passes nothing, as its noise hides who is in a small group."""
    builder = _Builder(data)
    agency_ids = sorted(
        {op.agency_id for op in data.operations.values()},
        key=lambda pk: data.agencies[pk].name if pk else "",
    )
    all_ops = None  # every operation of the release

    of_agency = data.operations_by(lambda op: op.agency_id)

    def ops_of_agency(pk):
        return of_agency[pk]

    by_agency = BuiltTable(
        "outcomes_by_agency",
        "Outcomes by lead agency",
        "Arrests, victims identified, services and harms, per lead agency, with the agency's "
        "score among agencies of similar size.",
        [
            Column("agency", "Agency", "label"),
            Column("agency_key", "Agency key", "label", "A stable key for links."),
            Column("state", "State", "label"),
            Column("peer_group", "Peer group", "label", "Agencies of similar size."),
            *FULL_OUTCOME_COLUMNS,
            Column("spent", "Money spent", "amount", "Dollars of funding allocations spent.", "$"),
            Column(
                "spending_per_victim",
                "Spending per victim identified",
                "ratio",
                "Money spent ÷ victims identified.",
                "$ per victim",
            ),
            Column("data_completeness", "Data completeness", "text"),
            Column("score", "Score among peers", "text", "0–100; see the methodology."),
            Column("score_note", "About the score", "text"),
        ],
    )
    spent_by_agency: dict[int | None, Decimal] = defaultdict(Decimal)
    for allocation in data.funding:
        spent_by_agency[allocation["agency_id"]] += allocation["spent"] or Decimal(0)

    def agency_figures(ops, spent: Decimal | None) -> dict:
        figures = builder.outcome_figures(ops, full=True)
        victims = figures["victims_identified"]
        figures["spending_per_victim"] = Ratio(
            numerator=frozenset(),
            denominator=victims.atoms,
            scale=1,
            decimals=0,
            value=ratio_value(float(spent), victims.value, 1, 0) if spent else None,
            numerator_amount=float(spent) if spent else None,
            parts=(float(spent) if spent else None, victims.value),
        )
        return figures

    for pk in agency_ids:
        agency = data.agencies.get(pk)
        coverage = data.coverage.get(pk, {})
        incomplete = any(share < indicators.COVERAGE_THRESHOLD for share in coverage.values())
        spent = spent_by_agency.get(pk)
        by_agency.add_row(
            {
                **_agency_label(agency),
                "state": agency.state if agency else "",
                "peer_group": peer_group(agency),
                "spent": float(spent) if spent is not None else None,
                "data_completeness": "incomplete data" if incomplete else "complete",
            },
            agency_figures(ops_of_agency(pk), spent),
        )
    total_spent = sum(spent_by_agency.values(), Decimal(0)) if spent_by_agency else None
    by_agency.add_row(
        {
            "agency": ALL_AGENCIES,
            "agency_key": ALL,
            "state": "",
            "peer_group": "",
            "spent": float(total_spent) if total_spent is not None else None,
            "data_completeness": "",
        },
        agency_figures(all_ops, total_spent),
    )

    by_role = BuiltTable(
        "arrests_by_role",
        "Arrests by the role of the person arrested",
        "Whom the operations arrested: people selling sex (victims included), people buying "
        "sex, suspected traffickers and others.",
        [
            Column("agency", "Agency", "label"),
            Column("agency_key", "Agency key", "label"),
            *(Column(code, label, "count") for code, label in facts.ARREST_CATEGORIES),
            Column("total", "All arrests", "count"),
        ],
    )
    for pk, ops in [*((pk, ops_of_agency(pk)) for pk in agency_ids), (ALL, all_ops)]:
        labels = (
            {"agency": ALL_AGENCIES, "agency_key": ALL}
            if pk == ALL
            else _agency_label(data.agencies.get(pk))
        )
        by_role.add_row(
            labels,
            {
                **{code: builder.arrests(ops, [code]) for code in builder.categories},
                "total": builder.arrests(ops),
            },
        )

    by_state = BuiltTable(
        "outcomes_by_state",
        "Outcomes by state",
        "The same measures per state where the operations took place.",
        [Column("state", "State", "label"), *OUTCOME_COLUMNS],
    )
    for state in sorted({op.state for op in data.operations.values()}):
        ops = data.operations_where(lambda op, state=state: op.state == state)
        by_state.add_row(
            {"state": state or "Not recorded"}, builder.outcome_figures(ops, full=False)
        )

    by_year = BuiltTable(
        "outcomes_by_year",
        "Outcomes by year",
        "The same measures per year in which the operations started.",
        [Column("period", "Year", "label"), *OUTCOME_COLUMNS[1:]],
    )
    years = sorted({op.start_date.year for op in data.operations.values()})
    for year in years:
        ops = data.operations_where(lambda op, year=year: op.start_date.year == year)
        figures = builder.outcome_figures(ops, full=False)
        figures.pop("encounters")
        by_year.add_row({"period": str(year)}, figures)
    totals = builder.outcome_figures(all_ops, full=False)
    totals.pop("encounters")
    by_year.add_row({"period": ALL_YEARS}, totals)

    operations = _operations_table(data, builder)
    if operations is None:
        by_agency.notes.append(
            f"Figures for single operations are released only in releases covering at most "
            f"{MAX_OPERATION_ROWS} operations (one agency's, for example): the disclosure check "
            "must stay exact, and its size grows with every operation listed."
        )

    disparities = BuiltTable(
        "disparities",
        "Who is arrested for selling sex, and who is identified as a victim",
        "For each gender and race or ethnicity group, its share of arrests of people selling "
        "sex against its share of victims identified. A person recorded with several race or "
        "ethnicity codes counts in each.",
        [
            Column("dimension", "Dimension", "label"),
            Column("group", "Group", "label"),
            Column("selling_sex_arrests", "Arrests for selling sex", "count"),
            Column("share_of_selling_sex_arrests", "Share of those arrests", "ratio", unit="%"),
            Column("victims_identified", "Victims identified", "count"),
            Column("share_of_victims", "Share of victims identified", "ratio", unit="%"),
        ],
    )
    selling_total = builder.arrests(all_ops, [facts.SELLING_SEX])
    victims_total = builder.victims(all_ops)
    withheld = {
        name: _withheld_split(total, withhold_splits_up_to)
        for name, total in (
            ("selling_sex_arrests", selling_total),
            ("victims_identified", victims_total),
        )
    }
    groups = [
        (
            "Gender",
            label,
            builder.arrests(all_ops, [facts.SELLING_SEX], [code]),
            builder.victims(all_ops, [code]),
        )
        for code, label in vocabulary("gender_identity").choices
    ] + [
        (
            "Race or ethnicity",
            label,
            data.atoms.count("race_arrests", all_ops, [code]),
            data.atoms.count("race_victims", all_ops, [code]),
        )
        for code, label in vocabulary("race_ethnicity").choices
    ]
    for dimension, label, selling, victims in groups:
        figures = {}
        if not withheld["selling_sex_arrests"]:
            figures["selling_sex_arrests"] = selling
            figures["share_of_selling_sex_arrests"] = _ratio(data, selling, selling_total, 100)
        if not withheld["victims_identified"]:
            figures["victims_identified"] = victims
            figures["share_of_victims"] = _ratio(data, victims, victims_total, 100)
        disparities.add_row({"dimension": dimension, "group": label}, figures)
    for name, is_withheld in withheld.items():
        if is_withheld:
            column = next(column for column in disparities.columns if column.name == name)
            disparities.notes.append(
                f"{column.title}: not split by group, because there are only 1 to "
                f"{withhold_splits_up_to} of them in this release. Split by gender or by race, "
                "the groups with none would show which group those few people belong to, even "
                "with every small count hidden."
            )

    services = BuiltTable(
        "services_by_type",
        "Service offers by type of service",
        "Offers of each service and how many the person accepted (counts offers, not people).",
        [
            Column("service_type", "Service", "label"),
            Column("offers_accepted", "Accepted", "count"),
            Column(
                "offers_not_accepted", "Not accepted (declined, deferred, no answer yet)", "count"
            ),
            Column("offers_total", "All offers", "count"),
        ],
    )
    for code, label in vocabulary("service_type").choices:
        accepted = data.atoms.count("offers", all_ops, [code], ["accepted"])
        not_accepted = data.atoms.count("offers", all_ops, [code], ["not_accepted"])
        services.add_row(
            {"service_type": label},
            {
                "offers_accepted": accepted,
                "offers_not_accepted": not_accepted,
                "offers_total": data.atoms.count(
                    "offers", all_ops, [code], ["accepted", "not_accepted"]
                ),
            },
        )

    completeness = BuiltTable(
        "data_completeness",
        "Data completeness",
        f"Whether each core field is recorded for at least {indicators.COVERAGE_THRESHOLD} % "
        "of the people an agency's operations encountered. An agency with any core field not "
        "covered gets the label 'incomplete data' instead of a score.",
        [
            Column("agency", "Agency", "label"),
            Column("agency_key", "Agency key", "label"),
            Column("field", "Field", "label"),
            Column("coverage", "Coverage", "text"),
        ],
    )
    for pk in agency_ids:
        for core_field in indicators.core_fields():
            share = data.coverage.get(pk, {}).get(core_field.name)
            if share is None:
                continue
            covered = "covered" if share >= indicators.COVERAGE_THRESHOLD else "not covered"
            completeness.rows.append(
                {
                    **_agency_label(data.agencies.get(pk)),
                    "field": core_field.label,
                    "coverage": covered,
                }
            )

    funding = BuiltTable(
        "funding_by_category",
        "Funding and how it was used",
        "Funding allocated to the operations and the amount reported spent, by category, per "
        "lead agency (Rec 3.2: funds received and how they were used).",
        [
            Column("agency", "Agency", "label"),
            Column("agency_key", "Agency key", "label"),
            Column("category", "Category", "label"),
            Column("allocated", "Allocated", "amount", unit="$"),
            Column("spent", "Spent", "amount", "Empty until reported.", "$"),
        ],
    )
    labels = dict(vocabulary("funding_category").choices)
    for allocation in sorted(data.funding, key=lambda a: (a["agency_id"] or 0, a["category"])):
        funding.rows.append(
            {
                **_agency_label(data.agencies.get(allocation["agency_id"])),
                "category": labels.get(allocation["category"], allocation["category"]),
                "allocated": float(allocation["allocated"]),
                "spent": float(allocation["spent"]) if allocation["spent"] is not None else None,
            }
        )

    # Imported here: these modules build their tables on this one's.
    from . import release_accountability, release_funding, release_identifications

    return [
        by_agency,
        by_role,
        _plan_review_table(data, agency_ids),
        _outcomes_by_review_table(data, builder, agency_ids),
        _misconduct_reports_table(data, agency_ids),
        by_state,
        by_year,
        *([operations] if operations is not None else []),
        _outcomes_by_peer_group_table(data, builder, agency_ids),
        disparities,
        services,
        completeness,
        funding,
        *release_identifications.build(data, builder),
        *release_funding.build(data, builder),
        *release_accountability.build(data),
    ]


def _operations_table(data: ReleaseData, builder: _Builder) -> BuiltTable | None:
    """Each operation's figures, when the release covers few enough operations."""
    if len(data.operations) > MAX_OPERATION_ROWS:
        return None
    operations = BuiltTable(
        "operations",
        "Operations",
        "Each operation's arrests and victims identified, under its public reference.",
        [
            Column("operation", "Operation", "label", "The operation's public reference."),
            Column("name", "Name", "label"),
            Column("agency", "Lead agency", "label"),
            Column("agency_key", "Agency key", "label"),
            Column("state", "State", "label"),
            Column("year", "Year", "label"),
            Column("start_date", "First day", "label"),
            Column("plan_review", "Plan review", "label", "How the operation's plan was reviewed."),
            *(c for c in OUTCOME_COLUMNS if c.name in ("arrests", "victims_identified")),
            OUTCOME_COLUMNS[3],
        ],
    )
    for op in data.operations.values():
        arrests, victims = builder.arrests([op.pk]), builder.victims([op.pk])
        operations.add_row(
            {
                "operation": op.code,
                "name": op.name,
                **_agency_label(data.agencies.get(op.agency_id)),
                "state": op.state,
                "year": str(op.start_date.year),
                "start_date": op.start_date.isoformat(),
                "plan_review": dict(REVIEWS)[op.review],
            },
            {
                "arrests": arrests,
                "victims_identified": victims,
                "victims_per_100_arrests": _ratio(data, victims, arrests, 100),
            },
        )
    return operations


def _plan_review_table(data: ReleaseData, agency_ids: list) -> BuiltTable:
    """How each agency's operations were planned. These count operations, not people, and are not
    suppressed: no person can be recognised from how many operations an agency ran."""
    table = BuiltTable(
        "plan_review_by_agency",
        "How the operations were planned",
        "Operations by the review of their plan: justified targeted operations, deficient plans, "
        "sweeps (no trafficking statute, or evidence resting only on complaints, tips or patrols; "
        "never counted as anti-trafficking) and operations without a reviewed plan; with the "
        "blocking findings that approvers waived.",
        [
            Column("agency", "Agency", "label"),
            Column("agency_key", "Agency key", "label"),
            Column("operations", "Operations", "operations", "Operations with people recorded."),
            *(
                Column(code, label, "operations", f"Operations counted as: {label.lower()}.")
                for code, label in REVIEWS
            ),
            Column(
                "share_justified",
                "Share justified (%)",
                "text",
                "Justified operations ÷ all operations, as a percentage.",
            ),
            Column(
                "waivers",
                "Findings waived",
                "operations",
                "Blocking findings of the plans in force that an approver waived, with a reason.",
            ),
        ],
    )
    for pk in [*agency_ids, ALL]:
        ops = [op for op in data.operations.values() if pk == ALL or op.agency_id == pk]
        labels = (
            {"agency": ALL_AGENCIES, "agency_key": ALL}
            if pk == ALL
            else _agency_label(data.agencies.get(pk))
        )
        counts = {code: sum(1 for op in ops if op.review == code) for code, _ in REVIEWS}
        table.rows.append(
            {
                **labels,
                "operations": len(ops),
                **counts,
                "share_justified": f"{100 * counts['justified'] / len(ops):.0f}" if ops else "",
                "waivers": sum(op.waivers for op in ops),
            }
        )
    return table


def _outcomes_by_review_table(data: ReleaseData, builder: _Builder, agency_ids: list) -> BuiltTable:
    """The outcome measures of each agency's operations, split by how their plan was reviewed, so
    that what justified operations achieved can be set beside what sweeps did."""
    table = BuiltTable(
        "outcomes_by_plan_review",
        "Outcomes by how the operation was planned",
        "Arrests, victims identified, services and harms of the operations of each kind of plan "
        "review, per lead agency.",
        [
            Column("agency", "Agency", "label"),
            Column("agency_key", "Agency key", "label"),
            Column("review", "Plan review", "label"),
            Column("review_key", "Plan review key", "label"),
            *OUTCOME_COLUMNS,
        ],
    )
    of_review = data.operations_by(lambda op: (ALL, op.review)) | data.operations_by(
        lambda op: (op.agency_id, op.review)
    )
    for pk in [*agency_ids, ALL]:
        labels = (
            {"agency": ALL_AGENCIES, "agency_key": ALL}
            if pk == ALL
            else _agency_label(data.agencies.get(pk))
        )
        for code, label in REVIEWS:
            if ops := of_review.get((pk, code)):
                table.add_row(
                    {**labels, "review": label, "review_key": code},
                    builder.outcome_figures(ops, full=False),
                )
    return table


def _outcomes_by_peer_group_table(
    data: ReleaseData, builder: _Builder, agency_ids: list
) -> BuiltTable:
    """The outcome measures of each peer group's lead agencies taken together, and of all of them
    (issue 20): coarser cells that can often be shown where one small agency's figures cannot,
    so that its pages show its group rather than a row of blanks. Built from the same atoms as
    the agency rows, so the checker sees that a group is the sum of its agencies."""
    table = BuiltTable(
        "outcomes_by_peer_group",
        "Outcomes by peer group",
        "The same measures for the lead agencies of each peer group (agencies serving a "
        "population of similar size) taken together, with how many agencies each group holds.",
        [
            Column("peer_group", "Peer group", "label", "Agencies of similar size."),
            Column("agencies", "Agencies", "agencies", "Lead agencies in the group."),
            *FULL_OUTCOME_COLUMNS,
        ],
    )
    members: dict[str, set] = defaultdict(set)
    for pk in agency_ids:
        members[peer_group(data.agencies.get(pk))].add(pk)
    for label in [label for _, label in PEER_GROUPS] + [NO_POPULATION]:
        if label in members:
            ops = data.operations_where(lambda op, group=members[label]: op.agency_id in group)
            table.add_row(
                {"peer_group": label, "agencies": len(members[label])},
                builder.outcome_figures(ops, full=True),
            )
    table.add_row(
        {"peer_group": ALL_AGENCIES, "agencies": len(agency_ids)},
        builder.outcome_figures(None, full=True),
    )
    return table


def _misconduct_reports_table(data: ReleaseData, agency_ids: list) -> BuiltTable:
    """Anonymous reports of abuse by officers linked to each agency's operations, and how many
    were found to be true: from the investigators' triage and findings only, never from what a
    reporter wrote; small counts suppressed like every count of people (issue 8)."""
    table = BuiltTable(
        "misconduct_reports_by_agency",
        "Reports of abuse by officers",
        "Anonymous reports of abuse by officers that the oversight investigators linked to the "
        "operations of each lead agency, and those found to be true (sustained, or a failure of "
        "policy). Reports not linked to an operation are not counted.",
        [
            Column("agency", "Agency", "label"),
            Column("agency_key", "Agency key", "label"),
            Column("reports", "Reports", "count", "Reports linked to the agency's operations."),
            Column(
                "reports_sustained",
                "Found to be true",
                "count",
                "Reports whose finding is sustained or a policy failure.",
            ),
        ],
    )
    of_agency = data.operations_by(lambda op: op.agency_id)
    for pk in [*agency_ids, ALL]:
        ops = None if pk == ALL else of_agency[pk]
        labels = (
            {"agency": ALL_AGENCIES, "agency_key": ALL}
            if pk == ALL
            else _agency_label(data.agencies.get(pk))
        )
        table.add_row(
            labels,
            {
                "reports": data.atoms.count("misconduct_reports", ops, ["sustained", "other"]),
                "reports_sustained": data.atoms.count("misconduct_reports", ops, ["sustained"]),
            },
        )
    return table


def score_agencies(by_agency: BuiltTable) -> None:
    """Each complete agency's score among its peers: the mean, over the score measures, of the
    share of scored peers it does at least as well as (higher is better for each), as 0–100.

    Computed after disclosure control from released values only, so a score can never reveal a
    suppressed figure. Agencies with incomplete data, a suppressed or missing measure, or fewer
    than three comparable peers get a note instead of a score.
    """
    rows = [row for row in by_agency.released_rows() if row["agency_key"] != ALL]
    for row in by_agency.rows:
        row["score"], row["score_note"] = None, ""
    scorable = {
        row["agency_key"]: row
        for row in rows
        if row["data_completeness"] == "complete"
        and all(row[m] is not None for m in SCORE_MEASURES)
    }
    for row in by_agency.rows:
        if row["agency_key"] == ALL:
            continue
        if row["data_completeness"] == "incomplete data":
            row["score_note"] = "Incomplete data: a core field is recorded for too few people."
            continue
        if row["agency_key"] not in scorable:
            row["score_note"] = "Not scored: a measure is suppressed or cannot be computed."
            continue
        peers = [r for r in scorable.values() if r["peer_group"] == row["peer_group"]]
        if len(peers) < MINIMUM_PEERS:
            row["score_note"] = (
                f"Not scored: fewer than {MINIMUM_PEERS} comparable agencies "
                f"({row['peer_group'].lower()}) have complete data."
            )
            continue
        mine = scorable[row["agency_key"]]
        shares = [
            sum(1 for peer in peers if mine[m] >= peer[m]) / len(peers) for m in SCORE_MEASURES
        ]
        row["score"] = round(100 * sum(shares) / len(shares))
        row["score_note"] = (
            f"Among {len(peers)} agencies of similar size ({row['peer_group'].lower()}): "
            "the mean share of peers it does as well as or better "
            "than on victims identified per 100 arrests, victims offered services and people "
            "screened."
        )


def build_published_table(scope: Scope) -> BuiltTable | None:
    """Figures of published-aggregate operations in scope, as printed, with their citation."""
    operations = (
        scope.operations()
        .filter(data_origin="published_aggregate")
        .select_related("fact")
        .prefetch_related("aggregate_figures", "participants__agency")
        .order_by("start_date", "name")
    )
    measures = [code for code, _ in vocabulary("aggregate_measure").choices]
    table = BuiltTable(
        "published_operations",
        "Figures published by agencies and reports",
        "Counts reproduced as a public document printed them: not recomputed, not suppressed "
        "(they are already public), each with its citation. Where the document conflates "
        "categories, the figure that would need them apart is marked not answerable.",
        [
            Column("operation", "Operation", "label"),
            Column("name", "Name", "label"),
            Column("agency", "Lead agency", "label"),
            Column("agency_key", "Agency key", "label"),
            Column("state", "State", "label"),
            Column("year", "Year", "label"),
            *(
                Column(code, label, "count")
                for code, label in vocabulary("aggregate_measure").choices
                if code != "conflated_category"
            ),
            Column("victims_per_100_arrests", "Victims identified per 100 arrests", "ratio"),
            Column("suspected_traffickers", "Suspected traffickers", "text"),
            Column("printed_as", "As printed", "text"),
            Column("citation", "Source", "text"),
        ],
        provenance=PUBLISHED,
    )
    citations = set()
    for operation in operations:
        lead = operation.lead_agency
        state = operation.fact.state
        if scope.state and state != scope.state:
            continue
        order = {code: position for position, code in enumerate(measures)}
        figures = {
            f.measure: f
            for f in sorted(operation.aggregate_figures.all(), key=lambda f: order[f.measure])
        }
        if not figures:
            continue  # published person by person (Table 9): counted with the computed tables
        row = {
            "operation": operation.code,
            "name": operation.name,
            **_agency_label(lead),
            "state": state,
            "year": str(operation.start_date.year),
        }
        for code in measures:
            if code != "conflated_category":
                row[code] = figures[code].value if code in figures else None
        arrests, victims = row.get("arrests_total"), row.get("identified_victims_total")
        row["victims_per_100_arrests"] = (
            round(100 * victims / arrests, 1) if arrests and victims is not None else None
        )
        conflated = (
            "pimping" in " ".join(f.printed_label.lower() for f in figures.values())
            or "arrests_pimping_pandering_supervising" in figures
        )
        row["suspected_traffickers"] = (
            "Not answerable from this source: traffickers are counted together with pimping, "
            "pandering and supervising."
            if conflated
            else "Not answerable from this source: traffickers are not counted apart."
        )
        row["printed_as"] = "; ".join(
            f"{f.get_measure_display()}: printed as “{f.printed_label}” = "
            f"{f.printed_value or '(blank)'}"
            for f in figures.values()
        )
        row["citation"] = "; ".join(sorted({f.citation for f in figures.values()}))
        citations |= {f.citation for f in figures.values()}
        table.rows.append(row)
    if not table.rows:
        return None
    table.citation = "; ".join(sorted(citations))[:500]
    return table
