"""Releases protected by differential privacy (``beyondraid release create NAME --method dp
--epsilon E``): every count published with noise, its 95 % interval and the budget it spent,
instead of suppression. The noise itself is drawn by OpenDP (``beyondraid.core.noise``); this
module decides what gets noise, builds the release's tables from the noisy cells, and checks a
stored release. docs/transparency.md, *Differential privacy*, says when to choose it.

**Privacy unit: one encounter**, one person's contact with one operation: adding or removing an
encounter (with everything recorded about it) changes what is published by at most the budget ε.
Each measure states how much one encounter can add to its cells (``bounds``); where a person could
add without limit, the count is bounded first (service offers). In the table of reports of abuse
by officers the unit is one report.

**Cells.** Every figure of the release is a sum of cells. A cell here is a class of the atoms
(``release_tables._Atoms``: one operation, one combination of codes) that appear in exactly the
same figures, so that no figure needs a cell split finer than it is published; and every atom a
figure's query *covers* counts, whether or not anyone is in it, so that which cells get noise never
depends on the records. Each cell gets noise once; each figure is the sum of its (consistent,
non-negative) noisy cells. A total is then exactly the sum of its parts in every table, and a
figure reads the same in every table that shares its cells (all but ``SEPARATE_TABLES``). The price
is that a figure summing k cells carries k draws of noise; the interval says how much.

This design was chosen over noising each figure and reconciling them by least squares: the
release's groupings (agency, state, year, plan review, peer group, operation) cross each other,
so a figure-level design would spend the budget on many overlapping figures, blur the figures of
single operations far more, and give intervals only by approximation after the reconciliation.
"""

from __future__ import annotations

import math
from collections import Counter as Tally
from collections import defaultdict
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from itertools import product

from django.db.models import Count, F, Window
from django.db.models.functions import RowNumber

from beyondraid.core import noise
from beyondraid.core.disclosure import Count as CountFigure
from beyondraid.core.disclosure import Grid, Ratio, ratio_value
from beyondraid.standard.models import ServiceOffer
from beyondraid.standard.vocabulary import vocabulary

from . import indicators
from .models import COMPUTED, Release
from .release_tables import BuiltTable, ReleaseData, build_computed_tables

METHOD = noise.METHOD
PRIVACY_UNIT = (
    "One encounter: one person's contact with one operation, with everything recorded about it. "
    "In the table of reports of abuse by officers, one report."
)
BUDGET_SPLIT = "an equal share of ε for each measure"
# A person's service offers beyond this many (the earliest first) are not counted in a DP
# release: without a bound one person could add to the offers without limit.
OFFERS_PER_PERSON = 4
# Tables whose figures are noised apart from the cells of every other table, because built from
# the same cells they would split every other table's cells finer, and a total adds up one draw of
# noise per cell. The operations table needs one cell per operation: every agency's, state's and
# year's arrests and victims would then add up hundreds of draws. The disparities table splits
# arrests for selling sex and victims by gender over all operations, which would split every
# operation's cells by gender too. Noised on their own they cost their own shares of the budget;
# each is consistent within itself (each group's share of the disparities table adds up to
# 100 %), but an agency's operations add up to its figures only within their intervals.
SEPARATE_TABLES = ("operations", "disparities")
RATIO_CONFIDENCE_EACH_PART = 1 - (1 - noise.CONFIDENCE) / 2


class Refused(Exception):
    """A DP release cannot be made; the message says why."""


@dataclass(frozen=True)
class Bound:
    """How much one privacy unit can add to a measure's cells (their L1 distance), and why."""

    bound: int
    why: str


def bounds() -> dict[str, Bound]:
    """Every measure a DP release counts, with its contribution bound. A figure of a measure not
    listed here refuses the release: its bound must be stated before it is published."""
    races = len(vocabulary("race_ethnicity").codes)
    fields = len(indicators.core_fields())
    once = "A person is counted at most once, in the operation that encountered them."
    return {
        "encounters": Bound(1, once),
        "arrests": Bound(1, "A person arrested is counted once, by the category of the arrest."),
        "victims": Bound(1, once),
        "victims_offered_services": Bound(1, once),
        "victims_punished": Bound(1, once),
        "minors_arrested": Bound(1, once),
        "immigration_referrals": Bound(1, once),
        "screened": Bound(1, once),
        "operations:arrests": Bound(1, once),
        "operations:victims": Bound(1, once),
        "disparities:arrests": Bound(
            1, "A person arrested for selling sex is counted once, by gender identity."
        ),
        "disparities:victims": Bound(1, "A victim is counted once, by gender identity."),
        "disparities:race_arrests": Bound(
            races,
            f"A person counts in each of their race or ethnicity codes: at most the {races} "
            "codes of the vocabulary.",
        ),
        "disparities:race_victims": Bound(
            races,
            f"A person counts in each of their race or ethnicity codes: at most the {races} "
            "codes of the vocabulary.",
        ),
        "offers": Bound(
            OFFERS_PER_PERSON,
            f"A person's first {OFFERS_PER_PERSON} service offers, by date, are counted; any "
            "later offer is left out.",
        ),
        "misconduct_reports": Bound(1, "A report of abuse by officers is counted once."),
        "coverage": Bound(
            fields + 1,
            f"A person counts once among the people of their lead agency, and once for each of "
            f"the {fields} core fields recorded for them (for data completeness).",
        ),
    }


