"""Disclosure control for released tables: suppression, and an independent proof that no
suppressed figure can be worked out from what is shown.

Every figure is a sum of *atoms*, the finest counts it is built from (for example "arrests of
buyers in operation 12, of women"). Two figures built from the same atoms are the same figure, and
a total is the sum of its parts, so the linear relations between figures — within a table, across
the tables of a release, and with earlier releases — are all visible to the checker.

The rules (CMS small-cell policy; CTDC releases counts of at least 11):

- **primary suppression**: a count from 1 to the threshold (10) is suppressed; 0 is shown;
- **ratios** (percentages, rates per 100) are suppressed when their numerator or denominator is,
  and flagged as unstable when their denominator is under 20;
- **complementary suppression**: further counts are suppressed until the checker passes —
  by default those of least total cost, chosen by an integer program (``suppression``), where
  headline measures and totals cost most; or, as a fallback, by a heuristic that hides a
  partner under each exposing total;
- **what is public stays shown**: a figure an earlier published release shows is known to every
  reader; it is never hidden again, and the checker counts it as known.

The **checker** knows only what a reader knows: the shown figures (exact counts, and each shown
ratio as the interval its rounding allows) of this release and of earlier published ones. For
each suppressed figure it solves two integer programs — the smallest and the largest value the
figure can take given everything shown — and fails when that interval is narrower than the
protection width. It shares no code with either way of suppressing, so a mistake in one is
caught by the other.
"""

from __future__ import annotations

import math
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from itertools import chain

import numpy as np
from scipy.optimize import Bounds, LinearConstraint, milp
from scipy.sparse import block_array, csc_array, csr_array
from scipy.sparse.csgraph import connected_components

PRIMARY = "primary"
COMPLEMENTARY = "complementary"
DEFAULT_THRESHOLD = 10
DEFAULT_PROTECTION_WIDTH = 10
DEFAULT_UNSTABLE_BELOW = 20


class ProtectionFailed(Exception):
    """Suppression cannot make the tables pass (for instance a protection width no table can
    meet); the message lists the figures still exposed."""


@dataclass
class Count:
    """A count of people (or of events about people): the sum of its atoms."""

    atoms: frozenset[str]
    value: int | None
    suppressed: str = ""
    # How dear it is to hide: least-cost suppression hides cheap figures first (headline
    # measures and totals are dear). Never stored; it changes no proof.
    weight: float = 1.0

    @property
    def shown(self) -> bool:
        return not self.suppressed


@dataclass
class Ratio:
    """``scale × numerator / denominator`` rounded to ``decimals``. The numerator is a count
    (atoms) or, for money per person, a shown amount (``numerator_amount``)."""

    numerator: frozenset[str]
    denominator: frozenset[str]
    scale: float
    decimals: int
    value: float | None
    numerator_amount: float | None = None
    suppressed: str = ""
    unstable: bool = False
    # The true numerator and denominator, known while a release is built and never stored.
    parts: tuple[float | None, int | None] = (None, None)
    weight: float = 1.0  # as for Count

    @property
    def shown(self) -> bool:
        return not self.suppressed and self.value is not None


Figure = Count | Ratio


@dataclass
class Grid:
    """One table's figures, addressed by (row number, column name)."""

    name: str
    figures: dict[tuple[int, str], Figure] = field(default_factory=dict)

    def counts(self) -> Iterable[tuple[tuple[int, str], Count]]:
        return ((key, f) for key, f in self.figures.items() if isinstance(f, Count))

    def ratios(self) -> Iterable[tuple[tuple[int, str], Ratio]]:
        return ((key, f) for key, f in self.figures.items() if isinstance(f, Ratio))


def ratio_value(numerator: float, denominator: int, scale: float, decimals: int) -> float | None:
    if not denominator:
        return None
    return round(scale * numerator / denominator, decimals)


# --- The checker -----------------------------------------------------------------------------


@dataclass(frozen=True)
class Interval:
    table: str
    row: int
    column: str
    low: float
    high: float  # math.inf when nothing bounds it

    @property
    def width(self) -> float:
        return self.high - self.low


