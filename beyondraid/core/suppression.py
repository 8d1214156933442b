"""Complementary suppression of least cost: which further figures to hide so that no suppressed
figure can be worked out, hiding as little as possible.

Statistical agencies call this *cell suppression with costs* (tau-ARGUS's optimal method,
sdcTable). It is solved here as an integer program over one binary choice per distinct figure —
hide it or show it — that minimises the total cost of what is hidden: a figure's cost grows
with its weight (headline measures and totals are dear, fine breakdowns cheap) and its value.
The program starts with the primary suppressions and learns what protection needs from the
independent checker (``disclosure.check``), by *cuts*:

- the checker names a suppressed figure a reader can narrow below the protection width;
- a linear program — the reader's own reasoning, relaxed to real numbers — bounds that figure
  from the shown figures, and its dual solution names the shown figures the bound rests on
  (those with a non-zero multiplier);
- as long as all of those stay shown, the reader's bound stands, so at least one of them must be
  hidden whenever the figure is: the cut ``hide(figure) ≤ Σ hide(support)``.

Cuts only ever exclude choices that the checker would fail, so the program's answer is of least
cost among the choices the checker passes (when the reader's bound is an integer effect the
linear program does not see, the cut names every shown figure related to the target, which is
still necessary, only weaker). Nothing here is trusted: ``disclosure.protect`` runs the checker
afresh on the result, and falls back to the heuristic when the program cannot finish in time.

What is already public is not a secret: a figure an earlier published release shows, with the
same value, is known to every reader, so it is never hidden again (it is fixed as shown).
"""

from __future__ import annotations

import math
import time
from collections import defaultdict
from collections.abc import Sequence
from dataclasses import dataclass, field

import highspy
import numpy as np
from highspy._core import _Highs
from scipy.optimize import Bounds, LinearConstraint, milp
from scipy.sparse import csr_array

from .disclosure import (
    COMPLEMENTARY,
    PRIMARY,
    CheckReport,
    Count,
    Figure,
    Grid,
    Interval,
    Ratio,
    check,
)

# A multiplier smaller than this is a zero of the solver, not a row the bound rests on.
_DUAL_TOLERANCE = 1e-7


class GaveUp(Exception):
    """The program did not find a choice the checker passes in time (or its cuts contradict);
    the message says which."""


@dataclass
class _Choice:
    """One distinct figure of the release — every cell with the same atoms (a count) or the
    same definition (a ratio) is the same figure, shown or hidden together."""

    figures: list[Figure] = field(default_factory=list)
    cost: float = 0.0
    hidden: bool | None = None  # fixed: True (primary, or differencing), False (already public)


def cost(figure: Figure) -> float:
    """How dear hiding this figure is: its weight times 1 + ln(1 + value); a ratio, its weight."""
    if isinstance(figure, Count):
        return figure.weight * (1.0 + math.log1p(figure.value or 0))
    return figure.weight


def _ratio_key(ratio: Ratio) -> tuple:
    return (
        ratio.numerator,
        ratio.denominator,
        ratio.scale,
        ratio.decimals,
        ratio.numerator_amount,
    )


