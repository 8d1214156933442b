"""``beyondraid restore_check [--dump FILE | --out FILE] [--into NAME] [--keep] [--bin-dir DIR]``:
prove that a backup of the PostgreSQL database restores.

It dumps the configured database with ``pg_dump --format=custom`` (or takes a dump made before,
``--dump``), restores it with ``pg_restore`` into a fresh database, and compares every table of
the public schema, row count by row count, and the audit log's last entry, between the source and
the restored copy. The fresh database is dropped afterwards unless ``--keep``.

The dump it takes leaves out the rows of today's counts of the reporting pages, as every backup
should (docs/reporting.md), so the restored copy must hold none of them. The dump and the counts
of the source are read in one snapshot (``pg_dump --snapshot``), so writes made while the check
runs do not show as differences. A dump given with ``--dump`` is compared with the database as it
is now: every write since the dump shows (docs/operations.md).

Exit status: 0 when everything matches, 1 when something differs, 2 when the check could not run.
"""

import datetime
import os
import re
import shutil
import subprocess
import tempfile
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import psycopg
from django.apps import apps
from django.core.management.base import BaseCommand, CommandError
from django.db import connection
from psycopg import sql
from psycopg.conninfo import make_conninfo

from beyondraid.accounts.models import AuditEntry

# PostgreSQL's longest identifier, in bytes; the derived names are ASCII beyond the source's name.
MAX_NAME = 63
# Keys of Django's connection parameters that are not libpq's and mean nothing to pg_dump.
_NOT_LIBPQ = {"cursor_factory", "context", "prepare_threshold", "password"}


def _left_out_of_backups() -> list[str]:
    """Tables whose rows a backup leaves out: today's counts of the reporting pages could be tried
    against every address by whoever holds a backup and REPORT_RATE_SECRET (docs/reporting.md).
    Named through the app registry: accounts does not import the apps to its right."""
    return [apps.get_model("accountability", "DailyCount")._meta.db_table]


def _fail(message: str) -> CommandError:
    return CommandError(message, returncode=2)


@dataclass(frozen=True)
class Snapshot:
    """What one side holds: each table's row count and the audit log's last entry (every column,
    in the model's order), or None when the log is empty."""

    counts: dict[str, int]
    last_audit: tuple | None


class Command(BaseCommand):
    help = (
        "Dump the PostgreSQL database, restore the dump into a fresh database and compare every "
        "table's row count and the audit log's last entry (docs/operations.md)."
    )

    def add_arguments(self, parser):
        source = parser.add_mutually_exclusive_group()
        source.add_argument(
            "--dump",
            metavar="FILE",
            help="Check this dump (pg_dump --format=custom) instead of taking a new one.",
        )
        source.add_argument(
            "--out",
            metavar="FILE",
            help="Keep the dump the check takes in FILE (by default it is deleted afterwards).",
        )
        parser.add_argument(
            "--into",
            metavar="NAME",
            help="Name of the fresh database to restore into "
            "(default: <database>_restore_check_<time>). It must not exist yet.",
        )
        parser.add_argument(
            "--keep",
            action="store_true",
            help="Keep the restored database afterwards instead of dropping it.",
        )
        parser.add_argument(
            "--bin-dir",
            metavar="DIR",
            help="Where pg_dump and pg_restore are (default: /usr/lib/postgresql/<server "
            "version>/bin when it exists, else the PATH).",
        )

    def handle(self, *args, dump, out, into, keep, bin_dir, **options):
        if connection.vendor != "postgresql":
            raise _fail(
                "restore_check is for PostgreSQL, and this server uses the embedded SQLite "
                f"database ({connection.settings_dict['NAME']}); back it up by copying the file, "
                "with any -wal file beside it, while the server and the task worker are stopped, "
                "or with `sqlite3 FILE '.backup COPY'` while they run (docs/operations.md)."
            )
        params = _libpq_params()
        source_name = str(params["dbname"])
        target_name = into or _derived_name(source_name)
        if target_name == source_name:
            raise _fail(f"--into {target_name}: that is the database being checked; name another.")
        if len(target_name.encode()) > MAX_NAME:
            raise _fail(f"--into {target_name}: longer than PostgreSQL's {MAX_NAME} bytes.")
        if dump and not Path(dump).is_file():
            raise _fail(f"--dump {dump}: no such file.")

        with _connect(params, source_name) as source:
            server_major = source.info.server_version // 10000
            pg_dump = _tool("pg_dump", bin_dir, server_major)
            pg_restore = _tool("pg_restore", bin_dir, server_major)
            with tempfile.TemporaryDirectory(prefix="restore_check_") as scratch:
                if dump:
                    dump_path = Path(dump)
                    before = _read_snapshot(source)
                else:
                    dump_path = Path(out) if out else Path(scratch) / f"{source_name}.dump"
                    before = _dump_in_one_snapshot(source, pg_dump, params, dump_path)
                    source.commit()
                self._restore_and_compare(
                    source, params, pg_restore, dump_path, before, target_name, keep=keep
                )

    def _restore_and_compare(self, source, params, pg_restore, dump_path, before, name, *, keep):
        _create_database(source, name)
        try:
            _run(
                [
                    pg_restore,
                    "--exit-on-error",
                    # The check restores as whoever runs it: owners and grants are the real
                    # restore's business (docs/operations.md), the rows are this check's.
                    "--no-owner",
                    "--no-privileges",
                    f"--dbname={_conninfo(params, name)}",
                    str(dump_path),
                ],
                params,
                what=f"pg_restore could not restore {dump_path} into {name}",
            )
            with _connect(params, name) as restored:
                after = _read_snapshot(restored)
        finally:
            if not keep:
                _drop_database(source, name)
        differences = _differences(before, after)
        if keep:
            self.stdout.write(f"The restored copy is kept as the database {name}.")
        if differences:
            self.stdout.write(differences)
            raise CommandError(
                "The restored copy differs from the source (above).",
                returncode=1,
            )
        last = (
            f"'s last entry is {_describe(before.last_audit)}" if before.last_audit else " is empty"
        )
        self.stdout.write(f"All {len(before.counts)} tables match; the audit log{last} in both.")


