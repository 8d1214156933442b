"""Random reference codes for pseudonymous records.

A code carries no information about the person: it is drawn from the operating system's
cryptographic generator, never derived from a name, a date or a sequence number. The alphabet
leaves out letters that are easily misread (I, L, O, U), so a caseworker can read a code aloud.
"""

import re
import secrets
from typing import ClassVar

from django.db import models

ALPHABET = "0123456789ABCDEFGHJKMNPQRSTVWXYZ"
GROUP_LENGTH = 4
GROUPS = 2

_GROUP = f"[{ALPHABET}]{{{GROUP_LENGTH}}}"
CODE_PATTERN = re.compile(rf"^[A-Z]{{1,3}}-{_GROUP}(-{_GROUP}){{{GROUPS - 1}}}$")


def new_code(prefix: str) -> str:
    """Return a fresh code such as ``E-7K3M-9QX2`` (about 40 bits of randomness)."""
    if not re.fullmatch(r"[A-Z]{1,3}", prefix):
        raise ValueError(f"A code prefix is one to three capital letters, not {prefix!r}.")
    groups = ("".join(secrets.choice(ALPHABET) for _ in range(GROUP_LENGTH)) for _ in range(GROUPS))
    return f"{prefix}-" + "-".join(groups)


def is_code(value: str) -> bool:
    return bool(CODE_PATTERN.fullmatch(value))


class CodedRecord(models.Model):
    """A record known by a random code such as ``RF-7K3M-9QX2`` rather than by its row number,
    drawn on its first save. Each subclass names its ``code_prefix``; prefixes differ between
    tables, so that a code read aloud says what kind of record it is."""

    code_prefix: ClassVar[str]

    code = models.CharField(max_length=20, unique=True, editable=False)

    class Meta:
        abstract = True

    def save(self, *args, **kwargs):
        if not self.code:
            self.code = new_code(self.code_prefix)
        super().save(*args, **kwargs)