@dataclass(frozen=True)
class Difference:
    """A shown figure of this release and a shown figure of an earlier one, one part of the
    other, whose difference is a small count nobody published."""

    table: str
    row: int
    column: str
    earlier: str
    value: int

    def describe(self) -> str:
        return (
            f"{self.table}, row {self.row + 1}, {self.column}: its difference with {self.earlier} "
            f"is {self.value}, a count from 1 to the threshold that differencing would reveal."
        )


@dataclass
class CheckReport:
    protection_width: float
    intervals: list[Interval]
    threshold: int
    shown_small_counts: list[str]
    # Figures an earlier release showed with another value (records changed since): proved
    # against this release alone.
    revised: list[str] = field(default_factory=list)
    # Shown figures of this release that, subtracted from a shown figure of an earlier release
    # they are part of (or the other way round), leave a count from 1 to the threshold.
    small_differences: list[Difference] = field(default_factory=list)
    # What suppression has to say about how it chose (for instance that it fell back to the
    # heuristic): for the release's notes.
    notes: list[str] = field(default_factory=list)

    @property
    def failures(self) -> list[Interval]:
        """Suppressed figures a reader can pin down to a narrow range that holds a small count.
        A figure provably 0, or provably above the threshold, reveals no small count: both
        would have been shown."""
        return [
            i
            for i in self.intervals
            if i.width < self.protection_width and i.high >= 1 and i.low <= self.threshold
        ]

    @property
    def passed(self) -> bool:
        return not self.failures and not self.shown_small_counts and not self.small_differences

    def as_json(self) -> dict:
        def number(value: float) -> float | str:
            return "unbounded" if math.isinf(value) else round(value, 3)

        return {
            "passed": self.passed,
            "protection_width": self.protection_width,
            "threshold": self.threshold,
            "suppressed_figures_checked": len(self.intervals),
            "shown_small_counts": self.shown_small_counts,
            "revised_since_earlier_releases": self.revised,
            "small_differences": [d.describe() for d in self.small_differences],
            **({"notes": self.notes} if self.notes else {}),
            "failures": [
                {
                    "table": i.table,
                    "row": i.row,
                    "column": i.column,
                    "low": number(i.low),
                    "high": number(i.high),
                }
                for i in self.failures
            ],
        }

    def describe_failures(self) -> list[str]:
        width = f"{self.protection_width:g}"
        return (
            [
                f"{i.table}, row {i.row + 1}, {i.column}: a reader can narrow it to "
                f"{i.low:g}–{i.high:g}, narrower than the protection width {width}."
                for i in self.failures
            ]
            + [
                f"{where}: a count from 1 to {self.threshold} is shown."
                for where in self.shown_small_counts
            ]
            + [difference.describe() for difference in self.small_differences]
        )


# What a reader knows, as linear rows: each a sum of figures' atoms (a figure's atoms and the
# coefficient of every one of them), between a lower and an upper bound.
_Row = tuple[list[tuple[frozenset, float]], float, float]


def _ratio_rows(ratio: Ratio) -> list[_Row]:
    """What a shown ratio tells a reader: the interval its rounding allows, as linear rows."""
    half = 0.5 * 10 ** (-ratio.decimals)
    low_value, high_value = max(ratio.value - half, 0.0), ratio.value + half
    if ratio.numerator_amount is not None:
        # amount·scale / d ∈ [low, high]  ⇔  amount·scale/high ≤ d ≤ amount·scale/low
        amount = ratio.scale * ratio.numerator_amount
        return [
            (
                [(ratio.denominator, 1.0)],
                amount / high_value,
                amount / low_value if low_value > 0 else math.inf,
            )
        ]
    # scale·n − bound·d ≥ 0 (lower end) and ≤ 0 (upper end); d > 0 since the ratio is shown. An
    # atom of both parts gets both coefficients, summed.
    return [
        ([(ratio.numerator, ratio.scale), (ratio.denominator, -bound_value)], low, high)
        for bound_value, low, high in ((low_value, 0.0, math.inf), (high_value, -math.inf, 0.0))
    ]