def is_dp(parameters: dict) -> bool:
    return (parameters or {}).get("method") == METHOD


def parameters(epsilon: float) -> dict:
    """What a DP release records: the method, ε, the mechanism, the privacy unit, and per
    measure its bound, its share of ε, its noise scale and what OpenDP's privacy map says it
    spends."""
    measures = bounds()
    shares = noise.plan(epsilon, {name: b.bound for name, b in measures.items()})
    return {
        "method": METHOD,
        "epsilon": epsilon,
        "confidence": noise.CONFIDENCE,
        "mechanism": noise.MECHANISM,
        "privacy_unit": PRIVACY_UNIT,
        "budget_split": BUDGET_SPLIT,
        "measures": {
            share.measure: {**share.as_json(), "why": measures[share.measure].why}
            for share in shares
        },
        "budget_spent": noise.total_spent(shares),
    }


# --- Building a DP release -------------------------------------------------------------------


class _Cells:
    """Stands in for ``ReleaseData.atoms`` while a DP release's tables are built: a figure's
    atoms are every atom its query covers — each operation asked for, each combination of codes
    — whether or not anyone is counted there, and offers are counted up to the bound."""

    def __init__(self, data: ReleaseData, offers: Tally):
        self.atoms = data.atoms
        self.operations = list(data.operations)
        self.offers = offers
        self.values: dict[str, int] = {}

    def count(self, measure: str, operations, *choices: Iterable[str]) -> CountFigure:
        choices = tuple(tuple(choice) for choice in choices)
        keys = []
        for operation in self.operations if operations is None else operations:
            for parts in product(*choices):
                key = "|".join((measure, str(operation), *parts))
                if key not in self.values:
                    self.values[key] = self._value(measure, operation, parts)
                keys.append(key)
        return CountFigure(frozenset(keys), sum(self.values[key] for key in keys))

    def _value(self, measure: str, operation: int, parts: tuple[str, ...]) -> int:
        if measure == "offers":
            return self.offers[(operation, *parts)]
        return self.atoms.count(measure, [operation], *([part] for part in parts)).value or 0


def _bounded_offers(data: ReleaseData) -> Tally:
    """Service offers by operation, service and answer, each person's first
    ``OFFERS_PER_PERSON`` only."""
    ranked = (
        ServiceOffer.objects.filter(encounter__operation_id__in=list(data.operations))
        .annotate(
            rank=Window(
                RowNumber(),
                partition_by=[F("encounter_id")],
                order_by=[F("offered_on").asc(), F("created_at").asc(), F("pk").asc()],
            )
        )
        .filter(rank__lte=OFFERS_PER_PERSON)
        .values_list("encounter__operation_id", "service_type", "response")
    )
    tally: Tally = Tally()
    for operation, service, response in ranked:
        tally[(operation, service, "accepted" if response == "accepted" else "not_accepted")] += 1
    return tally


def _noisy_coverage(data: ReleaseData, share: dict) -> dict:
    """Per lead agency, the share of its people with each core field recorded, from noisy
    counts: whether a field is covered is decided from them, never from the records."""
    fields = indicators.core_fields()
    names = ["total", *(f.name for f in fields)]
    counted_by_agency: dict = defaultdict(Tally)
    for row in (
        data.scope.encounters()
        .order_by()
        .values("operation_id")
        .annotate(total=Count("pk"), **{f.name: Count("pk", filter=f.recorded) for f in fields})
    ):
        operation = data.operations.get(row["operation_id"])
        if operation is not None:
            counted_by_agency[operation.agency_id].update({name: row[name] for name in names})
    agencies = sorted({op.agency_id for op in data.operations.values()}, key=lambda a: a or 0)
    true = [counted_by_agency[agency][name] for agency in agencies for name in names]
    noisy = noise.draw(share["scale"], true)
    coverage = {}
    for number, agency in enumerate(agencies):
        counted = dict(zip(names, noisy[number * len(names) :], strict=False))
        people = max(counted["total"], 1)
        coverage[agency] = {
            f.name: min(100.0, 100 * max(counted[f.name], 0) / people) for f in fields
        }
    return coverage


