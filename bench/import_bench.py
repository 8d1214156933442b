"""Import benchmark: synthetic encounters through the importer, against a raw PostgreSQL COPY.

For each size given with ``--encounters`` the script

1. generates exchange CSV files for about that many encounters with ``beyondraid.standard.synth``
   (in a child process, in chunks of operations written as they are made, so that generation is
   timed and its memory kept apart from the import's);
2. copies the same files, as text, into bare tables (all-text columns named after the CSV header,
   no key, no constraint, no index) in a scratch schema with PostgreSQL's ``COPY … FROM STDIN``;
3. imports the files with ``beyondraid.intake.importing.import_files``, as ``beyondraid import``
   does, into a freshly migrated database;

and prints a table of the times, the rates, the ratio import time / COPY time and the import's
peak memory, with a description of the machine. A size whose import would take longer than
``--max-import-seconds`` (estimated from a smaller size measured in the same run) is not imported;
its COPY is still measured.

The database named by ``--database-url`` is dropped and created again: its name must contain
"bench", so that a real database cannot be dropped by mistake. PostgreSQL only.

    .venv/bin/python bench/import_bench.py --encounters 1000 10000
    .venv/bin/python bench/import_bench.py --encounters 1000 --profile --count-queries

Results, with the machine they were measured on, go to docs/benchmarks.md. Tests never assert
timings.
"""

import argparse
import cProfile
import csv
import io
import json
import math
import os
import platform
import pstats
import random
import re
import resource
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from urllib.parse import urlsplit, urlunsplit

REPO_DIR = Path(__file__).resolve().parent.parent
DEFAULT_DATABASE_URL = "postgres://postgres@127.0.0.1:5432/beyondraid_bench"
# Operations generated per synth call: bounds the generator's memory (about 30,000 encounters).
CHUNK_OPERATIONS = 2_000
# A guess of synth's encounters per operation, only to size the chunks; the files are cut at the
# requested number of encounters whatever the real mean is.
ENCOUNTERS_PER_OPERATION_GUESS = 14
# Below this size an import is run without an estimate; above it, one smaller size is measured.
CALIBRATION_ENCOUNTERS = 1_000
COPY_BLOCK = 1024 * 1024


# Setting up Django and the database ------------------------------------------------------------


def _setup_django(database_url: str | None) -> None:
    if REPO_DIR.as_posix() not in sys.path:
        sys.path.insert(0, REPO_DIR.as_posix())
    if database_url:
        os.environ["DATABASE_URL"] = database_url
    os.environ["DJANGO_SETTINGS_MODULE"] = "beyondraid.settings"
    # Query logging would keep every statement in memory.
    os.environ["DEBUG"] = "0"
    import django

    django.setup()


def _database_name(url: str) -> str:
    name = urlsplit(url).path.lstrip("/")
    if not re.fullmatch(r"[A-Za-z0-9_]+", name) or "bench" not in name:
        sys.exit(
            f"The database name {name!r} in --database-url must be letters, digits and "
            "underscores and contain 'bench': the benchmark drops and recreates it."
        )
    return name


def _maintenance_url(url: str) -> str:
    return urlunsplit(urlsplit(url)._replace(path="/postgres"))


def _admin(url: str, *statements) -> None:
    import psycopg

    with psycopg.connect(_maintenance_url(url), autocommit=True) as connection:
        for statement in statements:
            connection.execute(statement)


def _recreate(url: str, *, template: str | None = None) -> None:
    from psycopg import sql

    name = sql.Identifier(_database_name(url))
    create = sql.SQL("CREATE DATABASE {}").format(name)
    if template:
        create = sql.SQL("CREATE DATABASE {} TEMPLATE {}").format(name, sql.Identifier(template))
    _admin(url, sql.SQL("DROP DATABASE IF EXISTS {} WITH (FORCE)").format(name), create)


def _drop(url: str, database: str) -> None:
    from psycopg import sql

    _admin(url, sql.SQL("DROP DATABASE IF EXISTS {} WITH (FORCE)").format(sql.Identifier(database)))