def _libpq_params() -> dict[str, Any]:
    """The configured database's connection parameters, as libpq (psql, pg_dump) takes them."""
    params = {
        key: value
        for key, value in connection.get_connection_params().items()
        if key not in _NOT_LIBPQ
    }
    if connection.settings_dict.get("PASSWORD"):
        params["password"] = connection.settings_dict["PASSWORD"]
    return params


def _conninfo(params: dict[str, Any], dbname: str) -> str:
    """A connection string without the password, which the tools read from PGPASSWORD so that it
    never shows in the list of processes."""
    without_password = {key: value for key, value in params.items() if key != "password"}
    return make_conninfo("", **{**without_password, "dbname": dbname})


def _connect(params: dict[str, Any], dbname: str) -> psycopg.Connection:
    try:
        return psycopg.connect(
            _conninfo(params, dbname), password=params.get("password"), autocommit=True
        )
    except psycopg.Error as error:
        where = f"{params.get('host') or 'the local socket'}:{params.get('port') or 5432}"
        raise _fail(
            f"Cannot reach the database {dbname} at {where} ({_first_line(error)}); check that "
            "PostgreSQL is running and that DATABASE_URL is right."
        ) from None


def _derived_name(source_name: str) -> str:
    suffix = "_restore_check_" + datetime.datetime.now(datetime.UTC).strftime("%Y%m%d%H%M%S")
    return source_name.encode()[: MAX_NAME - len(suffix)].decode(errors="ignore") + suffix


def _tool(name: str, bin_dir: str | None, server_major: int) -> str:
    """The client program of the server's major version: pg_restore refuses a dump written by a
    newer pg_dump, and pg_dump refuses a newer server."""
    if bin_dir:
        candidate = Path(bin_dir) / name
        found = str(candidate) if candidate.is_file() else None
        where = f"in {bin_dir}"
    else:
        debian = Path(f"/usr/lib/postgresql/{server_major}/bin") / name
        found = str(debian) if debian.is_file() else shutil.which(name)
        where = "on the PATH or in /usr/lib/postgresql/*/bin"
    if found is None:
        raise _fail(
            f"{name} is not {where}; install the PostgreSQL {server_major} client programs "
            f"(Debian: apt-get install postgresql-client-{server_major}) or name their directory "
            "with --bin-dir."
        )
    try:
        version = subprocess.run(  # noqa: S603 - the operator's own PostgreSQL program, no shell
            [found, "--version"], capture_output=True, text=True, check=True
        ).stdout
    except (OSError, subprocess.CalledProcessError) as error:
        raise _fail(f"{found} does not run ({_first_line(error)}).") from None
    match = re.search(r"\(PostgreSQL\) (\d+)", version)
    if match is None or int(match.group(1)) != server_major:
        said = f"version {match.group(1)}" if match else f"an unknown version ({version.strip()})"
        raise _fail(
            f"{found} is {said} but the server runs PostgreSQL {server_major}; use the "
            f"{name} of version {server_major} (Debian: /usr/lib/postgresql/{server_major}/bin, "
            "or --bin-dir)."
        )
    return found


def _dump_in_one_snapshot(source, pg_dump: str, params, dump_path: Path) -> Snapshot:
    """Dump the database and count its tables in one snapshot: the transaction that exports it
    stays open while pg_dump reads through it, so both see exactly the same rows."""
    source.autocommit = False
    source.isolation_level = psycopg.IsolationLevel.REPEATABLE_READ
    snapshot_id = source.execute("SELECT pg_export_snapshot()").fetchone()[0]
    _run(
        [
            pg_dump,
            "--format=custom",
            f"--snapshot={snapshot_id}",
            *(f"--exclude-table-data=public.{table}" for table in _left_out_of_backups()),
            f"--file={dump_path}",
            f"--dbname={_conninfo(params, str(params['dbname']))}",
        ],
        params,
        what=f"pg_dump could not dump {params['dbname']} into {dump_path}",
    )
    return _read_snapshot(source)


