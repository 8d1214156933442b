import pytest

from beyondraid.accountability import receipts
from beyondraid.accountability.receipts import MalformedReceipt, derive_lookup, new_receipt

PEPPER = b"a pepper from the settings, 32 b"
OTHER_PEPPER = b"another deployment's own pepper!"

# Read at import, before the test fixture lowers them for speed.
PRODUCTION_LOOKUP = receipts.LOOKUP_KDF


@pytest.mark.parametrize("kind", ["number", "passphrase"])
def test_the_same_receipt_always_derives_the_same_lookup(kind):
    receipt = new_receipt(kind)
    first = derive_lookup(receipt, PEPPER)
    assert derive_lookup(receipt, PEPPER) == first
    assert len(first) == 32


def test_the_lookup_is_found_however_the_reporter_types_the_receipt():
    receipt = new_receipt("passphrase")
    assert derive_lookup(receipt.upper().replace(" ", "  "), PEPPER) == derive_lookup(
        receipt, PEPPER
    )
    number = new_receipt("number")
    assert derive_lookup(number.replace(" ", "-"), PEPPER) == derive_lookup(number, PEPPER)


def test_another_pepper_derives_another_lookup():
    receipt = new_receipt("number")
    assert derive_lookup(receipt, PEPPER) != derive_lookup(receipt, OTHER_PEPPER)


def test_different_receipts_derive_different_lookups():
    lookups = {derive_lookup(new_receipt("number"), PEPPER) for _ in range(50)}
    assert len(lookups) == 50


def test_the_lookup_does_not_contain_the_receipt():
    receipt = new_receipt("number")
    lookup = derive_lookup(receipt, PEPPER)
    assert receipt.replace(" ", "").encode() not in lookup
    assert receipt.replace(" ", "") not in lookup.hex()


def test_a_malformed_receipt_is_refused_before_any_derivation():
    with pytest.raises(MalformedReceipt):
        derive_lookup("1234", PEPPER)


def test_a_short_pepper_is_refused():
    with pytest.raises(ValueError, match="at least 16 bytes"):
        derive_lookup(new_receipt("number"), b"short")


def test_the_production_parameters_are_memory_hard():
    # Timings are not asserted (see receipts.LOOKUP_KDF for the measurement); the floor is.
    assert PRODUCTION_LOOKUP.memory_kib >= 64 * 1024
    assert PRODUCTION_LOOKUP.time_cost >= 3
