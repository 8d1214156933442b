"""Encryption at rest for misconduct reports, and the keyed hashes that work beside it.

The oversight body has one X25519 key pair. Report contents and officer identifiers are sealed
to its public key (libsodium sealed boxes: an ephemeral sender key per message, so the web server
can seal but can never open what it sealed). The private key exists in the database only
*wrapped*, once per investigator: encrypted with SecretBox (XSalsa20-Poly1305) under a key
derived from that investigator's passphrase by Argon2id with a random salt of its own. A copy of
the database therefore holds report text only as ciphertext and the key only under passphrases.

Nothing in this module writes the private key anywhere. ``unlock`` returns it as an in-memory
``PrivateKey``; callers must keep it only for the request that needs it and never put it in a
session, cache, log, file or database field (Django's sessions live in the database or cache,
so the passphrase is asked again rather than the key kept). Python cannot pin memory, so the
operating system could in principle swap it: run the server with encrypted swap or none.

Removing an investigator deletes their wrap, which stops future unlocking through that wrap;
it cannot take back a key they already unlocked, nor wraps kept in old backups. When that
matters, generate a new keyring and seal new reports to it.
"""

import base64
import hashlib
import unicodedata
from collections.abc import Mapping
from dataclasses import dataclass, field, replace
from datetime import date
from types import MappingProxyType

from nacl.exceptions import CryptoError
from nacl.public import PrivateKey, PublicKey, SealedBox
from nacl.secret import SecretBox
from nacl.utils import random as random_bytes

from beyondraid.accountability import kdf

SCHEME = "x25519-sealedbox+argon2id-secretbox/1"
SALT_BYTES = 16
MINIMUM_PASSPHRASE_LENGTH = 12
MINIMUM_SECRET_BYTES = 16

# Wrapping keys come from people's passphrases, which carry far less entropy than receipts, so
# they get twice the memory of the receipt lookup: about 0.29 s and 128 MiB per unlock on the
# development machine (AMD EPYC, 2 cores; mean of three runs). Each wrap stores the parameters it
# was made with, so raising these later leaves existing wraps working. Tests lower this constant.
WRAP_KDF = kdf.Argon2idParameters(time_cost=3, memory_kib=128 * 1024, parallelism=1)


class WrongPassphrase(ValueError):
    """The passphrase does not open this investigator's copy of the key."""


class NotAKeyHolder(LookupError):
    """The investigator has no copy of the key in this keyring."""


class KeyringError(ValueError):
    """A keyring change that would break it: a duplicate holder, the last holder removed, a key
    that is not this keyring's, or a passphrase too short to protect it."""


class UnreadableSealedData(ValueError):
    """Ciphertext that this key cannot open: sealed to another key, or altered."""


def _b64(raw: bytes) -> str:
    return base64.b64encode(raw).decode("ascii")


def _unb64(text: str) -> bytes:
    return base64.b64decode(text.encode("ascii"), validate=True)


@dataclass(frozen=True)
class Wrap:
    """One investigator's copy of the private key, encrypted under their passphrase."""

    salt: bytes
    kdf: kdf.Argon2idParameters
    ciphertext: bytes

    def as_dict(self) -> dict:
        return {
            "salt": _b64(self.salt),
            "kdf": {"algorithm": "argon2id", **self.kdf.as_dict()},
            "ciphertext": _b64(self.ciphertext),
        }

    @classmethod
    def from_dict(cls, data: dict) -> "Wrap":
        return cls(
            salt=_unb64(data["salt"]),
            kdf=kdf.Argon2idParameters.from_dict(data["kdf"]),
            ciphertext=_unb64(data["ciphertext"]),
        )