def _known_rows(grids: Sequence[Grid]) -> list[_Row]:
    """Every shown count as an equation, and every shown ratio whose parts are not both shown
    as counts as the interval its rounding allows (a ratio of two shown counts tells nothing
    more, and leaving it out keeps unrelated measures in separate, smaller programs)."""
    rows: list[_Row] = []
    shown_counts = set()
    for grid in grids:
        for _, count in grid.counts():
            if count.shown and count.value is not None:
                rows.append(([(count.atoms, 1.0)], count.value, count.value))
                shown_counts.add(count.atoms)
    for grid in grids:
        for _, ratio in grid.ratios():
            numerator_known = ratio.numerator_amount is not None or (
                ratio.numerator in shown_counts
            )
            if ratio.shown and not (numerator_known and ratio.denominator in shown_counts):
                rows.extend(_ratio_rows(ratio))
    return rows


@dataclass(frozen=True)
class _Target:
    table: str
    row: int
    column: str
    atoms: frozenset[str]


def _targets(grids: Sequence[Grid]) -> list[_Target]:
    """Every suppressed count, and the hidden parts of suppressed ratios that no count shows."""
    shown_sets = {c.atoms for g in grids for _, c in g.counts() if c.shown}
    targets = []
    for grid in grids:
        for (row, column), count in grid.counts():
            if not count.shown:
                targets.append(_Target(grid.name, row, column, count.atoms))
        for (row, column), ratio in grid.ratios():
            if ratio.suppressed:
                for part, atoms in (
                    ("numerator", ratio.numerator),
                    ("denominator", ratio.denominator),
                ):
                    if atoms and atoms not in shown_sets:
                        targets.append(_Target(grid.name, row, f"{column} ({part})", atoms))
    return targets


_INFEASIBLE = 2  # scipy.optimize.milp's status when no values satisfy the rows