def _close_django_connections() -> None:
    from django.db import connections

    connections.close_all()


# The machine ------------------------------------------------------------------------------------


def _cpu_model() -> str:
    try:
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.startswith("model name"):
                return line.split(":", 1)[1].strip()
    except OSError:
        pass
    return platform.processor() or "unknown"


def _memory_total_gib() -> float:
    try:
        for line in Path("/proc/meminfo").read_text().splitlines():
            if line.startswith("MemTotal:"):
                return int(line.split()[1]) / 1024 / 1024
    except OSError:
        pass
    return float("nan")


def describe_machine(url: str) -> list[tuple[str, str]]:
    import django
    import psycopg

    with psycopg.connect(url) as connection:
        version = connection.execute("SELECT version()").fetchone()[0]
        settings = {
            name: connection.execute(f"SHOW {name}").fetchone()[0]  # noqa: S608 - fixed names
            for name in ("shared_buffers", "synchronous_commit", "fsync", "max_wal_size")
        }
    server = urlsplit(url).hostname or "local socket"
    return [
        ("CPU", f"{_cpu_model()}, {os.cpu_count()} logical cores"),
        ("RAM", f"{_memory_total_gib():.1f} GiB"),
        ("OS", f"{platform.system()} {platform.release()} ({platform.machine()})"),
        ("PostgreSQL", f"{version.split(' on ')[0]} on {server}"),
        ("PostgreSQL settings", ", ".join(f"{k}={v}" for k, v in settings.items())),
        (
            "Python",
            f"{platform.python_implementation()} {platform.python_version()}, "
            f"Django {django.get_version()}, psycopg {psycopg.__version__}",
        ),
    ]


# Generating the files (in a child process) ------------------------------------------------------


class _Renamer:
    """Keeps operation and encounter codes unique across synth chunks: each chunk is drawn with
    its own seed, so a code may (rarely) repeat one of an earlier chunk; it is then replaced by a
    fresh code of the same format, everywhere in that chunk."""

    def __init__(self, seed: int):
        from beyondraid.core.codes import ALPHABET, GROUP_LENGTH, GROUPS

        self.rng = random.Random(f"rename-{seed}")  # noqa: S311 - synthetic codes, not secrets
        self.alphabet, self.group_length, self.groups = ALPHABET, GROUP_LENGTH, GROUPS
        self.seen: set[str] = set()
        self.renamed = 0

    def fresh(self, prefix: str) -> str:
        while True:
            groups = (
                "".join(self.rng.choice(self.alphabet) for _ in range(self.group_length))
                for _ in range(self.groups)
            )
            code = f"{prefix}-" + "-".join(groups)
            if code not in self.seen:
                self.seen.add(code)
                return code

    def apply(self, rows: dict[str, list[dict[str, str]]]) -> None:
        renamed: dict[str, str] = {}
        for table, column, prefix in (
            ("operations", "operation_code", "OP"),
            ("encounters", "encounter_code", "E"),
        ):
            for row in rows[table]:
                code = row[column]
                if code in self.seen:
                    renamed[code] = self.fresh(prefix)
                    self.renamed += 1
                else:
                    self.seen.add(code)
        if renamed:
            for table_rows in rows.values():
                for row in table_rows:
                    for column in ("operation_code", "encounter_code"):
                        if row.get(column) in renamed:
                            row[column] = renamed[row[column]]


def _cut(rows: dict[str, list[dict[str, str]]], wanted: int) -> None:
    """Keep the operations, in order, until ``wanted`` encounters are reached; drop the rest with
    everything that belongs to them."""
    per_operation: dict[str, int] = {}
    for row in rows["encounters"]:
        per_operation[row["operation_code"]] = per_operation.get(row["operation_code"], 0) + 1
    kept_operations, total = set(), 0
    for row in rows["operations"]:
        if total >= wanted:
            break
        kept_operations.add(row["operation_code"])
        total += per_operation.get(row["operation_code"], 0)
    kept_encounters = {
        row["encounter_code"]
        for row in rows["encounters"]
        if row["operation_code"] in kept_operations
    }
    for table, table_rows in rows.items():
        if table_rows and "encounter_code" in table_rows[0]:
            rows[table] = [r for r in table_rows if r["encounter_code"] in kept_encounters]
        elif table_rows and "operation_code" in table_rows[0]:
            rows[table] = [r for r in table_rows if r["operation_code"] in kept_operations]


