"""Argon2id, the one slow key derivation used by receipts and by the investigators' keyring.

Argon2id (RFC 9106) is memory-hard: each guess at a receipt or a passphrase costs the attacker
the same memory and time it costs the server, which is what makes a stolen database slow to
attack. The parameters travel with what they protect wherever they can (keyring wraps store
their own), so raising them later never locks anyone out of data sealed earlier.
"""

from dataclasses import dataclass

from argon2.low_level import Type, hash_secret_raw

KEY_LENGTH = 32
MINIMUM_SALT_LENGTH = 16


@dataclass(frozen=True)
class Argon2idParameters:
    time_cost: int
    memory_kib: int
    parallelism: int

    def as_dict(self) -> dict[str, int]:
        return {
            "time_cost": self.time_cost,
            "memory_kib": self.memory_kib,
            "parallelism": self.parallelism,
        }

    @classmethod
    def from_dict(cls, data: dict) -> "Argon2idParameters":
        return cls(
            time_cost=int(data["time_cost"]),
            memory_kib=int(data["memory_kib"]),
            parallelism=int(data["parallelism"]),
        )


def derive(secret: bytes, salt: bytes, parameters: Argon2idParameters) -> bytes:
    """Return a 32-byte key derived from ``secret``; the same inputs always give the same key."""
    if len(salt) < MINIMUM_SALT_LENGTH:
        raise ValueError(
            f"An Argon2id salt must be at least {MINIMUM_SALT_LENGTH} bytes; this one has "
            f"{len(salt)}."
        )
    return hash_secret_raw(
        secret=secret,
        salt=salt,
        time_cost=parameters.time_cost,
        memory_cost=parameters.memory_kib,
        parallelism=parameters.parallelism,
        hash_len=KEY_LENGTH,
        type=Type.ID,
    )