def _solve_intervals(
    rows: list[_Row], targets: list[_Target]
) -> dict[frozenset, tuple[float, float] | None]:
    """The smallest and largest value of each target's sum given the rows, atoms being
    non-negative integers; None where the rows contradict each other. Atoms that appear in
    exactly the same rows and targets are merged, and each target is solved only over the rows
    connected to it."""
    distinct_targets = list(dict.fromkeys(t.atoms for t in targets))
    # One sparse matrix: a row per known row, then one per target (coefficient 1), a column per
    # atom; an atom in two parts of a row gets their coefficients summed.
    parts = [(r, atoms, c) for r, (sums, _, _) in enumerate(rows) for atoms, c in sums] + [
        (len(rows) + t, atoms, 1.0) for t, atoms in enumerate(distinct_targets)
    ]
    sets = list(dict.fromkeys(atoms for _, atoms, _ in parts))
    set_number = {atoms: n for n, atoms in enumerate(sets)}
    indptr, indices, atom_count = _numbered(sets)
    size = np.diff(indptr)
    which = np.array([set_number[atoms] for _, atoms, _ in parts], dtype=np.int64)
    starts = indptr[which]
    lengths = size[which]
    # The atoms of every part, one after another.
    offsets = np.repeat(starts - np.cumsum(lengths) + lengths, lengths)
    entries = indices[np.arange(int(lengths.sum())) + offsets]
    matrix = csc_array(
        (
            np.repeat([c for _, _, c in parts], lengths),
            (np.repeat([r for r, _, _ in parts], lengths).astype(np.int64), entries),
        ),
        shape=(len(rows) + len(distinct_targets), atom_count),
    )
    matrix.sum_duplicates()
    variable_of_atom = _same_columns(matrix)
    # Atoms merged into one variable appear in exactly the same rows with the same coefficient,
    # so a row's coefficient for the variable is that of any of its atoms.
    representative = np.zeros(int(variable_of_atom.max(initial=-1)) + 1, dtype=np.int64)
    representative[variable_of_atom] = np.arange(atom_count)
    merged = csr_array(matrix[: len(rows)][:, representative])
    # Variables are connected through the rows they share (a zero coefficient included).
    pattern = csr_array((np.ones(merged.nnz), merged.indices, merged.indptr), shape=merged.shape)
    graph = block_array([[None, pattern], [pattern.T, None]], format="csr")
    _, component = connected_components(graph, directed=False)
    row_component, variable_component = component[: len(rows)], component[len(rows) :]
    nonempty = np.diff(merged.indptr) > 0
    lows = np.array([low for _, low, _ in rows], dtype=float)
    highs = np.array([high for _, _, high in rows], dtype=float)

    programs: dict[frozenset[int], tuple[dict[int, int], dict]] = {}

    def program(components: frozenset[int]) -> tuple[dict[int, int], dict]:
        """The rows of these components as one sparse system, built once for all its targets."""
        if components not in programs:
            row_indexes = np.flatnonzero(np.isin(row_component, list(components)) & nonempty)
            system = merged[row_indexes]
            local = np.unique(system.indices)
            position = {v: n for n, v in enumerate(local.tolist())}
            constraint = LinearConstraint(
                csr_array(system[:, local]), lows[row_indexes], highs[row_indexes]
            )
            programs[components] = (
                position,
                {
                    "integrality": np.ones(len(local)),
                    "bounds": Bounds(0, np.inf),
                    "constraints": constraint,
                },
            )
        return programs[components]

    with_rows = set(row_component[nonempty].tolist())
    intervals: dict[frozenset, tuple[float, float] | None] = {}
    for atoms in distinct_targets:
        target = set_number[atoms]
        target_variables = set(
            variable_of_atom[indices[indptr[target] : indptr[target + 1]]].tolist()
        )
        components = frozenset(variable_component[list(target_variables)].tolist())
        if not components & with_rows:
            intervals[atoms] = (0.0, math.inf)
            continue
        position, common = program(components)
        if any(v not in position for v in target_variables):
            # Part of the figure appears in no shown figure at all: nothing bounds it above.
            intervals[atoms] = (0.0, math.inf)
            continue
        objective = np.zeros(len(position))
        for v in target_variables:
            objective[position[v]] = 1.0
        lowest = milp(objective, **common)
        if lowest.status == _INFEASIBLE:
            intervals[atoms] = None
            continue
        highest = milp(-objective, **common)
        low = lowest.fun if lowest.status == 0 else 0.0
        high = -highest.fun if highest.status == 0 else math.inf
        intervals[atoms] = (low, high)
    return intervals


def _same_columns(matrix: csc_array) -> np.ndarray:
    """For each column, a number shared exactly by the columns equal to it (the same rows with
    the same values). Columns are hashed with random weights, and every column is compared,
    entry by entry, with the first of those with its hash; one that differs keeps a number of
    its own, so the grouping is exact whatever the draw. (``matrix`` is canonical: each
    column's rows ascend, none twice.)"""
    columns = matrix.shape[1]
    counts = np.diff(matrix.indptr)
    # A value's hash mixes the bits of the number (equal numbers have equal bits, but for 0.0
    # and -0.0, which then only stay apart).
    value_bits = np.ascontiguousarray(matrix.data, dtype=np.float64).view(np.uint64)
    draw = np.random.default_rng(20)
    hashes = []
    for _ in range(2):
        row_weight = draw.integers(1, 2**63, size=matrix.shape[0], dtype=np.uint64)
        mixed = (value_bits ^ draw.integers(1, 2**63, dtype=np.uint64)) * np.uint64(
            0x9E3779B97F4A7C15
        )
        terms = row_weight[matrix.indices] * (mixed | np.uint64(1))  # wraps around: a hash
        column_hash = np.zeros(columns, dtype=np.uint64)
        filled = counts > 0
        column_hash[filled] = np.add.reduceat(terms, matrix.indptr[:-1][filled])
        hashes.append(column_hash)
    order = np.lexsort((counts, *hashes))
    keys = np.stack([hashes[1][order], hashes[0][order], counts[order].astype(np.uint64)])
    starts = np.ones(columns, dtype=bool)
    starts[1:] = (keys[:, 1:] != keys[:, :-1]).any(axis=0)
    group = np.empty(columns, dtype=np.int64)
    group[order] = np.cumsum(starts) - 1
    first = order[starts]  # the first column of each group
    # Every entry against the same entry of its group's first column.
    column_of_entry = np.repeat(np.arange(columns), counts)
    within = np.arange(matrix.nnz) - np.repeat(matrix.indptr[:-1], counts)
    same = np.repeat(matrix.indptr[first[group]], counts) + within
    differs = (matrix.indices != matrix.indices[same]) | (matrix.data != matrix.data[same])
    apart = np.unique(column_of_entry[differs])
    group[apart] = columns + np.arange(len(apart))
    return np.unique(group, return_inverse=True)[1].astype(np.int64)