def generate_files(directory: Path, encounters: int, seed: int) -> dict:
    """Write exchange CSVs for about ``encounters`` encounters into ``directory``, one synth chunk
    at a time; return the rows written per table."""
    from beyondraid.standard import synth
    from beyondraid.standard.exchange import TABLES

    started = time.perf_counter()
    directory.mkdir(parents=True, exist_ok=True)
    handles = {
        t.name: (directory / f"{t.name}.csv").open("w", encoding="utf-8", newline="")
        for t in TABLES
    }
    writers = {}
    for table in TABLES:
        writers[table.name] = csv.DictWriter(handles[table.name], fieldnames=table.column_names)
        writers[table.name].writeheader()
    counts = dict.fromkeys(handles, 0)
    renamer = _Renamer(seed)
    chunk = 0
    try:
        while counts["encounters"] < encounters:
            missing = encounters - counts["encounters"]
            operations = min(
                CHUNK_OPERATIONS,
                synth.MAX_OPERATIONS,
                math.ceil(missing / ENCOUNTERS_PER_OPERATION_GUESS * 1.2) + 1,
            )
            rows = synth.generate(operations=operations, seed=seed + chunk)
            _cut(rows, missing)
            renamer.apply(rows)
            if chunk:
                # Every chunk lists the same synthetic agencies; the files list them once.
                rows["agencies"] = []
            for table, table_rows in rows.items():
                writers[table].writerows(table_rows)
                counts[table] += len(table_rows)
            del rows
            chunk += 1
    finally:
        for handle in handles.values():
            handle.close()
    return {
        "rows": counts,
        "chunks": chunk,
        "renamed_codes": renamer.renamed,
        "seconds": time.perf_counter() - started,
        "bytes": sum(p.stat().st_size for p in directory.glob("*.csv")),
        "max_rss_kib": resource.getrusage(resource.RUSAGE_SELF).ru_maxrss,
    }


def _generate_in_child(directory: Path, encounters: int, seed: int) -> dict:
    completed = subprocess.run(  # noqa: S603 - our own interpreter and script
        [
            sys.executable,
            __file__,
            "--generate-into",
            str(directory),
            "--encounters",
            str(encounters),
            "--seed",
            str(seed),
        ],
        check=True,
        capture_output=True,
        text=True,
    )
    return json.loads(completed.stdout.strip().splitlines()[-1])


# Raw COPY ---------------------------------------------------------------------------------------


def time_copy(url: str, directory: Path) -> dict:
    """COPY every CSV into an all-text table of a scratch schema; time the COPYs and the commit."""
    import psycopg
    from psycopg import sql

    files = sorted(directory.glob("*.csv"))
    with psycopg.connect(url) as connection:
        connection.execute("DROP SCHEMA IF EXISTS bench_copy CASCADE")
        connection.execute("CREATE SCHEMA bench_copy")
        for path in files:
            with path.open(encoding="utf-8", newline="") as handle:
                header = next(csv.reader(handle))
            connection.execute(
                sql.SQL("CREATE TABLE bench_copy.{} ({})").format(
                    sql.Identifier(path.stem),
                    sql.SQL(", ").join(
                        sql.SQL("{} text").format(sql.Identifier(name)) for name in header
                    ),
                )
            )
        connection.commit()
        rows = 0
        started = time.perf_counter()
        with connection.cursor() as cursor:
            for path in files:
                statement = sql.SQL("COPY bench_copy.{} FROM STDIN WITH (FORMAT csv, HEADER true)")
                with (
                    path.open("rb") as handle,
                    cursor.copy(statement.format(sql.Identifier(path.stem))) as copy,
                ):
                    while block := handle.read(COPY_BLOCK):
                        copy.write(block)
                rows += cursor.rowcount
        connection.commit()
        seconds = time.perf_counter() - started
        connection.execute("DROP SCHEMA bench_copy CASCADE")
        connection.commit()
    return {"rows": rows, "seconds": seconds}