@dataclass(frozen=True)
class Keyring:
    """The oversight body's public key and the wrapped copies of its private key.

    Immutable: every change returns a new keyring, which the caller stores in place of the old.
    """

    public_key: bytes
    wraps: Mapping[str, Wrap] = field(default_factory=dict)

    def __post_init__(self):
        # A read-only view, so a keyring really cannot change after it is made.
        object.__setattr__(self, "wraps", MappingProxyType(dict(self.wraps)))

    @property
    def investigators(self) -> frozenset[str]:
        return frozenset(self.wraps)

    def as_dict(self) -> dict:
        """A JSON-serialisable form: public key, and per investigator the salt, Argon2id
        parameters and wrapped key. No private key material in clear."""
        return {
            "scheme": SCHEME,
            "public_key": _b64(self.public_key),
            "wraps": {holder: wrap.as_dict() for holder, wrap in sorted(self.wraps.items())},
        }

    @classmethod
    def from_dict(cls, data: dict) -> "Keyring":
        if data.get("scheme") != SCHEME:
            raise KeyringError(
                f"This keyring uses the scheme {data.get('scheme')!r}; this version of the "
                f"software reads only {SCHEME!r}."
            )
        return cls(
            public_key=_unb64(data["public_key"]),
            wraps={holder: Wrap.from_dict(wrap) for holder, wrap in data["wraps"].items()},
        )


def _check_passphrase(passphrase: str) -> None:
    if len(passphrase) < MINIMUM_PASSPHRASE_LENGTH:
        raise KeyringError(
            f"A key passphrase needs at least {MINIMUM_PASSPHRASE_LENGTH} characters: it is "
            "all that protects every report if the database is copied."
        )


def _passphrase_bytes(passphrase: str) -> bytes:
    # The same accented passphrase typed on different systems can arrive composed or decomposed.
    return unicodedata.normalize("NFC", passphrase).encode("utf-8")


def _wrap(private_key: PrivateKey, passphrase: str) -> Wrap:
    _check_passphrase(passphrase)
    salt = random_bytes(SALT_BYTES)
    parameters = WRAP_KDF
    box = SecretBox(kdf.derive(_passphrase_bytes(passphrase), salt, parameters))
    return Wrap(salt=salt, kdf=parameters, ciphertext=bytes(box.encrypt(bytes(private_key))))


def _check_belongs(keyring: Keyring, private_key: PrivateKey) -> None:
    if bytes(private_key.public_key) != keyring.public_key:
        raise KeyringError("This private key does not belong to this keyring's public key.")


def new_keyring(passphrases: dict[str, str]) -> Keyring:
    """Generate a fresh key pair and wrap its private key once per investigator.

    ``passphrases`` maps each investigator's identifier to their passphrase. The private key is
    dropped when this returns: from then on it exists only inside the wraps.
    """
    if not passphrases:
        raise KeyringError("A keyring needs at least one investigator to hold the key.")
    private_key = PrivateKey.generate()
    return Keyring(
        public_key=bytes(private_key.public_key),
        wraps={
            holder: _wrap(private_key, passphrase) for holder, passphrase in passphrases.items()
        },
    )


def unlock(keyring: Keyring, investigator_id: str, passphrase: str) -> PrivateKey:
    """Return the private key from ``investigator_id``'s wrap, in memory only."""
    try:
        wrap = keyring.wraps[investigator_id]
    except KeyError:
        raise NotAKeyHolder(
            "You do not hold a copy of the oversight key; ask an administrator to add you."
        ) from None
    box = SecretBox(kdf.derive(_passphrase_bytes(passphrase), wrap.salt, wrap.kdf))
    try:
        private_key = PrivateKey(box.decrypt(wrap.ciphertext))
    except CryptoError:
        raise WrongPassphrase("That passphrase does not open your copy of the key.") from None
    _check_belongs(keyring, private_key)
    return private_key


def add_investigator(
    keyring: Keyring, private_key: PrivateKey, investigator_id: str, passphrase: str
) -> Keyring:
    """Return the keyring with a new wrap for ``investigator_id``; an existing holder must first
    unlock the key to pass it in."""
    _check_belongs(keyring, private_key)
    if investigator_id in keyring.wraps:
        raise KeyringError(
            "This investigator already holds a copy of the key; change their passphrase instead."
        )
    return replace(
        keyring, wraps={**keyring.wraps, investigator_id: _wrap(private_key, passphrase)}
    )


