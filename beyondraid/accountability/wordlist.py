"""The project's own word list for passphrase receipts, generated from syllables.

A reporter copies a passphrase from the screen and may type it back months later, in English or
Spanish, on a phone. So every word is built from simple consonant-vowel syllables that read the
same way in both languages, is 4 to 8 lower-case ASCII letters long, and differs from every other
word in at least two letters (edit distance two or more): one mistyped, missing or extra letter
never turns a word into another word, so `receipts.normalise` always catches the slip and can say
which word to check.

Letters left out on purpose: c and q (their sound depends on the next letter), h (silent in
Spanish), v (sounds like b in Spanish), w, x, y and z (rare, or spelled differently in the two
languages).

Which words are kept is decided without any randomness: candidates are ordered shortest first,
then by a BLAKE2b digest of the word (a fixed, version-independent shuffle, so the list does not
lean towards the start of the alphabet), and taken greedily while they keep the two-letter
distance from every word already taken. Exactly 8,192 words are kept, so each word of a receipt
carries exactly 13 bits.

    python -m beyondraid.accountability.wordlist --check   # the committed file is what this makes
    python -m beyondraid.accountability.wordlist --write   # regenerate words.txt
"""

import argparse
import hashlib
import sys
from collections import defaultdict
from collections.abc import Iterator
from itertools import product
from pathlib import Path

WORDS_FILE = Path(__file__).with_name("words.txt")
WORD_COUNT = 8192
SHORTEST, LONGEST = 4, 8

ONSETS = "bdfgjklmnprst"
VOWELS = "aeiou"
# A syllable may close on one of these before the next syllable's onset; only pairs that are
# easy to say in both languages (no "nl", "rl", "sr", no doubled letters).
CLOSING_CONSONANTS = {
    "n": "dgkst",
    "r": "bdgkmnpt",
    "s": "kpt",
    "l": "bdfkmpt",
}
WORD_ENDINGS = ("", "n", "r", "s", "l")

# Fragments that must not appear anywhere inside a word: insults, slurs, sexual and violent terms
# in English and Spanish, and words that would be cruel to hand to someone reporting abuse.
BLOCKED_FRAGMENTS = (
    "anal",
    "anus",
    "ass",
    "bitc",
    "bobo",
    "bolud",
    "cago",
    "cock",
    "culo",
    "cum",
    "dead",
    "dick",
    "dik",
    "fag",
    "fuk",
    "gord",
    "gun",
    "jod",
    "jot",
    "kaka",
    "kik",
    "kil",
    "kok",
    "kul",
    "kunt",
    "loka",
    "loko",
    "mame",
    "mams",
    "marik",
    "mata",
    "mato",
    "mier",
    "mongol",
    "muer",
    "murd",
    "nazi",
    "negr",
    "nig",
    "nud",
    "paja",
    "paki",
    "pede",
    "pedo",
    "pen",
    "pija",
    "pik",
    "pinga",
    "pipi",
    "pis",
    "pito",
    "polla",
    "popo",
    "porn",
    "pud",
    "pupu",
    "puta",
    "puto",
    "rap",
    "rata",
    "sex",
    "shit",
    "slut",
    "sui",
    "tet",
    "tit",
    "tont",
    "trol",
)


def _syllables(closing: bool) -> Iterator[str]:
    """Consonant-vowel syllables, optionally closed by a consonant the next onset allows."""
    for onset, vowel in product(ONSETS, VOWELS):
        yield onset + vowel
        if closing:
            for coda in CLOSING_CONSONANTS:
                yield onset + vowel + coda


def _joins(left: str, right: str) -> bool:
    coda = left[-1]
    return coda in VOWELS or right[0] in CLOSING_CONSONANTS.get(coda, "")


def _candidates() -> Iterator[str]:
    # Two syllables (the first may close), then an optional final consonant: "bandel", "tupi".
    for first, second in product(_syllables(closing=True), _syllables(closing=False)):
        if _joins(first, second):
            for ending in WORD_ENDINGS:
                yield first + second + ending
    # Three open syllables, then an optional final consonant: "dagoru", "limatos".
    for first, second, third in product(_syllables(closing=False), repeat=3):
        for ending in WORD_ENDINGS:
            yield first + second + third + ending


def _is_clean(word: str) -> bool:
    return not any(fragment in word for fragment in BLOCKED_FRAGMENTS)


def _digest(word: str) -> bytes:
    return hashlib.blake2b(word.encode(), digest_size=8).digest()


def _in_selection_order() -> Iterator[str]:
    """Clean candidates, shortest first, in digest order within a length; a length is only
    filtered and sorted once the shorter ones are used up, which keeps generation quick."""
    by_length: dict[int, set[str]] = defaultdict(set)
    for word in _candidates():
        if SHORTEST <= len(word) <= LONGEST:
            by_length[len(word)].add(word)
    for length in sorted(by_length):
        yield from sorted(filter(_is_clean, by_length[length]), key=_digest)


def _one_substitution_patterns(word: str) -> Iterator[str]:
    for position in range(len(word)):
        yield word[:position] + "?" + word[position + 1 :]


def _one_deletion_forms(word: str) -> Iterator[str]:
    for position in range(len(word)):
        yield word[:position] + word[position + 1 :]


def generate() -> list[str]:
    """Return the word list, sorted alphabetically; the same list on every machine."""
    chosen: set[str] = set()
    # Two words are one edit apart exactly when they share a one-substitution pattern, or one of
    # them is a one-deletion form of the other; these three indexes answer that in a few lookups.
    substitution_patterns: set[str] = set()
    deletion_forms: set[str] = set()
    for word in _in_selection_order():
        patterns = set(_one_substitution_patterns(word))
        deletions = set(_one_deletion_forms(word))
        if (
            patterns & substitution_patterns
            or deletions & chosen
            or word in deletion_forms
            or word in chosen
        ):
            continue
        chosen.add(word)
        substitution_patterns |= patterns
        deletion_forms |= deletions
        if len(chosen) == WORD_COUNT:
            return sorted(chosen)
    raise RuntimeError(
        f"The syllable patterns yield only {len(chosen)} words two edits apart; "
        f"{WORD_COUNT} are needed."
    )


def committed_words() -> list[str]:
    return WORDS_FILE.read_text(encoding="ascii").split()


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    action = parser.add_mutually_exclusive_group(required=True)
    action.add_argument("--check", action="store_true", help="compare words.txt with the generator")
    action.add_argument("--write", action="store_true", help="regenerate words.txt")
    arguments = parser.parse_args(argv)
    words = generate()
    if arguments.write:
        WORDS_FILE.write_text("\n".join(words) + "\n", encoding="ascii")
        print(f"Wrote {len(words)} words to {WORDS_FILE}.")
        return 0
    if not WORDS_FILE.exists() or committed_words() != words:
        print(
            f"{WORDS_FILE} differs from what the generator makes; run "
            "`python -m beyondraid.accountability.wordlist --write` and commit the result.",
            file=sys.stderr,
        )
        return 1
    print(f"{WORDS_FILE.name} matches the generator ({len(words)} words).")
    return 0


if __name__ == "__main__":
    sys.exit(main())
