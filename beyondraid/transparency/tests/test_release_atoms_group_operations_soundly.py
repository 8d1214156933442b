"""Releases store their atoms grouped into blocks (atoms.py). These tests hold the grouping to
what it must never change: every figure is exactly the atoms it would list one by one, and the
checker proves the same intervals, across releases of different scopes and periods, as it does
with every atom listed — including releases stored before atoms were grouped."""

import datetime
from collections import Counter
from itertools import product
from typing import Any

import numpy as np
import pytest

from beyondraid.core import disclosure
from beyondraid.core.disclosure import Count, Grid
from beyondraid.standard.models import Agency, Operation, OperationParticipant
from beyondraid.transparency import releases
from beyondraid.transparency.atoms import AtomSpace, AtomTable, rewrite_atoms
from beyondraid.transparency.models import Release, ReleaseAtoms, ReleaseTable
from beyondraid.transparency.release_tables import ReleaseData, Scope, build_computed_tables

FIRST_DAY, LAST_DAY = datetime.date(2000, 1, 1), datetime.date(2030, 12, 31)


class EveryAtom:
    """Stands in for ``ReleaseData.atoms``: a figure lists every atom it adds up by its key,
    ``measure|operation|codes``, as releases did before atoms were grouped."""

    def __init__(self, atoms):
        self.atoms = atoms

    def count(self, measure, operations, *choices):
        keys, total = set(), 0
        for op in self.atoms.operations.tolist() if operations is None else operations:
            for parts in product(*choices):
                value = self.atoms.count(measure, [op], *([part] for part in parts)).value
                if value:
                    keys.add("|".join((measure, str(op), *parts)))
                    total += value
        return Count(frozenset(keys), total)


def keys_of_blocks(table: AtomTable) -> list[frozenset[str]]:
    """Each block's atoms as keys."""
    ends = np.cumsum(table.size)
    listed = []
    for block, end in enumerate(ends.tolist()):
        measure, separator, parts = table.kinds[table.kind[block]].partition("|")
        operations = table.operations[end - table.size[block] : end].tolist()
        listed.append(frozenset(f"{measure}|{op}{separator}{parts}" for op in operations))
    return listed


def listed_one_by_one(release: Release, *, earlier: bool = False) -> list[Grid]:
    """A stored release's grids with every atom listed by its key (named as the checker names
    an earlier release's)."""
    table, grids = releases._read(release)
    keys = keys_of_blocks(table)
    rewrite_atoms(grids, lambda blocks: frozenset().union(*(keys[b] for b in blocks)))
    for grid in grids if earlier else ():
        grid.name = f"{release.label}: {grid.name}"
    return grids


def busiest_agency() -> Agency:
    leads = OperationParticipant.objects.filter(part="lead").values_list("agency_id", flat=True)
    return Agency.objects.get(pk=Counter(leads).most_common(1)[0][0])


@pytest.mark.django_db
def test_every_figure_is_exactly_the_atoms_it_would_list_one_by_one(synthetic_records):
    data = ReleaseData(Scope(FIRST_DAY, LAST_DAY))
    grouped = [table.grid for table in build_computed_tables(data) if table.grid]
    blocks = keys_of_blocks(data.atoms.blocks(grouped))
    data.atoms = EveryAtom(data.atoms)  # type: ignore[assignment]  # it stands in for them
    listed = [table.grid for table in build_computed_tables(data) if table.grid]

    assert "operations" in [grid.name for grid in grouped], "operations are told apart too"
    assert len(blocks) < len(frozenset().union(*blocks)), "some blocks group atoms"
    for mine, theirs in zip(grouped, listed, strict=True):
        assert mine.figures.keys() == theirs.figures.keys()
        for key, figure in mine.figures.items():
            other = theirs.figures[key]
            assert figure.value == other.value, (mine.name, key)
            for own, expected in zip(sets_of(figure), sets_of(other), strict=True):
                assert frozenset().union(*(blocks[b] for b in own)) == expected, (mine.name, key)


def sets_of(figure) -> list[frozenset]:
    if isinstance(figure, Count):
        return [figure.atoms]
    return [figure.numerator, figure.denominator]


