"""Receipts: the one secret a reporter holds to come back to their report.

A receipt is shown once, at submission, and never stored. It is either

- a **number** of 16 random digits, shown in four groups of four: 10^16 possibilities,
  log2(10^16) ≈ 53.2 bits; or
- a **passphrase** of 7 words drawn independently from the project's generated list of
  8,192 words (``words.txt``, see ``wordlist.py``): 7 × log2(8192) = 7 × 13 = 91 bits.

One slow Argon2id derivation of the receipt gives two keys (``keys_for``): the *lookup*, which the
server stores and finds the report by, and the *reader* key pair, whose public half the server
stores so investigators can seal messages that only the receipt opens. Whoever has the database
alone holds neither the receipt nor a way to test guesses at it (the pepper is not in the
database).
"""

import hashlib
import re
import secrets
import unicodedata
from dataclasses import dataclass
from enum import StrEnum
from functools import cache

from django.utils.translation import gettext as _
from nacl.public import PrivateKey

from beyondraid.accountability import kdf, wordlist

NUMBER_DIGITS = 16
NUMBER_GROUP = 4
PASSPHRASE_WORDS = 7

# One derivation takes about 0.17 s and 64 MiB on the development machine (AMD EPYC, 2 cores,
# Python 3.11, argon2-cffi 25.1; measured as the mean of three runs). Time cost 4 rather than
# RFC 9106's 3 keeps it above 0.1 s there. Each submission and each return visit pays this once,
# so it also bounds how fast guesses can be checked even by someone holding the pepper.
# Tests replace this constant with tiny parameters. Changing it in production changes every
# lookup value: keep the old parameters beside the new ones and re-derive a report's lookup the
# next time its reporter signs in with the receipt.
LOOKUP_KDF = kdf.Argon2idParameters(time_cost=4, memory_kib=64 * 1024, parallelism=1)

_WORD_SEPARATORS = re.compile(r"[\s\-]+")
_NUMBER_SEPARATORS = re.compile(r"[\s\-.]+")


class ReceiptKind(StrEnum):
    NUMBER = "number"
    PASSPHRASE = "passphrase"  # noqa: S105 - the name of a receipt kind, not a secret


class MalformedReceipt(ValueError):
    """The text cannot be a receipt; the message says what to fix and never repeats the text."""


@cache
def words() -> tuple[str, ...]:
    return tuple(wordlist.committed_words())


@cache
def _known_words() -> frozenset[str]:
    return frozenset(words())


def new_receipt(kind: ReceiptKind | str) -> str:
    """Return a fresh receipt to show to the reporter once, in the form they should copy."""
    kind = ReceiptKind(kind)
    if kind is ReceiptKind.NUMBER:
        digits = f"{secrets.randbelow(10**NUMBER_DIGITS):0{NUMBER_DIGITS}d}"
        return " ".join(
            digits[start : start + NUMBER_GROUP] for start in range(0, NUMBER_DIGITS, NUMBER_GROUP)
        )
    vocabulary = words()
    return " ".join(secrets.choice(vocabulary) for _ in range(PASSPHRASE_WORDS))


def normalise(text: str) -> str:
    """Return the canonical form of a receipt as typed: its 16 digits with nothing between them,
    or its 7 words in lower case separated by single spaces.

    Spaces, hyphens, letter case and full-width or other compatibility forms of digits and letters
    (phone keyboards produce them) are forgiven. Anything else raises ``MalformedReceipt``.
    """
    text = unicodedata.normalize("NFKC", text).strip()
    if not text:
        raise MalformedReceipt(_("Enter the receipt you were given when you sent your report."))
    if any(character.isalpha() for character in text):
        return _normalise_passphrase(text)
    return _normalise_number(text)


def _normalise_number(text: str) -> str:
    digits = _NUMBER_SEPARATORS.sub("", text)
    if not (digits.isascii() and digits.isdigit()):
        raise MalformedReceipt(
            _("A number receipt contains only digits, with spaces or hyphens between the groups.")
        )
    if len(digits) != NUMBER_DIGITS:
        raise MalformedReceipt(
            _(
                "A number receipt has %(expected)s digits; this one has %(typed)s. "
                "Check for a missing or repeated group."
            )
            % {"expected": NUMBER_DIGITS, "typed": len(digits)}
        )
    return digits


def _normalise_passphrase(text: str) -> str:
    typed = _WORD_SEPARATORS.split(text.lower())
    if len(typed) != PASSPHRASE_WORDS:
        raise MalformedReceipt(
            _(
                "A passphrase receipt has %(expected)s words; this one has %(typed)s. "
                "Separate the words with spaces."
            )
            % {"expected": PASSPHRASE_WORDS, "typed": len(typed)}
        )
    known = _known_words()
    for position, word in enumerate(typed, start=1):
        if word not in known:
            raise MalformedReceipt(
                _("Word %(position)s of %(total)s is not one the receipts use; check its spelling.")
                % {"position": position, "total": PASSPHRASE_WORDS}
            )
    return " ".join(typed)


@dataclass(frozen=True)
class ReceiptKeys:
    lookup: bytes
    reader: PrivateKey

    @property
    def reader_public(self) -> bytes:
        return bytes(self.reader.public_key)


def keys_for(receipt: str, salt: bytes) -> ReceiptKeys:
    """Return the keys a receipt gives: the lookup the server stores to find the report, and
    the reader's key pair (only its public half is stored).

    ``salt`` is the deployment-wide pepper from settings (at least 16 bytes), the same for
    every report.

    The receipt is normalised first, so any spacing or case the reporter types finds the same
    report; a malformed receipt raises ``MalformedReceipt`` before any work is done.

    Why one salt for every report: the server must go from a receipt to its report. With a
    random salt per report it would have to run Argon2id once for every stored report at each
    visit, or keep a fast unsalted index of receipts beside the slow values, which would undo
    them. So every lookup uses the same salt, a pepper from settings that lives in the
    environment or a secret store, never in the database or the code.

    What protects the receipts without per-report salts: the receipt's own entropy (53 or 91
    bits, chosen by the server, never by a person) makes precomputed tables useless; the pepper
    keeps a stolen database from being searched offline at all; Argon2id makes every guess cost
    about 0.17 s and 64 MiB even to someone holding the pepper, so testing one guess against all
    reports at once still leaves on the order of 2^53 / (number of reports) guesses to find any
    one of them; and the web layer throttles guesses online.
    """
    master = kdf.derive(normalise(receipt).encode("ascii"), salt, LOOKUP_KDF)
    # Two independent keys from one derivation: knowing the lookup (it is in the database) tells
    # nothing about the reader key.
    return ReceiptKeys(
        lookup=_subkey(master, b"br-receipt-find"),
        reader=PrivateKey(_subkey(master, b"br-receipt-read")),
    )


def derive_lookup(receipt: str, salt: bytes) -> bytes:
    """The lookup value alone (``keys_for``)."""
    return keys_for(receipt, salt).lookup


def _subkey(master: bytes, purpose: bytes) -> bytes:
    return hashlib.blake2b(master, digest_size=32, person=purpose).digest()