# The import -------------------------------------------------------------------------------------


class QueryCounter:
    """A Django execute wrapper counting the import's SQL statements by kind, with the time spent
    in each (the round trip to PostgreSQL included)."""

    def __init__(self):
        self.counts: dict[str, int] = {}
        self.seconds: dict[str, float] = {}

    @staticmethod
    def kind(statement: str) -> str:
        head = statement.lstrip()[:60].upper()
        if head.startswith(("SAVEPOINT", "RELEASE SAVEPOINT", "ROLLBACK TO SAVEPOINT")):
            return "SAVEPOINT / RELEASE (transaction.atomic)"
        if '"_check"' in statement:
            return "SELECT check constraint (full_clean)"
        if head.startswith('SELECT 1 AS "A"'):
            return "SELECT unique check (full_clean)"
        match = re.match(r'\s*(INSERT INTO|UPDATE|DELETE FROM)\s+"(\w+)"', statement)
        if match:
            return f"{match[1].split()[0]} {match[2]}"
        match = re.search(r'\bFROM\s+"(\w+)"', statement)
        if head.startswith("SELECT") and match:
            return f"other SELECT: {match[1]}"
        return head.split()[0] if head else "(empty)"

    def __call__(self, execute, sql, params, many, context):
        kind = self.kind(sql)
        started = time.perf_counter()
        try:
            return execute(sql, params, many, context)
        finally:
            self.counts[kind] = self.counts.get(kind, 0) + 1
            self.seconds[kind] = self.seconds.get(kind, 0.0) + time.perf_counter() - started

    def print(self, total_seconds: float, records: int) -> None:
        statements = sum(self.counts.values())
        in_sql = sum(self.seconds.values())
        print(
            f"\n  SQL statements: {statements:,} ({statements / records:.1f} per record), "
            f"{in_sql:.1f} s of the import's {total_seconds:.1f} s spent waiting on them "
            f"({in_sql / total_seconds:.0%}); the rest is Python."
        )
        _print_table(
            ["statement kind", "count", "per record", "seconds", "share of import"],
            [
                [
                    kind,
                    f"{self.counts[kind]:,}",
                    f"{self.counts[kind] / records:.2f}",
                    f"{self.seconds[kind]:.1f}",
                    f"{self.seconds[kind] / total_seconds:.0%}",
                ]
                for kind in sorted(self.counts, key=lambda k: -self.seconds[k])
            ],
        )


def _reset_peak_rss() -> bool:
    """Reset the process's peak resident set size (Linux 4.0+), so that the peak read after the
    import is the import's own."""
    try:
        Path("/proc/self/clear_refs").write_text("5")
    except OSError:
        return False
    return True


def _peak_rss_kib() -> int:
    try:
        for line in Path("/proc/self/status").read_text().splitlines():
            if line.startswith("VmHWM:"):
                return int(line.split()[1])
    except OSError:
        pass
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss


def _rss_kib() -> int:
    try:
        for line in Path("/proc/self/status").read_text().splitlines():
            if line.startswith("VmRSS:"):
                return int(line.split()[1])
    except OSError:
        pass
    return 0


def _database_rows() -> dict[str, int]:
    from django.apps import apps

    return {
        model._meta.db_table: model.objects.count()
        for label in ("standard", "accounts", "intake")
        for model in apps.get_app_config(label).get_models()
    }