def _numbered(sets: Sequence[frozenset]) -> tuple[np.ndarray, np.ndarray, int]:
    """The atoms of ``sets`` numbered from 0: each set's numbers (the index pointer and indices
    of a sparse matrix with a row per set), and how many atoms there are. Integer atoms are
    numbered with arrays; others (a release stored with atom keys) one by one."""
    indptr = np.zeros(len(sets) + 1, dtype=np.int64)
    indptr[1:] = np.cumsum([len(atoms) for atoms in sets])
    if all(set(map(type, atoms)) <= {int} for atoms in sets):
        flat = np.fromiter(chain.from_iterable(sets), dtype=np.int64, count=int(indptr[-1]))
        distinct, indices = np.unique(flat, return_inverse=True)
        return indptr, indices.astype(np.int64), len(distinct)
    number: dict = {}
    indices = np.fromiter(
        (number.setdefault(atom, len(number)) for atoms in sets for atom in atoms),
        dtype=np.int64,
        count=int(indptr[-1]),
    )
    return indptr, indices, len(number)


def _small_differences(
    grids: Sequence[Grid], earlier: Sequence[Grid], threshold: int
) -> list[Difference]:
    """Nested shown figures across releases: last year's total and this half-year's, say. Their
    difference counts people no release shows, and must not be from 1 to the threshold. (Within
    one release the integer programs already cover it: such a difference is a sum of suppressed
    figures.)"""
    earlier_shown = [
        (f"{grid.name}, row {row + 1}, {column}", count)
        for grid in earlier
        for (row, column), count in grid.counts()
        if count.shown and count.value is not None and count.atoms
    ]
    own = [
        (grid.name, row, column, count)
        for grid in grids
        for (row, column), count in grid.counts()
        if count.shown and count.value is not None and count.atoms
    ]
    if not own or not earlier_shown:
        return []
    # How many atoms each pair of figures shares, as one sparse product: a figure is inside
    # another when they share all of its atoms.
    indptr, indices, atoms = _numbered(
        [count.atoms for *_, count in own] + [count.atoms for _, count in earlier_shown]
    )
    incidence = csr_array(
        (np.ones(len(indices), dtype=np.int64), indices, indptr), shape=(len(indptr) - 1, atoms)
    )
    shared = (incidence[: len(own)] @ incidence[len(own) :].T).tocoo()
    size = np.diff(indptr)
    own_size, other_size = size[shared.row], size[len(own) + shared.col]
    inside = (shared.data == own_size) & (own_size < other_size)
    around = (shared.data == other_size) & (other_size < own_size)
    nested = np.flatnonzero(inside | around)
    found = []
    # In the order of this release's figures, then the earlier ones'.
    for pair in nested[np.lexsort((shared.col[nested], shared.row[nested]))].tolist():
        table, row, column, count = own[shared.row[pair]]
        where, other = earlier_shown[shared.col[pair]]
        difference = other.value - count.value if inside[pair] else count.value - other.value
        if 1 <= difference <= threshold:
            found.append(Difference(table, row, column, where, difference))
    return found