class _Program:
    """The choices, their costs, what fixes them, and the cuts learned so far."""

    def __init__(self, grids: Sequence[Grid], earlier: Sequence[Grid]):
        self.choices: list[_Choice] = []
        self.of_count: dict[frozenset, int] = {}
        self.of_ratio: dict[tuple, int] = {}
        self.where: dict[tuple[str, int, str], Figure] = {}
        public_counts = {
            count.atoms: count.value
            for grid in earlier
            for _, count in grid.counts()
            if count.shown and count.value is not None
        }
        public_ratios = {
            _ratio_key(ratio): ratio.value for grid in earlier for _, ratio in grid.ratios()
        }
        for grid in earlier:
            for (row, column), figure in grid.figures.items():
                self.where[(grid.name, row, column)] = figure
        for grid in grids:
            for (row, column), figure in grid.figures.items():
                self.where[(grid.name, row, column)] = figure
                if isinstance(figure, Count):
                    index = self._choice(self.of_count, figure.atoms)
                    public = public_counts.get(figure.atoms, -1) == figure.value
                elif figure.value is not None:
                    index = self._choice(self.of_ratio, _ratio_key(figure))
                    public = public_ratios.get(_ratio_key(figure), -1) == figure.value
                else:
                    continue  # nothing to show: a ratio over zero
                choice = self.choices[index]
                choice.figures.append(figure)
                choice.cost += cost(figure)
                if figure.suppressed == PRIMARY:
                    choice.hidden = True
                elif isinstance(figure, Count) and not figure.atoms:
                    choice.hidden = False  # a zero with nothing behind it protects nothing
                elif public and choice.hidden is None:
                    choice.hidden = False
        # A ratio is hidden with its numerator and its denominator: hide(ratio) ≥ hide(part).
        self.links = [
            (self.of_count[atoms], index)
            for key, index in self.of_ratio.items()
            for atoms in (key[0] if key[4] is None else None, key[1])
            if atoms is not None and atoms in self.of_count
        ]
        self.cuts: set[tuple[int | None, frozenset[int]]] = set()

    def _choice(self, index: dict, key) -> int:
        if key not in index:
            index[key] = len(self.choices)
            self.choices.append(_Choice())
        return index[key]

    def choice_of(self, interval: Interval) -> int | None:
        """The choice whose hiding makes ``interval``'s figure a target of the checker; None for
        a figure of an earlier release, hidden whatever this release does."""
        column, _, part = interval.column.partition(" (")
        figure = self.where[(interval.table, interval.row, column)]
        if isinstance(figure, Count):
            return self.of_count.get(figure.atoms)
        if part.startswith("numerator") and figure.numerator in self.of_count:
            return self.of_count[figure.numerator]
        if part.startswith("denominator") and figure.denominator in self.of_count:
            return self.of_count[figure.denominator]
        return self.of_ratio.get(_ratio_key(figure))

    def solve(self, seconds: float) -> list[bool]:
        """The hidden set of least cost that satisfies every cut so far."""
        n = len(self.choices)
        costs = np.array([choice.cost for choice in self.choices])
        low = np.array([1.0 if c.hidden else 0.0 for c in self.choices])
        high = np.array([0.0 if c.hidden is False else 1.0 for c in self.choices])
        rows: list[tuple[dict[int, float], float]] = [
            ({part: 1.0, ratio: -1.0}, 0.0) for part, ratio in self.links
        ]
        for target, support in self.cuts:
            coefficients = dict.fromkeys(support, -1.0)
            if target is None:
                rows.append((coefficients, -1.0))
            else:
                coefficients[target] = coefficients.get(target, 0.0) + 1.0
                rows.append((coefficients, 0.0))
        constraints = []
        if rows:
            entries = [(r, c, v) for r, (row, _) in enumerate(rows) for c, v in row.items()]
            if entries:
                r, c, v = zip(*entries, strict=True)
                matrix = csr_array((v, (r, c)), shape=(len(rows), n))
                constraints.append(
                    LinearConstraint(matrix, -np.inf, np.array([bound for _, bound in rows]))
                )
        result = milp(
            costs,
            integrality=np.ones(n),
            bounds=Bounds(low, high),
            constraints=constraints,
            options={"time_limit": max(seconds, 1.0)},
        )
        if result.status != 0 or result.x is None:
            raise GaveUp(
                "the integer program found no choice of cells that protects every figure"
                if result.status == 2
                else "the integer program ran out of time"
            )
        return [bool(round(x)) for x in result.x]

    def learn(self, failures: list[tuple[Interval, frozenset[int]]]) -> bool:
        """Add the cut of each failure: whenever its figure is hidden, one of its support is."""
        before = len(self.cuts)
        for failure, support in failures:
            self.cuts.add((self.choice_of(failure), support))
        return len(self.cuts) > before

    def apply(self, hidden: list[bool]) -> None:
        for choice, hide in zip(self.choices, hidden, strict=True):
            for figure in choice.figures:
                if figure.suppressed != PRIMARY:
                    figure.suppressed = COMPLEMENTARY if hide else ""


