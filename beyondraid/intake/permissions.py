"""Who may audit sheets and who may import records, decided in one place for the pages, the
navigation and the services."""

from beyondraid.standard import access

# Everyone on the staff side who reads released figures; caseworkers work with people, not sheets.
AUDIT_ROLES = frozenset(
    {access.ANALYST, access.STEWARD, access.PROSECUTOR, access.INVESTIGATOR, access.ADMINISTRATOR}
)
# Stewards import into their own agency; administrators review every agency's imports.
IMPORT_REVIEW_ROLES = frozenset({access.STEWARD, access.ADMINISTRATOR})


def may_audit(user) -> bool:
    return access.role_of(user) in AUDIT_ROLES


def may_see_imports(user) -> bool:
    return access.role_of(user) in IMPORT_REVIEW_ROLES


def may_import(user) -> bool:
    return access.role_of(user) == access.STEWARD
