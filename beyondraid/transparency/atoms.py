"""The atoms a release's figures add up, grouped into blocks, and numbered for the checker.

An **atom** is the finest count a release is built from: one measure and one combination of its
codes — its *kind*, such as ``arrests|buying_sex|man`` — in one operation. Its identity is the
kind and the operation's primary key, the same in every release and on every database (a person
identified outside any operation stands at a unit of their own instead, ``person_unit``); releases
created before atoms were grouped store it as the key ``arrests|12|buying_sex|man``. Only atoms
that count someone exist: an empty one is no atom, as before.

A **block** is the set of a release's atoms of one kind over operations that the release's
figures never tell apart: every figure of the release takes all of them or none (in a statewide
release, the operations of one agency, year and plan review, say). The blocks of a release are
disjoint, and each of its figures is a union of whole blocks; so a figure stores the numbers of
its blocks, and the release stores once what each block holds (``ReleaseAtoms``): its kind and
its operations, listed one by one. Blocks are computed from the figures the release actually has
(``release_tables._Atoms.blocks``), never from an assumption about which tables exist.

Releases group their atoms differently: a statewide release's block for an agency's year is cut
by a half-year release, and an operations table makes every operation its own block. The checker
needs figures as sums of disjoint atoms, so ``AtomSpace`` numbers **cells**: the classes of atoms
that lie in the same block of every release checked together. A block is then a union of cells,
and a figure the union of its blocks' cells.

**Why this is exact.** The checker's programs treat each atom as a non-negative integer and each
figure as the sum of its atoms. Within one check, every figure of every release contains either
all the atoms of a cell or none of them, because a cell lies inside one block of each release and
every figure is a union of its release's blocks. Replacing a cell's atoms by one variable, their
sum, leaves every figure's possible values unchanged, since a sum of non-negative integers takes
exactly the non-negative integers. The checker therefore finds the same intervals, differences and
contradictions as with every atom apart — whatever the scopes, periods and tables of the releases
— and it merges atoms in the same figures itself anyway; grouping them before they are stored only
spares listing them one by one. ``test_release_atoms_group_operations_soundly`` checks it against
releases that list every atom.
"""

from __future__ import annotations

import base64
import zlib
from collections.abc import Callable, Iterable, Iterator, Sequence
from dataclasses import dataclass

import numpy as np

from beyondraid.core.disclosure import Count, Grid

# Legacy keys whose operation part is not an operation's number (hand-made ones, such as
# ``a|buyer``) are atoms of their own, at an operation no release has.
NO_OPERATION = -1


def person_unit(encounter_pk: int) -> int:
    """Where the atoms of a person identified outside any operation lie (issue 21): a unit of
    their own, ``-1 - pk`` of their record. They have no operation, and every release counts them
    by the day they were identified and the organisation that identified them, each a fact of
    the person; so a unit per person is fine enough for every scope and period and the same in
    every release, as an operation is. Primary keys are positive: these units are -2 and below,
    never an operation's key nor ``NO_OPERATION``. Blocks group the units that no figure tells
    apart, so a release stores few blocks however many people it counts (release_identifications).
    """
    return -1 - encounter_pk


@dataclass
class AtomTable:
    """A release's blocks: block ``b`` holds the atoms of kind ``kinds[kind[b]]`` in the
    ``size[b]`` operations that follow the earlier blocks' in ``operations``."""

    kinds: list[str]
    kind: np.ndarray
    size: np.ndarray
    operations: np.ndarray

    @property
    def blocks(self) -> int:
        return len(self.kind)

    def as_json(self) -> dict:
        """As ``ReleaseAtoms.blocks`` stores it: each array as little-endian 64-bit integers,
        compressed with zlib, in base64; the operations as the difference from the one before
        (the first from 0), which compresses to a third."""
        return {
            "kinds": self.kinds,
            "kind": _encode(self.kind),
            "size": _encode(self.size),
            "operations": _encode(np.diff(self.operations, prepend=0)),
        }

    @classmethod
    def from_json(cls, stored: dict) -> AtomTable:
        return cls(
            list(stored["kinds"]),
            _decode(stored["kind"]),
            _decode(stored["size"]),
            np.cumsum(_decode(stored["operations"])),
        )

    @classmethod
    def from_keys(cls, keys: Iterable[str]) -> tuple[AtomTable, dict[str, int]]:
        """The table of a release stored before atoms were grouped: each atom key its own block;
        and the block of each key."""
        kinds: dict[str, int] = {}
        block_of: dict[str, int] = {}
        kind: list[int] = []
        operations: list[int] = []
        for key in sorted(set(keys)):
            measure, _, rest = key.partition("|")
            operation, separator, parts = rest.partition("|")
            if operation.isdigit() and str(int(operation)) == operation:
                # measure|operation|parts is the kind measure|parts in that operation; the key
                # can be written back from the two, so no two keys become the same atom.
                name, number = measure + separator + parts, int(operation)
            else:
                name, number = key, NO_OPERATION
            block_of[key] = len(kind)
            kind.append(kinds.setdefault(name, len(kinds)))
            operations.append(number)
        table = cls(
            list(kinds),
            np.array(kind, dtype=np.int64),
            np.ones(len(kind), dtype=np.int64),
            np.array(operations, dtype=np.int64),
        )
        return table, block_of


