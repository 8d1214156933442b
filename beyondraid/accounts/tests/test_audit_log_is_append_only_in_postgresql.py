"""On PostgreSQL the database refuses UPDATE and DELETE on the audit log, even in raw SQL.

CI runs this module on PostgreSQL; on SQLite the suite deselects it with a notice (conftest.py)."""

import pytest
from django.db import DatabaseError, connection, transaction

from beyondraid.accounts import audit

pytestmark = [pytest.mark.django_db, pytest.mark.postgresql]


def test_the_database_refuses_to_rewrite_an_audit_entry(world):
    assert connection.vendor == "postgresql", "this test must run on PostgreSQL"
    entry = audit.record_view(world.analyst, world.encounter_b)
    for statement in (
        "UPDATE accounts_auditentry SET action = 'create' WHERE id = %s",
        "DELETE FROM accounts_auditentry WHERE id = %s",
    ):
        with (
            pytest.raises(DatabaseError, match="append-only"),
            transaction.atomic(),
            connection.cursor() as cursor,
        ):
            cursor.execute(statement, [entry.pk])
