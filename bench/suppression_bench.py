"""The same release, protected three ways: the old heuristic, least-cost suppression and
differential privacy, side by side (issue 20).

For each method the script reads the records and builds the release's computed tables
(`ReleaseData`, `build_computed_tables`; a DP release builds them with noise), protects them, and
prints: figures suppressed (primary and complementary), the statewide headline figures shown (of
the six the public site leads with; for DP, the interval of victims identified), the weighted
information loss (the sum of the suppression costs of the hidden figures,
`core.suppression.cost`), and the time from reading the records to protected tables. Nothing is
saved: no release is created or published.

    .venv/bin/python bench/suppression_bench.py --demo
    .venv/bin/python bench/suppression_bench.py --encounters 100000
    .venv/bin/python bench/suppression_bench.py --encounters 1000000 --reuse

``--demo`` builds the demo's data (`beyondraid demo`) in a temporary SQLite database and
protects its California tables; ``--encounters`` fills (or, with ``--reuse``, reuses) the
PostgreSQL database of `bench/indicators_bench.py` and protects its statewide tables. Results go
to docs/benchmarks.md with the machine. Tests never assert timings.
"""

import argparse
import os
import platform
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

import indicators_bench  # noqa: E402  (the bench database and how it is filled)

METHODS = ("heuristic", "optimal", "dp")


def demo_database(directory: str) -> None:
    os.environ["BEYONDRAID_DATA_DIR"] = directory
    indicators_bench._setup_django(f"sqlite:///{directory}/demo.sqlite3")
    from django.core.management import call_command

    call_command("demo", no_serve=True, verbosity=0, stdout=open(os.devnull, "w"))  # noqa: SIM115


def bench_database(options) -> None:
    if not options.reuse:
        indicators_bench._recreate_database(options.database_url)
    indicators_bench._setup_django(options.database_url)
    from django.core.management import call_command

    call_command("migrate", verbosity=0)
    if options.reuse:
        from beyondraid.standard.models import Encounter

        found = Encounter.objects.count()
        if found != options.encounters:
            sys.exit(
                f"--reuse: the database holds {found:,} encounters, not {options.encounters:,}."
            )
    else:
        seconds = indicators_bench.fill(options.encounters)
        print(f"Filled {options.encounters:,} encounters in {seconds:.1f} s")


def statewide_scope():
    from django.db.models import Max, Min

    from beyondraid.standard.models import Operation
    from beyondraid.transparency.release_tables import Scope

    period = Operation.objects.aggregate(start=Min("start_date"), end=Max("start_date"))
    return Scope(period["start"], period["end"], state="CA")


def protect(scope, method: str, epsilon: float) -> dict:
    """Build the tables from the records and protect them by ``method``; what it cost and hid."""
    from beyondraid.core import disclosure, suppression
    from beyondraid.transparency import dp_release
    from beyondraid.transparency.release_tables import (
        ALL,
        HEADLINE_MEASURES,
        ReleaseData,
        build_computed_tables,
    )

    data = ReleaseData(scope)
    started = time.perf_counter()
    if method == "dp":
        noisy = dp_release.noisy_tables(data, dp_release.parameters(epsilon))
        tables = noisy.tables
    else:
        tables = build_computed_tables(data)
    grids = [table.grid for table in tables if table.grid is not None]
    # Costs before protection: it blanks what it hides.
    costs = {id(f): suppression.cost(f) for grid in grids for f in grid.figures.values()}
    if method != "dp":
        # As a release does: figures count blocks of atoms before they are protected.
        data.atoms.blocks(grids)
        report = disclosure.protect(grids, method=method)
        assert report.passed, report.describe_failures()
    seconds = time.perf_counter() - started
    figures = [figure for grid in grids for figure in grid.figures.values()]
    outcomes = tables[0]
    [statewide] = [i for i, row in enumerate(outcomes.rows) if row["agency_key"] == ALL]
    headline = [
        outcomes.grid.figures[(statewide, name)]
        for name in sorted(HEADLINE_MEASURES)
        if (statewide, name) in outcomes.grid.figures
    ]
    shown = f"{sum(1 for f in headline if not f.suppressed)} of {len(headline)}"
    if method == "dp":
        victims = noisy.figures[(outcomes.slug, statewide, "victims_identified")]
        value = outcomes.grid.figures[(statewide, "victims_identified")].value
        shown += f" (victims identified {value}, 95 % interval {victims['low']}–{victims['high']})"
    hidden = [figure for figure in figures if figure.suppressed]
    return {
        "method": method if method != "dp" else f"dp, ε = {epsilon:g}",
        "figures": len(figures),
        "primary": sum(1 for f in hidden if f.suppressed == disclosure.PRIMARY),
        "complementary": sum(1 for f in hidden if f.suppressed == disclosure.COMPLEMENTARY),
        "headline": shown,
        "loss": sum(costs[id(f)] for f in hidden),
        "complementary_loss": sum(
            costs[id(f)] for f in hidden if f.suppressed == disclosure.COMPLEMENTARY
        ),
        "seconds": seconds,
    }


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    where = parser.add_mutually_exclusive_group(required=True)
    where.add_argument("--demo", action="store_true", help="The demo's California tables.")
    where.add_argument("--encounters", type=int, help="Synthetic encounters in PostgreSQL.")
    parser.add_argument("--database-url", default=indicators_bench.DEFAULT_DATABASE_URL)
    parser.add_argument("--reuse", action="store_true", help="Keep a database filled before.")
    parser.add_argument("--epsilon", type=float, default=1.0, help="For the DP mode.")
    parser.add_argument("--methods", default=",".join(METHODS), help="Comma-separated.")
    options = parser.parse_args()

    with tempfile.TemporaryDirectory(prefix="beyondraid-bench-") as directory:
        if options.demo:
            demo_database(directory)
        else:
            bench_database(options)
        print(
            f"Machine: {platform.processor() or platform.machine()}, {os.cpu_count()} cores, "
            f"{platform.system()} {platform.release()}, Python {platform.python_version()}"
        )
        scope = statewide_scope()
        print(
            "| Method | Figures | Primary | Complementary | Statewide headline shown "
            "| Weighted loss (complementary) | Read, build and protect |"
        )
        print("|---|---:|---:|---:|---:|---:|---:|")
        for method in options.methods.split(","):
            row = protect(scope, method, options.epsilon)
            print(
                f"| {row['method']} | {row['figures']:,} | {row['primary']:,} "
                f"| {row['complementary']:,} | {row['headline']} | {row['loss']:,.0f} "
                f"({row['complementary_loss']:,.0f}) | {row['seconds']:.1f} s |"
            )


if __name__ == "__main__":
    main()