def check(
    grids: Sequence[Grid],
    *,
    protection_width: float = DEFAULT_PROTECTION_WIDTH,
    threshold: int = DEFAULT_THRESHOLD,
    earlier: Sequence[Grid] = (),
    settled: dict | None = None,
) -> CheckReport:
    """Prove, figure by figure, that no suppressed figure of ``grids`` (or of the earlier
    releases, which the new one must not expose either) can be narrowed below the protection
    width from what ``grids`` and ``earlier`` show; and that no count from 1 to the threshold is
    shown.

    ``settled`` (used by ``protect`` only) maps the atoms of figures already proved at least as
    wide as the protection width to their interval; they are not solved again. That is sound
    because suppressing more only removes what a reader knows, so an interval can only grow.
    """
    everything = [*earlier, *grids]
    targets = _targets(everything)
    settled = settled or {}
    intervals = dict(settled)
    intervals |= _solve_intervals(
        _known_rows(everything), [t for t in targets if t.atoms not in settled]
    )
    # Contradictions arise only between releases: records changed after an earlier release was
    # published, so a shared figure has two values. Those figures are proved within this release
    # alone, and listed so that an analyst sees the revision.
    contradicted = [t for t in targets if intervals[t.atoms] is None]
    if contradicted:
        own = {t.atoms for t in _targets(grids)}
        alone = _solve_intervals(_known_rows(grids), [t for t in contradicted if t.atoms in own])
        for target in contradicted:
            intervals[target.atoms] = alone.get(target.atoms) or (0.0, math.inf)
    small = [
        f"{grid.name}, row {row + 1}, {column}"
        for grid in grids
        for (row, column), count in grid.counts()
        if count.shown and count.value is not None and 1 <= count.value <= threshold
    ]
    differences = _small_differences(grids, earlier, threshold)
    return CheckReport(
        protection_width=protection_width,
        threshold=threshold,
        shown_small_counts=small,
        revised=[f"{t.table}, row {t.row + 1}, {t.column}" for t in contradicted],
        small_differences=differences,
        intervals=[Interval(t.table, t.row, t.column, *intervals[t.atoms]) for t in targets],
    )


# --- Suppression -----------------------------------------------------------------------------


def _is_small(value: float | None, threshold: int) -> bool:
    return value is not None and 1 <= value <= threshold


def _suppress_dependants(grids: Sequence[Grid], threshold: int) -> None:
    """A figure with the atoms of a suppressed count is that count; a ratio goes with its
    numerator and denominator."""
    hidden = {c.atoms for g in grids for _, c in g.counts() if c.suppressed}
    for grid in grids:
        for _, count in grid.counts():
            if count.shown and count.atoms in hidden:
                count.suppressed = COMPLEMENTARY
        for _, ratio in grid.ratios():
            if ratio.suppressed or ratio.value is None:
                continue
            numerator, denominator = ratio.parts
            small_numerator = ratio.numerator_amount is None and _is_small(numerator, threshold)
            if small_numerator or _is_small(denominator, threshold):
                ratio.suppressed = PRIMARY
            elif ratio.numerator in hidden or ratio.denominator in hidden:
                ratio.suppressed = COMPLEMENTARY


def _exposing(atoms: frozenset[str], grids: Sequence[Grid], earlier: Sequence[Grid]) -> list:
    """The atom sets of shown figures that contain the target: the totals that expose it,
    tightest first."""
    return sorted(
        {
            count.atoms
            for grid in (*earlier, *grids)
            for _, count in grid.counts()
            if count.shown and count.atoms > atoms
        },
        key=len,
    )


