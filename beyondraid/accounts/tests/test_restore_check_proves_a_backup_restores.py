"""``beyondraid restore_check`` dumps the PostgreSQL database, restores the dump into a fresh
database and compares every table's row count and the audit log's last entry (docs/operations.md).

The command reads the database through its own connections and pg_dump, so the records must be
committed: these tests run outside a transaction. CI runs them on PostgreSQL; on SQLite the suite
deselects them with a notice (conftest.py)."""

import datetime
import io
import stat

import psycopg
import pytest
from django.core.management import CommandError, call_command
from django.db import connection
from psycopg.conninfo import make_conninfo

from beyondraid.accountability.models import DailyCount
from beyondraid.accounts.models import AuditEntry
from beyondraid.standard.models import Encounter
from beyondraid.standard.tests.builders import make_encounter

pytestmark = [pytest.mark.django_db(transaction=True), pytest.mark.postgresql]


def _run(**options) -> str:
    out = io.StringIO()
    call_command("restore_check", stdout=out, **options)
    return out.getvalue()


def _databases_named(prefix: str) -> list[str]:
    with connection.cursor() as cursor:
        cursor.execute("SELECT datname FROM pg_database WHERE datname LIKE %s", [prefix + "%"])
        return [row[0] for row in cursor.fetchall()]


def _public_tables() -> int:
    with connection.cursor() as cursor:
        cursor.execute("SELECT count(*) FROM pg_tables WHERE schemaname = 'public'")
        return cursor.fetchone()[0]


def _conninfo(dbname: str) -> str:
    params = connection.get_connection_params()
    return make_conninfo(
        dbname=dbname,
        host=params.get("host"),
        port=params.get("port"),
        user=params.get("user"),
        password=params.get("password"),
    )


def _drop(name: str) -> None:
    with connection.cursor() as cursor:
        cursor.execute(f'DROP DATABASE IF EXISTS "{name}"')


def test_a_fresh_dump_restores_every_table_and_the_last_audit_entry(world):
    last = AuditEntry.objects.order_by("-pk").first()
    assert last is not None

    report = _run()

    assert f"All {_public_tables()} tables match" in report
    assert f"the audit log's last entry is #{last.pk} of " in report
    assert f"({last.action}) in both" in report
    # The fresh database is dropped afterwards.
    assert _databases_named(connection.settings_dict["NAME"] + "_restore_check_") == []


def test_records_written_after_the_dump_show_as_differences(world, tmp_path):
    dump = tmp_path / "before.dump"
    _run(out=str(dump))
    assert dump.stat().st_size > 0
    make_encounter(operation=world.operation_a, role="buyer")
    last = AuditEntry.objects.order_by("-pk").first()
    assert last is not None

    out = io.StringIO()
    with pytest.raises(CommandError) as refused:
        call_command("restore_check", dump=str(dump), stdout=out)

    assert refused.value.returncode == 1
    rows = {line.split()[0]: line.split()[1:] for line in out.getvalue().splitlines()}
    source, restored = map(int, rows["standard_encounter"])
    assert source == restored + 1
    source, restored = map(int, rows["accounts_auditentry"])
    assert source > restored
    assert f"last entry is #{last.pk} of " in out.getvalue()
    assert "in the source but #" in out.getvalue()


def test_the_dump_leaves_out_the_reporting_pages_daily_counts(world):
    DailyCount.objects.create(name="today-connection", day=datetime.date(2026, 3, 2), count=3)
    name = connection.settings_dict["NAME"] + "_kept_copy"
    try:
        report = _run(into=name, keep=True)
        assert f"kept as the database {name}" in report
        assert "tables match" in report
        with psycopg.connect(_conninfo(name)) as restored:
            counts = restored.execute("SELECT count(*) FROM accountability_dailycount").fetchone()
            encounters = restored.execute("SELECT count(*) FROM standard_encounter").fetchone()
        assert counts == (0,)
        assert encounters == (Encounter.objects.count(),)
    finally:
        _drop(name)


def test_keep_leaves_the_restored_copy_and_an_existing_database_is_never_replaced(world):
    name = connection.settings_dict["NAME"] + "_kept_copy"
    try:
        report = _run(into=name, keep=True)
        assert f"kept as the database {name}" in report
        assert _databases_named(name) == [name]

        with pytest.raises(CommandError, match="already exists") as refused:
            _run(into=name)
        assert refused.value.returncode == 2
        # Refusing to restore over it never drops it either.
        assert _databases_named(name) == [name]
    finally:
        _drop(name)


def test_client_programs_of_another_major_version_are_refused_in_one_sentence(world, tmp_path):
    for program in ("pg_dump", "pg_restore"):
        fake = tmp_path / program
        fake.write_text(f"#!/bin/sh\necho '{program} (PostgreSQL) 9.6.24'\n")
        fake.chmod(fake.stat().st_mode | stat.S_IEXEC)
    with connection.cursor() as cursor:
        cursor.execute("SHOW server_version_num")
        server_major = int(cursor.fetchone()[0]) // 10000

    with pytest.raises(CommandError) as refused:
        _run(bin_dir=str(tmp_path))

    assert refused.value.returncode == 2
    message = str(refused.value)
    assert "is version 9" in message
    assert f"the server runs PostgreSQL {server_major}" in message
    assert "\n" not in message


def test_a_missing_dump_file_is_named(world, tmp_path):
    with pytest.raises(CommandError, match="no such file") as refused:
        _run(dump=str(tmp_path / "absent.dump"))
    assert refused.value.returncode == 2


def test_missing_client_programs_are_named_with_how_to_install_them(world, tmp_path):
    with pytest.raises(CommandError, match="pg_dump is not in ") as refused:
        _run(bin_dir=str(tmp_path))
    assert refused.value.returncode == 2
    assert "postgresql-client-" in str(refused.value)
