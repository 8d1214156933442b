"""Undo benchmark: undoing an import batch, against a plain DELETE of the same tables.

For each size given with ``--encounters`` the script

1. generates exchange CSV files for about that many encounters with ``beyondraid.standard.synth``
   and imports them into a freshly migrated database, as ``bench/import_bench.py`` does (its
   functions are reused here);
2. copies the database (``CREATE DATABASE … TEMPLATE``), so that both measurements start from the
   same rows;
3. undoes the batch with ``beyondraid.intake.importing.undo_batch``, timed from the call to its
   commit, with the memory it added to the process at its peak;
4. on the copy, deletes every row of the tables the undo deleted from, children first, with one
   plain ``DELETE FROM table`` each (no condition: the batch is all the copy holds) in one
   transaction, timed to its commit, deferred foreign-key checks included;

and prints a table of the times and of their ratio, with a description of the machine.

The database named by ``--database-url`` and its copy are dropped and created again: the name
must contain "bench". PostgreSQL only. Results go to docs/benchmarks.md; tests never assert
timings.

    .venv/bin/python bench/undo_bench.py --encounters 5000 20000
"""

import argparse
import os
import sys
import tempfile
import time
from pathlib import Path
from urllib.parse import urlsplit, urlunsplit

sys.path.insert(0, Path(__file__).resolve().parent.as_posix())

import import_bench as bench  # noqa: E402 - the bench directory is not a package

DEFAULT_DATABASE_URL = "postgres://postgres@127.0.0.1:5432/beyondraid_bench_undo"


def _copy_url(url: str) -> str:
    parts = urlsplit(url)
    return urlunsplit(parts._replace(path=f"{parts.path}_copy"))


def _import(directory: Path):
    from beyondraid.intake import importing

    files = [
        importing.SourceFile(path.name, path.read_bytes())
        for path in sorted(directory.glob("*.csv"))
    ]
    started = time.perf_counter()
    outcome = importing.import_files(files)
    return outcome.batch, time.perf_counter() - started


def _undo(batch) -> dict:
    from django.db import connection

    from beyondraid.accounts.models import AuditEntry
    from beyondraid.intake import importing

    statements = []

    def noted(execute, sql, params, many, context):
        statements.append(sql)
        return execute(sql, params, many, context)

    reset = bench._reset_peak_rss()
    rss_before = bench._rss_kib()
    started = time.perf_counter()
    with connection.execute_wrapper(noted):
        counts = importing.undo_batch(batch)
    seconds = time.perf_counter() - started
    entries = AuditEntry.objects.filter(
        action=AuditEntry.Action.DELETE, object_id=str(batch.pk)
    ).order_by("pk")
    deleted = {}
    for entry in entries:
        count = int(entry.object_label.rsplit(": ", 1)[1].split()[0].replace(",", ""))
        deleted[entry.object_type] = count
    return {
        "seconds": seconds,
        "counts": counts,
        "deleted": deleted,
        "statements": len(statements),
        "deletes": sum(sql.lstrip().upper().startswith("DELETE") for sql in statements),
        # What the undo itself added to the process's memory: the import before it left the
        # process large, and a peak measured from there would be mostly the import's.
        "rss_growth_kib": bench._peak_rss_kib() - rss_before if reset else None,
    }


def _plain_delete(url: str, tables_in_order: list[str]) -> float:
    import psycopg
    from psycopg import sql

    with psycopg.connect(url) as connection:
        started = time.perf_counter()
        for table in tables_in_order:
            connection.execute(sql.SQL("DELETE FROM {}").format(sql.Identifier(table)))
        connection.commit()
        return time.perf_counter() - started


def _db_tables(labels: list[str]) -> list[str]:
    from django.apps import apps

    by_label = {
        model._meta.label_lower: model._meta.db_table
        for model in apps.get_models(include_auto_created=True)
    }
    return [by_label[label] for label in labels]


