import pytest

from beyondraid.accountability.receipts import MalformedReceipt, new_receipt, normalise


def test_a_number_typed_with_any_spacing_or_hyphens_is_one_receipt():
    variants = [
        "1234 5678 9012 3456",
        "1234567890123456",
        "  1234-5678-9012-3456 ",
        "1234  5678\t9012 3456",
        "1234.5678.9012.3456",
        "１２３４ ５６７８ ９０１２ ３４５６",  # full-width digits from a phone keyboard
    ]
    assert {normalise(variant) for variant in variants} == {"1234567890123456"}


def test_a_passphrase_typed_with_any_case_or_spacing_is_one_receipt():
    passphrase = new_receipt("passphrase")
    shouted = passphrase.upper()
    spread = "  " + "   ".join(passphrase.split()) + "\n"
    hyphenated = "-".join(passphrase.split())
    assert {normalise(passphrase), normalise(shouted), normalise(spread)} == {passphrase}
    assert normalise(hyphenated) == passphrase


@pytest.mark.parametrize("text", ["", "   ", "\n"])
def test_an_empty_receipt_asks_for_one(text):
    with pytest.raises(MalformedReceipt, match="Enter the receipt"):
        normalise(text)


@pytest.mark.parametrize(
    ("text", "count"), [("1234 5678 9012 345", 15), ("1234 5678 9012 3456 7", 17)]
)
def test_a_number_with_the_wrong_count_of_digits_says_how_many_it_has(text, count):
    with pytest.raises(MalformedReceipt, match=f"has 16 digits; this one has {count}"):
        normalise(text)


def test_a_number_with_stray_symbols_says_what_a_number_may_contain():
    with pytest.raises(MalformedReceipt, match="only digits"):
        normalise("1234 5678 9012 345#")


def test_a_passphrase_with_the_wrong_count_of_words_says_how_many_it_has():
    six = " ".join(new_receipt("passphrase").split()[:6])
    with pytest.raises(MalformedReceipt, match="has 7 words; this one has 6"):
        normalise(six)


@pytest.mark.parametrize("position", range(1, 8))
def test_a_misspelt_word_is_named_by_its_position_without_repeating_the_receipt(position):
    typed = new_receipt("passphrase").split()
    typed[position - 1] = typed[position - 1][:-1] + "q"
    with pytest.raises(MalformedReceipt) as refused:
        normalise(" ".join(typed))
    message = str(refused.value)
    assert f"Word {position} of 7" in message
    assert not any(word in message for word in typed)


def test_one_wrong_letter_anywhere_is_caught_and_located_never_a_silent_other_receipt():
    # The list keeps every word two edits from every other, so a slip cannot land on a word.
    for _ in range(20):
        typed = new_receipt("passphrase").split()
        for position, word in enumerate(typed, start=1):
            for index in range(len(word)):
                replacement = "b" if word[index] != "b" else "d"
                slipped = typed.copy()
                slipped[position - 1] = word[:index] + replacement + word[index + 1 :]
                with pytest.raises(MalformedReceipt, match=f"Word {position} of 7"):
                    normalise(" ".join(slipped))


def test_a_malformed_receipt_error_is_a_value_error_for_form_handling():
    assert issubclass(MalformedReceipt, ValueError)