def _partner_for(
    target: Interval, grids: Sequence[Grid], earlier: Sequence[Grid], atoms: frozenset[str]
) -> Count | None:
    """The shown count whose suppression best protects ``target``.

    A suppressed figure is exposed by the shown totals that contain it (in its own table, in
    another, or in an earlier release). The best partner is a *sibling* under the tightest such
    total — a figure inside it, disjoint from the target — in the target's own table first;
    then the total itself; then any figure sharing atoms. Among equals, the smallest non-zero
    one, so that as little as possible is hidden. A figure an earlier release already shows is
    public: hiding it again protects nothing, so it is never a partner.
    """
    public = {count.atoms for grid in earlier for _, count in grid.counts() if count.shown}
    hideable = [
        (grid.name, count)
        for grid in grids
        for _, count in grid.counts()
        if count.shown and count.atoms not in public
    ]

    def smallest(candidates: list[Count]) -> Count | None:
        positive = [c for c in candidates if c.value]
        pool = positive or candidates
        return min(pool, key=lambda c: (c.value or 0, len(c.atoms))) if pool else None

    for total in _exposing(atoms, grids, earlier):
        inside = [
            (table, count)
            for table, count in hideable
            if count.atoms <= total and not count.atoms & atoms
        ]
        for candidates in (
            [c for table, c in inside if table == target.table],
            [c for _, c in inside],
            [c for _, c in hideable if c.atoms == total],
        ):
            if partner := smallest(candidates):
                return partner
    return smallest([c for _, c in hideable if c.atoms & atoms])


OPTIMAL = "optimal"
HEURISTIC = "heuristic"
SUPPRESSION_METHODS = (OPTIMAL, HEURISTIC)
# How long the least-cost program may search before the heuristic takes over (seconds).
DEFAULT_TIME_LIMIT = 60.0


def mark_primary(grids: Sequence[Grid], threshold: int, unstable_below: int) -> None:
    """Primary suppression: counts from 1 to the threshold, and ratios built on one; ratios
    over fewer than ``unstable_below`` are flagged unstable."""
    for grid in grids:
        for _, count in grid.counts():
            if _is_small(count.value, threshold):
                count.suppressed = PRIMARY
        for _, ratio in grid.ratios():
            numerator, denominator = ratio.parts
            ratio.unstable = denominator is not None and 0 < denominator < unstable_below
            small_numerator = ratio.numerator_amount is None and _is_small(numerator, threshold)
            if ratio.value is not None and (small_numerator or _is_small(denominator, threshold)):
                ratio.suppressed = PRIMARY


def protect(
    grids: Sequence[Grid],
    *,
    threshold: int = DEFAULT_THRESHOLD,
    protection_width: float = DEFAULT_PROTECTION_WIDTH,
    unstable_below: int = DEFAULT_UNSTABLE_BELOW,
    earlier: Sequence[Grid] = (),
    method: str = OPTIMAL,
    time_limit: float = DEFAULT_TIME_LIMIT,
) -> CheckReport:
    """Suppress in place until the checker passes; blank every suppressed value; return the
    final check, which trusts nothing the suppression computed.

    ``optimal`` chooses the complementary cells of least total cost by integer programming
    (``suppression.least_cost``); if it cannot finish within ``time_limit`` seconds the heuristic
    chooses them instead, and the report's notes say so. ``heuristic`` hides, for each exposed
    figure, a partner under the total that exposes it, round after round.
    """
    if method not in SUPPRESSION_METHODS:
        raise ValueError(f"Unknown suppression method {method!r}.")
    mark_primary(grids, threshold, unstable_below)
    notes = []
    if method == OPTIMAL:
        # Imported here: least-cost suppression builds on this module's figures and checker.
        from beyondraid.core import suppression

        try:
            report = suppression.least_cost(
                grids,
                threshold=threshold,
                protection_width=protection_width,
                earlier=earlier,
                time_limit=time_limit,
            )
        except suppression.GaveUp as gave_up:
            for grid in grids:
                for figure in grid.figures.values():
                    if figure.suppressed != PRIMARY:
                        figure.suppressed = ""
            notes.append(
                f"Least-cost suppression gave up ({gave_up}); the complementary cells were "
                "chosen by the heuristic, which may hide more than necessary."
            )
            method = HEURISTIC
    if method == HEURISTIC:
        report = _protect_heuristically(
            grids, threshold=threshold, protection_width=protection_width, earlier=earlier
        )
    report.notes = notes + report.notes
    for grid in grids:
        for figure in grid.figures.values():
            if figure.suppressed:
                figure.value = None
    return report


