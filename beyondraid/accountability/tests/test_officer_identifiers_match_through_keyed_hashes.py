import pytest

from beyondraid.accountability.sealing import keyed_hash, normalise_identifier

KEY = b"matching escrow key from config!"
OTHER_KEY = b"another deployment's escrow key!"


@pytest.mark.parametrize(
    ("first", "second"),
    [
        ("Badge 1234", "badge-1234"),
        ("BADGE #1234", "badge1234"),
        ("José O'Neil", "jose oneil"),
        ("Unit 7 / Vice", "unit7vice"),
    ],
)
def test_the_same_identifier_written_differently_hashes_the_same(first, second):
    assert keyed_hash(KEY, first) == keyed_hash(KEY, second)


def test_different_identifiers_hash_differently():
    assert keyed_hash(KEY, "Badge 1234") != keyed_hash(KEY, "Badge 1235")


def test_another_key_gives_another_hash():
    assert keyed_hash(KEY, "Badge 1234") != keyed_hash(OTHER_KEY, "Badge 1234")


def test_the_hash_does_not_show_the_identifier():
    digest = keyed_hash(KEY, "Badge 1234")
    assert "1234" not in digest
    assert len(digest) == 64


def test_normalising_keeps_only_letters_and_digits_without_accents():
    assert normalise_identifier("  Sgt. Núñez-Ruiz, #0042 ") == "sgtnunezruiz0042"


@pytest.mark.parametrize("value", ["", "   ", "-/#."])
def test_an_identifier_with_nothing_to_match_is_refused(value):
    with pytest.raises(ValueError, match="at least one letter or digit"):
        keyed_hash(KEY, value)


def test_a_short_key_is_refused():
    with pytest.raises(ValueError, match="16 to 64 bytes"):
        keyed_hash(b"short", "Badge 1234")
