"""Differential privacy's arithmetic (``core.noise``): the budget split and what OpenDP's privacy
map says it spends, the 95 % interval of a sum of noisy cells, and non-negative consistent cells.
Nothing here depends on the noise drawn: the noise is random, so only its shape is asserted."""

import math
import sys

import opendp.prelude as dp
import pytest

from beyondraid.core import noise

BOUNDS = {"arrests": 1, "victims": 1, "race": 8, "offers": 4}


def test_the_budget_is_split_equally_and_opendp_says_no_share_spends_more_than_its_own():
    shares = noise.plan(2.0, BOUNDS)

    assert [s.measure for s in shares] == list(BOUNDS)
    assert {s.epsilon for s in shares} == {0.5}
    for share in shares:
        assert share.spent == noise.spent(share.scale, share.bound) <= share.epsilon
        # A measure one unit can change more gets proportionally more noise.
        assert share.scale == pytest.approx(share.bound / share.epsilon)
    assert noise.total_spent(shares) <= 2.0


def test_equal_shares_never_add_up_to_more_than_the_budget_through_rounding():
    # Ten shares of 0.1 add up to 1.0000000000000002 in floating point.
    shares = noise.plan(1.0, {f"m{i}": 1 for i in range(10)})

    assert math.fsum(s.epsilon for s in shares) <= 1.0
    assert noise.total_spent(shares) <= 1.0


@pytest.mark.parametrize("epsilon", [0.0, -1.0, math.inf, math.nan])
def test_a_budget_that_is_not_a_positive_number_is_refused(epsilon):
    with pytest.raises(ValueError, match="positive number"):
        noise.plan(epsilon, BOUNDS)


def test_noise_keeps_the_shape_of_the_counts():
    noisy = noise.draw(3.0, [0, 5, 120, 7])

    assert len(noisy) == 4 and all(isinstance(v, int) for v in noisy)
    assert noise.draw(3.0, []) == []


@pytest.mark.parametrize("scale", [1.0, 2.5, 15.0, 120.0])
@pytest.mark.parametrize("alpha", [0.05, 0.025])
def test_the_interval_of_one_draw_is_opendps_own(scale, alpha):
    accuracy = dp.discrete_laplacian_scale_to_accuracy(scale=scale, alpha=alpha)

    assert noise.half_width(scale, 1, alpha) == math.floor(accuracy)


def _outside(scale: float, half: int) -> float:
    """P(|X + Y| > half) for two discrete Laplace draws, summed term by term."""
    p = math.exp(-1 / scale)
    reach = int(60 * scale) + half

    def mass(x: int) -> float:
        return (1 - p) / (1 + p) * p ** abs(x)

    return sum(
        mass(x) * mass(y)
        for x in range(-reach, reach + 1)
        for y in range(-reach, reach + 1)
        if abs(x + y) > half
    )


@pytest.mark.parametrize("scale", [1.5, 4.0])
def test_the_interval_of_a_sum_is_the_narrowest_that_holds_it_95_times_in_100(scale):
    half = noise.half_width(scale, 2, 0.05)

    assert _outside(scale, half) <= 0.05 < _outside(scale, half - 1)


def test_a_sum_of_more_cells_has_a_wider_interval_and_no_cell_none_at_all():
    widths = [noise.half_width(5.0, draws, 0.05) for draws in (1, 2, 10, 100)]

    assert widths == sorted(widths) and len(set(widths)) == 4
    assert noise.half_width(5.0, 0, 0.05) == 0


def test_consistent_cells_are_non_negative_whole_numbers_and_keep_the_totals():
    # Two parts of two cells each, and their total: the negative cells rise to 0 and the other
    # cell of each part gives way, so that the total keeps its noisy value.
    cells = noise.consistent([-3, 5, 2, -1], [[0, 1], [2, 3], [0, 1, 2, 3]])

    assert all(isinstance(c, int) and c >= 0 for c in cells)
    assert sum(cells) == 3
    assert cells[0] + cells[1] == 2 and cells[2] + cells[3] == 1


def test_cells_already_non_negative_come_back_unchanged():
    assert noise.consistent([3, 5, 0, 1], [[0, 1], [2, 3], [0, 1, 2, 3]]) == [3, 5, 0, 1]
    assert noise.consistent([], []) == []


def test_without_opendp_the_message_says_how_to_install_it(monkeypatch):
    monkeypatch.setitem(sys.modules, "opendp.prelude", None)

    with pytest.raises(noise.NoiseUnavailable, match=r'pip install "beyondraid\[dp\]"'):
        noise.plan(1.0, BOUNDS)