class _Reader:
    """What a reader can prove from the shown figures, as linear programs over classes of atoms
    (atoms in exactly the same figures are one variable: a figure is always a union of whole
    classes, whatever is shown). The classes are built once; each round builds one program of
    the rows known in that round and solves it for every hidden figure, changing only the
    objective, so that the solver starts each time from the last answer."""

    def __init__(self, grids: Sequence[Grid], earlier: Sequence[Grid], program: _Program):
        self.grids, self.earlier, self.program = grids, earlier, program
        # For each figure found safe, the reader's lowest and highest solutions (sparse): while
        # both still satisfy every shown figure, it needs no new program.
        self._witnesses: dict[tuple[str, int, str], list[tuple[np.ndarray, np.ndarray]]] = {}
        atom_sets: dict[frozenset, None] = {}
        for grid in (*earlier, *grids):
            for figure in grid.figures.values():
                if isinstance(figure, Count):
                    atom_sets[figure.atoms] = None
                else:
                    atom_sets[figure.numerator] = None
                    atom_sets[figure.denominator] = None
        # Each atom's signature: the sum of a random 62-bit tag per set it belongs to. Equal
        # sums mean the same sets (a collision would need tags to cancel, chance about 2⁻⁶² per
        # pair, and would only make a cut weaker, never a release unsafe: the checker has the
        # last word).
        tags = np.random.default_rng(20).integers(0, 2**62, size=len(atom_sets)).tolist()
        signature: dict = defaultdict(int)
        for atoms, tag in zip(atom_sets, tags, strict=True):
            for atom in atoms:
                signature[atom] += tag
        class_of_signature: dict[int, int] = {}
        class_of_atom = {
            atom: class_of_signature.setdefault(sig, len(class_of_signature))
            for atom, sig in signature.items()
        }
        self.classes = len(class_of_signature)
        self.class_sets = {
            atoms: np.unique(np.fromiter((class_of_atom[a] for a in atoms), dtype=np.int64))
            for atoms in atom_sets
        }

    def targets(self) -> list[tuple[Interval, np.ndarray]]:
        """Every hidden count, and the hidden parts of hidden ratios that no count shows, as the
        checker would name them."""
        shown = {c.atoms for g in (*self.earlier, *self.grids) for _, c in g.counts() if c.shown}
        found = []
        for grid in (*self.earlier, *self.grids):
            for (row, column), count in grid.counts():
                if not count.shown:
                    found.append(
                        (Interval(grid.name, row, column, 0, 0), self.class_sets[count.atoms])
                    )
            for (row, column), ratio in grid.ratios():
                if not ratio.suppressed:
                    continue
                for part, atoms in (
                    ("numerator", ratio.numerator),
                    ("denominator", ratio.denominator),
                ):
                    if atoms and atoms not in shown:
                        where = Interval(grid.name, row, f"{column} ({part})", 0, 0)
                        found.append((where, self.class_sets[atoms]))
        return found

    def _rows(self) -> tuple[list[tuple[dict[int, float], float, float]], list[int | None]]:
        """Every shown count as an equation, and every shown ratio not made of two shown counts
        as the interval its rounding allows; each with the choice it belongs to (None: an
        earlier release's, always known)."""
        program = self.program
        rows: list[tuple[dict[int, float], float, float]] = []
        owners: list[int | None] = []
        shown = set()
        releases = [*((g, False) for g in self.earlier), *((g, True) for g in self.grids)]
        for grid, mine in releases:
            for _, count in grid.counts():
                # A figure in several tables is one equation (once for each release, since an
                # earlier release may show another value when records changed since).
                if not (count.shown and count.value is not None and count.atoms):
                    continue
                if (count.atoms, mine) not in shown:
                    classes = self.class_sets[count.atoms].tolist()
                    rows.append((dict.fromkeys(classes, 1.0), count.value, count.value))
                    owners.append(program.of_count[count.atoms] if mine else None)
                shown |= {(count.atoms, mine), count.atoms}
        for grid, mine in releases:
            for _, ratio in grid.ratios():
                if not ratio.shown:
                    continue
                known_numerator = ratio.numerator_amount is not None or ratio.numerator in shown
                if known_numerator and ratio.denominator in shown:
                    continue  # tells nothing its two counts do not
                for row in self._ratio_rows(ratio):
                    rows.append(row)
                    owners.append(program.of_ratio[_ratio_key(ratio)] if mine else None)
        return rows, owners

    def _ratio_rows(self, ratio: Ratio) -> list[tuple[dict[int, float], float, float]]:
        """The interval a shown ratio's rounding allows, as rows ``low ≤ row · x ≤ high``."""
        assert ratio.value is not None
        half = 0.5 * 10 ** (-ratio.decimals)
        low, high = max(ratio.value - half, 0.0), ratio.value + half
        denominator = self.class_sets[ratio.denominator].tolist()
        if ratio.numerator_amount is not None:
            amount = ratio.scale * ratio.numerator_amount
            return [
                (
                    dict.fromkeys(denominator, 1.0),
                    amount / high,
                    amount / low if low > 0 else highspy.kHighsInf,
                )
            ]
        rows = []
        # scale·n − bound·d ≥ 0 at the low end, ≤ 0 at the high end.
        for bound, row_low, row_high in (
            (low, 0.0, highspy.kHighsInf),
            (high, -highspy.kHighsInf, 0.0),
        ):
            coefficients: dict[int, float] = defaultdict(float)
            for c in self.class_sets[ratio.numerator].tolist():
                coefficients[c] += ratio.scale
            for c in denominator:
                coefficients[c] -= bound
            rows.append((dict(coefficients), row_low, row_high))
        return rows

    def failures(
        self, protection_width: float, threshold: int, only: list[Interval] | None = None
    ) -> list[tuple[Interval, frozenset[int]]]:
        """The hidden figures the relaxed reader narrows below the protection width (or, with
        ``only``, those figures whatever their bounds), each with the choices its bounds rest on.
        """
        rows, owners = self._rows()
        solver, matrix, low_rows, high_rows = _solver(rows, self.classes)
        bounded = np.diff(matrix.indptr) > 0  # classes in at least one shown figure
        targets = self.targets()
        if only is not None:
            wanted = {_key(i) for i in only}
            targets = [t for t in targets if _key(t[0]) in wanted]

        def still_possible(point: tuple[np.ndarray, np.ndarray]) -> bool:
            columns, values = point
            product = matrix[:, columns] @ values
            return bool(np.all(product >= low_rows - 1e-6) and np.all(product <= high_rows + 1e-6))

        found = []
        previous = np.zeros(0, dtype=np.int32)
        for where, classes in targets:
            if not bounded[classes].all() and only is None:
                continue  # part of it is in no shown figure: nothing bounds it above
            witnesses = self._witnesses.get(_key(where))
            if only is None and witnesses and all(still_possible(w) for w in witnesses):
                # Two values of the figure a wide interval apart, both still consistent with
                # everything shown: it is still safe, whatever changed.
                continue
            index = classes.astype(np.int32)
            solver.changeColsCost(len(previous), previous, np.zeros(len(previous)))
            solver.changeColsCost(len(index), index, np.ones(len(index)))
            previous = index
            ends, points, support = [], [], set()
            for sense in (highspy.ObjSense.kMinimize, highspy.ObjSense.kMaximize):
                solver.changeObjectiveSense(sense)
                solver.run()
                if solver.getModelStatus() != highspy.HighsModelStatus.kOptimal:
                    break
                ends.append(solver.getInfo().objective_function_value)
                solution = solver.getSolution()
                values = np.asarray(solution.col_value)
                nonzero = np.flatnonzero(values > 1e-9)
                points.append((nonzero, values[nonzero]))
                duals = np.asarray(solution.row_dual)
                support |= {owners[r] for r in np.flatnonzero(np.abs(duals) > _DUAL_TOLERANCE)}
            if len(ends) == 2:
                # The integers inside the relaxed interval are what a reader can be sure of.
                low, high = math.ceil(ends[0] - 1e-6), math.floor(ends[1] + 1e-6)
                narrow = high - low < protection_width and high >= 1 and low <= threshold
            else:
                narrow = False
            if narrow:
                found.append((where, frozenset(o for o in support if o is not None)))
            elif only is None:
                if len(points) == 2:
                    self._witnesses[_key(where)] = points
            else:
                # The checker's bound is an integer effect the relaxation misses: every shown
                # figure of this release sharing a row with the target is a candidate.
                found.append((where, self._related(classes, rows, owners)))
        return found

    @staticmethod
    def _related(classes: np.ndarray, rows, owners) -> frozenset[int]:
        reached = set(classes.tolist())
        related: set[int] = set()
        grew = True
        while grew:
            grew = False
            for (coefficients, _, _), owner in zip(rows, owners, strict=True):
                if owner not in related and reached.intersection(coefficients):
                    if owner is not None:
                        related.add(owner)
                    if not reached.issuperset(coefficients):
                        reached |= set(coefficients)
                        grew = True
        return frozenset(related)


