"""Argon2id is slow on purpose; these tests lower its cost through the module constants, the way
the production parameters say they may be changed. Wraps store the parameters they were made
with, so nothing here depends on the production values."""

import pytest

from beyondraid.accountability import kdf, receipts, sealing

FAST = kdf.Argon2idParameters(time_cost=1, memory_kib=256, parallelism=1)


@pytest.fixture(autouse=True)
def _fast_key_derivation(monkeypatch):
    monkeypatch.setattr(receipts, "LOOKUP_KDF", FAST)
    monkeypatch.setattr(sealing, "WRAP_KDF", FAST)


@pytest.fixture(autouse=True)
def _fresh_rate_limits():
    """The counts of wrong passphrases live in the cache, and every local-memory cache of a
    process shares one store: each test starts from none (the reporting pages' counts are in the
    database, which each test has afresh)."""
    from django.core.cache import cache

    cache.clear()
