"""Public pages read from a read-only replica of the database when one is configured
(``REPLICA_DATABASE_URL``, docs/scaling.md); everything else stays on the primary.

A read goes to the replica only while an anonymous visitor's GET (or HEAD) of a public page is
served: the home page, the published releases under /data/, the directory of where help is and the
public API of published releases. What those pages show (published releases, the providers that
chose to be listed) decides nobody's access, so a replica a moment behind at worst shows a newly
published release, or a provider's leaving the directory, a moment late. Every write, every request
of a signed-in person and every request that carries credentials reads the primary: replication lag
must never let a revoked account, an ended session or an old access decision count, and a
person-level record is only ever read where the access rules read it. The anonymous reporting pages
(/report/) stay on the primary too: they write, and a reporter reading their report's state with a
receipt must see the latest. So do the public-records requests under /data/, which their requesters
may make private again.
"""

import contextvars
from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any

from django.core.exceptions import ImproperlyConfigured
from django.db import DEFAULT_DB_ALIAS, connections

REPLICA = "replica"

# Address prefixes of the public pages; "/" alone is the home page.
PUBLIC_PREFIXES = ("/data/", "/help/", "/api/v1/public/")
# Public pages that read the primary all the same: the public-records requests are live records
# that their requester may make private again at any moment, which must take effect at once.
PRIMARY_PREFIXES = ("/data/records-requests/",)
# Only methods that change nothing: a POST to any address is served from the primary.
_READING_METHODS = frozenset({"GET", "HEAD"})

_serving_the_public: contextvars.ContextVar[bool] = contextvars.ContextVar(
    "serving_the_public", default=False
)


def read_only_options(engine: str, options: dict[str, Any]) -> dict[str, Any]:
    """The connection options of a replica: the same as the primary's, plus a session that
    refuses every write, so that a write routed there by mistake fails loudly instead of being
    lost when the standby refuses it, or kept when the address names the primary itself."""
    if engine == "django.db.backends.postgresql":
        given = options.get("options", "")
        return {**options, "options": f"{given} -c default_transaction_read_only=on".strip()}
    if engine == "django.db.backends.sqlite3":
        given = options.get("init_command", "").rstrip("; ")
        return {**options, "init_command": f"{given};PRAGMA query_only=ON".lstrip(";")}
    raise ImproperlyConfigured(
        f"REPLICA_DATABASE_URL names a {engine} database; a replica must be PostgreSQL or SQLite."
    )


@contextmanager
def serving_the_public() -> Iterator[None]:
    """Within this block, reads go to the replica if one is configured."""
    token = _serving_the_public.set(True)
    try:
        yield
    finally:
        _serving_the_public.reset(token)


def is_public_read(request) -> bool:
    """An anonymous visitor reading a public page, without credentials of any kind. The user is
    looked at last: for a request with a session cookie that reads the session, from the
    primary, since the flag is not set yet."""
    path = request.path_info
    return (
        request.method in _READING_METHODS
        and (path == "/" or path.startswith(PUBLIC_PREFIXES))
        and not path.startswith(PRIMARY_PREFIXES)
        and "HTTP_AUTHORIZATION" not in request.META
        and not request.user.is_authenticated
    )


class PublicReadsMiddleware:
    """Marks the public reads of a request for the router. Placed after the user is known; the
    session is saved after this middleware has returned, and every write goes to the primary
    whatever the mark. A streamed answer read after the view returned reads the primary."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        if not is_public_read(request):
            return self.get_response(request)
        with serving_the_public():
            return self.get_response(request)


ROUTER = "beyondraid.replica.PublicReadsFromTheReplica"


class PublicReadsFromTheReplica:
    """Database router: the replica for public reads when it exists, the primary for the rest."""

    def db_for_read(self, model, **hints) -> str:
        if _serving_the_public.get() and REPLICA in connections:
            return REPLICA
        # Explicitly, not None: Django would otherwise read an object's relations from the
        # database it came from, so a staff page handed an object read on the replica would read
        # on from there.
        return DEFAULT_DB_ALIAS

    def db_for_write(self, model, **hints) -> str:
        # Explicitly, not None: Django would otherwise save an object to the database it was
        # read from, the replica.
        return DEFAULT_DB_ALIAS

    def allow_relation(self, obj1, obj2, **hints) -> bool | None:
        # The replica holds the primary's rows: an object of one may point at an object of the
        # other.
        if {obj1._state.db, obj2._state.db} <= {DEFAULT_DB_ALIAS, REPLICA}:
            return True
        return None

    def allow_migrate(self, db, app_label, model_name=None, **hints) -> bool | None:
        # The replica copies the primary's schema through replication; nothing migrates it.
        return False if db == REPLICA else None