def _key(where: Interval) -> tuple[str, int, str]:
    return (where.table, where.row, where.column)


def _solver(rows: list[tuple[dict[int, float], float, float]], columns: int):
    """A HiGHS linear program over ``columns`` non-negative variables with these rows, silent
    (the bare binding: ``highspy.Highs`` adds callbacks that print a banner when created); with
    its matrix (by column) and row bounds."""
    solver = _Highs()
    solver.setOptionValue("output_flag", False)
    model = highspy.HighsLp()
    model.num_col_ = columns
    model.num_row_ = len(rows)
    model.col_cost_ = np.zeros(columns)
    model.col_lower_ = np.zeros(columns)
    model.col_upper_ = np.full(columns, highspy.kHighsInf)
    lows = np.array([low for _, low, _ in rows], dtype=float)
    highs = np.array([high for _, _, high in rows], dtype=float)
    model.row_lower_, model.row_upper_ = lows, highs
    if rows:
        entries = [(r, c, v) for r, (row, _, _) in enumerate(rows) for c, v in row.items()]
        r, c, v = (np.array(part) for part in zip(*entries, strict=True))
        matrix = csr_array((v, (r, c)), shape=(len(rows), columns)).tocsc()
    else:
        matrix = csr_array((len(rows), columns)).tocsc()
    model.a_matrix_.format_ = highspy.MatrixFormat.kColwise
    model.a_matrix_.num_col_ = columns
    model.a_matrix_.num_row_ = len(rows)
    model.a_matrix_.start_ = matrix.indptr.astype(np.int32)
    model.a_matrix_.index_ = matrix.indices.astype(np.int32)
    model.a_matrix_.value_ = matrix.data.astype(float)
    solver.passModel(model)
    return solver, matrix, lows, highs