def _measure_of(key: str) -> str:
    return key.split("|", 1)[0]


@dataclass
class _Set:
    """A distinct set of atoms some figure adds up, and what noise made of it."""

    atoms: frozenset[str]
    cells: list[int] = field(default_factory=list)  # indexes within its measure
    measure: str = ""
    value: int = 0  # the sum of its consistent noisy cells: what is published
    noisy: int = 0  # the sum of its noisy cells before they were made consistent

    def interval(self, measures: dict, alpha: float) -> tuple[int, int]:
        """An interval that holds the true count with probability 1 − alpha: the exact one
        around the noisy sum, widened to take in the published value where making the cells
        consistent moved it, and never below 0."""
        if not self.cells:
            return (self.value, self.value)
        half = noise.half_width(measures[self.measure]["scale"], len(self.cells), alpha)
        return (
            max(0, min(self.value, self.noisy) - half),
            max(self.value, self.noisy) + half,
        )


@dataclass
class NoisyRelease:
    """A DP release's tables, their figures replaced by noisy ones, and per figure what the
    pages and the check need: its interval, and for a count its measure, noise scale and the
    number of noisy cells it adds up."""

    tables: list[BuiltTable]
    figures: dict[tuple[str, int, str], dict]

    def cells(self, table: BuiltTable) -> list[dict]:
        described = table.cells()
        for (slug, index, name), extra in self.figures.items():
            if slug == table.slug:
                described[index][name] |= extra
        return described

    def report(self, rules: dict) -> dict:
        """What creation did, for the release's record until it is checked."""
        counted = sum(1 for extra in self.figures.values() if "noise" in extra)
        return {
            "method": METHOD,
            "epsilon": rules["epsilon"],
            "budget_spent": rules["budget_spent"],
            "counts_with_noise": counted,
        }


def noisy_tables(data: ReleaseData, rules: dict) -> NoisyRelease:
    """Build a release's computed tables with every count noisy and consistent."""
    measures = rules["measures"]
    data.coverage = _noisy_coverage(data, measures["coverage"])
    cells = _Cells(data, _bounded_offers(data))
    data.atoms = cells  # type: ignore[assignment]
    # The cells cover operations only, and no bound is stated for people identified outside
    # them nor for the triaged reports counted at units of one report each: their tables are
    # left out (release_identifications, release_accountability).
    data.beyond_operations = False
    tables = build_computed_tables(data)
    grids = [table.grid for table in tables if table.grid is not None]
    for grid in grids:
        if grid.name in SEPARATE_TABLES:
            _set_apart(grid, cells.values)
    sets = _sets(grids)
    unknown = sorted({s.measure for s in sets.values() if s.atoms and s.measure not in measures})
    if unknown:
        raise Refused(
            "No contribution bound is stated for " + ", ".join(unknown) + ": add it to "
            "dp_release.bounds() before these figures can be published with noise."
        )
    try:
        _add_noise(sets, cells.values, measures)
    except ArithmeticError as failed:
        # Rare numerical trouble of the solver; fresh noise gives it another programme.
        raise Refused(f"{failed}; create the release again.") from None
    units = {(table.slug, column.name): column.unit for table in tables for column in table.columns}
    figures: dict[tuple[str, int, str], dict] = {}
    for grid in grids:
        for (index, name), figure in grid.figures.items():
            figures[(grid.name, index, name)] = _publish(
                figure, sets, measures, percent=units.get((grid.name, name)) == "%"
            )
    return NoisyRelease(tables, figures)


def _set_apart(grid: Grid, values: dict[str, int]) -> None:
    """Give this table's figures atoms of their own measure (``<table>:<measure>``)."""

    def apart(atoms: frozenset[str]) -> frozenset[str]:
        renamed = frozenset(f"{grid.name}:{atom}" for atom in atoms)
        for atom in atoms:
            values[f"{grid.name}:{atom}"] = values[atom]
        return renamed

    for figure in grid.figures.values():
        if isinstance(figure, CountFigure):
            figure.atoms = apart(figure.atoms)
        else:
            figure.numerator = apart(figure.numerator)
            figure.denominator = apart(figure.denominator)


