"""Person links: a keyed hash of an identifier an organisation already holds outside the system
(a booking or case number), so that the records of one person can be linked across contacts
without the identifier ever being stored (issue 21, item 3; docs/linkage.md).

A link is HMAC-SHA256 under a key derived from the deployment's linkage key and a *scope*: the
linkage group the organisation shares with others, or the organisation alone. The same identifier
gives the same link only within one scope, so links never cross organisations unless they share a
group. HMAC rather than a plain hash: booking numbers are short and guessable, and a plain hash of
every possible number can be computed by anyone in minutes; without the key, it cannot.

Only the standard library; the deployment's key and the organisations' scopes are the
standard's (``beyondraid.standard.linkage``).
"""

import hashlib
import hmac
import re
import unicodedata

# A key shorter than this is refused: it could be found by trying keys.
MINIMUM_KEY_LENGTH = 32
# An identifier shorter than this links too many different people to be a booking or case number.
MINIMUM_IDENTIFIER_LENGTH = 4
LINK_PATTERN = r"^[0-9a-f]{64}$"

# Versioned, so that a change of derivation can never be confused with the links made before it.
_DERIVATION = b"beyondraid person link v1\x00"
# Whitespace and the dashes people type between the parts of a number: "BK-2024 0012" is
# "BK20240012". Other punctuation is kept, because 12/3 and 1/23 are different case numbers.
_SEPARATORS = re.compile(r"[\s\-\u2010-\u2015\u2212_]+")
# What people write when they do not have the number; compared on letters and digits only.
_PLACEHOLDERS = frozenset(
    {
        "UNKNOWN",
        "UNK",
        "NA",
        "NONE",
        "NULL",
        "NIL",
        "TBD",
        "TBA",
        "TBC",
        "PENDING",
        "NOTKNOWN",
        "NOTAVAILABLE",
        "NOTAPPLICABLE",
        "NOTRECORDED",
        "NONUMBER",
        "NOBOOKING",
        "NOCASE",
        "MISSING",
        "REDACTED",
        "DECLINED",
        "REFUSED",
        "ANONYMOUS",
        "TEST",
        "SAMPLE",
        "EXAMPLE",
    }
)


class IdentifierRefused(ValueError):
    """An identifier that cannot link anyone: empty, a placeholder or too short. The message
    never repeats the identifier."""


def normalised(identifier: str) -> str:
    """The identifier as it is linked: compatibility characters folded, upper case, without
    whitespace and dashes. Refuses an empty identifier, a placeholder ("unknown", "n/a",
    "000"...) and one too short to tell people apart."""
    text = _SEPARATORS.sub("", unicodedata.normalize("NFKC", identifier or "")).upper()
    letters_and_digits = "".join(character for character in text if character.isalnum())
    if not letters_and_digits:
        raise IdentifierRefused("is empty: give the number your organisation holds")
    if (
        letters_and_digits in _PLACEHOLDERS
        or len(set(letters_and_digits)) == 1  # 0, 000, XXXX, 9999999
    ):
        raise IdentifierRefused(
            "is a placeholder, not a number: give the number your organisation holds, or "
            "leave the person unlinked"
        )
    if len(letters_and_digits) < MINIMUM_IDENTIFIER_LENGTH:
        raise IdentifierRefused(
            f"is too short to tell people apart: a booking or case number has at least "
            f"{MINIMUM_IDENTIFIER_LENGTH} letters or digits"
        )
    return text


def scope_key(key: bytes, scope: str) -> bytes:
    """The key of one scope ("group:<name>" or "organisation:<id>"), derived from the
    deployment's key: holding one scope's key reveals nothing of another's."""
    if len(key) < MINIMUM_KEY_LENGTH:
        raise ValueError(f"A linkage key has at least {MINIMUM_KEY_LENGTH} bytes.")
    return hmac.new(key, _DERIVATION + scope.encode("utf-8"), hashlib.sha256).digest()


def link(key: bytes, scope: str, identifier: str) -> str:
    """The person link of ``identifier`` in ``scope``: 64 lowercase hexadecimal digits."""
    return hmac.new(
        scope_key(key, scope), normalised(identifier).encode("utf-8"), hashlib.sha256
    ).hexdigest()
