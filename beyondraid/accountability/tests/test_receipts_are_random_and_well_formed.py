import math
import re

import pytest

from beyondraid.accountability.receipts import (
    PASSPHRASE_WORDS,
    ReceiptKind,
    new_receipt,
    normalise,
    words,
)


def test_a_number_receipt_is_sixteen_digits_in_four_groups_of_four():
    receipt = new_receipt("number")
    assert re.fullmatch(r"\d{4} \d{4} \d{4} \d{4}", receipt)


def test_a_passphrase_receipt_is_seven_words_from_the_list():
    receipt = new_receipt(ReceiptKind.PASSPHRASE)
    typed = receipt.split(" ")
    assert len(typed) == PASSPHRASE_WORDS
    assert set(typed) <= set(words())


@pytest.mark.parametrize("kind", list(ReceiptKind))
def test_receipts_do_not_repeat_across_many_draws(kind):
    receipts = {new_receipt(kind) for _ in range(2000)}
    assert len(receipts) == 2000


@pytest.mark.parametrize("kind", list(ReceiptKind))
def test_a_fresh_receipt_is_already_in_its_canonical_form_apart_from_spacing(kind):
    receipt = new_receipt(kind)
    assert normalise(receipt).replace(" ", "") == receipt.replace(" ", "")


def test_number_receipts_use_every_digit_in_every_position():
    receipts = [normalise(new_receipt("number")) for _ in range(400)]
    for position in range(16):
        assert {receipt[position] for receipt in receipts} == set("0123456789")


def test_the_documented_entropy_follows_from_the_sizes():
    assert math.log2(10**16) == pytest.approx(53.15, abs=0.01)
    assert PASSPHRASE_WORDS * math.log2(len(words())) == 91


def test_an_unknown_kind_is_refused():
    with pytest.raises(ValueError):
        new_receipt("colour")