def _atom_sets(figure: CountFigure | Ratio) -> list[frozenset[str]]:
    if isinstance(figure, CountFigure):
        return [figure.atoms]
    return [figure.numerator, figure.denominator]


def _sets(grids: Sequence[Grid]) -> dict[frozenset[str], _Set]:
    sets: dict[frozenset[str], _Set] = {}
    for grid in grids:
        for figure in grid.figures.values():
            for atoms in _atom_sets(figure):
                if atoms not in sets:
                    sets[atoms] = _Set(atoms, measure=_measure_of(next(iter(atoms), "")))
    return sets


def _add_noise(sets: dict[frozenset[str], _Set], values: dict[str, int], measures: dict) -> None:
    """Merge the atoms that appear in exactly the same sets into cells, add noise to each cell
    (one OpenDP measurement per measure), make the cells consistent and non-negative, and give
    each set its published and its noisy sum."""
    listed = [s for s in sets.values() if s.atoms]
    signature: dict[str, list[int]] = defaultdict(list)
    for number, s in enumerate(listed):
        for atom in s.atoms:
            signature[atom].append(number)
    cell_of_signature: dict[tuple[str, tuple[int, ...]], int] = {}
    members: dict[str, list[list[str]]] = defaultdict(list)
    cell_of_atom: dict[str, int] = {}
    for atom, numbers in signature.items():
        measure = _measure_of(atom)
        key = (measure, tuple(numbers))
        if key not in cell_of_signature:
            cell_of_signature[key] = len(members[measure])
            members[measure].append([])
        cell_of_atom[atom] = cell_of_signature[key]
        members[measure][cell_of_atom[atom]].append(atom)
    for s in listed:
        s.cells = sorted({cell_of_atom[atom] for atom in s.atoms})
    for measure, cells in members.items():
        true = [sum(values[atom] for atom in atoms) for atoms in cells]
        noisy = noise.draw(measures[measure]["scale"], true)
        mine = [s for s in listed if s.measure == measure]
        published = noise.consistent(noisy, [s.cells for s in mine])
        for s in mine:
            s.value = sum(published[c] for c in s.cells)
            s.noisy = sum(noisy[c] for c in s.cells)
    for s in listed:
        # What the checker reads instead of atoms: the noisy cells a figure adds up.
        s.atoms = frozenset(f"{s.measure}#{cell}" for cell in s.cells)


def _publish(figure: CountFigure | Ratio, sets: dict, measures: dict, *, percent: bool) -> dict:
    """Give ``figure`` its noisy value, and say what the page and the check need of it."""
    figure.suppressed = ""
    if isinstance(figure, CountFigure):
        counted = sets[figure.atoms]
        figure.atoms = counted.atoms
        figure.value = counted.value
        if not counted.cells:
            # A figure over no cell at all (no operation) counts nobody: 0 by its definition.
            return {"low": 0, "high": 0, "noise": {"measure": "", "scale": 0.0, "draws": 0}}
        low, high = counted.interval(measures, 1 - noise.CONFIDENCE)
        return {
            "low": low,
            "high": high,
            "noise": {
                "measure": counted.measure,
                "scale": measures[counted.measure]["scale"],
                "draws": len(counted.cells),
            },
        }
    figure.unstable = False
    denominator = sets[figure.denominator]
    figure.denominator = denominator.atoms
    numerator: float
    if figure.numerator_amount is not None:
        # Money is not noisy: the interval comes from the count of victims alone.
        numerator = low_n = high_n = figure.numerator_amount
        low_d, high_d = denominator.interval(measures, 1 - noise.CONFIDENCE)
    else:
        counted = sets[figure.numerator]
        figure.numerator = counted.atoms
        numerator = counted.value
        # Each part's interval at 97.5 %: both hold together with probability at least 95 %.
        alpha = 1 - RATIO_CONFIDENCE_EACH_PART
        low_n, high_n = counted.interval(measures, alpha)
        low_d, high_d = denominator.interval(measures, alpha)
    figure.value = ratio_value(numerator, denominator.value, figure.scale, figure.decimals)
    if figure.value is None:
        return {}
    step = 10**-figure.decimals
    low = math.floor(figure.scale * low_n / high_d / step) * step
    high = math.ceil(figure.scale * high_n / low_d / step) * step if low_d else None
    if percent:
        # A share of a whole (victims offered services among victims, say) is at most 100 %,
        # even where noise puts the part above its whole.
        figure.value = min(figure.value, 100.0)
        high = 100.0 if high is None else min(high, 100.0)
    low = min(round(low, figure.decimals), figure.value)
    high = None if high is None else max(round(high, figure.decimals), figure.value)
    return {"low": low, "high": high}


