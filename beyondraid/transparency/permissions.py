"""Who may work with live indicators and releases, decided in one place for the pages, the
navigation and the services. The public reads published releases only and needs no role."""

from beyondraid.standard import access

# Oversight analysts read live, unsuppressed indicators and make releases from them;
# administrators may step in.
ANALYSIS_ROLES = frozenset({access.ANALYST, access.ADMINISTRATOR})


def may_read_indicators(user) -> bool:
    return access.role_of(user) in ANALYSIS_ROLES


def may_make_releases(user) -> bool:
    return access.role_of(user) in ANALYSIS_ROLES
