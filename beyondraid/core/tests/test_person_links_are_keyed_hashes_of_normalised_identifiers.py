"""A person link is HMAC-SHA256 of a normalised identifier under a key of its scope: the same
number typed differently links, placeholders never do, and scopes never share links."""

import hashlib
import re

import pytest
from hypothesis import given
from hypothesis import strategies as st

from beyondraid.core import linkage

KEY = b"k" * 32
SCOPE = "group:Harbor County"


def test_a_link_is_64_hexadecimal_digits_and_not_a_plain_hash():
    link = linkage.link(KEY, SCOPE, "BK20240012")
    assert re.fullmatch(linkage.LINK_PATTERN, link)
    assert link != hashlib.sha256(b"BK20240012").hexdigest()


@pytest.mark.parametrize(
    "typed",
    ["bk-2024 0012", "BK20240012", "  Bk 2024-0012 ", "BK\u20132024\u00a00012", "bk_2024_0012"],
)
def test_the_same_number_typed_differently_gives_the_same_link(typed):
    assert linkage.link(KEY, SCOPE, typed) == linkage.link(KEY, SCOPE, "BK20240012")


def test_punctuation_that_tells_numbers_apart_is_kept():
    assert linkage.link(KEY, SCOPE, "12/345") != linkage.link(KEY, SCOPE, "123/45")


@pytest.mark.parametrize(
    "placeholder",
    [
        "",
        "   ",
        "unknown",
        "Unknown",
        "n/a",
        "N/A",
        "none",
        "0",
        "000",
        "0000000",
        "tbd",
        "-",
        "x",
        "XXXX",
        "null",
        "?",
        "--",
        "not known",
    ],
)
def test_an_empty_or_placeholder_identifier_is_refused_without_repeating_it(placeholder):
    with pytest.raises(linkage.IdentifierRefused) as refusal:
        linkage.link(KEY, SCOPE, placeholder)
    if placeholder.strip():
        assert placeholder.strip() not in str(refusal.value)


def test_an_identifier_too_short_to_tell_people_apart_is_refused():
    with pytest.raises(linkage.IdentifierRefused, match="too short"):
        linkage.link(KEY, SCOPE, "A1")


def test_scopes_and_keys_never_share_links():
    number = "BK20240012"
    assert linkage.link(KEY, "group:Harbor", number) != linkage.link(KEY, "group:Mesa", number)
    assert linkage.link(KEY, "organisation:1", number) != linkage.link(
        KEY, "organisation:2", number
    )
    assert linkage.link(KEY, SCOPE, number) != linkage.link(b"j" * 32, SCOPE, number)


def test_a_short_key_is_refused():
    with pytest.raises(ValueError, match="at least 32 bytes"):
        linkage.link(b"short", SCOPE, "BK20240012")


@given(
    st.text(alphabet="ABCDEFGHJK0123456789", min_size=6, max_size=16).filter(
        lambda number: len(set(number)) > 1
    )
)
def test_case_spaces_and_hyphens_never_change_a_link(number):
    spaced = "-".join(number[i : i + 3] for i in range(0, len(number), 3)).lower()
    assert linkage.link(KEY, SCOPE, f" {spaced} ") == linkage.link(KEY, SCOPE, number)