def _encode(array: np.ndarray) -> str:
    raw = np.ascontiguousarray(array, dtype="<i8").tobytes()
    return base64.b64encode(zlib.compress(raw)).decode("ascii")


def _decode(text: str) -> np.ndarray:
    raw = zlib.decompress(base64.b64decode(text))
    return np.frombuffer(raw, dtype="<i8").astype(np.int64)


def atom_sets(grids: Sequence[Grid]) -> Iterator[frozenset]:
    """The atoms of every figure: a count's, a ratio's numerator's and denominator's."""
    for grid in grids:
        for figure in grid.figures.values():
            if isinstance(figure, Count):
                yield figure.atoms
            else:
                yield figure.numerator
                yield figure.denominator


def rewrite_atoms(grids: Sequence[Grid], change: Callable[[frozenset], frozenset]) -> None:
    """Replace the atoms of every figure (a ratio's numerator and denominator) by what
    ``change`` makes of them, once per distinct set: figures share their sets."""
    done: dict[frozenset, frozenset] = {}

    def changed(atoms: frozenset) -> frozenset:
        if atoms not in done:
            done[atoms] = change(atoms) if atoms else atoms
        return done[atoms]

    for grid in grids:
        for figure in grid.figures.values():
            if isinstance(figure, Count):
                figure.atoms = changed(figure.atoms)
            else:
                figure.numerator = changed(figure.numerator)
                figure.denominator = changed(figure.denominator)


class AtomSpace:
    """Releases checked together, each an atom table and its grids (whose figures count that
    table's blocks); ``number`` makes every figure count cells common to all of them."""

    def __init__(self) -> None:
        self._releases: list[tuple[AtomTable, Sequence[Grid]]] = []

    def add(self, table: AtomTable, grids: Sequence[Grid]) -> None:
        self._releases.append((table, grids))

    def number(self) -> None:
        if len(self._releases) < 2:
            return  # a release alone: its blocks are its cells
        kinds: dict[str, int] = {}
        kind_ids, operations, blocks = [], [], []
        for table, _ in self._releases:
            own = np.array([kinds.setdefault(k, len(kinds)) for k in table.kinds], dtype=np.int64)
            kind_ids.append(np.repeat(own[table.kind], table.size))
            operations.append(table.operations)
            blocks.append(np.repeat(np.arange(table.blocks, dtype=np.int64), table.size))
        # An atom is its kind and its operation, one 64-bit key (operations ranked first if
        # their keys are too large for that; units of people and reports are negative and large).
        every_operation = np.concatenate(operations)
        if np.abs(every_operation).max(initial=0) >= (1 << 62) // max(len(kinds), 1):
            every_operation = np.unique(every_operation, return_inverse=True)[1]
        keys = every_operation * max(len(kinds), 1) + np.concatenate(kind_ids)
        _, atom = np.unique(keys, return_inverse=True)
        universe = int(atom.max()) + 1 if len(atom) else 0
        bounds = np.cumsum([0, *(len(b) for b in blocks)])
        # Cells: atoms in the same block of every release. Each release in turn splits the
        # cells by its blocks (0 for an atom it does not have); cell numbers are made dense
        # only when they would outgrow 64 bits, and at the end.
        cell = np.zeros(universe, dtype=np.int64)
        cells = 1
        for number, (table, _) in enumerate(self._releases):
            if cells * (table.blocks + 1) >= 1 << 62:
                cell = np.unique(cell, return_inverse=True)[1]
                cells = int(cell.max(initial=0)) + 1
            in_block = np.zeros(universe, dtype=np.int64)
            in_block[atom[bounds[number] : bounds[number + 1]]] = blocks[number] + 1
            cell = cell * (table.blocks + 1) + in_block
            cells *= table.blocks + 1
        cell = np.unique(cell, return_inverse=True)[1]
        cells = int(cell.max(initial=-1)) + 1
        for number, (table, grids) in enumerate(self._releases):
            # The release's (block, cell) pairs, by block then cell.
            pairs = np.unique(
                blocks[number] * cells + cell[atom[bounds[number] : bounds[number + 1]]]
            )
            rewrite_atoms(grids, _cells_of_blocks(pairs // cells, pairs % cells, table.blocks))


def _cells_of_blocks(
    block: np.ndarray, cell: np.ndarray, blocks: int
) -> Callable[[frozenset], frozenset]:
    """From the (block, cell) pairs of a release, sorted by block, what a set of its blocks is
    as cells."""
    if len(block) == blocks:  # every block is one cell
        return lambda atoms: frozenset(cell[np.fromiter(atoms, np.int64, len(atoms))].tolist())
    starts = np.searchsorted(block, np.arange(blocks + 1))
    cells_of = [cell[starts[b] : starts[b + 1]].tolist() for b in range(blocks)]
    return lambda atoms: frozenset(c for b in atoms for c in cells_of[b])
