"""Faults of a PostgreSQL server, provoked in the test database: a disk that fills, and a
connection of its own from which to end another (as a restart ends them all)."""

from contextlib import contextmanager

import psycopg
from django.db import connection

from beyondraid.standard.models import Encounter


def other_connection() -> psycopg.Connection:
    """A connection of its own to the test database, as an administrator's psql would be."""
    database = connection.settings_dict
    return psycopg.connect(
        host=database["HOST"] or None,
        port=database["PORT"] or None,
        user=database["USER"],
        password=database["PASSWORD"] or None,
        dbname=database["NAME"],
        autocommit=True,
    )


@contextmanager
def full_disk():
    """The database refuses to write people as a server whose disk is full does (SQLSTATE
    53100), until the block ends."""
    table = Encounter._meta.db_table
    with connection.cursor() as cursor:
        cursor.execute(
            "CREATE FUNCTION intake_test_disk_full() RETURNS trigger LANGUAGE plpgsql AS $$ "
            "BEGIN RAISE EXCEPTION 'could not extend file: No space left on device' "
            "USING ERRCODE = 'disk_full'; END $$"
        )
        cursor.execute(
            f"CREATE TRIGGER intake_test_disk_full BEFORE INSERT ON {table} "  # noqa: S608
            "FOR EACH STATEMENT EXECUTE FUNCTION intake_test_disk_full()"
        )
    try:
        yield
    finally:
        with connection.cursor() as cursor:
            cursor.execute(f"DROP TRIGGER intake_test_disk_full ON {table}")
            cursor.execute("DROP FUNCTION intake_test_disk_full()")