def run(args: argparse.Namespace) -> None:
    url = args.database_url
    name = bench._database_name(url)
    copy_url = _copy_url(url)
    bench._database_name(copy_url)
    template = f"{name}_template"

    print(f"Creating and migrating the database {name} …", flush=True)
    bench._recreate(url)
    bench._setup_django(url)
    from django.core.management import call_command
    from psycopg import sql

    call_command("migrate", verbosity=0)
    bench._close_django_connections()
    bench._drop(url, template)
    bench._admin(
        url,
        sql.SQL("CREATE DATABASE {} TEMPLATE {}").format(
            sql.Identifier(template), sql.Identifier(name)
        ),
    )
    print("Machine")
    for label, value in bench.describe_machine(url):
        print(f"  {label:<20} {value}")
    print(f"\nCommand: python bench/{Path(__file__).name} " + " ".join(sys.argv[1:]) + "\n")

    work = Path(tempfile.mkdtemp(prefix="beyondraid-undo-bench-"))
    results = []
    try:
        for size in sorted(set(args.encounters)):
            directory = work / f"encounters-{size}"
            print(f"{size:,} encounters: generating …", end=" ", flush=True)
            generated = bench._generate_in_child(directory, size, args.seed)
            print(f"{sum(generated['rows'].values()):,} rows; importing …", end=" ", flush=True)
            bench._close_django_connections()
            bench._recreate(url, template=template)
            batch, import_seconds = _import(directory)
            print(f"{import_seconds:.1f} s; copying the database …", end=" ", flush=True)
            bench._close_django_connections()
            bench._recreate(copy_url, template=name)
            print("undoing …", end=" ", flush=True)
            undone = _undo(batch)
            rows = sum(undone["deleted"].values())
            print(
                f"{rows:,} rows in {undone['seconds']:.2f} s; plain DELETE …", end=" ", flush=True
            )
            tables = _db_tables(list(undone["deleted"]))
            bench._close_django_connections()
            plain = _plain_delete(copy_url, tables)
            print(f"{plain:.2f} s.", flush=True)
            bench._drop(url, f"{name}_copy")
            results.append(
                (generated["rows"]["encounters"], rows, len(tables), import_seconds, undone, plain)
            )
    finally:
        bench._close_django_connections()
        bench._drop(url, f"{name}_copy")
        bench._drop(url, template)

    print()
    bench._print_table(
        [
            "encounters",
            "rows deleted",
            "tables",
            "import s",
            "undo s",
            "undo rows/s",
            "undo statements (DELETE)",
            "plain DELETE s",
            "undo/DELETE",
            "undo RSS growth MB",
        ],
        [
            [
                f"{encounters:,}",
                f"{rows:,}",
                str(tables),
                f"{import_seconds:.1f}",
                f"{undone['seconds']:.2f}",
                f"{rows / undone['seconds']:,.0f}",
                f"{undone['statements']} ({undone['deletes']})",
                f"{plain:.2f}",
                f"{undone['seconds'] / plain:.1f}×",
                f"{undone['rss_growth_kib'] / 1024:,.0f}"
                if undone["rss_growth_kib"] is not None
                else "–",
            ]
            for encounters, rows, tables, import_seconds, undone, plain in results
        ],
    )
    print(
        "\nundo: undo_batch from the call to its commit: the checks, the set-based deletes, one "
        "audit entry per table. plain DELETE: one DELETE FROM per table the undo deleted from, "
        "children first, no condition, one transaction. undo RSS growth: the process's peak "
        "resident memory during the undo less its resident memory just before."
    )


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument(
        "--encounters", type=int, nargs="+", default=[5_000, 20_000], help="sizes to measure"
    )
    parser.add_argument(
        "--database-url",
        default=os.environ.get("BENCH_UNDO_DATABASE_URL", DEFAULT_DATABASE_URL),
        help=f"PostgreSQL database to drop, create and use (default: {DEFAULT_DATABASE_URL}); "
        "its name must contain 'bench'",
    )
    parser.add_argument("--seed", type=int, default=4, help="synth seed of the first chunk")
    args = parser.parse_args(argv)
    if any(size < 1 for size in args.encounters):
        parser.error("--encounters takes positive numbers.")
    run(args)


if __name__ == "__main__":
    main()
