"""Disclosure control: primary and complementary suppression, and the independent checker.

Tables here are built from atoms by hand: a two-way table of counts with row and column totals,
and a percentage per row, as release tables are.
"""

import math

import pytest
from hypothesis import HealthCheck, example, given, settings
from hypothesis import strategies as st

from beyondraid.core.disclosure import (
    COMPLEMENTARY,
    PRIMARY,
    SUPPRESSION_METHODS,
    Count,
    Grid,
    ProtectionFailed,
    Ratio,
    check,
    figure_flags,
    figure_from_json,
    figure_proof,
    protect,
    ratio_value,
)


def atom(name, row, column, year=1):
    return f"{name}|{row}|{column}|{year}"


def two_way(name, values, *, years=(1,), with_shares=False, atoms_from=None):
    """A table of counts with a total column, a total row and, optionally, each row's share of
    its total in the first column. ``atoms_from`` names the atoms (so that two tables can
    share them)."""
    base = atoms_from or name
    grid = Grid(name)
    rows, columns = len(values), len(values[0])

    def cell_atoms(rs, cs):
        return frozenset(atom(base, r, c, y) for r in rs for c in cs for y in years)

    def total(rs, cs):
        return sum(values[r][c] for r in rs for c in cs)

    all_rows, all_columns = range(rows), range(columns)
    for r in [*all_rows, "total"]:
        rs = all_rows if r == "total" else [r]
        index = rows if r == "total" else r
        for c in [*all_columns, "total"]:
            cs = all_columns if c == "total" else [c]
            grid.figures[(index, f"c{c}")] = Count(cell_atoms(rs, cs), total(rs, cs))
        if with_shares:
            numerator, denominator = total(rs, [0]), total(rs, all_columns)
            grid.figures[(index, "share")] = Ratio(
                numerator=cell_atoms(rs, [0]),
                denominator=cell_atoms(rs, all_columns),
                scale=100,
                decimals=1,
                value=ratio_value(numerator, denominator, 100, 1),
                parts=(numerator, denominator),
            )
    return grid


def shown_counts(grids):
    return [c.value for g in grids for _, c in g.counts() if c.shown]


def test_a_small_count_shown_fails_the_check():
    report = check([two_way("t", [[20, 3], [15, 30]])])
    assert not report.passed
    assert report.shown_small_counts == ["t, row 1, c1"]


def test_the_checker_catches_a_table_with_only_primary_suppression():
    grid = two_way("t", [[20, 3, 40], [15, 30, 25], [50, 60, 12]])
    grid.figures[(0, "c1")].suppressed = PRIMARY
    grid.figures[(0, "c1")].value = None

    report = check([grid])

    assert not report.passed
    [failure] = report.failures
    assert (failure.low, failure.high) == (3, 3)
    assert "narrow it to 3–3" in report.describe_failures()[0]


def test_complementary_suppression_makes_the_table_pass_and_blanks_every_suppressed_value():
    grid = two_way("t", [[20, 3, 40], [15, 30, 25], [50, 60, 12]])

    report = protect([grid])

    assert report.passed
    assert grid.figures[(0, "c1")].suppressed == PRIMARY
    assert any(f.suppressed == COMPLEMENTARY for f in grid.figures.values())
    assert all(f.value is None for f in grid.figures.values() if f.suppressed)
    # Every suppressed figure stays uncertain over 10 or more, unless it is provably larger than
    # 10 (which reveals no small count).
    assert all(i.width >= 10 or i.low > 10 for i in report.intervals)


def test_zero_is_shown_and_large_counts_stay():
    grid = two_way("t", [[0, 40], [25, 30]])
    protect([grid])
    assert grid.figures[(0, "c0")].value == 0
    assert not any(f.suppressed for f in grid.figures.values())


def test_a_percentage_with_a_known_denominator_would_reveal_its_numerator():
    # 4 of 200 is 2.0 %: with the row total shown, the percentage alone gives the 4 back.
    grid = two_way("t", [[4, 196], [150, 150]], with_shares=True)
    grid.figures[(0, "c0")].suppressed = PRIMARY
    grid.figures[(0, "c1")].suppressed = COMPLEMENTARY
    grid.figures[(2, "c0")].suppressed = COMPLEMENTARY
    grid.figures[(2, "c1")].suppressed = COMPLEMENTARY
    grid.figures[(1, "c0")].suppressed = COMPLEMENTARY
    grid.figures[(1, "c1")].suppressed = COMPLEMENTARY

    report = check([grid])

    assert not report.passed
    assert any(f.row == 0 and f.column == "c0" and f.width < 1 for f in report.failures)


