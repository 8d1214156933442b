"""Least-cost complementary suppression: it hides as little as protection needs, hides totals
last, never hides again what is already public, and says so when it falls back to the
heuristic."""

from beyondraid.core.disclosure import (
    COMPLEMENTARY,
    HEURISTIC,
    OPTIMAL,
    PRIMARY,
    Count,
    Grid,
    check,
    protect,
)


def table(values, *, total_weight=1.0):
    """A two-way table of counts with row and column totals, each cell its own atom."""
    grid = Grid("t")
    rows, columns = len(values), len(values[0])
    for r in [*range(rows), "total"]:
        for c in [*range(columns), "total"]:
            rs = range(rows) if r == "total" else [r]
            cs = range(columns) if c == "total" else [c]
            figure = Count(
                frozenset(f"{i}.{j}" for i in rs for j in cs),
                sum(values[i][j] for i in rs for j in cs),
            )
            if "total" in (r, c):
                figure.weight = total_weight
            grid.figures[(rows if r == "total" else r, f"c{c}")] = figure
    return grid


def hidden(grid, why):
    return sorted(key for key, figure in grid.figures.items() if figure.suppressed == why)


VALUES = [[20, 3, 40, 33], [15, 30, 25, 41], [50, 60, 12, 27], [44, 18, 36, 29]]


def test_one_small_cell_costs_three_more_and_no_total_when_totals_are_dear():
    grid = table(VALUES, total_weight=10.0)

    report = protect([grid], method=OPTIMAL)

    assert report.passed and check([grid]).passed
    assert hidden(grid, PRIMARY) == [(0, "c1")]
    # The smallest pattern that protects one cell of a table with totals is a rectangle: the
    # cell, one more in its row, one in its column, and the corner between them.
    complementary = hidden(grid, COMPLEMENTARY)
    assert len(complementary) == 3
    assert not [key for key in complementary if key[0] == 4 or key[1] == "ctotal"]


def test_least_cost_never_hides_more_than_the_heuristic_on_this_table():
    heuristic, optimal = table(VALUES), table(VALUES)

    protect([heuristic], method=HEURISTIC)
    protect([optimal], method=OPTIMAL)

    assert hidden(optimal, PRIMARY) == hidden(heuristic, PRIMARY)
    assert len(hidden(optimal, COMPLEMENTARY)) <= len(hidden(heuristic, COMPLEMENTARY))


def test_a_figure_an_earlier_release_shows_is_never_hidden_again():
    earlier = Grid("earlier")
    earlier.figures[(0, "everyone")] = Count(frozenset({"a", "b"}), 30)
    now = Grid("now")
    now.figures[(0, "buyers")] = Count(frozenset({"a"}), 4)
    now.figures[(0, "sellers")] = Count(frozenset({"b"}), 26)
    # The cheapest cell to hide, were it not public already: hiding it would protect nothing.
    now.figures[(0, "everyone")] = Count(frozenset({"a", "b"}), 30, weight=0.01)

    report = protect([now], earlier=[earlier], method=OPTIMAL)

    assert report.passed
    assert now.figures[(0, "everyone")].value == 30 and not now.figures[(0, "everyone")].suppressed
    assert now.figures[(0, "sellers")].suppressed == COMPLEMENTARY


def test_when_the_program_runs_out_of_time_the_heuristic_protects_and_the_notes_say_so():
    grid = table(VALUES)

    report = protect([grid], method=OPTIMAL, time_limit=0)

    assert report.passed and check([grid]).passed
    assert hidden(grid, COMPLEMENTARY)
    [note] = report.notes
    assert "gave up" in note and "heuristic" in note
    assert report.as_json()["notes"] == [note]
