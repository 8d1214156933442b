"""The deployment's person links (docs/linkage.md): the key, and the scope of each organisation.

``core.linkage`` computes a link; this module says under which key and scope. The key comes from
the settings (``LINKAGE_KEY``: the environment, or a file, never the database). In the demo,
without one, a key is generated once into ``LINKAGE_KEY_DEMO_FILE`` under the data directory,
readable by its owner alone. An organisation links in its linkage group when it has one
(``Agency.linkage_group``: the organisations that agreed to link their contacts hold the same
scope), otherwise alone.

Nothing here stores, logs or repeats an identifier: a refusal says what is wrong with it, never
what it was.
"""

import os
import secrets

from django.conf import settings
from django.core.exceptions import ImproperlyConfigured, ValidationError

from beyondraid.core import linkage

from .models import Agency

LINK_PATTERN = linkage.LINK_PATTERN
# How forms and messages name the identifier.
IDENTIFIER_LABEL = "booking or case number"


def deployment_key() -> bytes:
    """The deployment's linkage key; in the demo, generated on first use if none is set."""
    if settings.LINKAGE_KEY:
        return settings.LINKAGE_KEY
    if settings.PRODUCTION:
        # settings.py refuses to start without a key; this is reached only if it was removed.
        raise ImproperlyConfigured("BEYONDRAID_LINKAGE_KEY is not set (docs/linkage.md).")
    return _demo_key()


def _demo_key() -> bytes:
    path = settings.LINKAGE_KEY_DEMO_FILE
    path.parent.mkdir(parents=True, exist_ok=True)
    try:
        # Created exclusively, so that two processes starting at once cannot each write a key.
        descriptor = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
    except FileExistsError:
        return path.read_text(encoding="utf-8").strip().encode()
    key = secrets.token_urlsafe(48)
    with os.fdopen(descriptor, "w", encoding="utf-8") as handle:
        handle.write(key + "\n")
    return key.encode()


def scope_of(organisation: Agency) -> str:
    """The scope an organisation links in: its linkage group, or itself alone."""
    if organisation.linkage_group:
        return group_scope(organisation.linkage_group)
    return f"organisation:{organisation.pk}"


def group_scope(linkage_group: str) -> str:
    return f"group:{linkage_group}"


def person_link(identifier: str, organisation: Agency, *, field: str = "identifier") -> str:
    """The link of an identifier ``organisation`` holds; a ValidationError keyed by ``field``,
    naming it, for an empty, placeholder or too short identifier."""
    return _linked(identifier, scope_of(organisation), field)


def link_in_group(identifier: str, linkage_group: str, *, field: str = "identifier") -> str:
    """The link of an identifier held by the organisations of ``linkage_group``."""
    return _linked(identifier, group_scope(linkage_group), field)


def _linked(identifier: str, scope: str, field: str) -> str:
    try:
        return linkage.link(deployment_key(), scope, identifier)
    except linkage.IdentifierRefused as refusal:
        raise ValidationError(
            {field: f"The {IDENTIFIER_LABEL} {refusal}."}, code="identifier_refused"
        ) from None
