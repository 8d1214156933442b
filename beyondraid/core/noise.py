"""Differential privacy for released counts: noise from OpenDP, the budget it spends, the 95 %
interval of a sum of noisy cells, and consistent non-negative integer figures.

A release protected this way adds noise to *cells* — disjoint counts that every published figure
is a sum of — and publishes sums of noisy cells, so that a total always equals the sum of its
parts. This module knows nothing of releases: it is given cells, contribution bounds and a budget.

- **Mechanism.** OpenDP's discrete Laplace mechanism (``make_laplace`` over a vector of integers,
  L1 distance), one measurement per measure. OpenDP draws the noise with a cryptographically secure
  sampler; nothing here draws a random number, and neither the noise nor a seed is kept.
- **Budget.** Each measure gets an equal share of ε. Its scale is the smallest for which OpenDP's
  own privacy map, given the measure's contribution bound, stays within the share
  (``binary_search_param``); the budget spent is the sum of those maps (sequential composition of
  pure differential privacy: the ε of separate measurements add up).
- **Interval.** A figure that sums ``k`` cells carries the sum of ``k`` independent discrete
  Laplace draws. The half-width of its interval is the smallest ``h`` with P(|noise| > h) ≤ α,
  read from the exact distribution of that sum (the ``k``-fold convolution of the draw's
  distribution); for one draw it equals OpenDP's ``discrete_laplacian_scale_to_accuracy``.
- **Consistency.** Noisy cells can be negative. ``consistent`` finds non-negative cells whose sums
  stay as close as possible to the noisy sums (a linear programme, least absolute deviations,
  the wide sums held closest), then rounds each cell: every figure, built again as a sum of
  cells, is a non-negative integer and every total still equals the sum of its parts. This is
  post-processing, which spends no budget.
"""

from __future__ import annotations

import functools
import math
from collections.abc import Sequence
from dataclasses import dataclass
from types import ModuleType

import numpy as np
from scipy.optimize import linprog
from scipy.sparse import csr_array, hstack, identity, vstack

# What a release protected this way records as its method.
METHOD = "dp"
MECHANISM = (
    "discrete Laplace noise from OpenDP (make_laplace over integer vectors, L1 distance), "
    "pure differential privacy, budgets added up by sequential composition"
)
CONFIDENCE = 0.95
INSTALL = 'pip install "beyondraid[dp]"'


class NoiseUnavailable(Exception):
    """OpenDP is not installed, so no noise can be drawn and no budget computed."""


def _opendp() -> ModuleType:
    try:
        import opendp.prelude as dp
    except ImportError:
        raise NoiseUnavailable(
            f"Differential privacy needs the OpenDP library, which is not installed: {INSTALL}"
        ) from None
    # The Laplace mechanism is in OpenDP's "contrib" set: proved, but not yet vetted by its
    # own review process.
    dp.enable_features("contrib")
    return dp


def _measurement(scale: float):
    dp = _opendp()
    return dp.m.make_laplace(dp.vector_domain(dp.atom_domain(T=int)), dp.l1_distance(T=int), scale)


@dataclass(frozen=True)
class Share:
    """One measure's part of the budget: how much one privacy unit can add to its cells (L1),
    the ε it may spend, the discrete Laplace scale that keeps it there, and what OpenDP's
    privacy map says it spends."""

    measure: str
    bound: int
    epsilon: float
    scale: float
    spent: float

    def as_json(self) -> dict:
        return {
            "bound": self.bound,
            "epsilon": self.epsilon,
            "scale": self.scale,
            "spent": self.spent,
        }


def spent(scale: float, bound: int) -> float:
    """The ε a measurement with this scale spends when one unit changes its cells by ``bound``,
    by OpenDP's privacy map."""
    return float(_measurement(scale).map(bound))


def plan(epsilon: float, bounds: dict[str, int]) -> list[Share]:
    """Split ``epsilon`` equally between the measures and find each one's noise scale."""
    if not (epsilon > 0 and math.isfinite(epsilon)):
        raise ValueError("ε must be a positive number.")
    share = epsilon / len(bounds)
    # Equal shares must not add up to more than ε through rounding.
    while math.fsum([share] * len(bounds)) > epsilon:
        share = math.nextafter(share, 0.0)
    dp = _opendp()
    shares = []
    for measure, bound in bounds.items():
        scale = float(dp.binary_search_param(_measurement, d_in=bound, d_out=share))
        shares.append(Share(measure, bound, share, scale, spent(scale, bound)))
    return shares