# --- Checking a stored DP release ------------------------------------------------------------


@dataclass
class NoiseCheck:
    """What the check of a DP release found: the budget OpenDP's maps say the recorded noise
    spends, how many counts were read, and every problem."""

    epsilon: float
    spent: float
    counts_checked: int
    failures: list[str]

    @property
    def passed(self) -> bool:
        return not self.failures

    def as_json(self) -> dict:
        return {
            "passed": self.passed,
            "method": METHOD,
            "epsilon": self.epsilon,
            "budget_spent": self.spent,
            "counts_checked": self.counts_checked,
            "failures": self.failures,
        }

    def describe_failures(self) -> list[str]:
        return self.failures


def check(release: Release) -> NoiseCheck:
    """Check a stored DP release: its method and mechanism are recorded, the budget its noise
    spends (recomputed by OpenDP's privacy map from the recorded scales and bounds) is within ε,
    every count carries its noise and interval, and every total equals the sum of its parts."""
    rules = release.parameters
    failures = []
    if not rules.get("mechanism"):
        failures.append("The release does not record the mechanism that added its noise.")
    epsilon = rules.get("epsilon")
    if not isinstance(epsilon, int | float) or not epsilon > 0:
        failures.append(f"The release records no positive budget ε (it records {epsilon!r}).")
        epsilon = 0.0
    measures = rules.get("measures") or {}
    if not measures:
        failures.append("The release records no noise scale for any measure.")
    spent = math.fsum(noise.spent(m["scale"], m["bound"]) for m in measures.values())
    if spent > epsilon:
        failures.append(
            f"The noise spends ε = {spent:g} by OpenDP's privacy map, more than the release's "
            f"budget ε = {epsilon:g}."
        )
    counted = 0
    for table in release.tables.filter(provenance=COMPUTED).order_by("position"):
        kinds = {column["name"]: column["kind"] for column in table.columns}
        for index, (row, flags) in enumerate(zip(table.rows, table.cells, strict=True)):
            for name, cell in flags.items():
                where = f"{table.slug}, row {index + 1}, {name}"
                if kinds.get(name) == "count":
                    counted += 1
                    failures += _count_problems(where, row.get(name), cell, measures)
                elif row.get(name) is not None and "low" not in cell:
                    failures.append(f"{where}: a rate shown without its interval.")
        failures += _totals_that_do_not_add_up(table)
    return NoiseCheck(epsilon, spent, counted, list(dict.fromkeys(failures)))


def _count_problems(where: str, value, cell: dict, measures: dict) -> list[str]:
    added = cell.get("noise") or {}
    if not isinstance(value, int) or value < 0:
        return [f"{where}: a count that is not a non-negative whole number ({value!r})."]
    if not added.get("draws"):
        if added.get("draws") == 0 and value == 0:
            return []  # a count over no cell at all
        return [f"{where}: a count shown without noise."]
    recorded = measures.get(added.get("measure"), {}).get("scale")
    if not recorded or added.get("scale") != recorded:
        return [
            f"{where}: its noise scale {added.get('scale')!r} is not the one recorded for "
            f"{added.get('measure')!r} ({recorded!r})."
        ]
    low, high = cell.get("low"), cell.get("high")
    if low is None or high is None or not low <= value <= high:
        return [f"{where}: a count shown without a 95 % interval around it."]
    return []


def _totals_that_do_not_add_up(table) -> list[str]:
    """Within a column (or a row), a figure whose cells are exactly those of the other figures
    of that column (or row) inside it, each cell taken once, must equal their sum."""
    by_column: dict[str, list] = defaultdict(list)
    by_row: dict[int, list] = defaultdict(list)
    for index, (row, proofs) in enumerate(zip(table.rows, table.proof, strict=True)):
        for name, proof in proofs.items():
            if proof.get("atoms") and isinstance(row.get(name), int):
                figure = (index, name, frozenset(proof["atoms"]), row[name])
                by_column[name].append(figure)
                by_row[index].append(figure)
    problems = []
    for line in (*by_column.values(), *by_row.values()):
        for index, name, atoms, value in line:
            parts = [(other, part) for _, _, other, part in line if other < atoms]
            covered = [atom for other, _ in parts for atom in other]
            if parts and len(covered) == len(atoms) and set(covered) == atoms:
                total = sum(part for _, part in parts)
                if total != value:
                    problems.append(
                        f"{table.slug}, row {index + 1}, {name}: {value:,} is not the sum of "
                        f"its parts ({total:,})."
                    )
    return problems