def _read_snapshot(conn) -> Snapshot:
    tables = [
        row[0]
        for row in conn.execute(
            "SELECT tablename FROM pg_tables WHERE schemaname = 'public' ORDER BY tablename"
        )
    ]
    counts = {
        table: conn.execute(
            sql.SQL("SELECT count(*) FROM public.{}").format(sql.Identifier(table))
        ).fetchone()[0]
        for table in tables
    }
    audit_table = AuditEntry._meta.db_table
    if audit_table not in counts:
        raise _fail(
            f"The database {conn.info.dbname} has no audit log table ({audit_table}); "
            "run `beyondraid migrate` first."
        )
    last = conn.execute(
        sql.SQL("SELECT {} FROM public.{} ORDER BY id DESC LIMIT 1").format(
            sql.SQL(", ").join(sql.Identifier(column) for column in _audit_columns()),
            sql.Identifier(audit_table),
        )
    ).fetchone()
    return Snapshot(counts=counts, last_audit=tuple(last) if last else None)


def _differences(before: Snapshot, after: Snapshot) -> str:
    """A plain table of the tables whose counts differ, and the two last audit entries when they
    differ; empty when everything matches."""
    left_out = _left_out_of_backups()
    rows = []
    for table in sorted(before.counts.keys() | after.counts.keys()):
        source = before.counts.get(table)
        restored = after.counts.get(table)
        if table in left_out and source is not None and restored is not None:
            source = 0
        if source != restored:
            rows.append((table, _count(source), _count(restored)))
    lines = []
    if rows:
        width = max(len("Table"), *(len(table) for table, _, _ in rows))
        lines.append(f"{'Table':<{width}}  {'Source':>10}  {'Restored':>10}")
        lines.extend(f"{table:<{width}}  {src:>10}  {dst:>10}" for table, src, dst in rows)
        kept_anyway = [table for table in left_out if after.counts.get(table)]
        if kept_anyway:
            lines.append(
                f"The dump holds rows of {', '.join(kept_anyway)}, which backups leave out: dump "
                "with --exclude-table-data for it (docs/operations.md)."
            )
    if before.last_audit != after.last_audit:
        lines.append(
            f"The audit log's last entry is {_describe(before.last_audit)} in the source but "
            f"{_describe(after.last_audit)} in the restored copy."
        )
    return "\n".join(lines)


def _count(value: int | None) -> str:
    return "missing" if value is None else str(value)


def _describe(entry: tuple | None) -> str:
    if entry is None:
        return "none (the log is empty)"
    values = dict(zip(_audit_columns(), entry, strict=True))
    at = values["at"].astimezone(datetime.UTC).strftime("%Y-%m-%d %H:%M:%S UTC")
    return f"#{values['id']} of {at} ({values['action']})"


def _audit_columns() -> list[str]:
    return [field.column for field in AuditEntry._meta.concrete_fields]


def _create_database(source, name: str) -> None:
    """A fresh database with the source's encoding and collation, from template0 as pg_restore
    needs (template1 may hold objects of its own)."""
    source.autocommit = True
    encoding, collate, ctype = source.execute(
        "SELECT pg_encoding_to_char(encoding), datcollate, datctype FROM pg_database "
        "WHERE datname = current_database()"
    ).fetchone()
    try:
        source.execute(
            sql.SQL(
                "CREATE DATABASE {} TEMPLATE template0 ENCODING {} LC_COLLATE {} LC_CTYPE {}"
            ).format(
                sql.Identifier(name),
                sql.Literal(encoding),
                sql.Literal(collate),
                sql.Literal(ctype),
            )
        )
    except psycopg.errors.DuplicateDatabase:
        raise _fail(
            f"The database {name} already exists; drop it or name another with --into."
        ) from None
    except psycopg.errors.InsufficientPrivilege:
        raise _fail(
            f"The database user {source.info.user} may not create databases; run the check as "
            "one who may (ALTER ROLE … CREATEDB)."
        ) from None


def _drop_database(source, name: str) -> None:
    source.autocommit = True
    source.execute(sql.SQL("DROP DATABASE IF EXISTS {}").format(sql.Identifier(name)))


def _run(command: list[str], params, *, what: str) -> None:
    env = dict(os.environ)
    if params.get("password"):
        env["PGPASSWORD"] = str(params["password"])
    # No shell: the arguments are the program found by _tool and the check's own options.
    completed = subprocess.run(command, capture_output=True, text=True, env=env)  # noqa: S603
    if completed.returncode != 0:
        raise _fail(f"{what}: {_first_line(completed.stderr)}.")


def _first_line(error: object) -> str:
    """The first line of an error that says what went wrong, without the tool's name."""
    for line in str(error).strip().splitlines():
        line = re.sub(r"^(pg_dump|pg_restore): (error: )?", "", line.strip())
        if line and not line.startswith(("detail:", "hint:")):
            return line.rstrip(".")
    return type(error).__name__ if isinstance(error, Exception) else "no message"