def total_spent(shares: Sequence[Share]) -> float:
    return math.fsum(share.spent for share in shares)


def draw(scale: float, values: Sequence[int]) -> list[int]:
    """``values`` with discrete Laplace noise of ``scale`` added to each, by OpenDP."""
    if not values:
        return []
    return [int(v) for v in _measurement(scale)([int(v) for v in values])]


@functools.lru_cache(maxsize=4096)
def half_width(scale: float, draws: int, alpha: float) -> int:
    """The smallest h such that the sum of ``draws`` independent discrete Laplace(``scale``)
    draws lies outside [−h, h] with probability at most ``alpha``.

    The distribution of the sum is computed exactly, up to floating point: one draw's
    probabilities over [−M, M] (the mass beyond is below 1e-12), convolved ``draws`` times by
    Fourier transform on a grid wide enough that nothing wraps around. The sum is symmetric, so
    P(|S| > h) = 2·P(S > h)."""
    if draws < 1:
        return 0
    p = math.exp(-1.0 / scale)
    spread = math.sqrt(2 * draws * p) / (1 - p)  # the standard deviation of the sum
    single = math.ceil(28 * scale) + 1  # p**single < 1e-12
    reach = math.ceil(30 * spread) + single  # the sum's mass beyond this is negligible
    # Circular convolution: a grid wider than twice the reach keeps the mass that matters from
    # wrapping around.
    size = 1 << (2 * reach + 1).bit_length()
    values = np.arange(-single, single + 1)
    one = np.zeros(size)
    one[: values.size] = (1 - p) / (1 + p) * p ** np.abs(values)
    total = np.fft.irfft(np.fft.rfft(one) ** draws, size)
    # Index i of the convolution holds the value i − draws·single (modulo the grid).
    total = np.roll(total, -draws * single)[: size // 2]
    above = np.cumsum(np.clip(total, 0, None)[::-1])[::-1]  # above[t] = P(S ≥ t)
    # A hair of margin so that floating-point error never makes the interval too narrow.
    outside = 2 * above[1:] <= alpha - 1e-9
    return int(np.argmax(outside)) if outside.any() else size // 2


def consistent(noisy: Sequence[int], sums: Sequence[Sequence[int]]) -> list[int]:
    """Non-negative integer cells close to ``noisy``: each sum in ``sums`` (lists of cell
    indexes) and each cell stays as near as a linear programme can keep it to its noisy value.

    Raising the negative cells to 0 must be paid for somewhere. Each deviation is weighted by
    the square root of the number of cells its sum adds up, so that the wide sums — the totals
    readers quote — keep close to their unbiased noisy value, and the narrow ones, whose
    intervals are wide anyway, absorb the change. Non-negative cells come back unchanged."""
    n = len(noisy)
    if n == 0:
        return []
    y = np.asarray(noisy, dtype=float)
    groups = sorted({tuple(sorted(set(s))) for s in sums if len(set(s)) > 1})
    rows = [index for index, group in enumerate(groups) for _ in group]
    columns = [cell for group in groups for cell in group]
    grouped = csr_array(
        (np.ones(len(columns)), (rows, columns)), shape=(len(groups), n), dtype=float
    )
    terms = vstack([grouped, identity(n, format="csr")], format="csr")
    weights = np.concatenate([np.sqrt([len(group) for group in groups]), np.ones(n)])
    target = terms @ y
    m = terms.shape[0]
    # Variables: the cells x, then one deviation d per term, d ≥ |terms·x − target|.
    deviations = identity(m, format="csr")
    upper = vstack([hstack([terms, -deviations]), hstack([-terms, -deviations])], format="csr")
    result = linprog(
        np.concatenate([np.zeros(n), weights]),
        A_ub=upper,
        b_ub=np.concatenate([target, -target]),
        bounds=(0, None),
        method="highs",
    )
    if result.status != 0:
        # The programme is always feasible (any non-negative cells) and bounded below by 0.
        raise ArithmeticError(f"The consistency programme did not solve: {result.message}")
    return [int(v) for v in np.rint(result.x[:n])]