@pytest.mark.django_db
def test_releases_of_other_scopes_and_periods_check_as_with_every_atom_listed(synthetic_records):
    statewide = releases.create_release(
        name="everything", period_start=FIRST_DAY, period_end=LAST_DAY
    )
    releases.publish_release(statewide)
    days = sorted(Operation.objects.values_list("start_date", flat=True))
    middle = days[len(days) // 2]
    # One agency's first years, its operations one by one: every statewide block of the agency's
    # operations is cut, by period and by operation.
    agency = releases.create_release(
        name="one-agency",
        period_start=days[0],
        period_end=middle,
        scope=Release.Scope.AGENCY,
        agency=busiest_agency(),
    )
    half = releases.create_release(
        name="half", period_start=middle + datetime.timedelta(days=1), period_end=days[-1]
    )
    releases.publish_release(half)

    report = releases.check_release(agency)
    assert isinstance(report, disclosure.CheckReport)

    earlier = listed_one_by_one(statewide, earlier=True) + listed_one_by_one(half, earlier=True)
    listed = listed_one_by_one(agency)
    expected = disclosure.check(
        listed,
        protection_width=agency.parameters["protection_width"],
        threshold=agency.parameters["threshold"],
        earlier=earlier,
    )
    assert report.intervals, "suppressed figures were proved"
    assert report.as_json() == expected.as_json()
    assert report.intervals == expected.intervals
    # The releases do relate: a figure of the agency's is part of a statewide one.
    earlier_sets = {count.atoms for grid in earlier for _, count in grid.counts()}
    own_sets = {count.atoms for grid in listed for _, count in grid.counts() if count.atoms}
    assert any(own < other for own in own_sets for other in earlier_sets)


@pytest.mark.django_db
def test_a_release_stored_before_atoms_were_grouped_is_read_and_related_exactly(
    synthetic_records,
):
    statewide = releases.create_release(
        name="everything", period_start=FIRST_DAY, period_end=LAST_DAY
    )
    releases.publish_release(statewide)
    days = sorted(Operation.objects.values_list("start_date", flat=True))
    later = releases.create_release(
        name="later", period_start=days[len(days) // 3], period_end=days[-1]
    )
    grouped_report = releases.check_release(statewide).as_json()
    later_report = releases.check_release(later).as_json()

    # Store the statewide release as releases were stored before: atom keys in every proof.
    keys = keys_of_blocks(AtomTable.from_json(ReleaseAtoms.objects.get(release=statewide).blocks))
    for table in statewide.tables.all():
        proof = [
            {name: _listed(figure_proof, keys) for name, figure_proof in row.items()}
            for row in table.proof
        ]
        ReleaseTable.objects.filter(pk=table.pk).update(proof=proof)
    ReleaseAtoms.objects.filter(release=statewide).delete()
    Release.objects.filter(pk=statewide.pk).update(checksum=statewide.compute_checksum())
    statewide.refresh_from_db()
    stored = ReleaseTable.objects.get(release=statewide, slug="outcomes_by_agency").proof
    assert stored[-1]["arrests"]["atoms"][0].startswith("arrests|")

    assert releases.check_release(statewide).as_json() == grouped_report
    assert releases.check_release(later).as_json() == later_report


def _listed(proof: dict, keys: list[frozenset[str]]) -> dict:
    def listed(blocks):
        return sorted(frozenset().union(*(keys[b] for b in blocks)))

    if "atoms" in proof:
        return {**proof, "atoms": listed(proof["atoms"])}
    return {
        **proof,
        "numerator": listed(proof["numerator"]),
        "denominator": listed(proof["denominator"]),
    }


def test_an_atom_key_is_its_kind_and_operation_and_no_two_keys_meet():
    keys = [
        "arrests|12|buying_sex|man",
        "encounters|12",
        "encounters|12|",
        "encounters|012",
        "a|buyer",
        "victims|7|woman",
    ]
    table, block_of = AtomTable.from_keys(keys)

    assert len(set(zip(table.kind.tolist(), table.operations.tolist(), strict=True))) == len(keys)
    arrests = block_of["arrests|12|buying_sex|man"]
    assert table.kinds[table.kind[arrests]] == "arrests|buying_sex|man"
    assert table.operations[arrests] == 12
    # Keys that name no operation (hand-made ones) are atoms of their own.
    assert table.kinds[table.kind[block_of["a|buyer"]]] == "a|buyer"
    assert table.kinds[table.kind[block_of["encounters|012"]]] == "encounters|012"
    again = AtomTable.from_json(table.as_json())
    assert again.kinds == table.kinds
    for name in ("kind", "size", "operations"):
        assert getattr(again, name).tolist() == getattr(table, name).tolist()


def block_numbers(*numbers: int) -> frozenset[Any]:
    """Block numbers as a figure's atoms (which Count types as the keys releases stored before
    atoms were grouped)."""
    return frozenset(numbers)


def test_blocks_of_releases_checked_together_become_the_cells_they_share():
    # The first release takes operations 1 and 2 together; the second tells them apart.
    together = AtomTable(["arrests|x"], np.array([0]), np.array([2]), np.array([1, 2]))
    apart = AtomTable(["arrests|x"], np.array([0, 0]), np.array([1, 1]), np.array([1, 2]))
    both = Count(block_numbers(0), 30)
    one = Count(block_numbers(0), 26)
    other = Count(block_numbers(1), None, disclosure.PRIMARY)
    first, second = Grid("first"), Grid("second")
    first.figures[(0, "both")] = both
    second.figures |= {(0, "one"): one, (0, "other"): other}
    space = AtomSpace()
    space.add(together, [first])
    space.add(apart, [second])

    space.number()

    assert both.atoms == one.atoms | other.atoms and not one.atoms & other.atoms
    [interval] = disclosure.check([second], earlier=[first]).intervals
    assert (interval.low, interval.high) == (4, 4)