def time_import(
    directory: Path, *, profile: bool, use_tracemalloc: bool, count_queries: bool
) -> dict:
    from django.db import connection

    from beyondraid.intake import importing

    rows_before = _database_rows()
    reset = _reset_peak_rss()
    rss_before = _rss_kib()
    maxrss_before = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    # The importer takes whole files as bytes: that is its interface, so it is measured so.
    files = [
        importing.SourceFile(path.name, path.read_bytes())
        for path in sorted(directory.glob("*.csv"))
    ]
    if use_tracemalloc:
        import tracemalloc

        tracemalloc.start()
    profiler = cProfile.Profile() if profile else None
    counter = QueryCounter() if count_queries else None
    started = time.perf_counter()
    try:
        if profiler:
            profiler.enable()
        if counter:
            with connection.execute_wrapper(counter):
                outcome = importing.import_files(files)
        else:
            outcome = importing.import_files(files)
    except importing.ImportRefused as refused:
        sys.exit("The import refused the synthetic files:\n" + "\n".join(refused.problems[:20]))
    finally:
        if profiler:
            profiler.disable()
    seconds = time.perf_counter() - started
    traced_peak = None
    if use_tracemalloc:
        traced_peak = tracemalloc.get_traced_memory()[1]
        tracemalloc.stop()
    del files
    rows_after = _database_rows()
    return {
        "seconds": seconds,
        "created": dict(outcome.result.created),
        "rows": sum(outcome.result.created.values()),
        "database_rows_added": {
            table: rows_after[table] - rows_before.get(table, 0)
            for table in rows_after
            if rows_after[table] != rows_before.get(table, 0)
        },
        "rss_before_kib": rss_before,
        "peak_rss_kib": _peak_rss_kib() if reset else None,
        "maxrss_before_kib": maxrss_before,
        "maxrss_after_kib": resource.getrusage(resource.RUSAGE_SELF).ru_maxrss,
        "traced_peak_bytes": traced_peak,
        "profiler": profiler,
        "queries": counter,
    }


# The run ----------------------------------------------------------------------------------------


def _duration(seconds: float) -> str:
    if seconds < 120:
        return f"{seconds:.0f} s"
    if seconds < 2 * 3600:
        return f"{seconds / 60:.0f} min"
    return f"{seconds / 3600:.1f} h"


def _number(value: float | None, digits: int = 0) -> str:
    if value is None:
        return "–"
    return f"{value:,.{digits}f}"


def _print_table(header: list[str], lines: list[list[str]]) -> None:
    widths = [max(len(row[i]) for row in [header, *lines]) for i in range(len(header))]

    def show(row):
        cells = [cell.rjust(width) for cell, width in zip(row, widths, strict=True)]
        return "| " + " | ".join(cells) + " |"

    print(show(header))
    print("|" + "|".join("-" * (w + 1) + ":" for w in widths) + "|")
    for row in lines:
        print(show(row))


def _print_profile(profiler: cProfile.Profile, lines: int) -> None:
    out = io.StringIO()
    stats = pstats.Stats(profiler, stream=out)
    stats.sort_stats("cumulative").print_stats(lines)
    stats.sort_stats("tottime").print_stats(lines)
    print(out.getvalue())