def test_protect_suppresses_a_ratio_whose_numerator_is_small_and_flags_unstable_ones():
    grid = two_way("t", [[4, 196], [12, 5]], with_shares=True)

    protect([grid])

    assert grid.figures[(0, "share")].suppressed == PRIMARY
    assert grid.figures[(0, "share")].value is None
    second = grid.figures[(1, "share")]
    assert second.suppressed  # its denominator row has a suppressed 5
    assert check([grid]).passed


def test_unstable_ratio_is_flagged_when_the_denominator_is_under_twenty():
    grid = two_way("t", [[11, 0], [120, 150]], with_shares=True)
    protect([grid])
    assert grid.figures[(0, "share")].unstable
    assert grid.figures[(0, "share")].value == 100.0
    assert not grid.figures[(1, "share")].unstable


def test_a_figure_shown_in_another_table_of_the_release_is_suppressed_there_too():
    first = two_way("first", [[20, 3, 40], [15, 30, 25], [50, 60, 12]])
    # The second table repeats the first table's column totals, built from the same atoms.
    second = Grid("second")
    for column in range(3):
        second.figures[(0, f"c{column}")] = Count(
            first.figures[(0, f"c{column}")].atoms, first.figures[(0, f"c{column}")].value
        )

    report = protect([first, second])

    assert report.passed
    assert second.figures[(0, "c1")].suppressed
    assert second.figures[(0, "c1")].value is None


def test_differencing_with_an_earlier_release_is_caught_and_prevented():
    # Last year's release showed the two-year totals; this one shows the first year alone.
    two_years = two_way("earlier", [[40, 25], [30, 50]], years=(1, 2), atoms_from="t")
    protect([two_years])
    first_year = two_way("now", [[35, 20], [26, 44]], years=(1,), atoms_from="t")
    # A second-year count is 40 − 35 = 5: small, and exposed by differencing if both show.
    second_year = two_way("now-y2", [[5, 5], [4, 6]], years=(2,), atoms_from="t")
    for figure in second_year.figures.values():
        if figure.value and figure.value <= 10:
            figure.suppressed = PRIMARY
            figure.value = None

    naive = check([first_year, second_year], earlier=[two_years])
    assert not naive.passed

    report = protect([first_year, second_year], earlier=[two_years])
    assert report.passed


def test_figures_survive_storage_without_their_suppressed_values():
    grid = two_way("t", [[20, 3], [15, 30]], with_shares=True)
    protect([grid])
    for figure in grid.figures.values():
        flags, proof = figure_flags(figure), figure_proof(figure)
        assert "value" not in flags and "value" not in proof
        again = figure_from_json(flags, proof, figure.value)
        assert again.suppressed == figure.suppressed
        assert type(again) is type(figure)