def least_cost(
    grids: Sequence[Grid],
    *,
    threshold: int,
    protection_width: float,
    earlier: Sequence[Grid],
    time_limit: float,
) -> CheckReport:
    """Hide the complementary figures of least total cost (primary suppression already marked);
    return the checker's report on the result. Raises ``GaveUp`` past ``time_limit`` seconds or
    when no choice can pass."""
    deadline = time.monotonic() + time_limit
    program = _Program(grids, earlier)
    reader = _Reader(grids, earlier, program)
    while True:
        if time.monotonic() > deadline:
            raise GaveUp(f"no protected choice within {time_limit:g} seconds")
        program.apply(program.solve(deadline - time.monotonic()))
        # The relaxed reader is fast and finds most exposures; the checker, exact and
        # independent, is asked only once the reader finds nothing.
        if program.learn(reader.failures(protection_width, threshold)):
            continue
        report = check(
            grids, protection_width=protection_width, threshold=threshold, earlier=earlier
        )
        if report.passed:
            return report
        learned = False
        for difference in report.small_differences:
            # Shown here and in an earlier release, one inside the other, their difference a
            # small count: this figure must be hidden.
            index = program.choice_of(
                Interval(difference.table, difference.row, difference.column, 0, 0)
            )
            if index is not None and program.choices[index].hidden is not True:
                program.choices[index].hidden = True
                learned = True
        if report.failures:
            learned |= program.learn(
                reader.failures(protection_width, threshold, only=report.failures)
            )
        if not learned:
            raise GaveUp("the checker's failures taught the program nothing new")