def run(args: argparse.Namespace) -> None:
    url = args.database_url
    name = _database_name(url)
    template = f"{name}_template"
    sizes = sorted(set(args.encounters))
    if sizes[0] > 2 * CALIBRATION_ENCOUNTERS and not args.copy_only:
        print(
            f"No size at or below {2 * CALIBRATION_ENCOUNTERS:,} encounters was given: "
            f"{CALIBRATION_ENCOUNTERS:,} encounters are imported first to estimate the import "
            "time of the larger sizes.\n"
        )
        sizes.insert(0, CALIBRATION_ENCOUNTERS)

    print(f"Creating and migrating the database {name} …", flush=True)
    _recreate(url)
    _setup_django(url)
    from django.core.management import call_command

    started = time.perf_counter()
    call_command("migrate", verbosity=0)
    print(f"Migrated in {time.perf_counter() - started:.1f} s.\n", flush=True)
    _close_django_connections()
    _drop(url, template)
    from psycopg import sql

    _admin(
        url,
        sql.SQL("CREATE DATABASE {} TEMPLATE {}").format(
            sql.Identifier(template), sql.Identifier(name)
        ),
    )

    print("Machine")
    for label, value in describe_machine(url):
        print(f"  {label:<20} {value}")
    print(
        f"\nCommand: {Path(sys.executable).name} bench/{Path(__file__).name} "
        + " ".join(sys.argv[1:])
        + "\n",
        flush=True,
    )

    work = Path(args.work_dir or tempfile.mkdtemp(prefix="beyondraid-bench-"))
    results = []
    rate = None  # encounters per second of the largest size imported so far
    try:
        for size in sizes:
            directory = work / f"encounters-{size}"
            if directory.exists():
                shutil.rmtree(directory)
            print(f"{size:,} encounters: generating …", end=" ", flush=True)
            generated = _generate_in_child(directory, size, args.seed)
            counts = generated["rows"]
            file_rows = sum(counts.values())
            print(
                f"{counts['encounters']:,} encounters, {file_rows:,} rows, "
                f"{generated['bytes'] / 1e6:.1f} MB in {generated['seconds']:.1f} s "
                f"({generated['chunks']} synth chunk(s), {generated['renamed_codes']} code(s) "
                "renamed).",
                flush=True,
            )
            _close_django_connections()
            _recreate(url, template=template)

            print("  COPY …", end=" ", flush=True)
            copied = time_copy(url, directory)
            print(f"{copied['rows']:,} rows in {copied['seconds']:.2f} s.", flush=True)

            imported, skipped = None, ""
            if args.copy_only:
                skipped = "not run (--copy-only)"
            elif rate is not None and counts["encounters"] / rate > args.max_import_seconds:
                estimate = counts["encounters"] / rate
                skipped = f"skipped: est. {_duration(estimate)}"
                print(
                    f"  import skipped: at the {rate:,.0f} encounters/s measured above it would "
                    f"take about {_duration(estimate)} (linear estimate; more if it slows down "
                    f"with size), over the limit of {_duration(args.max_import_seconds)} "
                    "(--max-import-seconds).",
                    flush=True,
                )
            else:
                print("  import …", end=" ", flush=True)
                imported = time_import(
                    directory,
                    profile=args.profile,
                    use_tracemalloc=args.tracemalloc,
                    count_queries=args.count_queries,
                )
                rate = counts["encounters"] / imported["seconds"]
                print(
                    f"{imported['rows']:,} records in {imported['seconds']:.1f} s; the database "
                    f"gained {sum(imported['database_rows_added'].values()):,} rows: "
                    + ", ".join(
                        f"{table} {count:,}"
                        for table, count in sorted(
                            imported["database_rows_added"].items(), key=lambda item: -item[1]
                        )
                    )
                    + ".",
                    flush=True,
                )
                if imported["rows"] != copied["rows"]:
                    print(
                        f"  note: the import created {imported['rows']:,} records from "
                        f"{copied['rows']:,} CSV rows.",
                        flush=True,
                    )
                if imported["queries"]:
                    imported["queries"].print(imported["seconds"], imported["rows"])
                if imported["profiler"]:
                    _print_profile(imported["profiler"], args.profile_lines)
                    if args.profile_out:
                        out = Path(f"{args.profile_out}-{size}.pstats")
                        imported["profiler"].dump_stats(out)
                        print(f"  profile written to {out} (read it with python -m pstats)")
            results.append((counts, file_rows, generated, copied, imported, skipped))
            if not args.keep_files:
                shutil.rmtree(directory, ignore_errors=True)
    finally:
        _close_django_connections()
        _drop(url, template)
        if not args.work_dir and not args.keep_files:
            shutil.rmtree(work, ignore_errors=True)

    header = [
        "encounters",
        "CSV rows",
        "CSV MB",
        "generate s",
        "COPY s",
        "COPY rows/s",
        "import s",
        "import enc/s",
        "import rows/s",
        "import/COPY",
        "import peak RSS MB",
    ]
    lines = []
    for counts, file_rows, generated, copied, imported, skipped in results:
        encounters = counts["encounters"]
        line = [
            _number(encounters),
            _number(file_rows),
            _number(generated["bytes"] / 1e6, 1),
            _number(generated["seconds"], 1),
            _number(copied["seconds"], 2),
            _number(copied["rows"] / copied["seconds"]),
        ]
        if imported:
            peak = imported["peak_rss_kib"] or imported["maxrss_after_kib"]
            line += [
                _number(imported["seconds"], 1),
                _number(encounters / imported["seconds"]),
                _number(imported["rows"] / imported["seconds"]),
                f"{imported['seconds'] / copied['seconds']:,.0f}×",
                _number(peak / 1024),
            ]
        else:
            line += [skipped, "–", "–", "–", "–"]
        lines.append(line)
    print()
    if args.profile or args.count_queries or args.tracemalloc:
        print("Import timings below were taken with instruments on: slower than without them.\n")
    _print_table(header, lines)
    print(
        "\nCSV rows: all rows of the 11 exchange files. import rows/s counts the records the "
        "import created (the same rows), not the audit entries, alerts and batch rows it wrote "
        "besides. import peak RSS: the benchmark process's peak resident memory during the "
        "import, file contents included (the import reads every file whole)."
    )
    goal = 100_000
    measured = [r for r in results if r[4]]
    if measured:
        counts, _, _, copied, imported, _ = measured[-1]
        enc_rate = counts["encounters"] / imported["seconds"]
        print(
            f"\nGoal (issue 4): 1,000,000 encounters at ≥ {goal:,} encounters/s and within 3× of "
            f"COPY. Largest import measured: {enc_rate:,.0f} encounters/s, "
            f"{imported['seconds'] / copied['seconds']:,.0f}× COPY; 1,000,000 encounters at that "
            f"rate would take about {_duration(1_000_000 / enc_rate)} (goal: 10 s)."
        )


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument(
        "--encounters",
        type=int,
        nargs="+",
        default=[1_000, 10_000],
        help="sizes to measure, in encounters (default: 1000 10000)",
    )
    parser.add_argument(
        "--database-url",
        default=os.environ.get("BENCH_DATABASE_URL", DEFAULT_DATABASE_URL),
        help=f"PostgreSQL database to drop, create and use (default: {DEFAULT_DATABASE_URL}); "
        "its name must contain 'bench'",
    )
    parser.add_argument("--seed", type=int, default=4, help="synth seed of the first chunk")
    parser.add_argument(
        "--max-import-seconds",
        type=float,
        default=600,
        help="skip an import estimated to take longer than this (default: 600)",
    )
    parser.add_argument("--copy-only", action="store_true", help="measure generation and COPY")
    parser.add_argument(
        "--profile", action="store_true", help="run each import under cProfile and print the top"
    )
    parser.add_argument("--profile-lines", type=int, default=30, help="lines of each profile")
    parser.add_argument("--profile-out", help="with --profile: write PREFIX-SIZE.pstats files")
    parser.add_argument(
        "--count-queries",
        action="store_true",
        help="count the import's SQL statements by kind, with the time spent in each",
    )
    parser.add_argument(
        "--tracemalloc",
        action="store_true",
        help="also trace Python allocations during the import (slows it down)",
    )
    parser.add_argument("--work-dir", help="where to write the CSV files (default: a temp dir)")
    parser.add_argument("--keep-files", action="store_true", help="keep the generated CSV files")
    parser.add_argument("--generate-into", type=Path, help=argparse.SUPPRESS)
    args = parser.parse_args(argv)
    if any(size < 1 for size in args.encounters):
        parser.error("--encounters takes positive numbers.")
    if args.generate_into:
        # The child process: generate one size and report on stdout.
        _setup_django(None)
        result = generate_files(args.generate_into, args.encounters[0], args.seed)
        print(json.dumps(result))
        return
    run(args)


if __name__ == "__main__":
    main()