def _solve_lines(grid, rows, columns):
    """A reader's arithmetic, independent of the checker: repeatedly solve any row or column
    with a single unknown from its total, and any suppressed count whose share is shown with a
    known denominator."""
    known = {
        key: figure.value
        for key, figure in grid.counts()
        if figure.shown and figure.value is not None
    }
    columns_all = [f"c{c}" for c in range(columns)] + ["ctotal"]
    lines = [[(r, c) for c in columns_all] for r in range(rows + 1)] + [
        [(r, c) for r in range(rows + 1)] for c in columns_all
    ]
    progress = True
    while progress:
        progress = False
        for line in lines:
            unknown = [key for key in line if key not in known]
            if len(unknown) == 1:
                parts, total = line[:-1], line[-1]
                if unknown[0] == total:
                    known[total] = sum(known[p] for p in parts)
                else:
                    known[unknown[0]] = known[total] - sum(
                        known[p] for p in parts if p != unknown[0]
                    )
                progress = True
        for r in range(rows + 1):
            share = grid.figures.get((r, "share"))
            denominator = known.get((r, "ctotal"))
            if share and share.shown and denominator and (r, "c0") not in known:
                low = math.ceil((share.value - 0.05) * denominator / 100 - 1e-9)
                high = math.floor((share.value + 0.05) * denominator / 100 + 1e-9)
                if low == high:
                    known[(r, "c0")] = low
                    progress = True
    return known


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(
    st.integers(min_value=2, max_value=4).flatmap(
        lambda rows: st.integers(min_value=2, max_value=4).flatmap(
            lambda columns: st.lists(
                st.lists(
                    st.sampled_from([0, 1, 2, 4, 7, 10, 11, 14, 25, 60, 130]),
                    min_size=columns,
                    max_size=columns,
                ),
                min_size=rows,
                max_size=rows,
            )
        )
    )
)
@pytest.mark.parametrize("method", SUPPRESSION_METHODS)
def test_no_protected_table_shows_a_small_count_or_lets_a_reader_recover_a_suppressed_one(
    method, values
):
    grid = two_way("t", values, with_shares=True)
    truth = {key: figure.value for key, figure in grid.counts()}

    report = protect([grid], method=method)

    assert report.passed
    assert not [v for v in shown_counts([grid]) if 1 <= v <= 10]
    rows, columns = len(values), len(values[0])
    recovered = _solve_lines(grid, rows, columns)
    for key, figure in grid.counts():
        if figure.suppressed and 1 <= truth[key] <= 10:
            assert key not in recovered, f"{key} recovered as {recovered.get(key)}"
    # And the checker, run afresh on what was released, agrees.
    assert check([grid]).passed


def test_an_earlier_release_exposed_already_cannot_be_mended_and_protection_says_so():
    earlier = Grid("earlier")
    earlier.figures[(0, "buyers")] = Count(frozenset({"b"}), None, PRIMARY)
    earlier.figures[(0, "sellers")] = Count(frozenset({"s"}), 30)
    earlier.figures[(0, "total")] = Count(frozenset({"b", "s"}), 34)
    unrelated = Grid("now")
    unrelated.figures[(0, "other")] = Count(frozenset({"x"}), 50)

    with pytest.raises(ProtectionFailed, match="earlier, row 1, buyers"):
        protect([unrelated], earlier=[earlier])


def test_a_difference_with_an_earlier_release_that_reveals_a_small_count_fails():
    # Last year's release showed 40 arrests over two years; this one would show 35 for the first
    # year alone: the second year's 5 people would be revealed though no release shows them.
    earlier = two_way("earlier", [[40, 25], [30, 50]], years=(1, 2), atoms_from="t")
    now = two_way("now", [[35, 20], [26, 44]], years=(1,), atoms_from="t")

    report = check([now], earlier=[earlier])

    assert not report.passed
    assert any(d.value == 5 and d.row == 0 and d.column == "c0" for d in report.small_differences)
    assert "differencing would reveal" in report.describe_failures()[-1]


two_year_tables = st.integers(min_value=2, max_value=3).flatmap(
    lambda rows: st.integers(min_value=2, max_value=3).flatmap(
        lambda columns: st.tuples(
            *(
                st.lists(
                    st.lists(
                        st.sampled_from([0, 1, 3, 6, 9, 12, 20, 45]),
                        min_size=columns,
                        max_size=columns,
                    ),
                    min_size=rows,
                    max_size=rows,
                )
                for _ in range(2)
            )
        )
    )
)


@settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(two_year_tables)
# Found by a random run in CI: protect() reported a pass that check() then refused, a cell of the
# second year narrowed to 0–1 through the earlier release.
@example(([[0, 12, 12], [12, 3, 0]], [[0, 1, 12], [0, 9, 12]]))
def test_a_new_release_never_reveals_through_an_earlier_one(years):
    first, second = years
    both = [
        [a + b for a, b in zip(r1, r2, strict=True)] for r1, r2 in zip(first, second, strict=True)
    ]
    earlier = two_way("earlier", both, years=(1, 2), atoms_from="t")
    protect([earlier])
    now = two_way("now", first, years=(1,), atoms_from="t")

    report = protect([now], earlier=[earlier])

    assert report.passed
    assert check([now], earlier=[earlier]).passed
    # A reader's subtraction, independent of the checker: wherever both releases show a cell,
    # the second year's count it reveals is 0 or more than 10.
    for key, figure in now.counts():
        before = earlier.figures[key]
        if figure.shown and before.shown:
            assert not 1 <= before.value - figure.value <= 10, key