def _protect_heuristically(
    grids: Sequence[Grid],
    *,
    threshold: int,
    protection_width: float,
    earlier: Sequence[Grid],
) -> CheckReport:
    atoms_of = {}
    for grid in (*earlier, *grids):
        for (row, column), figure in grid.figures.items():
            atoms_of[(grid.name, row, column)] = (
                figure.atoms if isinstance(figure, Count) else figure.numerator | figure.denominator
            )
    settled: dict[frozenset[str], tuple[float, float]] = {}
    while True:
        _suppress_dependants(grids, threshold)
        report = check(
            grids,
            protection_width=protection_width,
            threshold=threshold,
            earlier=earlier,
            settled=settled,
        )
        if report.passed and settled:
            # What protect() promises is that the checker, run afresh on its result, passes: the
            # settled intervals only save work, and the last word is a check that trusts none.
            settled = {}
            report = check(
                grids, protection_width=protection_width, threshold=threshold, earlier=earlier
            )
        if report.passed:
            break
        for difference in report.small_differences:
            figure = next(
                g.figures[(difference.row, difference.column)]
                for g in grids
                if g.name == difference.table
            )
            figure.suppressed = COMPLEMENTARY
        # Only intervals already as wide as the protection width are settled: suppressing more
        # can only widen them, so they stay wide. A figure that passed because it is provably 0
        # or provably above the threshold is solved again next round, since widening can bring
        # it into the small range ([0, 0] becoming [0, 1]).
        settled |= {
            atoms_of[(i.table, i.row, i.column.split(" (")[0])]: (i.low, i.high)
            for i in report.intervals
            if i.width >= protection_width and " (" not in i.column
        }
        progressed = bool(report.small_differences)
        # One partner per exposing total and round: a partner often protects several figures
        # under the same total, and the next check shows which still need one.
        mended: set[frozenset[str]] = set()
        for failure in report.failures:
            column = failure.column.split(" (")[0]
            atoms = atoms_of[(failure.table, failure.row, column)]
            exposing = _exposing(atoms, grids, earlier)
            if exposing and exposing[0] in mended:
                continue
            partner = _partner_for(failure, grids, earlier, atoms)
            if partner is not None:
                partner.suppressed = COMPLEMENTARY
                mended.add(exposing[0] if exposing else atoms)
                progressed = True
        if not progressed:
            raise ProtectionFailed(
                "Complementary suppression found nothing more to suppress, yet the check fails: "
                + "; ".join(report.describe_failures())
            )
    return report


# --- Storage ---------------------------------------------------------------------------------


def figure_flags(figure: Figure) -> dict:
    """What a page needs to show a figure: whether and why it is suppressed, whether unstable."""
    return {"suppressed": figure.suppressed, "unstable": getattr(figure, "unstable", False)}


def figure_proof(figure: Figure) -> dict:
    """What the checker needs besides the shown value: the atoms the figure adds up (for a
    ratio, its numerator's and denominator's), never a suppressed value."""
    if isinstance(figure, Count):
        return {"atoms": sorted(figure.atoms)}
    proof = {
        "numerator": sorted(figure.numerator),
        "denominator": sorted(figure.denominator),
        "scale": figure.scale,
        "decimals": figure.decimals,
    }
    if figure.numerator_amount is not None:
        proof["numerator_amount"] = figure.numerator_amount
    return proof


def figure_from_json(flags: dict, proof: dict, value) -> Figure:
    if "atoms" in proof:
        return Count(frozenset(proof["atoms"]), value, flags["suppressed"])
    return Ratio(
        numerator=frozenset(proof["numerator"]),
        denominator=frozenset(proof["denominator"]),
        scale=proof["scale"],
        decimals=proof["decimals"],
        value=value,
        numerator_amount=proof.get("numerator_amount"),
        suppressed=flags["suppressed"],
        unstable=flags["unstable"],
    )
