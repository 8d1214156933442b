"""Shared data for the transparency tests: synthetic records loaded through the exchange loader,
and the real published figures of the 2021 report."""

import pytest

from beyondraid.standard import synth
from beyondraid.standard.loading import load_exchange
from beyondraid.standard.published import load_published


def load_synthetic(directory, *, operations: int, seed: int):
    rows = synth.generate(operations=operations, seed=seed)
    synth.write(rows, directory, operations=operations, seed=seed)
    return load_exchange(directory, source_reference=f"test synthetic seed {seed}")


@pytest.fixture
def synthetic_records(db, tmp_path):
    """About forty synthetic operations with their people, offers, charges and follow-ups."""
    return load_synthetic(tmp_path / "synthetic", operations=40, seed=11)


@pytest.fixture
def published_figures(db):
    return load_published()