def remove_investigator(keyring: Keyring, investigator_id: str) -> Keyring:
    """Return the keyring without ``investigator_id``'s wrap (see the module note on what removal
    cannot undo). The last holder cannot be removed: every report would become unreadable."""
    if investigator_id not in keyring.wraps:
        raise NotAKeyHolder("This investigator holds no copy of the key.")
    if len(keyring.wraps) == 1:
        raise KeyringError(
            "This is the last investigator holding the key; add another before removing them, "
            "or no one could ever read the reports again."
        )
    return replace(
        keyring,
        wraps={holder: wrap for holder, wrap in keyring.wraps.items() if holder != investigator_id},
    )


def change_passphrase(
    keyring: Keyring, investigator_id: str, old_passphrase: str, new_passphrase: str
) -> Keyring:
    """Return the keyring with ``investigator_id``'s wrap remade under a new passphrase and a new
    salt; the old passphrase must open the current wrap."""
    private_key = unlock(keyring, investigator_id, old_passphrase)
    return replace(
        keyring, wraps={**keyring.wraps, investigator_id: _wrap(private_key, new_passphrase)}
    )


def seal(public_key: PublicKey | bytes, plaintext: bytes) -> bytes:
    """Encrypt ``plaintext`` so that only the holder of the matching private key can read it."""
    if isinstance(public_key, bytes):
        public_key = PublicKey(public_key)
    return bytes(SealedBox(public_key).encrypt(plaintext))


def open_sealed(private_key: PrivateKey, ciphertext: bytes) -> bytes:
    try:
        return bytes(SealedBox(private_key).decrypt(ciphertext))
    except CryptoError:
        raise UnreadableSealedData(
            "This sealed record cannot be opened with the oversight key: it was sealed to "
            "another key or has been altered."
        ) from None


def _check_secret(secret: bytes) -> None:
    if not MINIMUM_SECRET_BYTES <= len(secret) <= hashlib.blake2b.MAX_KEY_SIZE:
        raise ValueError(
            f"A hashing key must be {MINIMUM_SECRET_BYTES} to {hashlib.blake2b.MAX_KEY_SIZE} "
            f"bytes long; this one is {len(secret)}."
        )


def normalise_identifier(value: str) -> str:
    """Reduce an officer identifier to lower-case letters and digits without accents, so that
    "Badge 1234", "badge-1234" and "BADGE1234", or "José O'Neil" and "jose oneil", are one."""
    decomposed = unicodedata.normalize("NFKD", value.casefold())
    return "".join(character for character in decomposed if character.isalnum())


def keyed_hash(key: bytes, value: str) -> str:
    """Return a keyed BLAKE2b digest (hex) of an officer identifier, for matching escrow.

    Two reports naming the same officer produce the same digest, so the pattern can be found
    without opening either report. Badge numbers and names are easy to guess, so the key, a
    secret from settings kept out of the database, is what stops someone with the database
    from hashing every badge number to see who was reported.
    """
    _check_secret(key)
    normalised = normalise_identifier(value)
    if not normalised:
        raise ValueError("An officer identifier needs at least one letter or digit.")
    return hashlib.blake2b(
        normalised.encode("utf-8"), key=key, digest_size=32, person=b"br-officer-id"
    ).hexdigest()


def daily_counter_key(secret: bytes, day: date) -> bytes:
    """Return the key for one day's rate-limit counters, derived from a secret in settings.

    Every web process derives the same key for the same day without sharing any state, and no
    day's key can be worked out from another's.
    """
    _check_secret(secret)
    return hashlib.blake2b(
        day.isoformat().encode("ascii"), key=secret, digest_size=32, person=b"br-rate-day"
    ).digest()


def counter_token(day_key: bytes, client_address: str) -> str:
    """Return the name of a rate-limit counter for one client on one day.

    Only counts are kept under these names (``ratelimit``), deleted after their day. An IPv4
    address has only 2^32 values, so anyone holding the settings secret and that day's counts
    could recover an address from a token by trying them all: what protects reporters is that
    tokens are never logged and vanish with the day, that the secret stays out of the database,
    and that the counts are left out of backups (docs/reporting.md). The address is hashed
    exactly as given (not through ``normalise_identifier``, which would make "1.23.4.5" and
    "12.3.4.5" collide).
    """
    return hashlib.blake2b(
        client_address.encode("utf-8"), key=day_key, digest_size=32, person=b"br-rate-client"
    ).hexdigest()
